package io.gale.httpclient;

import static io.gale.httpclient.ClientTesting.await;
import static io.gale.httpclient.ClientTesting.failure;
import static io.gale.httpclient.ScriptedServer.readHead;
import static io.gale.httpclient.ScriptedServer.readRequest;
import static io.gale.httpclient.ScriptedServer.serveKeepAlive;
import static io.gale.httpclient.ScriptedServer.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.ioloop.IOLoop;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad servers get clear errors, never hangs; and the pool's reuse and retry rules. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MisbehavingServerTest {
    private IOLoop loop;
    private AsyncHttpClient client;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void setUp() {
        loop = ClientTesting.startLoop("misbehaving-test");
        client = new AsyncHttpClient(loop, ClientOptions.builder().maxHeaderSize(2048).build());
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        for (AutoCloseable c : closeables) {
            c.close();
        }
        loop.close();
    }

    private ScriptedServer server(ScriptedServer.Script script) throws IOException {
        ScriptedServer s = new ScriptedServer(script);
        closeables.add(s);
        return s;
    }

    /** A server answering every request on a connection with {@code response} (raw bytes). */
    private ScriptedServer answering(String response) throws IOException {
        return server((s, i) -> {
            readRequest(s.getInputStream());
            write(s, response);
            s.getInputStream().read(); // hold the connection until the client closes it
        });
    }

    private HttpClientException fetchFails(String url) {
        Throwable t = failure(client.fetch(url));
        assertThat(t).isInstanceOf(HttpClientException.class);
        HttpClientException e = (HttpClientException) t;
        assertThat(e.code()).isEqualTo(599);
        return e;
    }

    @Test
    void malformedStatusLine() throws Exception {
        ScriptedServer s = answering("HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n");
        assertThat(fetchFails(s.url("/")).getMessage()).contains("malformed response");
        ScriptedServer garbage = answering("SSH-2.0-OpenSSH_9.2\r\n\r\n");
        assertThat(fetchFails(garbage.url("/")).getMessage()).contains("malformed response");
    }

    @Test
    void malformedHeaderLine() throws Exception {
        ScriptedServer s = answering("HTTP/1.1 200 OK\r\nno colon here\r\nContent-Length: 0\r\n\r\n");
        assertThat(fetchFails(s.url("/")).getMessage()).contains("malformed response");
    }

    @Test
    void badChunkedEncoding() throws Exception {
        ScriptedServer s = answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n");
        assertThat(fetchFails(s.url("/")).getMessage()).contains("malformed response");
        ScriptedServer noCrlf = answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n");
        assertThat(fetchFails(noCrlf.url("/")).getMessage()).contains("chunk");
    }

    @Test
    void oversizeHeaders() throws Exception {
        ScriptedServer s = answering("HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(4000) + "\r\nContent-Length: 0\r\n\r\n");
        assertThat(fetchFails(s.url("/")).getMessage()).contains("malformed response");
    }

    @Test
    void oversizeBodyByContentLengthAndByChunks() throws Exception {
        ScriptedServer s = answering("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n");
        HttpClientException e = (HttpClientException) failure(client.fetch(HttpRequest.newBuilder(s.url("/")).maxBodySize(1000).build()));
        assertThat(e.getMessage()).contains("exceeds maxBodySize 1000");
        assertThat(e.getCause()).isInstanceOf(BodyTooLargeException.class);
        String chunk = "a".repeat(600);
        ScriptedServer c = answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n" + chunk + "\r\n258\r\n" + chunk + "\r\n0\r\n\r\n");
        HttpClientException e2 = (HttpClientException) failure(client.fetch(HttpRequest.newBuilder(c.url("/")).maxBodySize(1000).build()));
        assertThat(e2.getMessage()).contains("exceeds maxBodySize 1000");
        assertThat(e2.getCause()).isInstanceOf(BodyTooLargeException.class);
    }

    @Test
    void earlyCloseInBodyAndBeforeAnyResponse() throws Exception {
        ScriptedServer s = server((sock, i) -> {
            readRequest(sock.getInputStream());
            write(sock, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort");
        });
        assertThat(fetchFails(s.url("/")).getMessage()).contains("before the response was complete");
        ScriptedServer silent = server((sock, i) -> readRequest(sock.getInputStream()));
        assertThat(fetchFails(silent.url("/")).getMessage()).contains("without sending a response");
        assertThat(silent.accepted()).isEqualTo(1); // a fresh connection is not retried
    }

    @Test
    void serverThatNeverAnswersHitsTheRequestTimeout() throws Exception {
        ScriptedServer s = server((sock, i) -> {
            readRequest(sock.getInputStream());
            sock.getInputStream().read(); // accept, read, never answer: returns when the client gives up
        });
        HttpClientException e = (HttpClientException) failure(client.fetch(HttpRequest.newBuilder(s.url("/"))
                .requestTimeout(Duration.ofMillis(300)).build()));
        assertThat(e.isTimeout()).isTrue();
        assertThat(e.getMessage()).contains("Timeout during request");
        ClientTesting.awaitOnLoop(loop, () -> client.pool().openConnections() == 0, "the timed-out connection closed");
    }

    @Test
    void connectTimeoutOnAFullBacklog() throws Exception {
        // a listening socket that never accepts; once its backlog is full, SYNs are dropped
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> fillers = new ArrayList<>();
            try {
                boolean filled = false;
                for (int i = 0; i < 16 && !filled; i++) {
                    Socket f = new Socket();
                    try {
                        f.connect(full.getLocalSocketAddress(), 200);
                        fillers.add(f);
                    } catch (SocketTimeoutException e) {
                        f.close();
                        filled = true;
                    }
                }
                org.junit.jupiter.api.Assumptions.assumeTrue(filled, "could not fill the listen backlog");
                HttpClientException e = (HttpClientException) failure(client.fetch(HttpRequest.newBuilder(
                        "http://127.0.0.1:" + full.getLocalPort() + "/").connectTimeout(Duration.ofMillis(300)).build()));
                assertThat(e.isTimeout()).isTrue();
                assertThat(e.getMessage()).contains("Timeout while connecting");
            } finally {
                for (Socket f : fillers) {
                    f.close();
                }
            }
        }
    }

    @Test
    void connectionRefused() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = ss.getLocalPort();
        }
        HttpClientException e = fetchFails("http://127.0.0.1:" + port + "/");
        assertThat(e.getCause()).isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void keepAliveConnectionIsReusedCountingAccepts() throws Exception {
        ScriptedServer s = server((sock, i) -> serveKeepAlive(sock, "ok"));
        for (int i = 0; i < 10; i++) {
            assertThat(await(client.fetch(s.url("/" + i))).text()).isEqualTo("ok");
        }
        assertThat(s.accepted()).isEqualTo(1);
    }

    @Test
    void idempotentRequestIsRetriedOnceWhenTheServerClosedTheKeptAliveConnection() throws Exception {
        // connection 0 answers once, then takes the next request and closes without answering
        // (the server's idle close racing our reuse); later connections answer normally
        ScriptedServer s = server((sock, i) -> {
            if (i == 0) {
                readRequest(sock.getInputStream());
                write(sock, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
                readRequest(sock.getInputStream());
                return;
            }
            serveKeepAlive(sock, "again");
        });
        assertThat(await(client.fetch(s.url("/a"))).text()).isEqualTo("first");
        assertThat(await(client.fetch(s.url("/b"))).text()).isEqualTo("again");
        assertThat(s.accepted()).isEqualTo(2);
    }

    @Test
    void nonIdempotentRequestIsNotRetried() throws Exception {
        ScriptedServer s = server((sock, i) -> {
            if (i == 0) {
                readRequest(sock.getInputStream());
                write(sock, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
                readRequest(sock.getInputStream());
                return;
            }
            serveKeepAlive(sock, "again");
        });
        await(client.fetch(s.url("/a")));
        Throwable t = failure(client.fetch(HttpRequest.newBuilder(s.url("/b")).method("POST").body("x").build()));
        assertThat(t).isInstanceOf(HttpClientException.class).hasMessageContaining("without sending a response");
        assertThat(s.accepted()).isEqualTo(1);
    }

    @Test
    void idleConnectionClosedByServerIsDroppedFromThePool() throws Exception {
        ScriptedServer s = server((sock, i) -> {
            readRequest(sock.getInputStream());
            write(sock, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            // keep-alive promised, then closed while idle
        });
        await(client.fetch(s.url("/")));
        ClientTesting.awaitOnLoop(loop, () -> client.pool().openConnections() == 0, "the closed idle connection dropped");
        assertThat(await(client.fetch(s.url("/"))).text()).isEqualTo("ok");
        assertThat(s.accepted()).isEqualTo(2);
    }

    @Test
    void connectionWithUnreadResponseIsNeverReused() throws Exception {
        ScriptedServer s = server((sock, i) -> serveKeepAlive(sock, "0123456789"));
        Throwable t = failure(client.fetch(HttpRequest.newBuilder(s.url("/")).streamingCallback(b -> {
            throw new IllegalStateException("consumer gave up");
        }).build()));
        assertThat(t.getCause()).hasMessage("consumer gave up");
        assertThat(await(client.fetch(s.url("/"))).text()).isEqualTo("0123456789");
        assertThat(s.accepted()).isEqualTo(2);
    }

    @Test
    void connectionCloseAndExtraBytesPreventReuse() throws Exception {
        ScriptedServer s = server((sock, i) -> {
            readRequest(sock.getInputStream());
            write(sock, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA");
            sock.getInputStream().read();
        });
        await(client.fetch(s.url("/")));
        await(client.fetch(s.url("/")));
        assertThat(s.accepted()).isEqualTo(2);
        ScriptedServer c = server((sock, i) -> {
            readRequest(sock.getInputStream());
            write(sock, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
            sock.getInputStream().read();
        });
        await(client.fetch(c.url("/")));
        await(client.fetch(c.url("/")));
        assertThat(c.accepted()).isEqualTo(2);
    }

    @Test
    void bodyUntilCloseAndHttp10() throws Exception {
        ScriptedServer s = server((sock, i) -> {
            readRequest(sock.getInputStream());
            write(sock, "HTTP/1.0 200 OK\r\n\r\nuntil close");
        });
        assertThat(await(client.fetch(s.url("/"))).text()).isEqualTo("until close");
    }

    @Test
    void expectContinueFinalAnswerSkipsTheBody() throws Exception {
        ScriptedServer s = server((sock, i) -> {
            String head = readHead(sock.getInputStream());
            write(sock, head.contains("Expect: 100-continue")
                    ? "HTTP/1.1 417 Expectation Failed\r\nContent-Length: 0\r\n\r\n"
                    : "HTTP/1.1 500 No Expect\r\nContent-Length: 0\r\n\r\n");
            sock.getInputStream().read();
        });
        HttpResponse r = await(client.fetch(HttpRequest.newBuilder(s.url("/")).method("POST").body("x".repeat(10))
                .expect100Continue(true).raiseError(false).build()));
        assertThat(r.code()).isEqualTo(417);
    }

    @Test
    void oneGigabyteStreamsThroughTheCallbackWithBoundedHeap() throws Exception {
        long total = 1L << 30;
        ScriptedServer s = server((sock, i) -> {
            readRequest(sock.getInputStream());
            OutputStream out = sock.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + total + "\r\n\r\n").getBytes());
            byte[] block = new byte[256 * 1024];
            for (long sent = 0; sent < total; sent += block.length) {
                out.write(block);
            }
            out.flush();
            sock.getInputStream().read();
        });
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = mem.getHeapMemoryUsage().getUsed();
        AtomicLong received = new AtomicLong();
        AtomicLong peak = new AtomicLong();
        HttpResponse r = await(client.fetch(HttpRequest.newBuilder(s.url("/big")).maxBodySize(total)
                .requestTimeout(Duration.ofSeconds(50)).streamingCallback(b -> {
                    long n = received.addAndGet(b.remaining());
                    if ((n & ((1 << 26) - 1)) < b.remaining()) { // about every 64 MiB
                        peak.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
                    }
                }).build()));
        assertThat(received.get()).isEqualTo(total);
        assertThat(r.body()).isEmpty();
        // the body never accumulates: heap growth stays far below the 1 GiB that went through
        assertThat(peak.get() - before).isLessThan(256L << 20);
    }
}
