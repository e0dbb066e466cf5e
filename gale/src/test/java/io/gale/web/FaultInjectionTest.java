package io.gale.web;

import static io.gale.testing.GaleTesting.await;
import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.http.HttpServerOptions;
import io.gale.httpclient.AsyncHttpClient;
import io.gale.httpclient.HttpClientException;
import io.gale.httpclient.HttpRequest;
import io.gale.httpclient.HttpResponse;
import io.gale.testing.Fault;
import io.gale.testing.FaultProxy;
import io.gale.testing.GaleTesting;
import io.gale.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Gale's server and client with a {@link FaultProxy} between them and their peers: slow and
 * stalled clients meet the server's timeouts, cut and reset connections are dropped without
 * answering a request twice, and when everything is closed the process holds as many
 * descriptors as before.
 */
@Timeout(120)
class FaultInjectionTest {
    static final byte[] BIG = new byte[1 << 20];
    static final AtomicInteger REQUESTS = new AtomicInteger();

    static {
        for (int i = 0; i < BIG.length; i++) {
            BIG[i] = (byte) (i * 31 + (i >>> 9));
        }
    }

    public static final class Small extends RequestHandler {
        public void get() {
            REQUESTS.incrementAndGet();
            write("ok");
        }
    }

    public static final class Big extends RequestHandler {
        public void get() {
            REQUESTS.incrementAndGet();
            setHeader("Content-Type", "application/octet-stream");
            write(BIG);
        }
    }

    public static final class Upload extends RequestHandler {
        public void post() {
            REQUESTS.incrementAndGet();
            write(Integer.toString(request().body().length));
        }
    }

    private TestServer server;
    private FaultProxy proxy;
    private long descriptorsBefore;

    @BeforeEach
    void start() throws IOException {
        descriptorsBefore = openDescriptors();
        REQUESTS.set(0);
        HttpServerOptions options = HttpServerOptions.builder()
                .headerTimeout(Duration.ofMillis(300))
                .bodyTimeout(Duration.ofMillis(300)).build();
        server = TestServer.start(new Application(List.of(url("/small", Small.class), url("/big", Big.class),
                url("/upload", Upload.class))), options);
        proxy = FaultProxy.to(server.port());
    }

    @AfterEach
    void stop() {
        proxy.close();
        server.close();
        // every socket of the test closed: the process holds as many sockets as before
        awaitAtMost(() -> (int) openDescriptors(), (int) descriptorsBefore, "open sockets");
    }

    // ------------------------------------------------------------------ server side

    @Test
    void aHeadDrippedSlowerThanTheHeaderTimeoutIsAnswered408AndClosed() throws Exception {
        proxy.upstream(Fault.drip(1, Duration.ofMillis(20))); // ~40 bytes: 800 ms against 300 ms
        String answer = rawExchange("GET /small HTTP/1.1\r\nHost: a\r\nX-Pad: 0123456789\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 408 ").contains("Connection: close");
        assertThat(REQUESTS).hasValue(0);
        awaitAtMost(server.httpServer()::connectionCount, 0, "server connections");
    }

