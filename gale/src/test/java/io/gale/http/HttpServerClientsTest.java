package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gale.http.HttpServerTesting.Running;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Normal traffic from independent clients: the JDK HttpClient (HTTP/1.1) and curl. */
@Timeout(60)
class HttpServerClientsTest {
    private static Running server;
    private static HttpClient client;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        server = HttpServerTesting.start(HttpServerRawTest.APP);
        base = "http://127.0.0.1:" + server.port;
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void jdkClientGetPostAndReuse() throws Exception {
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/info?i=" + i)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("GET /info?i=" + i + " 0 127.0.0.1 http");
        }
        // The JDK client keeps one HTTP/1.1 connection alive for sequential requests.
        assertThat(server.server.connectionCount()).isEqualTo(1);
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(base + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("posted body")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.body()).isEqualTo("posted body");
        HttpResponse<Void> head = client.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("content-length")).hasValue("5");
    }

    @Test
    void jdkClientStreamedChunkedUploadAndLargeBody() throws Exception {
        byte[] big = new byte[5 * 1024 * 1024 + 7];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i % 251);
        }
        // ofInputStream has no known length: the JDK client sends it chunked
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(base + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(big);
    }

    @Test
    void curlGetPostChunkedAndHead(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl not installed");
        assertThat(curl("-sS", base + "/info")).isEqualTo("GET /info 0 127.0.0.1 http");
        assertThat(curl("-sS", "--data-binary", "abc", base + "/echo")).isEqualTo("abc");
        assertThat(curl("-sS", "-H", "Transfer-Encoding: chunked", "--data-binary", "chunked!", base + "/echo"))
                .isEqualTo("chunked!");
        assertThat(curl("-sS", "-I", base + "/")).startsWith("HTTP/1.1 200 OK").contains("Content-Length: 5");
        // two URLs on one curl: it reuses the connection
        String twice = curl("-sS", "-v", base + "/", base + "/");
        assertThat(twice).containsPattern("(?i)re-?using existing").containsSubsequence("hello", "hello");
        Path file = dir.resolve("up.bin");
        byte[] data = new byte[2 * 1024 * 1024];
        new java.util.Random(1).nextBytes(data);
        Files.write(file, data);
        Path out = dir.resolve("down.bin");
        curl("-sS", "-H", "Expect: 100-continue", "--data-binary", "@" + file, "-o", out.toString(), base + "/echo");
        assertThat(Files.readAllBytes(out)).isEqualTo(data);
    }

    private static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("/usr/bin/curl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
