package io.gale.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServer;
import io.gale.http.HttpServerOptions;
import io.gale.httpclient.AsyncHttpClient;
import io.gale.httpclient.HttpResponse;
import io.gale.ioloop.IOLoop;
import io.gale.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same RequestHandlers served over HTTP/2 (h2 by ALPN on TLS, h2c with prior knowledge on
 * plain TCP) and over HTTP/1.1 from the same server, with independent clients: curl
 * ({@code --http2}, {@code --http2-prior-knowledge}), nghttp (Debian's nghttp2-client), Python's
 * httpx with h2 (Debian's python3-httpx, python3-h2), the JDK HttpClient (HTTP_2) and Gale's own
 * client. Fails, not skips, when a peer is missing.
 */
@Timeout(120)
class Http2ServeTest {
    private static final TestCertificates CA = TestCertificates.create();
    private static final TestCertificates.Identity LOCALHOST = CA.issue("localhost", "localhost", "127.0.0.1");
    static final byte[] BIG = new byte[5 << 20];

    static IOLoop loop;
    static HttpServer plain;
    static HttpServer tls;
    static String h2c;
    static String h2;
    @TempDir
    static Path dir;
    static Path caPem;

    public static class Hello extends RequestHandler {
        public void get() {
            setHeader("Content-Type", "text/plain");
            write(request().version() + " " + request().host() + " " + request().protocol() + " "
                    + getArgument("q", "-"));
        }
    }

    public static class Echo extends RequestHandler {
        public void post() {
            setHeader("X-Length", request().body().length);
            write(request().body());
        }
    }

    public static class Big extends RequestHandler {
        public void get() {
            setHeader("Content-Type", "application/octet-stream");
            write(BIG);
        }
    }

    public static class Cookies extends RequestHandler {
        public void get() {
            write(request().headers().get("Cookie") + " | a=" + cookies().get("a") + " b=" + cookies().get("b"));
        }
    }

    /** A streamed (chunked over HTTP/1.1) body, flushed in three pieces. */
    public static class Pieces extends RequestHandler {
        public CompletableFuture<Void> get() {
            write("one ");
            return flush().thenCompose(v -> {
                write("two ");
                return flush();
            }).thenRun(() -> write("three"));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        for (int i = 0; i < BIG.length; i++) {
            BIG[i] = (byte) (i * 31 + (i >> 13));
        }
        caPem = CA.writeCertificatePem(dir.resolve("ca.pem"));
        Application app = new Application(List.of(Route.url("/hello", Hello.class), Route.url("/echo", Echo.class),
                Route.url("/big", Big.class), Route.url("/cookies", Cookies.class),
                Route.url("/pieces", Pieces.class)));
        loop = new IOLoop();
        loop.startInBackground();
        plain = app.httpServer(HttpServerOptions.builder().http2(true).build());
        plain.bind(0, "127.0.0.1");
        plain.start(loop);
        h2c = "http://127.0.0.1:" + plain.boundPorts().get(0);
        tls = app.httpServer(HttpServerOptions.builder().http2(true).tls(LOCALHOST.sslContext()).build());
        tls.bind(0, "127.0.0.1");
        tls.start(loop);
        h2 = "https://localhost:" + tls.boundPorts().get(0);
    }

    @AfterAll
    static void stop() {
        if (plain != null) {
            plain.close();
        }
        if (tls != null) {
            tls.close();
        }
        if (loop != null) {
            loop.stop();
        }
    }

    // -------------------------------------------------------------------------------- curl

    record Run(int exit, String out, String err) {
    }

    static Run run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = p.getErrorStream()) {
                return in.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.ISO_8859_1),
                new String(err.join(), StandardCharsets.UTF_8));
    }

    private static String curlResolve() {
        return "localhost:" + tls.boundPorts().get(0) + ":127.0.0.1";
    }

    @Test
    void curlSpeaksH2ByAlpnAndH2cWithPriorKnowledge() throws Exception {
        Run r = run("curl", "-sS", "--http2", "--cacert", caPem.toString(), "--resolve", curlResolve(),
                "-w", "\n%{http_version}", h2 + "/hello?q=alpn");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("HTTP/2 localhost:" + tls.boundPorts().get(0) + " https alpn\n2");

        r = run("curl", "-sS", "--http2-prior-knowledge", "-w", "\n%{http_version}", h2c + "/hello?q=prior");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("HTTP/2 127.0.0.1:" + plain.boundPorts().get(0) + " http prior\n2");

        // the same server still speaks HTTP/1.1 to clients that do not ask for HTTP/2
        r = run("curl", "-sS", "--http1.1", "-w", "\n%{http_version}", h2c + "/hello");
        assertThat(r.out()).isEqualTo("HTTP/1.1 127.0.0.1:" + plain.boundPorts().get(0) + " http -\n1.1");
        r = run("curl", "-sS", "--http1.1", "--cacert", caPem.toString(), "--resolve", curlResolve(),
                "-w", "\n%{http_version}", h2 + "/hello");
        assertThat(r.out()).as("ALPN offering http/1.1 only").endsWith(" https -\n1.1");
    }

    @Test
    void curlUploadsDownloadsHeadAndStreams() throws Exception {
        Path upload = dir.resolve("upload.bin");
        Files.write(upload, java.util.Arrays.copyOf(BIG, 3 << 20));
        Run r = run("curl", "-sS", "--http2-prior-knowledge", "-H", "Content-Type: application/octet-stream",
                "--data-binary", "@" + upload, "-o",
                dir.resolve("echoed").toString(), "-w", "%{http_code} %{size_download}", h2c + "/echo");
        assertThat(r.out()).as(r.err()).isEqualTo("200 " + (3 << 20));
        assertThat(Files.readAllBytes(dir.resolve("echoed"))).isEqualTo(Files.readAllBytes(upload));

        r = run("curl", "-sS", "--http2", "--cacert", caPem.toString(), "--resolve", curlResolve(), "-o",
                dir.resolve("big").toString(), "-w", "%{http_code} %{size_download}", h2 + "/big");
        assertThat(r.out()).as(r.err()).isEqualTo("200 " + BIG.length);
        assertThat(Files.readAllBytes(dir.resolve("big"))).isEqualTo(BIG);

        r = run("curl", "-sS", "--http2-prior-knowledge", "-I", h2c + "/hello");
        assertThat(r.out()).startsWith("HTTP/2 200").containsIgnoringCase("content-length: ")
                .containsIgnoringCase("date: ").doesNotContainIgnoringCase("connection:")
                .doesNotContainIgnoringCase("transfer-encoding");

        r = run("curl", "-sS", "--http2-prior-knowledge", h2c + "/pieces");
        assertThat(r.out()).isEqualTo("one two three");

        r = run("curl", "-sS", "--http2-prior-knowledge", "-w", "%{http_code}", "-o", "/dev/null", h2c + "/nowhere");
        assertThat(r.out()).isEqualTo("404");

        // 100-continue: curl waits for the interim answer before a large body
        r = run("curl", "-sS", "--http2-prior-knowledge", "-H", "Expect: 100-continue", "-H",
                "Content-Type: application/octet-stream", "--data-binary",
                "@" + upload, "-o", "/dev/null", "-w", "%{http_code}", h2c + "/echo");
        assertThat(r.out()).as(r.err()).isEqualTo("200");
    }

    // ------------------------------------------------------------------------------ nghttp

    @Test
    void nghttpFetchesConcurrentStreamsOnOneConnection() throws Exception {
        Path nghttp = Path.of("/usr/bin/nghttp");
        assertThat(Files.isExecutable(nghttp)).as("nghttp (Debian's nghttp2-client) must be installed").isTrue();
        List<String> cmd = new ArrayList<>(List.of(nghttp.toString(), "-n", "-s", "-v"));
        for (int i = 0; i < 20; i++) {
            cmd.add(h2c + "/hello?q=" + i);
        }
        cmd.add(h2c + "/big");
        Run r = run(cmd.toArray(String[]::new));
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        // 21 streams, all answered 200 on the one connection nghttp opens
        assertThat(r.out().split("recv HEADERS frame").length - 1).isEqualTo(21);
        assertThat(r.out()).contains(":status: 200").doesNotContain("recv RST_STREAM").doesNotContain("recv GOAWAY");

        // over TLS: ALPN h2 (nghttp does not verify the certificate)
        int port = tls.boundPorts().get(0);
        r = run(nghttp.toString(), "https://127.0.0.1:" + port + "/hello?q=nghttp");
        assertThat(r.out()).as(r.err()).isEqualTo("HTTP/2 127.0.0.1:" + port + " https nghttp");

        // nghttp's own data upload with a small window of ours would stall if we did not give it back
        Path upload = dir.resolve("nghttp-upload.bin");
        Files.write(upload, java.util.Arrays.copyOf(BIG, 2 << 20));
        r = run(nghttp.toString(), "-d", upload.toString(), "-H", "content-type: application/octet-stream", h2c + "/echo");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().length()).isEqualTo(2 << 20);
    }

    // ------------------------------------------------------------------------ python httpx

    @Test
    void pythonHttpxWithH2() throws Exception {
        String script = """
                import sys, ssl, hashlib, httpx
                ctx = ssl.create_default_context(cafile=sys.argv[2])
                with httpx.Client(http2=True, http1=False, verify=ctx) as c:
                    r = c.get(sys.argv[1] + '/hello', params={'q': 'httpx'})
                    print(r.http_version, r.status_code, r.text)
                    r = c.post(sys.argv[1] + '/echo', content=b'x' * 300000)
                    print(r.http_version, r.status_code, len(r.content), r.headers['x-length'])
                    r = c.get(sys.argv[1] + '/cookies', headers={'cookie': 'a=1; b=2'})
                    print(r.text)
                    r = c.get(sys.argv[1] + '/big')
                    print(hashlib.sha256(r.content).hexdigest())
                with httpx.Client(http2=True, http1=False) as c:
                    r = c.get(sys.argv[3] + '/hello', params={'q': 'h2c'})
                    print(r.http_version, r.status_code, r.text)
                """;
        Run r = run("/usr/bin/python3", "-c", script, h2, caPem.toString(), h2c);
        assertThat(r.exit()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        int port = tls.boundPorts().get(0);
        assertThat(lines[0]).isEqualTo("HTTP/2 200 HTTP/2 localhost:" + port + " https httpx");
        assertThat(lines[1]).isEqualTo("HTTP/2 200 300000 300000");
        assertThat(lines[2]).isEqualTo("a=1; b=2 | a=1 b=2");
        assertThat(lines[3]).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BIG)));
        assertThat(lines[4]).isEqualTo("HTTP/2 200 HTTP/2 127.0.0.1:" + plain.boundPorts().get(0) + " http h2c");
    }

    // ---------------------------------------------------------------------------- JDK client

    @Test
    void jdkHttpClientNegotiatesH2AndMultiplexes() throws Exception {
        SSLContext trust = CA.trustingContext();
        try (HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trust).build()) {
            // one request first: the JDK opens a connection per request until it knows the origin speaks h2
            assertThat(c.send(HttpRequest.newBuilder(URI.create(h2 + "/hello")).build(), BodyHandlers.ofString())
                    .version()).isEqualTo(HttpClient.Version.HTTP_2);
            List<CompletableFuture<java.net.http.HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                all.add(c.sendAsync(HttpRequest.newBuilder(URI.create(h2 + "/hello?q=" + i)).build(),
                        BodyHandlers.ofString()));
            }
            for (int i = 0; i < 50; i++) {
                java.net.http.HttpResponse<String> r = all.get(i).get(30, TimeUnit.SECONDS);
                assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(r.body()).isEqualTo("HTTP/2 localhost:" + tls.boundPorts().get(0) + " https " + i);
            }
            assertThat(tls.connectionCount()).as("50 streams multiplexed on one connection").isEqualTo(1);
            java.net.http.HttpResponse<byte[]> big = c.send(HttpRequest.newBuilder(URI.create(h2 + "/big")).build(),
                    BodyHandlers.ofByteArray());
            assertThat(big.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(big.body()).isEqualTo(BIG);
            byte[] up = java.util.Arrays.copyOf(BIG, 1 << 20);
            java.net.http.HttpResponse<byte[]> echo = c.send(HttpRequest.newBuilder(URI.create(h2 + "/echo"))
                    .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(up)).build(),
                    BodyHandlers.ofByteArray());
            assertThat(echo.body()).isEqualTo(up);
            java.net.http.HttpResponse<Void> head = c.send(HttpRequest.newBuilder(URI.create(h2 + "/hello"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), BodyHandlers.discarding());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("content-length")).isPresent();
        }
    }

    // -------------------------------------------------------------------------- Gale client

    @Test
    void galeClientOverH2AndH2c() throws Exception {
        IOLoop clientLoop = new IOLoop();
        clientLoop.startInBackground();
        AsyncHttpClient client = new AsyncHttpClient(clientLoop);
        try {
            HttpResponse r = client.fetch(io.gale.httpclient.HttpRequest.newBuilder(h2 + "/hello?q=gale")
                    .sslContext(CA.trustingContext()).build()).get(30, TimeUnit.SECONDS);
            assertThat(r.version()).isEqualTo(io.gale.http.HttpVersion.HTTP_2);
            assertThat(r.text()).isEqualTo("HTTP/2 localhost:" + tls.boundPorts().get(0) + " https gale");
            HttpResponse p = client.fetch(io.gale.httpclient.HttpRequest.newBuilder(h2c + "/echo").method("POST")
                    .header("Content-Type", "application/octet-stream").body(BIG).http2PriorKnowledge(true).build()).get(30, TimeUnit.SECONDS);
            assertThat(p.version()).isEqualTo(io.gale.http.HttpVersion.HTTP_2);
            assertThat(p.body()).isEqualTo(BIG);
        } finally {
            client.close();
            clientLoop.stop();
        }
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
