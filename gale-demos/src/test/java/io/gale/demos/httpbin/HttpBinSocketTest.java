package io.gale.demos.httpbin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gale.http.HttpServerOptions;
import io.gale.httpclient.AsyncHttpClient;
import io.gale.ioloop.IOLoop;
import io.gale.testing.GaleTesting;
import io.gale.testing.TestCertificates;
import io.gale.testing.TestServer;
import io.gale.web.Application;
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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * httpbin over real sockets, each API case over HTTP/1.1, h2c with prior knowledge and h2 over
 * TLS (ALPN) from one server pair with HTTP/2 on, as the demo runs with {@code --http2}: the JDK
 * HttpClient for HTTP/1.1 and for h2 (independent), Gale's own client for h2c prior knowledge (the
 * JDK has none; curl and OkHttp cover h2c in gale's own tests), and curl over HTTP/1.1 and
 * {@code --http2-prior-knowledge}. The in-memory {@link HttpBinTest} covers every endpoint in
 * detail.
 */
@Timeout(120)
class HttpBinSocketTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path CURL = Path.of("/usr/bin/curl");
    private static final TestCertificates CA = TestCertificates.create();
    private static final TestCertificates.Identity LOCALHOST = CA.issue("localhost", "localhost", "127.0.0.1");

    static TestServer server;
    static TestServer tlsServer;
    static final DelayGauge gauge = new DelayGauge();
    static HttpClient client;
    static HttpClient h2Client;
    static IOLoop galeLoop;
    static AsyncHttpClient galeClient;

    /** How a case reaches the server. */
    enum Transport {
        HTTP_1_1, H2C_PRIOR_KNOWLEDGE, H2_TLS;

        String base() {
            return this == H2_TLS ? tlsServer.baseUrl() : server.baseUrl();
        }

        boolean http2() {
            return this != HTTP_1_1;
        }
    }

    /** What a case looks at, whichever client fetched it. */
    record Resp(int status, String version, String body, java.util.function.Function<String, String> header) {
    }

    @BeforeAll
    static void start() throws Exception {
        Application app = HttpBin.application(gauge);
        server = TestServer.start(app, HttpServerOptions.builder().http2(true).build());
        tlsServer = TestServer.start(app, HttpServerOptions.builder().http2(true)
                .tls(LOCALHOST.sslContext()).build());
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
        h2Client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(CA.trustingContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
        galeLoop = new IOLoop();
        galeLoop.startInBackground();
        galeClient = new AsyncHttpClient(galeLoop);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {server, tlsServer, client, h2Client}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // best effort
                }
            }
        }
        if (galeClient != null) {
            galeClient.close();
        }
        if (galeLoop != null) {
            galeLoop.stop();
        }
    }

    static CompletableFuture<Resp> sendAsync(Transport t, String method, String path, String contentType, String body,
                                             String... headers) {
        String url = t.base() + path;
        if (t == Transport.H2C_PRIOR_KNOWLEDGE) {
            io.gale.httpclient.HttpRequest.Builder b = io.gale.httpclient.HttpRequest.newBuilder(url).method(method)
                    .http2PriorKnowledge(true).raiseError(false).requestTimeout(Duration.ofSeconds(30))
                    .decompressResponse(false);
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            if (body != null) {
                b.body(body);
            }
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            return galeClient.fetch(b.build()).thenApply(r -> new Resp(r.code(), r.version().toString(), r.text(),
                    name -> r.headers().get(name)));
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpClient c = t == Transport.H2_TLS ? h2Client : client;
        return c.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).thenApply(r -> new Resp(r.statusCode(),
                r.version() == HttpClient.Version.HTTP_2 ? "HTTP/2" : "HTTP/1.1", r.body(),
                name -> r.headers().firstValue(name).orElse(null)));
    }

    static Resp send(Transport t, String path) throws Exception {
        return sendAsync(t, "GET", path, null, null).get(30, TimeUnit.SECONDS);
    }

    static Resp checkedVersion(Transport t, Resp r) {
        assertThat(r.version()).isEqualTo(t.http2() ? "HTTP/2" : "HTTP/1.1");
        return r;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void get(Transport t) throws Exception {
        Resp r = checkedVersion(t, sendAsync(t, "GET", "/get?a=1", null, null).get(30, TimeUnit.SECONDS));
        assertThat(r.status()).isEqualTo(200);
        JsonNode j = MAPPER.readTree(r.body());
        assertThat(j.get("args").get("a").asText()).isEqualTo("1");
        assertThat(j.get("origin").asText()).isEqualTo("127.0.0.1");
        assertThat(j.get("url").asText()).isEqualTo(t.base() + "/get?a=1");
        assertThat(j.get("headers").get("Host").asText()).isEqualTo(t.base().substring(t.base().indexOf("//") + 2));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void postJsonAndForm(Transport t) throws Exception {
        Resp r = checkedVersion(t, sendAsync(t, "POST", "/post", "application/json", "{\"k\":[1,2]}")
                .get(30, TimeUnit.SECONDS));
        assertThat(MAPPER.readTree(r.body()).get("json").get("k").toString()).isEqualTo("[1,2]");
        r = sendAsync(t, "PUT", "/put", "application/x-www-form-urlencoded", "a=1&b=%C3%A9").get(30, TimeUnit.SECONDS);
        assertThat(MAPPER.readTree(r.body()).get("form").toString()).isEqualTo("{\"a\":\"1\",\"b\":\"é\"}");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void streamIsFramedByTheProtocol(Transport t) throws Exception {
        Resp r = checkedVersion(t, send(t, "/stream/5"));
        // chunked over HTTP/1.1; DATA frames over HTTP/2, which has no Transfer-Encoding
        assertThat(r.header().apply("Transfer-Encoding")).isEqualTo(t.http2() ? null : "chunked");
        assertThat(r.body().split("\n")).hasSize(5);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void rangeDripStatusAndGzip(Transport t) throws Exception {
        Resp range = sendAsync(t, "GET", "/range/26", null, null, "Range", "bytes=2-4").get(30, TimeUnit.SECONDS);
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.body()).isEqualTo("cde");
        assertThat(send(t, "/bytes/10").status()).isEqualTo(200);
        Resp drip = send(t, "/drip?duration=0.2&numbytes=4");
        assertThat(drip.body()).isEqualTo("****");
        assertThat(drip.header().apply("Content-Length")).isEqualTo("4");
        assertThat(send(t, "/status/418").status()).isEqualTo(418);
        assertThat(send(t, "/status/204").status()).isEqualTo(204);
        assertThat(send(t, "/nowhere").status()).isEqualTo(404);
        assertThat(send(t, "/redirect/2").status()).isIn(200, 302);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void twentyDelaysWaitAtTheSameTime(Transport t) throws Exception {
        List<CompletableFuture<Resp>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(sendAsync(t, "GET", "/delay/3", null, null));
        }
        // all twenty wait in the server at once (over HTTP/2: twenty streams of one connection)
        GaleTesting.awaitCondition(() -> gauge.waiting() >= 20, Duration.ofSeconds(3),
                () -> gauge.waiting() + " delays waiting");
        for (CompletableFuture<Resp> f : all) {
            assertThat(checkedVersion(t, f.get(30, TimeUnit.SECONDS)).status()).isEqualTo(200);
        }
    }

    static String curl(String... args) throws Exception {
        assertThat(Files.isExecutable(CURL)).as("curl is installed").isTrue();
        List<String> cmd = new ArrayList<>(List.of(CURL.toString(), "-sS", "--max-time", "15"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(out, StandardCharsets.UTF_8)).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--http1.1", "--http2-prior-knowledge"})
    void curlGetGzipAuthAndStream(String version) throws Exception {
        String base = server.baseUrl();
        assertThat(curl(version, "-o", "/dev/null", "-w", "%{http_version}", base + "/get"))
                .isEqualTo(version.equals("--http1.1") ? "1.1" : "2");
        assertThat(MAPPER.readTree(curl(version, base + "/get")).get("headers").get("User-Agent").asText())
                .startsWith("curl/");
        assertThat(MAPPER.readTree(curl(version, "--compressed", base + "/gzip")).get("gzipped").asBoolean()).isTrue();
        assertThat(curl(version, "-u", "user:pw", "-o", "/dev/null", "-w", "%{http_code}", base + "/basic-auth/user/pw"))
                .isEqualTo("200");
        assertThat(curl(version, "-N", base + "/stream/3").split("\n")).hasSize(3);
        assertThat(curl(version, "-d", "a=1", base + "/post")).contains("\"form\":{\"a\":\"1\"}");
    }
}
