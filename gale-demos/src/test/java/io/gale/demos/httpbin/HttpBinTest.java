package io.gale.demos.httpbin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gale.testing.InMemoryClient;
import io.gale.testing.TestRequest;
import io.gale.testing.TestResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every httpbin endpoint through the application, in memory: status, JSON shape, headers. */
@Timeout(30)
class HttpBinTest {
    static final DelayGauge gauge = new DelayGauge();
    static InMemoryClient http;

    @BeforeAll
    static void start() {
        http = new InMemoryClient(HttpBin.application(gauge));
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    static TestResponse fetch(String uri) {
        return checked(http.fetch(uri));
    }

    static TestResponse fetch(TestRequest r) {
        return checked(http.fetch(r));
    }

    static TestResponse checked(TestResponse r) {
        assertThat(r.violations()).as("connection contract").isEmpty();
        return r;
    }

    static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    // ------------------------------------------------------------------ request inspection

    @Test
    void get() {
        TestResponse r = fetch(TestRequest.get("/get?a=1&b=2&b=3").header("user-agent", "t/1").header("X-Multi", "x")
                .header("x-multi", "y"));
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/json; charset=UTF-8");
        JsonNode j = r.json();
        assertThat(names(j)).containsExactly("args", "headers", "origin", "url");
        assertThat(j.get("args").get("a").asText()).isEqualTo("1");
        assertThat(j.get("args").get("b").toString()).isEqualTo("[\"2\",\"3\"]");
        assertThat(j.get("headers").get("User-Agent").asText()).isEqualTo("t/1");
        assertThat(j.get("headers").get("X-Multi").asText()).isEqualTo("x,y");
        assertThat(j.get("headers").get("Host").asText()).isEqualTo("localhost:8888");
        assertThat(j.get("origin").asText()).isEqualTo("127.0.0.1");
        assertThat(j.get("url").asText()).isEqualTo("http://localhost:8888/get?a=1&b=2&b=3");
    }

    @Test
    void postForm() {
        TestResponse r = fetch(TestRequest.of("POST", "/post?q=1").header("Content-Type", "application/x-www-form-urlencoded")
                .body("custname=Ada&topping=bacon&topping=onion"));
        assertThat(r.code()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(names(j)).containsExactly("args", "data", "files", "form", "headers", "json", "origin", "url");
        assertThat(j.get("form").get("custname").asText()).isEqualTo("Ada");
        assertThat(j.get("form").get("topping").toString()).isEqualTo("[\"bacon\",\"onion\"]");
        assertThat(j.get("data").asText()).isEmpty();
        assertThat(j.get("json").isNull()).isTrue();
        assertThat(j.get("args").get("q").asText()).isEqualTo("1");
    }

    @Test
    void postJsonInPieces() {
        TestResponse r = fetch(TestRequest.of("POST", "/post").header("Content-Type", "application/json")
                .body("{\"a\": [1, ").body("2], \"b\": \"é\"}"));
        JsonNode j = r.json();
        assertThat(j.get("json").get("a").toString()).isEqualTo("[1,2]");
        assertThat(j.get("json").get("b").asText()).isEqualTo("é");
        assertThat(j.get("data").asText()).isEqualTo("{\"a\": [1, 2], \"b\": \"é\"}");
    }

    @Test
    void postMalformedJsonAndBinary() {
        JsonNode j = fetch(TestRequest.of("POST", "/post").body("{\"a\": 1} trailing")).json();
        assertThat(j.get("json").isNull()).isTrue();
        j = fetch(TestRequest.of("POST", "/post").body(new byte[] {(byte) 0xff, 0, 1})).json();
        assertThat(j.get("data").asText()).isEqualTo("data:application/octet-stream;base64,/wAB");
    }

    @Test
    void postMultipartFile() {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nfile body\r\n--XyZ\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\n"
                + "v\r\n--XyZ--\r\n";
        JsonNode j = fetch(TestRequest.of("POST", "/post").header("Content-Type", "multipart/form-data; boundary=XyZ")
                .body(body)).json();
        assertThat(j.get("files").get("f").asText()).isEqualTo("file body");
        assertThat(j.get("form").get("k").asText()).isEqualTo("v");
    }

    @Test
    void malformedFormIs400() {
        TestResponse r = fetch(TestRequest.of("POST", "/post").header("Content-Type", "multipart/form-data; boundary=XyZ")
                .body("garbage"));
        assertThat(r.code()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "PATCH", "DELETE"})
    void bodyMethods(String method) {
        TestResponse r = fetch(TestRequest.of(method, "/" + method.toLowerCase()).body("hi"));
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.json().get("data").asText()).isEqualTo("hi");
        assertThat(fetch(TestRequest.of("GET", "/" + method.toLowerCase())).code()).isEqualTo(405);
    }

    @Test
    void methodNotAllowedListsAllow() {
        TestResponse r = fetch(TestRequest.of("POST", "/get").body("x"));
        assertThat(r.code()).isEqualTo(405);
        assertThat(r.header("Allow")).as("as Flask lists it").isEqualTo("GET, HEAD, OPTIONS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "PATCH", "DELETE"})
    void anything(String method) {
        JsonNode j = fetch(TestRequest.of(method, "/anything/x/y?z=1")).json();
        assertThat(names(j)).containsExactly("args", "data", "files", "form", "headers", "json", "method", "origin",
                "url");
        assertThat(j.get("method").asText()).isEqualTo(method);
        assertThat(j.get("url").asText()).endsWith("/anything/x/y?z=1");
        assertThat(fetch(TestRequest.of(method, "/anything")).code()).isEqualTo(200);
    }

    @Test
    void headersIpUserAgent() {
        assertThat(names(fetch("/headers").json())).containsExactly("headers");
        assertThat(fetch("/ip").json().get("origin").asText()).isEqualTo("127.0.0.1");
        assertThat(fetch(TestRequest.get("/user-agent").header("User-Agent", "curl/8")).json().get("user-agent").asText())
                .isEqualTo("curl/8");
        assertThat(fetch("/user-agent").json().get("user-agent").isNull()).isTrue();
    }

    @Test
    void headIsGetWithoutBody() {
        TestResponse r = fetch(TestRequest.of("HEAD", "/get"));
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(Integer.parseInt(r.header("Content-Length"))).isPositive();
    }

    // ------------------------------------------------------------------------- status codes

    @Test
    void status() {
        assertThat(fetch("/status/404").code()).isEqualTo(404);
        assertThat(fetch(TestRequest.of("PUT", "/status/201")).code()).isEqualTo(201);
        assertThat(fetch("/status/204").body()).isEmpty();
        TestResponse redirect = fetch("/status/302");
        assertThat(redirect.header("Location")).isEqualTo("/redirect/1");
        assertThat(fetch("/status/401").header("WWW-Authenticate")).isEqualTo("Basic realm=\"Fake Realm\"");
        assertThat(fetch("/status/407").header("Proxy-Authenticate")).isEqualTo("Basic realm=\"Fake Realm\"");
        TestResponse teapot = fetch("/status/418");
        assertThat(teapot.text()).contains("teapot");
        assertThat(teapot.header("x-more-info")).contains("rfc2324");
        assertThat(fetch("/status/406").json().get("accept").isArray()).isTrue();
        assertThat(fetch("/status/304").body()).isEmpty();
    }

    @Test
    void weightedStatusPicksOnlyListedCodes() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            seen.add(fetch("/status/200:0.5,404:0.5,500:0").code());
        }
        assertThat(seen).isSubsetOf(200, 404);
        assertThat(fetch("/status/201,201").code()).isEqualTo(201);
        assertThat(fetch("/status/202:1").code()).isEqualTo(202);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "99", "100", "600", "2000", "200:x", "200:-1", "200:0", "200,", ":1", "200:1:1",
            "200:NaN", "200:Infinity", "%20"})
    void badStatusIs400WithMessage(String codes) {
        TestResponse r = fetch("/status/" + codes);
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isNotEmpty();
    }

