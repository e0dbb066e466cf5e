package io.gale.web;

import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.SetCookie;
import io.gale.testing.InMemoryClient;
import io.gale.testing.TestRequest;
import io.gale.testing.TestResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RequestHandlerTest {
    public static final class Args extends RequestHandler {
        public void get() {
            write(getArgument("a") + "|" + getArgument("b", "dflt") + "|" + getArguments("a"));
        }

        public void post() {
            write(getArgument("a") + "|" + getQueryArgument("a") + "|" + getBodyArgument("a") + "|" + getArguments("a")
                    + "|" + getBodyArgument("q", "none"));
        }
    }

    public static final class JsonOut extends RequestHandler {
        record Point(int x, int y) {
        }

        public void get(String kind) {
            switch (kind) {
                case "map" -> write(Map.of("html", "</script><b>&"));
                case "list" -> write(List.of(1, 2, 3));
                case "bytes" -> {
                    byte[] reused = {'a'};
                    write(reused);
                    reused[0] = 'b'; // a caller reusing its buffer must not change what was written
                    write(reused);
                }
                default -> write(new Point(1, 2));
            }
        }
    }

    public static final class Errors extends RequestHandler {
        public void get(String kind) {
            write("partial output that must not leak");
            switch (kind) {
                case "http" -> throw new HttpError(403, "user %s denied", "bob");
                case "reason" -> throw HttpError.withReason(418, "I'm a teapot");
                case "crash" -> throw new IllegalStateException("boom");
                case "finish" -> {
                    clear();
                    setStatus(401);
                    throw new Finish("login first");
                }
                case "header" -> setHeader("X-Evil", "a\r\nSet-Cookie: x=1");
                case "cookie" -> setCookie("a", "x;y");
                case "reasonphrase" -> {
                    clear();
                    setStatus(299, "Fine<script>");
                    write(getReason());
                }
                case "unicodeheader" -> setHeader("X-Name", "\u0100");
                case "flushed" -> {
                    flush();
                    throw new IllegalStateException("after flush");
                }
                default -> sendError(Integer.parseInt(kind));
            }
        }
    }

    public static final class CustomErrors extends RequestHandler {
        public void get() {
            throw new HttpError(404);
        }

        @Override
        protected void writeError(int statusCode, Throwable error) {
            write(Map.of("error", statusCode, "reason", getReason()));
        }
    }

    public static final class Redirects extends RequestHandler {
        public void get(String kind) {
            switch (kind) {
                case "temp" -> redirect("/target?x=1");
                case "perm" -> redirect("/target", true);
                default -> redirect("/target", 307);
            }
        }
    }

    public static final class Etags extends RequestHandler {
        public void get(String kind) {
            write("some content");
            if (kind.equals("flushed")) {
                flush();
            }
        }

        public void post(String kind) {
            write("some content");
        }

        /** A 204 answer of a handler that set representation headers (as Tornado, they go). */
        public void delete(String kind) {
            clear();
            setHeader("Content-Language", "en");
            setHeader("Content-Encoding", "gzip");
            setStatus(204);
        }

        @Override
        protected String computeEtag() {
            return request().path().endsWith("off") ? null : super.computeEtag();
        }
    }

    public static final class Cookies extends RequestHandler {
        public void get() {
            write("hello " + getCookie("user", "nobody") + " " + getCookie("missing"));
            setCookie("a", "1");
            setCookie("b", "2", c -> c.httpOnly(true).secure(true).sameSite(SetCookie.SameSite.STRICT)
                    .maxAge(Duration.ofHours(1)).domain("example.com"));
            setCookie("a", "3"); // replaces the first
            clearCookie("old");
        }
    }

    private static final List<String> accessLog = new CopyOnWriteArrayList<>();

    private static Application app(ApplicationSettings.Builder settings) {
        return new Application(List.of(
                url("/args", Args.class),
                url("/json/(\\w+)", JsonOut.class),
                url("/error/(\\w+)", Errors.class),
                url("/custom", CustomErrors.class),
                url("/redirect/(\\w+)", Redirects.class),
                url("/etag/(\\w+)", Etags.class),
                url("/cookies", Cookies.class)),
                settings.logFunction(h -> accessLog.add(h.getStatus() + " " + h.request().method() + " "
                        + h.request().uri())).build());
    }

    private static InMemoryClient client() {
        return new InMemoryClient(app(ApplicationSettings.builder().maxBodySize(64)));
    }

    @Test
    void argumentsComeFromQueryAndBodyLastWinsAndAreCleaned() {
        try (InMemoryClient c = client()) {
            assertThat(c.fetch("/args?a=1&a=%20two%01%20").text()).isEqualTo("two|dflt|[1, two]");
            assertThat(c.fetch(TestRequest.post("/args?a=q", "a=b1&a=b2")).text())
                    .isEqualTo("b2|q|b2|[q, b1, b2]|none");
            TestResponse missing = c.fetch("/args?b=1");
            assertThat(missing.code()).isEqualTo(400);
            assertThat(missing.text()).contains("400: Bad Request").contains("Missing argument a");
        }
    }

    @Test
    void malformedBodyIs400AndOversizedBodyIs413() {
        try (InMemoryClient c = client()) {
            TestRequest bad = TestRequest.of("POST", "/args").header("Content-Type", "multipart/form-data; boundary=xyz")
                    .body("--xyz\r\nnot a part");
            assertThat(c.fetch(bad).code()).isEqualTo(400);
            assertThat(c.fetch(TestRequest.post("/args", "a=" + "x".repeat(100))).code()).isEqualTo(413);
            TestRequest chunked = TestRequest.post("/args", "a=" + "x".repeat(40)).body("y".repeat(40)).chunked();
            assertThat(c.fetch(chunked).code()).as("no Content-Length: counted as it arrives").isEqualTo(413);
            assertThat(c.fetch(TestRequest.post("/args?a=q", "a=1").body("&a=2").chunked()).text()).startsWith("2|q|2|");
        }
    }

    @Test
    void objectsAreWrittenAsHtmlSafeJson() {
        try (InMemoryClient c = client()) {
            TestResponse map = c.fetch("/json/map");
            assertThat(map.header("Content-Type")).isEqualTo("application/json; charset=UTF-8");
            assertThat(map.text()).isEqualTo("{\"html\":\"\\u003C/script\\u003E\\u003Cb\\u003E\\u0026\"}");
            assertThat(map.json().get("html").asText()).isEqualTo("</script><b>&");
            assertThat(c.fetch("/json/list").text()).isEqualTo("[1,2,3]");
            assertThat(c.fetch("/json/record").text()).isEqualTo("{\"x\":1,\"y\":2}");
            TestResponse bytes = c.fetch("/json/bytes");
            assertThat(bytes.text()).isEqualTo("ab");
            assertThat(bytes.header("Content-Type")).isEqualTo("text/html; charset=UTF-8");
        }
    }

    @Test
    void exceptionsBecomeErrorPages() {
        try (InMemoryClient c = client()) {
            TestResponse http = c.fetch("/error/http");
            assertThat(http.code()).isEqualTo(403);
            assertThat(http.text()).isEqualTo("<html><title>403: Forbidden</title><body>403: Forbidden</body></html>");

            TestResponse reason = c.fetch("/error/reason");
            assertThat(reason.code()).isEqualTo(418);
            assertThat(reason.reason()).isEqualTo("I'm a teapot");
            assertThat(reason.text()).contains("418: I&#39;m a teapot");

            TestResponse crash = c.fetch("/error/crash");
            assertThat(crash.code()).isEqualTo(500);
            assertThat(crash.text()).doesNotContain("boom").doesNotContain("partial");

            TestResponse finish = c.fetch("/error/finish");
            assertThat(finish.code()).isEqualTo(401);
            assertThat(finish.text()).isEqualTo("login first");

            TestResponse header = c.fetch("/error/header");
            assertThat(header.code()).as("unsafe header value rejected").isEqualTo(500);
            assertThat(header.header("X-Evil")).isNull();

            assertThat(c.fetch("/error/cookie").code()).as("cookie value with ';'").isEqualTo(500);
            assertThat(c.fetch("/error/unicodeheader").code()).isEqualTo(500);
            TestResponse reasonPhrase = c.fetch("/error/reasonphrase");
            assertThat(reasonPhrase.code()).isEqualTo(299);
            assertThat(reasonPhrase.reason()).isEqualTo("Unknown");

            TestResponse sent = c.fetch("/error/503");
            assertThat(sent.code()).isEqualTo(503);
            assertThat(sent.text()).contains("503: Service Unavailable");

            TestResponse flushed = c.fetch("/error/flushed");
            assertThat(flushed.code()).as("headers were out already").isEqualTo(200);
            assertThat(flushed.text()).isEqualTo("partial output that must not leak");
            assertThat(flushed.violations()).isEmpty();

            TestResponse custom = c.fetch("/custom");
            assertThat(custom.code()).isEqualTo(404);
            assertThat(custom.json().get("reason").asText()).isEqualTo("Not Found");
        }
    }

    @Test
    void serveTracebackSendsTheStackAsText() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.builder().debug(true)))) {
            TestResponse r = c.fetch("/error/crash");
            assertThat(r.code()).isEqualTo(500);
            assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=UTF-8");
            assertThat(r.text()).contains("java.lang.IllegalStateException: boom").contains("Errors.get");
        }
    }

    @Test
    void redirects() {
        try (InMemoryClient c = client()) {
            TestResponse temp = c.fetch("/redirect/temp");
            assertThat(temp.code()).isEqualTo(302);
            assertThat(temp.header("Location")).isEqualTo("/target?x=1");
            assertThat(c.fetch("/redirect/perm").code()).isEqualTo(301);
            assertThat(c.fetch("/redirect/other").code()).isEqualTo(307);
        }
    }

    @Test
    void etagAndNotModified() throws Exception {
        try (InMemoryClient c = client()) {
            TestResponse first = c.fetch("/etag/x");
            String etag = first.header("Etag");
            assertThat(etag).isEqualTo("\"" + java.util.HexFormat.of().formatHex(java.security.MessageDigest
                    .getInstance("SHA-1").digest("some content".getBytes(java.nio.charset.StandardCharsets.UTF_8))) + "\"");

            TestResponse again = c.fetch(TestRequest.get("/etag/x").header("If-None-Match", "\"other\", W/" + etag));
            assertThat(again.code()).isEqualTo(304);
            assertThat(again.body()).isEmpty();
            assertThat(again.header("Content-Type")).isNull();
            assertThat(again.violations()).isEmpty();

            assertThat(c.fetch(TestRequest.get("/etag/x").header("If-None-Match", "*")).code()).isEqualTo(304);
            assertThat(c.fetch(TestRequest.get("/etag/x").header("If-None-Match", "\"nope\"")).code()).isEqualTo(200);
            for (String garbage : List.of("", ",,,", "W/", "\"", etag.substring(1), "W/W/" + etag)) {
                assertThat(c.fetch(TestRequest.get("/etag/x").header("If-None-Match", garbage)).code())
                        .as("If-None-Match: %s", garbage).isEqualTo(200);
            }
            assertThat(c.fetch("/etag/off").header("Etag")).isNull();
            assertThat(c.fetch("/etag/flushed").header("Etag")).as("streamed: no ETag").isNull();
            TestResponse noContent = c.fetch(TestRequest.of("DELETE", "/etag/x"));
            assertThat(noContent.code()).isEqualTo(204);
            assertThat(noContent.header("Content-Type")).isNull(); // clear() set text/html
            assertThat(noContent.header("Content-Language")).isNull();
            assertThat(noContent.header("Content-Encoding")).isNull();
            assertThat(noContent.violations()).isEmpty();
            TestResponse post = c.fetch(TestRequest.post("/etag/x", "").header("If-None-Match", etag));
            assertThat(post.code()).isEqualTo(200);
            assertThat(post.header("Etag")).isNull();
        }
    }

    @Test
    void cookies() {
        try (InMemoryClient c = client()) {
            TestResponse r = c.fetch(TestRequest.get("/cookies").header("Cookie", "user=ann; x=y"));
            assertThat(r.text()).isEqualTo("hello ann null");
            List<String> set = r.headers().getAll("Set-Cookie");
            assertThat(set).hasSize(3);
            assertThat(set.get(0)).isEqualTo("a=3; Path=/");
            assertThat(set.get(1)).isEqualTo("b=2; Domain=example.com; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Strict");
            assertThat(set.get(2)).startsWith("old=; Path=/; Expires=").endsWith("; Max-Age=0");
        }
    }

    @Test
    void accessLogHasOneLinePerRequest() {
        accessLog.clear();
        try (InMemoryClient c = client()) {
            c.fetch("/args?a=1");
            c.fetch("/nope");
            c.fetch("/error/crash");
        }
        assertThat(accessLog).containsExactly("200 GET /args?a=1", "404 GET /nope", "500 GET /error/crash");
    }
}
