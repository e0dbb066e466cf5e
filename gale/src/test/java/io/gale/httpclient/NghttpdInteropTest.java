package io.gale.httpclient;

import static io.gale.httpclient.ClientTesting.await;
import static io.gale.httpclient.ClientTesting.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpVersion;
import io.gale.http2.Http2Limits;
import io.gale.ioloop.IOLoop;
import io.gale.testing.Nghttpd;
import io.gale.testing.TestCertificates;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Gale's HTTP/2 client against {@code nghttpd} (Debian's nghttp2-server, the nghttp2 project's
 * server), an independent implementation: over TLS with ALPN {@code h2} and over h2c with prior
 * knowledge. GET and HEAD, a streamed POST through nghttpd's small receive windows, downloads far
 * larger than every window (with Gale's default windows and with tiny ones), a streaming callback,
 * and 100 concurrent requests on one TCP connection, counted in nghttpd's own log. Fails when
 * nghttpd is missing ({@code .ci/run} installs it).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NghttpdInteropTest {
    private static final TestCertificates CA = TestCertificates.create();
    /** One context: connections are pooled per context instance. */
    private static final SSLContext TRUST = CA.trustingContext();
    private static final byte[] BIG = new byte[20 * 1024 * 1024 + 12345];
    private static Nghttpd tls;
    private static Nghttpd h2c;

    private IOLoop loop;
    private AsyncHttpClient client;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void startServers() throws Exception {
        new Random(16).nextBytes(BIG);
        tls = Nghttpd.start(CA.issue("127.0.0.1", "127.0.0.1", "localhost"));
        // h2c with small receive windows (32 KiB per stream, 64 KiB for the connection): uploads are flow-controlled
        h2c = Nghttpd.start(null, "-w", "15", "-W", "16");
        for (Nghttpd s : new Nghttpd[] {tls, h2c}) {
            Files.writeString(s.htdocs().resolve("hello.txt"), "hello from nghttpd\n");
            Files.write(s.htdocs().resolve("big.bin"), BIG);
        }
    }

    @AfterAll
    static void stopServers() {
        if (tls != null) {
            tls.close();
        }
        if (h2c != null) {
            h2c.close();
        }
    }

    @BeforeEach
    void setUp() {
        loop = ClientTesting.startLoop("nghttpd-test");
        client = new AsyncHttpClient(loop);
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        for (AutoCloseable c : closeables) {
            c.close();
        }
        loop.close();
    }

    private static SSLContext trust() {
        return TRUST;
    }

    private static HttpRequest.Builder overTls(String path) {
        return HttpRequest.newBuilder(tls.uri() + path).sslContext(trust());
    }

    private static HttpRequest.Builder overH2c(String path) {
        return HttpRequest.newBuilder(h2c.uri() + path).http2PriorKnowledge(true);
    }

    private static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void getOverTlsChoosesH2ByAlpn() {
        HttpResponse r = await(client.fetch(overTls("/hello.txt").build()));
        assertThat(r.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.reason()).isEqualTo("OK");
        assertThat(r.text()).isEqualTo("hello from nghttpd\n");
        assertThat(r.headers().get("Server")).startsWith("nghttpd");
        assertThat(r.headers().get("content-length")).isEqualTo("19");
        assertThat(r.timing().tls()).isPositive();
        HttpResponse again = await(client.fetch(overTls("/hello.txt").build()));
        assertThat(again.timing().tls()).isZero(); // the same connection
    }

    @Test
    void getOverH2cWithPriorKnowledge() {
        HttpResponse r = await(client.fetch(overH2c("/hello.txt").build()));
        assertThat(r.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(r.text()).isEqualTo("hello from nghttpd\n");
    }

    @Test
    void headHasNoBodyAnd404IsAnError() {
        HttpResponse head = await(client.fetch(overTls("/big.bin").method("HEAD").build()));
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().get("content-length")).isEqualTo(Integer.toString(BIG.length));
        HttpClientException e = (HttpClientException) failure(client.fetch(overH2c("/missing").build()));
        assertThat(e.code()).isEqualTo(404);
        assertThat(e.response().version()).isEqualTo(HttpVersion.HTTP_2);
    }

    @Test
    void streamedPostThroughSmallServerWindows() throws Exception {
        byte[] upload = new byte[1024 * 1024 + 7];
        new Random(3).nextBytes(upload);
        AtomicLong written = new AtomicLong();
        BodyProducer producer = w -> {
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (int off = 0; off < upload.length; off += 50_000) {
                int o = off;
                int n = Math.min(50_000, upload.length - off);
                chain = chain.thenCompose(v -> w.write(ByteBuffer.wrap(upload, o, n)))
                        .thenRun(() -> written.addAndGet(n));
            }
            return chain;
        };
        HttpResponse r = await(client.fetch(overH2c("/echo").method("POST").bodyProducer(producer).build()));
        assertThat(written.get()).isEqualTo(upload.length);
        assertThat(sha256(r.body())).isEqualTo(sha256(upload));
        HttpResponse bytes = await(client.fetch(overTls("/echo").method("PUT").body(upload).build()));
        assertThat(sha256(bytes.body())).isEqualTo(sha256(upload));
    }

    @Test
    void largeDownloadsBeyondEveryWindow() throws Exception {
        HttpResponse r = await(client.fetch(overTls("/big.bin").build()));
        assertThat(r.body().length).isEqualTo(BIG.length);
        assertThat(sha256(r.body())).isEqualTo(sha256(BIG));
        // tiny windows: 16 KiB per stream, 64 KiB per connection, so ~1300 WINDOW_UPDATEs each way
        AsyncHttpClient small = new AsyncHttpClient(loop, ClientOptions.defaults(),
                Http2Limits.builder().initialWindowSize(16384).connectionWindowSize(65535).build());
        closeables.add(small);
        long updatesBefore = h2c.countLogged("recv WINDOW_UPDATE");
        HttpResponse s = await(small.fetch(overH2c("/big.bin").build()));
        assertThat(sha256(s.body())).isEqualTo(sha256(BIG));
        h2c.awaitLogged("recv WINDOW_UPDATE");
        assertThat(h2c.countLogged("recv WINDOW_UPDATE") - updatesBefore).isGreaterThan(100);
    }

    @Test
    void streamingCallbackGetsEveryByte() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        AtomicLong n = new AtomicLong();
        HttpResponse r = await(client.fetch(overH2c("/big.bin").streamingCallback(b -> {
            n.addAndGet(b.remaining());
            md.update(b);
        }).build()));
        assertThat(r.body()).isEmpty();
        assertThat(n.get()).isEqualTo(BIG.length);
        assertThat(java.util.HexFormat.of().formatHex(md.digest())).isEqualTo(sha256(BIG));
    }

    @Test
    void hundredConcurrentRequestsShareOneConnection() throws Exception {
        Nghttpd own = Nghttpd.start(CA.issue("127.0.0.1", "127.0.0.1"));
        closeables.add(own);
        Files.writeString(own.htdocs().resolve("hello.txt"), "hi");
        List<CompletableFuture<HttpResponse>> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            all.add(client.fetch(HttpRequest.newBuilder(own.uri() + "/hello.txt?i=" + i).sslContext(trust()).build()));
        }
        for (CompletableFuture<HttpResponse> f : all) {
            HttpResponse r = await(f);
            assertThat(r.version()).isEqualTo(HttpVersion.HTTP_2);
            assertThat(r.text()).isEqualTo("hi");
        }
        assertThat(ClientTesting.onLoop(loop, () -> client.pool().openConnections())).isEqualTo(1);
        // a last request marks the log: every line logged before it has been read when it shows up
        await(client.fetch(HttpRequest.newBuilder(own.uri() + "/hello.txt?marker").sslContext(trust()).build()));
        own.awaitLogged("/hello.txt?marker");
        assertThat(own.connections()).isEqualTo(1);
        assertThat(own.countLogged(":path: /hello.txt?i=")).isEqualTo(100);
    }
}
