package io.gale.demos.httpbin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gale.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * httpbin over real sockets, with independent clients: the JDK HttpClient (HTTP/1.1) and curl.
 * The in-memory {@link HttpBinTest} covers every endpoint in detail.
 */
@Timeout(60)
class HttpBinSocketTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path CURL = Path.of("/usr/bin/curl");

    static TestServer server;
    static final DelayGauge gauge = new DelayGauge();
    static HttpClient client;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(HttpBin.application(gauge));
        base = server.baseUrl();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
    }

    static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return client.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(base + path));
    }

    @Test
    void getOverHttpClient() throws Exception {
        HttpResponse<String> r = send(get("/get?a=1").header("X-Test", "yes"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode j = MAPPER.readTree(r.body());
        assertThat(j.get("args").get("a").asText()).isEqualTo("1");
        assertThat(j.get("headers").get("X-Test").asText()).isEqualTo("yes");
        assertThat(j.get("origin").asText()).isEqualTo("127.0.0.1");
        assertThat(j.get("url").asText()).isEqualTo(base + "/get?a=1");
    }

    @Test
    void postJsonOverHttpClient() throws Exception {
        HttpResponse<String> r = send(get("/post").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"k\":[1,2]}")));
        assertThat(MAPPER.readTree(r.body()).get("json").get("k").toString()).isEqualTo("[1,2]");
    }

    @Test
    void streamIsChunked() throws Exception {
        HttpResponse<String> r = send(get("/stream/5"));
        assertThat(r.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        assertThat(r.body().split("\n")).hasSize(5);
    }

    @Test
    void rangeAndDripAndStatus() throws Exception {
        HttpResponse<String> range = send(get("/range/26").header("Range", "bytes=2-4"));
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo("cde");
        HttpResponse<String> drip = send(get("/drip?duration=0.2&numbytes=4"));
        assertThat(drip.body()).isEqualTo("****");
        assertThat(drip.headers().firstValue("Content-Length")).hasValue("4");
        assertThat(send(get("/status/418")).statusCode()).isEqualTo(418);
    }

    @Test
    void twentyDelaysWaitAtTheSameTime() throws Exception {
        int before = gauge.peak();
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(client.sendAsync(get("/delay/2").timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : all) {
            assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(gauge.peak()).isGreaterThanOrEqualTo(Math.max(before, 20));
    }

    static String curl(String... args) throws Exception {
        assumeTrue(Files.isExecutable(CURL), "curl is not installed");
        List<String> cmd = new ArrayList<>(List.of(CURL.toString(), "-sS", "--max-time", "15"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(out, StandardCharsets.UTF_8)).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void curlGetGzipAuthAndStream() throws Exception {
        assertThat(MAPPER.readTree(curl(base + "/get")).get("headers").get("User-Agent").asText()).startsWith("curl/");
        assertThat(MAPPER.readTree(curl("--compressed", base + "/gzip")).get("gzipped").asBoolean()).isTrue();
        assertThat(curl("-u", "user:pw", "-o", "/dev/null", "-w", "%{http_code}", base + "/basic-auth/user/pw"))
                .isEqualTo("200");
        assertThat(curl("-N", base + "/stream/3").split("\n")).hasSize(3);
        assertThat(curl("-d", "a=1", base + "/post")).contains("\"form\":{\"a\":\"1\"}");
    }
}