    @Test
    void statusChoiceDrawsByWeight() {
        StatusChoice c = StatusChoice.parse("200:0.25, 500:0.75");
        assertThat(c.pick(new FixedRandom(0.1))).isEqualTo(200);
        assertThat(c.pick(new FixedRandom(0.3))).isEqualTo(500);
        assertThat(c.pick(new FixedRandom(0.999))).isEqualTo(500);
    }

    /** A "random" source that always says {@code value}. */
    record FixedRandom(double value) implements java.util.random.RandomGenerator {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public double nextDouble() {
            return value;
        }
    }

    // ---------------------------------------------------------------------------- redirects

    @Test
    void redirects() {
        assertThat(fetch("/redirect/3").header("Location")).isEqualTo("/relative-redirect/2");
        assertThat(fetch("/redirect/1").header("Location")).isEqualTo("/get");
        assertThat(fetch("/redirect/2?absolute=true").header("Location"))
                .isEqualTo("http://localhost:8888/absolute-redirect/1");
        assertThat(fetch("/relative-redirect/2").header("Location")).isEqualTo("/relative-redirect/1");
        assertThat(fetch("/relative-redirect/1").header("Location")).isEqualTo("/get");
        TestResponse abs = fetch("/absolute-redirect/2");
        assertThat(abs.code()).isEqualTo(302);
        assertThat(abs.header("Location")).isEqualTo("http://localhost:8888/absolute-redirect/1");
        assertThat(fetch("/absolute-redirect/1").header("Location")).isEqualTo("http://localhost:8888/get");
    }

