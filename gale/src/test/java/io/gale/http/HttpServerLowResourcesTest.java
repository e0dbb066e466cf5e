package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServerTesting.RawClient;
import io.gale.http.HttpServerTesting.Response;
import io.gale.http.HttpServerTesting.Running;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Low resources (see {@link io.gale.net.TcpServer}): at maxConnections, a new client is served
 * once the keep-alive connection idle longest was closed for it; connections in the middle of a
 * request are never closed for this. Real sockets, one loop.
 */
@Timeout(30)
class HttpServerLowResourcesTest {
    private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    private final ConcurrentLinkedQueue<HttpExchange> held = new ConcurrentLinkedQueue<>();
    private final CountDownLatch heldArrived = new CountDownLatch(1);

    /** GET /slow waits in {@link #held} until the test answers it; anything else: "ok". */
    private final HttpServerConnectionDelegate app = HttpServerTesting.buffering((req, body, c) -> {
        if (req.path().equals("/slow")) {
            held.add(c);
            heldArrived.countDown();
        } else {
            HttpServerTesting.respond(c, 200, "ok");
        }
    });

    private static HttpServerOptions max(int n) {
        return HttpServerOptions.builder().maxConnections(n).build();
    }

    /** One request on a new connection, which then stays open and idle. */
    private static RawClient idleAfterOneRequest(Running s) throws IOException {
        RawClient c = s.client();
        c.send(GET);
        assertThat(c.readResponse().text()).isEqualTo("ok");
        return c;
    }

    @Test
    void aNewClientAtTheLimitIsServedAndTheOldestIdleConnectionIsTheOneClosed() throws Exception {
        try (Running s = HttpServerTesting.start(app, max(4))) {
            List<RawClient> idle = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                idle.add(idleAfterOneRequest(s)); // idle since, in this order
            }
            try (RawClient late = s.client()) {
                late.send(GET);
                assertThat(late.readResponse().text()).isEqualTo("ok");
                assertThat(idle.get(0).isClosedByServer()).as("the connection idle longest").isTrue();
                for (RawClient c : idle.subList(1, 4)) {
                    c.send(GET);
                    Response r = c.readResponse();
                    assertThat(r.text()).isEqualTo("ok");
                    assertThat(r.header("Connection")).isNotEqualTo("close");
                }
                // Nobody waits any more: the late client keeps its connection too.
                late.send(GET);
                assertThat(late.readResponse().text()).isEqualTo("ok");
            } finally {
                for (RawClient c : idle) {
                    c.close();
                }
            }
        }
    }

    @Test
    void aConnectionInTheMiddleOfARequestIsNeverClosedForANewClient() throws Exception {
        try (Running s = HttpServerTesting.start(app, max(2));
                RawClient busy = s.client()) {
            busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"); // the oldest connection, but busy
            assertThat(heldArrived.await(10, TimeUnit.SECONDS)).isTrue();
            try (RawClient idle = idleAfterOneRequest(s); RawClient late = s.client()) {
                late.send(GET);
                assertThat(late.readResponse().text()).isEqualTo("ok");
                assertThat(idle.isClosedByServer()).isTrue();
            }
            s.loop.addCallback(() -> held.forEach(x -> HttpServerTesting.respond(x, 200, "late")));
            Response r = busy.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("late");
        }
    }

    @Test
    void whileAClientWaitsABusyConnectionClosesAfterItsResponseInsteadOfIdling() throws Exception {
        try (Running s = HttpServerTesting.start(app, max(1));
                RawClient busy = s.client()) {
            busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(heldArrived.await(10, TimeUnit.SECONDS)).isTrue();
            try (RawClient waiting = s.client()) {
                waiting.send(GET); // waits in the kernel's queue: every connection is busy
                s.loop.addCallback(() -> held.forEach(x -> HttpServerTesting.respond(x, 200, "late")));
                // Whether the server saw the waiting client before or after the response: the
                // busy connection's response arrives complete, then it closes for the new one.
                assertThat(busy.readResponse().text()).isEqualTo("late");
                assertThat(busy.isClosedByServer()).isTrue();
                assertThat(waiting.readResponse().text()).isEqualTo("ok");
            }
        }
    }

    @Test
    void anIdleHttp2ConnectionGetsGoAwayAndIsClosedForANewClient() throws Exception {
        try (Running s = HttpServerTesting.start(app, max(2).toBuilder().http2(true).build());
                H2 h2 = new H2(s.port);
                RawClient busy = s.client()) {
            h2.handshake();
            h2.send(Http2ServerDefenceTest.headers(1, true, Http2ServerDefenceTest.get("/")));
            h2.untilEndOfStream(1); // the answer: now idle, the oldest connection
            busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(heldArrived.await(10, TimeUnit.SECONDS)).isTrue();
            try (RawClient late = s.client()) {
                late.send(GET);
                assertThat(late.readResponse().text()).isEqualTo("ok");
            }
            assertThat(h2.goAwayThenClosed()).isTrue();
            s.loop.addCallback(() -> held.forEach(x -> HttpServerTesting.respond(x, 200, "late")));
            assertThat(busy.readResponse().text()).isEqualTo("late");
        }
    }

    /** A raw HTTP/2 client (prior knowledge) on a blocking socket; frames from Http2ServerDefenceTest. */
    private static final class H2 implements AutoCloseable {
        final Socket socket = new Socket();
        final DataInputStream in;

        H2(int port) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(20_000);
            in = new DataInputStream(socket.getInputStream());
        }

        void handshake() throws IOException {
            socket.getOutputStream().write(Http2ServerDefenceTest.PREFACE);
            send(Http2ServerDefenceTest.frame(Http2ServerDefenceTest.SETTINGS, 0, 0, new byte[0]));
        }

        void send(byte[] bytes) throws IOException {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        }

        /** Type and flags of the next frame, its stream in bits 16..; its payload skipped. */
        int[] read() throws IOException {
            int len = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7FFFFFFF;
            in.skipNBytes(len);
            if (type == Http2ServerDefenceTest.SETTINGS && (flags & 1) == 0) {
                send(Http2ServerDefenceTest.frame(Http2ServerDefenceTest.SETTINGS, 1, 0, new byte[0]));
            }
            return new int[] {type, flags, stream};
        }

        void untilEndOfStream(int stream) throws IOException {
            while (true) {
                int[] f = read();
                if (f[2] == stream && (f[1] & 1) != 0
                        && (f[0] == Http2ServerDefenceTest.DATA || f[0] == Http2ServerDefenceTest.HEADERS)) {
                    return;
                }
            }
        }

        /** True when a GOAWAY came and then the end of the connection. */
        boolean goAwayThenClosed() throws IOException {
            boolean goAway = false;
            try {
                while (true) {
                    goAway |= read()[0] == Http2ServerDefenceTest.GOAWAY;
                }
            } catch (EOFException | SocketException e) {
                return goAway;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
