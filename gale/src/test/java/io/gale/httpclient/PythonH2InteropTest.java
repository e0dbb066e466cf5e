package io.gale.httpclient;

import static io.gale.httpclient.ClientTesting.await;
import static io.gale.httpclient.ClientTesting.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gale.http.HttpVersion;
import io.gale.ioloop.IOLoop;
import io.gale.testing.TestCertificates;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Gale's HTTP/2 client against a second independent peer: a server on Debian's python3-h2
 * (hyper-h2, script {@code python/h2_server.py}), over TLS with ALPN {@code h2} and over h2c with
 * prior knowledge. What arrives at the server (pseudo-header fields from the URL and {@code Host},
 * lower-case names, no connection-specific fields), downloads and streamed uploads through
 * python-h2's 64 KiB default windows, gzip over HTTP/2, statuses, and 50 concurrent requests. Fails
 * when {@code /usr/bin/python3} cannot import {@code h2} ({@code .ci/run} installs python3-h2).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PythonH2InteropTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final TestCertificates CA = TestCertificates.create();
    private static final SSLContext TRUST = CA.trustingContext();
    private static final List<Process> processes = new ArrayList<>();
    private static String plainBase;
    private static String tlsBase;
    private static IOLoop loop;
    private static AsyncHttpClient client;

    @BeforeAll
    static void start() throws Exception {
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import h2").redirectErrorStream(true).start();
        String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
            throw new IllegalStateException("/usr/bin/python3 cannot import h2 (Debian's python3-h2; .ci/run installs it): "
                    + out);
        }
        Path script = Path.of(PythonH2InteropTest.class.getResource("/python/h2_server.py").toURI());
        Path dir = Files.createTempDirectory("gale-h2-peer");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        CA.issue("127.0.0.1", "127.0.0.1").writePem(cert, key);
        plainBase = "http://127.0.0.1:" + launch(script.toString());
        tlsBase = "https://127.0.0.1:" + launch(script.toString(), "--tls", cert.toString(), key.toString());
        loop = ClientTesting.startLoop("python-h2-test");
        client = new AsyncHttpClient(loop);
    }

    private static int launch(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        processes.add(p);
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = CompletableFuture.supplyAsync(() -> {
            try {
                return r.readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(30, TimeUnit.SECONDS);
        assertThat(first).as("the h2 peer's first line").startsWith("listening ");
        return Integer.parseInt(first.substring("listening ".length()).trim());
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
            loop.close();
        }
        for (Process p : processes) {
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static HttpRequest.Builder plain(String path) {
        return HttpRequest.newBuilder(plainBase + path).http2PriorKnowledge(true);
    }

    private static HttpRequest.Builder tls(String path) {
        return HttpRequest.newBuilder(tlsBase + path).sslContext(TRUST);
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 251);
        }
        return b;
    }

    @Test
    void theServerSeesAWellFormedRequest() {
        for (HttpRequest.Builder b : List.of(plain("/headers?a=1"), tls("/headers?a=1"))) {
            HttpResponse r = await(client.fetch(b.header("X-Custom", "  padded  ").header("Connection", "keep-alive")
                    .build()));
            assertThat(r.version()).isEqualTo(HttpVersion.HTTP_2);
            assertThat(r.headers().get("server")).isEqualTo("python-h2");
            JsonNode fields = r.json();
            List<String> names = new ArrayList<>();
            for (JsonNode f : fields) {
                names.add(f.get(0).asText());
            }
            assertThat(names.subList(0, 4)).containsExactly(":method", ":scheme", ":authority", ":path");
            assertThat(names).contains("user-agent", "accept-encoding", "x-custom")
                    .doesNotContain("host", "connection").allMatch(n -> n.equals(n.toLowerCase()));
            String url = b.build().url();
            assertThat(value(fields, ":scheme")).isEqualTo(url.startsWith("https") ? "https" : "http");
            assertThat(value(fields, ":authority")).isEqualTo(url.substring(url.indexOf("//") + 2, url.indexOf("/h")));
            assertThat(value(fields, ":path")).isEqualTo("/headers?a=1");
            assertThat(value(fields, "x-custom")).isEqualTo("padded");
        }
    }

    private static String value(JsonNode fields, String name) {
        for (JsonNode f : fields) {
            if (f.get(0).asText().equals(name)) {
                return f.get(1).asText();
            }
        }
        return null;
    }

    @Test
    void downloadsBeyondTheWindows() {
        for (int n : new int[] {0, 1, 65535, 65536, 3 * 1024 * 1024 + 5}) {
            assertThat(await(client.fetch(plain("/bytes?n=" + n).build())).body()).isEqualTo(pattern(n));
            assertThat(await(client.fetch(tls("/bytes?n=" + n).build())).body()).isEqualTo(pattern(n));
        }
    }

    @Test
    void streamedUploadsThroughThePeersWindow() {
        byte[] upload = new byte[2 * 1024 * 1024 + 3];
        new Random(9).nextBytes(upload);
        BodyProducer producer = w -> {
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (int off = 0; off < upload.length; off += 100_000) {
                int o = off;
                int len = Math.min(100_000, upload.length - off);
                chain = chain.thenCompose(v -> w.write(ByteBuffer.wrap(upload, o, len)));
            }
            return chain;
        };
        assertThat(await(client.fetch(plain("/echo").method("POST").bodyProducer(producer).build())).body())
                .isEqualTo(upload);
        assertThat(await(client.fetch(tls("/echo").method("PUT").body(upload).build())).body()).isEqualTo(upload);
    }

    @Test
    void gzipAndStatuses() {
        HttpResponse g = await(client.fetch(tls("/gzip?n=100000").build()));
        assertThat(g.headers().get("X-Consumed-Content-Encoding")).isEqualTo("gzip");
        assertThat(g.text()).hasSize(100_000).startsWith("python-h2 python-h2");
        HttpResponse noContent = await(client.fetch(plain("/status/204").build()));
        assertThat(noContent.code()).isEqualTo(204);
        assertThat(noContent.reason()).isEqualTo("No Content");
        HttpClientException e = (HttpClientException) failure(client.fetch(plain("/status/503").build()));
        assertThat(e.code()).isEqualTo(503);
        HttpResponse head = await(client.fetch(tls("/bytes?n=1000").method("HEAD").build()));
        assertThat(head.body()).isEmpty();
    }

    @Test
    void concurrentRequestsOnOneConnection() throws Exception {
        AsyncHttpClient fresh = new AsyncHttpClient(loop);
        try {
            List<CompletableFuture<HttpResponse>> all = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                all.add(fresh.fetch(tls("/bytes?n=" + (1000 + i)).build()));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(await(all.get(i)).body()).isEqualTo(pattern(1000 + i));
            }
            assertThat(ClientTesting.onLoop(loop, () -> fresh.pool().openConnections())).isEqualTo(1);
        } finally {
            fresh.close();
        }
    }
}