    @Test
    void redirectTo() {
        TestResponse r = fetch("/redirect-to?url=http%3A%2F%2Fexample.com%2F&status_code=307");
        assertThat(r.code()).isEqualTo(307);
        assertThat(r.header("Location")).isEqualTo("http://example.com/");
        assertThat(fetch(TestRequest.of("POST", "/redirect-to?url=/get").body("")).code()).isEqualTo(302);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/redirect/0", "/redirect/x", "/redirect/99999999999999", "/relative-redirect/-1",
            "/absolute-redirect/1001", "/redirect-to", "/redirect-to?url=/get&status_code=200",
            "/redirect-to?url=/get&status_code=3x", "/redirect-to?url=/a%0d%0aSet-Cookie:%20a=b"})
    void badRedirectsAre400(String uri) {
        TestResponse r = fetch(uri);
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.header("Location")).isNull();
        assertThat(r.header("Set-Cookie")).isNull();
    }

    // ------------------------------------------------------------------------------ cookies

    @Test
    void cookies() {
        assertThat(fetch(TestRequest.get("/cookies").header("Cookie", "b=2; a=1")).json().toString())
                .isEqualTo("{\"cookies\":{\"a\":\"1\",\"b\":\"2\"}}");
        TestResponse set = fetch("/cookies/set?k=v&n=1");
        assertThat(set.code()).isEqualTo(302);
        assertThat(set.header("Location")).isEqualTo("/cookies");
        assertThat(set.headers().getAll("Set-Cookie")).hasSize(2).anySatisfy(c -> assertThat(c).startsWith("k=v"));
        TestResponse one = fetch("/cookies/set/name/value");
        assertThat(one.header("Set-Cookie")).startsWith("name=value");
        TestResponse delete = fetch("/cookies/delete?k");
        assertThat(delete.code()).isEqualTo(302);
        assertThat(delete.header("Set-Cookie")).startsWith("k=;").containsIgnoringCase("Max-Age=0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/cookies/set?a%3Bb=1", "/cookies/set?k=a%3Bb", "/cookies/set/k/a%3B%20b",
            "/cookies/delete?a%20b"})
    void badCookiesAre400(String uri) {
        TestResponse r = fetch(uri);
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.header("Set-Cookie")).isNull();
    }

    // ------------------------------------------------------------------------------------ auth

    static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void basicAuth() {
        TestResponse ok = fetch(TestRequest.get("/basic-auth/u/p").header("Authorization", basic("u:p")));
        assertThat(ok.code()).isEqualTo(200);
        assertThat(ok.json().toString()).isEqualTo("{\"authenticated\":true,\"user\":\"u\"}");
        TestResponse wrong = fetch(TestRequest.get("/basic-auth/u/p").header("Authorization", basic("u:x")));
        assertThat(wrong.code()).isEqualTo(401);
        assertThat(wrong.header("WWW-Authenticate")).isEqualTo("Basic realm=\"Fake Realm\"");
        assertThat(fetch("/basic-auth/u/p").code()).isEqualTo(401);
        assertThat(fetch(TestRequest.get("/basic-auth/u/p").header("Authorization", "Basic !!!")).code()).isEqualTo(401);
        assertThat(fetch(TestRequest.get("/basic-auth/u/p").header("Authorization", "Basic")).code()).isEqualTo(401);
        assertThat(fetch(TestRequest.get("/basic-auth/u/p").header("Authorization", "Bearer u:p")).code()).isEqualTo(401);
    }

    @Test
    void hiddenBasicAuth() {
        assertThat(fetch(TestRequest.get("/hidden-basic-auth/u/p").header("Authorization", basic("u:p"))).code())
                .isEqualTo(200);
        TestResponse r = fetch("/hidden-basic-auth/u/p");
        assertThat(r.code()).isEqualTo(404);
        assertThat(r.header("WWW-Authenticate")).isNull();
    }

    @Test
    void bearer() {
        TestResponse ok = fetch(TestRequest.get("/bearer").header("Authorization", "Bearer abc.def"));
        assertThat(ok.json().toString()).isEqualTo("{\"authenticated\":true,\"token\":\"abc.def\"}");
        TestResponse none = fetch("/bearer");
        assertThat(none.code()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(fetch(TestRequest.get("/bearer").header("Authorization", "Bearer ")).code()).isEqualTo(401);
    }

    // ------------------------------------------------------------------------------ encodings

    @Test
    void gzip() throws IOException {
        TestResponse r = fetch("/gzip");
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        byte[] json = new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes();
        String text = new String(json, StandardCharsets.UTF_8);
        assertThat(text).startsWith("{\"gzipped\":true,\"headers\":{").contains("\"method\":\"GET\"")
                .contains("\"origin\":\"127.0.0.1\"");
    }

    @Test
    void deflate() throws IOException {
        TestResponse r = fetch("/deflate");
        assertThat(r.header("Content-Encoding")).isEqualTo("deflate");
        byte[] json = new InflaterInputStream(new ByteArrayInputStream(r.body())).readAllBytes();
        assertThat(new String(json, StandardCharsets.UTF_8)).startsWith("{\"deflated\":true,");
    }

    @Test
    void base64() {
        assertThat(fetch("/base64/SFRUUEJJTiBpcyBhd2Vzb21l").text()).isEqualTo("HTTPBIN is awesome");
        assertThat(fetch("/base64/aGk").text()).isEqualTo("hi"); // unpadded
        assertThat(fetch("/base64/w6k_").text()).isEqualTo("é?"); // URL-safe alphabet
        TestResponse bad = fetch("/base64/%25%25%25");
        assertThat(bad.code()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).startsWith("Incorrect Base64 data");
        assertThat(fetch("/base64/_w").code()).isEqualTo(400); // 0xff: not UTF-8
    }

    @Test
    void utf8Page() {
        TestResponse r = fetch("/encoding/utf8");
        assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.text()).contains("Σὲ γνωρίζω").contains("龙卷风");
    }

    // -------------------------------------------------------------------------------- streams

    @Test
    void streamSendsLinesOneByOne() {
        TestResponse r = fetch("/stream/3");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.header("Content-Length")).isNull(); // streamed: chunked on the wire
        assertThat(r.pieces()).hasSize(3);
        String[] lines = r.text().split("\n");
        assertThat(lines).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode line = readJson(lines[i]);
            assertThat(line.get("id").asInt()).isEqualTo(i);
            assertThat(line.get("url").asText()).endsWith("/stream/3");
        }
        assertThat(fetch("/stream/500").text().split("\n")).hasSize(100);
        assertThat(fetch("/stream/0").body()).isEmpty();
    }

    static JsonNode readJson(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(s);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void streamBytes() {
        TestResponse r = fetch("/stream-bytes/2500?seed=7&chunk_size=1000");
        assertThat(r.body()).hasSize(2500);
        assertThat(r.pieces()).extracting(p -> p.length).containsExactly(1000, 1000, 500);
        assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(fetch("/stream-bytes/2500?seed=7&chunk_size=1000").body()).isEqualTo(r.body());
        assertThat(fetch("/stream-bytes/999999").body()).hasSize(Streams.MAX_BYTES);
        assertThat(fetch("/stream-bytes/3000?chunk_size=1").pieces()).hasSize(3000);
    }

    @Test
    void bytes() {
        TestResponse r = fetch("/bytes/64?seed=1");
        assertThat(r.body()).hasSize(64);
        assertThat(fetch("/bytes/64?seed=1").body()).isEqualTo(r.body());
        assertThat(fetch("/bytes/64?seed=2").body()).isNotEqualTo(r.body());
        assertThat(fetch("/bytes/0").body()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bytes/-1", "/bytes/x", "/bytes/1?seed=x", "/stream/1.5", "/stream-bytes/1?chunk_size=0",
            "/stream-bytes/10?seed=99999999999", "/links/0/0", "/links/201/0",
            "/links/10/x", "/cache/-1", "/delay/-1", "/delay/x", "/delay/NaN", "/delay/Infinity", "/delay/0x10",
            "/drip?numbytes=0", "/drip?duration=61", "/drip?code=99", "/drip?delay=11", "/drip?duration=1e400"})
    void badNumbersAre400(String uri) {
        TestResponse r = fetch(uri);
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isNotEmpty();
    }

    // ---------------------------------------------------------------------------------- range

    @Test
    void rangeWhole() {
        TestResponse r = fetch("/range/30");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("abcdefghijklmnopqrstuvwxyzabcd");
        assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(r.header("ETag")).isEqualTo("\"range30\"");
    }

    @Test
    void rangePartial() {
        TestResponse r = fetch(TestRequest.get("/range/30").header("Range", "bytes=24-27"));
        assertThat(r.code()).isEqualTo(206);
        assertThat(r.text()).isEqualTo("yzab");
        assertThat(r.header("Content-Range")).isEqualTo("bytes 24-27/30");
        TestResponse suffix = fetch(TestRequest.get("/range/30").header("Range", "bytes=-2"));
        assertThat(suffix.text()).isEqualTo("cd");
    }

    @Test
    void rangeMultipart() {
        TestResponse r = fetch(TestRequest.get("/range/30").header("Range", "bytes=0-1,10-11"));
        assertThat(r.code()).isEqualTo(206);
        String ct = r.header("Content-Type");
        assertThat(ct).startsWith("multipart/byteranges; boundary=");
        String boundary = ct.substring(ct.indexOf('=') + 1);
        assertThat(r.text()).isEqualTo("--" + boundary + "\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Range: bytes 0-1/30\r\n\r\nab\r\n--" + boundary + "\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Range: bytes 10-11/30\r\n\r\nkl\r\n--" + boundary + "--\r\n");
    }

    @Test
    void rangeUnsatisfiableAndIgnored() {
        TestResponse r = fetch(TestRequest.get("/range/30").header("Range", "bytes=40-50"));
        assertThat(r.code()).isEqualTo(416);
        assertThat(r.header("Content-Range")).isEqualTo("bytes */30");
        assertThat(fetch(TestRequest.get("/range/30").header("Range", "bytes=x-y")).code()).isEqualTo(200);
        assertThat(fetch(TestRequest.get("/range/30").header("Range", "bytes=0-1").header("If-Range", "\"other\"")).code())
                .isEqualTo(200);
        assertThat(fetch(TestRequest.get("/range/30").header("Range", "bytes=0-1").header("If-Range", "\"range30\"")).code())
                .isEqualTo(206);
    }

    // ----------------------------------------------------------------------------- drip, delay

    @Test
    void dripSendsNumbytesInPiecesWithContentLength() {
        TestResponse r = fetch("/drip?duration=0.05&numbytes=5&code=201");
        assertThat(r.code()).isEqualTo(201);
        assertThat(r.text()).isEqualTo("*****");
        assertThat(r.header("Content-Length")).isEqualTo("5");
        assertThat(r.pieces()).hasSize(5);
        assertThat(fetch("/drip?duration=0&numbytes=3").pieces()).hasSize(1);
        assertThat(fetch("/drip?duration=0.01&numbytes=1000").text()).hasSize(1000); // ms-spaced pieces of 100
        assertThat(fetch("/drip?numbytes=3&duration=0&code=204").code()).isEqualTo(204);
    }

    @Test
    void dripStopsWhenTheClientLeaves() throws Exception {
        InMemoryClient.Exchange x = http.start(TestRequest.get("/drip?duration=30&numbytes=3"));
        CompletableFuture<Void> closed = new CompletableFuture<>();
        http.loop().callLater(java.time.Duration.ofMillis(1), () -> {
            x.connection().clientClosed();
            closed.complete(null);
        });
        closed.get();
        assertThat(x.response()).isCompletedExceptionally();
        assertThat(fetch("/get").code()).isEqualTo(200); // the loop goes on serving
    }

    @Test
    void delayAnswersWithTheBodyShape() {
        TestResponse r = fetch(TestRequest.of("POST", "/delay/0.01?x=1").body("d"));
        assertThat(names(r.json())).containsExactly("args", "data", "files", "form", "headers", "origin", "url");
        assertThat(r.json().get("data").asText()).isEqualTo("d");
    }

    @Test
    void twentyDelaysWaitAtTheSameTime() throws Exception {
        List<CompletableFuture<TestResponse>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            all.add(http.start(TestRequest.get("/delay/1")).response());
        }
        for (CompletableFuture<TestResponse> f : all) {
            assertThat(checked(f.get()).code()).isEqualTo(200);
        }
        // Every one was waiting while the others were: one loop thread held all twenty.
        assertThat(gauge.peak()).isGreaterThanOrEqualTo(20);
        assertThat(gauge.waiting()).isZero();
    }

    @Test
    void delayOfAClientThatLeftEndsAtOnce() throws Exception {
        int before = gauge.waiting();
        InMemoryClient.Exchange x = http.start(TestRequest.get("/delay/10"));
        CompletableFuture<Integer> waitingWhileOpen = new CompletableFuture<>();
        http.loop().addCallback(() -> http.loop().addCallback(() -> {
            waitingWhileOpen.complete(gauge.waiting());
            x.connection().clientClosed();
        }));
        assertThat(waitingWhileOpen.get()).isEqualTo(before + 1);
        CompletableFuture<Integer> after = new CompletableFuture<>();
        http.loop().addCallback(() -> after.complete(gauge.waiting()));
        assertThat(after.get()).isEqualTo(before);
    }

    // ------------------------------------------------------------------------------ caching

    @Test
    void cache() {
        TestResponse r = fetch("/cache");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.header("Last-Modified")).isNotNull();
        assertThat(r.header("ETag")).matches("\"[0-9a-f]{32}\"");
        assertThat(names(r.json())).containsExactly("args", "headers", "origin", "url");
        assertThat(fetch(TestRequest.get("/cache").header("If-None-Match", "\"x\"")).code()).isEqualTo(304);
        TestResponse ims = fetch(TestRequest.get("/cache").header("If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"));
        assertThat(ims.code()).isEqualTo(304);
        assertThat(ims.body()).isEmpty();
    }

    @Test
    void cacheFor() {
        assertThat(fetch("/cache/60").header("Cache-Control")).isEqualTo("public, max-age=60");
    }

    @Test
    void etag() {
        TestResponse r = fetch("/etag/abc");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.header("ETag")).isEqualTo("\"abc\"");
        assertThat(fetch(TestRequest.get("/etag/abc").header("If-None-Match", "\"x\", \"abc\"")).code()).isEqualTo(304);
        assertThat(fetch(TestRequest.get("/etag/abc").header("If-None-Match", "W/\"abc\"")).code()).isEqualTo(304);
        assertThat(fetch(TestRequest.get("/etag/abc").header("If-None-Match", "*")).code()).isEqualTo(304);
        assertThat(fetch(TestRequest.get("/etag/abc").header("If-None-Match", "\"x\"")).code()).isEqualTo(200);
        assertThat(fetch(TestRequest.get("/etag/abc").header("If-Match", "\"x\"")).code()).isEqualTo(412);
        assertThat(fetch(TestRequest.get("/etag/abc").header("If-Match", "abc")).code()).isEqualTo(200);
        assertThat(fetch(TestRequest.get("/etag/abc").header("If-Match", "*")).code()).isEqualTo(200);
        assertThat(fetch("/etag/a%22b").code()).isEqualTo(400);
    }

    // -------------------------------------------------------------------------------- pages

    @Test
    void resourcePages() {
        assertThat(fetch("/html").text()).contains("Moby-Dick");
        TestResponse json = fetch("/json");
        assertThat(json.header("Content-Type")).isEqualTo("application/json");
        assertThat(json.json().get("slideshow").get("slides").size()).isEqualTo(2);
        TestResponse xml = fetch("/xml");
        assertThat(xml.header("Content-Type")).isEqualTo("application/xml");
        assertThat(xml.text()).contains("<slideshow");
        assertThat(fetch("/robots.txt").text()).isEqualTo("User-agent: *\nDisallow: /deny\n");
        assertThat(fetch("/deny").text()).contains("YOU SHOULDN'T BE HERE");
        assertThat(fetch("/forms/post").text()).contains("<form method=\"post\" action=\"/post\">");
        assertThat(fetch("/").text()).contains("httpbin on Gale");
    }

    @Test
    void links() {
        TestResponse r = fetch("/links/3/1");
        assertThat(r.text()).isEqualTo("<html><head><title>Links</title></head><body><a href='/links/3/0'>0</a> 1 "
                + "<a href='/links/3/2'>2</a> </body></html>");
        TestResponse start = fetch("/links/5");
        assertThat(start.code()).isEqualTo(302);
        assertThat(start.header("Location")).isEqualTo("/links/5/0");
    }

    @Test
    void uuid() {
        String a = fetch("/uuid").json().get("uuid").asText();
        assertThat(a).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(fetch("/uuid").json().get("uuid").asText()).isNotEqualTo(a);
    }

    @Test
    void responseHeaders() {
        TestResponse r = fetch("/response-headers?X-A=1&X-A=2&Server-Timing=db;dur=1");
        assertThat(r.headers().getAll("X-A")).containsExactly("1", "2");
        assertThat(r.header("Server-Timing")).isEqualTo("db;dur=1");
        JsonNode j = r.json();
        assertThat(j.get("X-A").toString()).isEqualTo("[\"1\",\"2\"]");
        assertThat(j.get("Content-Type").asText()).isEqualTo("application/json");
        assertThat(j.get("Content-Length").asText()).isEqualTo(Integer.toString(r.body().length));
        assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(r.body().length));
        TestResponse typed = fetch(TestRequest.of("POST", "/response-headers?Content-Type=text/plain").body(""));
        assertThat(typed.header("Content-Type")).isEqualTo("text/plain");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/response-headers?Content-Length=1", "/response-headers?Transfer-Encoding=chunked",
            "/response-headers?X=a%0d%0aInjected:%201", "/response-headers?a%20b=1", "/response-headers?X=%7f"})
    void unsafeResponseHeadersAre400(String uri) {
        TestResponse r = fetch(uri);
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.header("Injected")).isNull();
    }

    @Test
    void unknownPathIs404() {
        assertThat(fetch("/nope").code()).isEqualTo(404);
        assertThat(fetch("/status/").code()).isEqualTo(404);
    }

    @Test
    void badPercentEncodingInPathIs400() {
        assertThat(fetch("/base64/%zz").code()).isEqualTo(400);
    }
}