    @Test
    void aConnectionThatNeverSendsAByteIsCutAtTheHeaderTimeout() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(20_000);
            assertThat(s.getInputStream().read()).as("closed without an answer").isEqualTo(-1);
        }
        awaitAtMost(server.httpServer()::connectionCount, 0, "server connections");
    }

    @Test
    void aBodyThatStallsIsCutAtTheBodyTimeout() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n0123456789"
                    .getBytes(StandardCharsets.ISO_8859_1));
            int sent = "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n0123456789".length();
            awaitAtMost(() -> sent - (int) proxy.bytesUpstream(), 0, "bytes through the proxy");
            proxy.upstream(Fault.blackHole()); // the rest of the body never reaches the server
            s.getOutputStream().write(new byte[990]);
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            // cut by the body timeout: no answer at all, or a 408, and the connection closed
            assertThat(answer).satisfiesAnyOf(a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1.1 408 "));
        }
        assertThat(REQUESTS).hasValue(0);
        awaitAtMost(server.httpServer()::connectionCount, 0, "server connections");
    }

    @Test
    void aResponseCutByAResetClosesTheServersConnection() throws Exception {
        proxy.downstream(Fault.resetAfter(64 * 1024));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write("GET /big HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            assertThatThrownBy(() -> in.readAllBytes()).isInstanceOf(IOException.class);
        }
        assertThat(REQUESTS).hasValue(1);
        awaitAtMost(server.httpServer()::connectionCount, 0, "server connections");
    }

    // ------------------------------------------------------------------ client side

    @Test
    void theClientsRequestTimeoutFiresOnASlowServer() {
        proxy.downstream(Fault.latency(Duration.ofSeconds(3)));
        try (AsyncHttpClient client = new AsyncHttpClient(server.loop())) {
            HttpRequest request = HttpRequest.newBuilder(proxy.url("/small")).requestTimeout(Duration.ofMillis(300)).build();
            assertThatThrownBy(() -> await(client.fetch(request)))
                    .satisfies(e -> assertThat(clientError(e).isTimeout()).as(e.toString()).isTrue());
        }
    }

    @Test
    void aPooledConnectionBrokenWhileIdleIsReplacedAndNoRequestIsAnsweredTwice() {
        try (AsyncHttpClient client = new AsyncHttpClient(server.loop())) {
            assertThat(await(client.fetch(proxy.url("/small"))).text()).isEqualTo("ok");
            assertThat(proxy.accepted()).isEqualTo(1);
            proxy.resetAll(); // the pooled keep-alive connection dies while idle
            for (int i = 0; i < 5; i++) {
                assertThat(await(client.fetch(proxy.url("/small"))).text()).isEqualTo("ok");
            }
            assertThat(REQUESTS).hasValue(6);
            assertThat(proxy.accepted()).as("one new connection, kept alive").isEqualTo(2);
        }
    }

    @Test
    void aResponseCutMidBodyFailsThatFetchOnlyAndTheNextOneWorks() {
        try (AsyncHttpClient client = new AsyncHttpClient(server.loop())) {
            proxy.downstream(Fault.resetAfter(100_000));
            assertThatThrownBy(() -> await(client.fetch(proxy.url("/big"))))
                    .satisfies(e -> assertThat(clientError(e).isTimeout()).as(e.toString()).isFalse());
            proxy.downstream(Fault.none());
            HttpResponse r = await(client.fetch(proxy.url("/big")));
            assertThat(crc(r.body())).isEqualTo(crc(BIG));
            assertThat(REQUESTS).hasValue(2);
        }
    }

    @Test
    void aCappedBandwidthDeliversEveryByte() {
        proxy.downstream(Fault.bandwidth(4 << 20)).upstream(Fault.latency(Duration.ofMillis(30)));
        try (AsyncHttpClient client = new AsyncHttpClient(server.loop())) {
            HttpResponse r = await(client.fetch(proxy.url("/big")));
            assertThat(crc(r.body())).isEqualTo(crc(BIG));
        }
    }

    // ------------------------------------------------------------------ helpers

    private String rawExchange(String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static HttpClientException clientError(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        while (!(t instanceof HttpClientException) && t.getCause() != null) {
            t = t.getCause();
        }
        assertThat(t).as("a client error").isInstanceOf(HttpClientException.class);
        return (HttpClientException) t;
    }

    private static long crc(byte[] bytes) {
        CRC32 c = new CRC32();
        c.update(bytes);
        return c.getValue();
    }

    /**
     * Open TCP sockets of this process. Only those: the JVM opens jars, its virtual-thread
     * poller's epoll descriptors and other sockets (netlink) lazily, the first time a test needs
     * them, and keeps them.
     */
    private static long openDescriptors() {
        Set<String> tcp = new HashSet<>();
        for (String table : new String[] {"/proc/self/net/tcp", "/proc/self/net/tcp6"}) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9) {
                        tcp.add(f[9]); // the inode column
                    }
                }
            } catch (IOException e) {
                throw new AssertionError("cannot read " + table, e);
            }
        }
        return descriptorTargets().stream()
                .filter(t -> t.startsWith("socket:[") && tcp.contains(t.substring(8, t.length() - 1)))
                .count();
    }

    private static List<String> descriptorTargets() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(p -> {
                try {
                    return Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    return "?";
                }
            }).sorted().toList();
        } catch (IOException e) {
            return List.of(e.toString());
        }
    }

    /** Waits (bounded) until {@code value} is at most {@code max}; closing happens on other threads. */
    private static void awaitAtMost(IntSupplier value, int max, String what) {
        GaleTesting.awaitCondition(() -> value.getAsInt() <= max, Duration.ofSeconds(20),
                () -> what + ": " + value.getAsInt() + ", expected at most " + max);
    }
}
