package io.gale.web;

import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.http.HttpServer;
import io.gale.testing.InMemoryClient;
import io.gale.testing.TestRequest;
import io.gale.testing.TestResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RoutingTest {
    public static final class Hello extends RequestHandler {
        public void get() {
            write("Hello, world");
        }
    }

    public static final class Story extends RequestHandler {
        public void get(String id) {
            write("story " + id);
        }
    }

    public static final class Pair extends RequestHandler {
        public void get(String a, String b) {
            write(a + "|" + b + "|" + pathKwargs());
        }
    }

    public static final class VarArgs extends RequestHandler {
        public void get(String... args) {
            write(String.join(",", args));
        }

        public void post(String... args) {
            write("posted " + args.length);
        }
    }

    public static final class WithInit extends RequestHandler {
        private Object greeting;

        @Override
        protected void initialize(Map<String, Object> initArgs) {
            greeting = initArgs.get("greeting");
        }

        public void get() {
            write(greeting + "!");
        }
    }

    public static final class Typed extends RequestHandler {
        private final String db;

        Typed(String db) {
            this.db = db;
        }

        public void get() {
            write("db=" + db);
        }
    }

    public static final class Custom404 extends RequestHandler {
        @Override
        protected void prepare() {
            setStatus(404);
            write("nothing at " + request().path());
            throw new Finish();
        }
    }

    public static final class Host extends RequestHandler {
        public void get() {
            write("admin");
        }
    }

    private static Application app() {
        return new Application(List.of(
                url("/", Hello.class),
                url("/story/([0-9]+)", Story.class, Map.of(), "story"),
                url("/pair/(?<a>[^/]+)/(?<b>[^/]+)", Pair.class).withName("pair"),
                url("/v/([a-z]+)/([a-z]+)?", VarArgs.class),
                url("/init", WithInit.class, Map.of("greeting", "hi")),
                url("/typed", () -> new Typed("pg")),
                url("/story/first", Hello.class)));
    }

    @Test
    void routesByPathAndPassesPositionalAndNamedArguments() {
        try (InMemoryClient c = new InMemoryClient(app())) {
            TestResponse r = c.fetch("/");
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("Hello, world");
            assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=UTF-8");
            assertThat(r.header("Server")).isEqualTo("Gale/" + Version.VERSION);
            assertThat(r.header("Content-Length")).isEqualTo("12");
            assertThat(r.header("Date")).as("the connection's job").isNull();
            assertThat(r.violations()).isEmpty();

            assertThat(c.fetch("/story/42").text()).isEqualTo("story 42");
            assertThat(c.fetch("/story/42?x=1").text()).isEqualTo("story 42");
            assertThat(c.fetch("/story/4a").code()).isEqualTo(404);
            assertThat(c.fetch("/pair/x%20y/%C3%A9").text()).isEqualTo("x y|é|{a=x y, b=é}");
            assertThat(c.fetch("/v/ab/cd").text()).isEqualTo("ab,cd");
            assertThat(c.fetch("/init").text()).isEqualTo("hi!");
            assertThat(c.fetch("/typed").text()).isEqualTo("db=pg");
        }
    }

    @Test
    void firstMatchingRouteWins() {
        try (InMemoryClient c = new InMemoryClient(new Application(List.of(
                url("/a/(.*)", Story.class), url("/a/b", Hello.class))))) {
            assertThat(c.fetch("/a/b").text()).isEqualTo("story b");
        }
    }

    @Test
    void malformedPercentEscapeInPathArgumentIs400() {
        try (InMemoryClient c = new InMemoryClient(app())) {
            assertThat(c.fetch("/pair/%zz/b").code()).isEqualTo(400);
            assertThat(c.fetch("/pair/%C3/b").code()).isEqualTo(400);
        }
    }

    @Test
    void unmatchedPathGetsTornadoStyle404Page() {
        try (InMemoryClient c = new InMemoryClient(app())) {
            TestResponse r = c.fetch("/nope");
            assertThat(r.code()).isEqualTo(404);
            assertThat(r.text()).isEqualTo("<html><title>404: Not Found</title><body>404: Not Found</body></html>");
        }
    }

    @Test
    void defaultHandlerClassServesUnmatchedPaths() {
        Application app = new Application(List.of(url("/", Hello.class)),
                ApplicationSettings.builder().defaultHandlerClass(Custom404.class).build());
        try (InMemoryClient c = new InMemoryClient(app)) {
            TestResponse r = c.fetch("/missing");
            assertThat(r.code()).isEqualTo(404);
            assertThat(r.text()).isEqualTo("nothing at /missing");
        }
    }

    @Test
    void unimplementedMethodIs405WithAllowAndHeadIsDerivedFromGet() {
        try (InMemoryClient c = new InMemoryClient(app())) {
            TestResponse r = c.fetch(TestRequest.post("/", "a=1"));
            assertThat(r.code()).isEqualTo(405);
            assertThat(r.header("Allow")).isEqualTo("GET, HEAD");
            assertThat(c.fetch(TestRequest.of("DELETE", "/v/a/b")).header("Allow")).isEqualTo("GET, HEAD, POST");
            assertThat(c.fetch(TestRequest.of("BREW", "/")).code()).isEqualTo(405);

            TestResponse head = c.fetch(TestRequest.of("HEAD", "/"));
            assertThat(head.code()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.header("Content-Length")).isEqualTo("12");
        }
    }

    @Test
    void reverseUrlFillsSimplePatterns() {
        Application app = app();
        assertThat(app.reverseUrl("story", 42)).isEqualTo("/story/42");
        assertThat(app.reverseUrl("pair", "a b", "c/d")).isEqualTo("/pair/a%20b/c/d");
        assertThatThrownBy(() -> app.reverseUrl("story")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> app.reverseUrl("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope");
        Application complex = new Application(List.of(url("/x+/(\\d+)", Story.class, Map.of(), "c")));
        assertThatThrownBy(() -> complex.reverseUrl("c", 1)).hasMessageContaining("complex");
        assertThat(new Application(List.of(url("^/a\\.b/([0-9]+)$", Story.class, Map.of(), "d"))).reverseUrl("d", 7))
                .isEqualTo("/a.b/7");
        assertThatThrownBy(() -> new Application(List.of(url("/1", Hello.class, Map.of(), "x"),
                url("/2", Hello.class, Map.of(), "x")))).hasMessageContaining("two routes");
    }

    @Test
    void hostRoutesComeBeforeAnyHostRoutes() {
        Application app = app();
        app.addHandlers("admin\\.example\\.com", List.of(url("/", Host.class)));
        try (InMemoryClient c = new InMemoryClient(app)) {
            assertThat(c.fetch(TestRequest.get("/").header("Host", "ADMIN.example.com:8080")).text()).isEqualTo("admin");
            assertThat(c.fetch(TestRequest.get("/").header("Host", "www.example.com")).text()).isEqualTo("Hello, world");
            assertThat(c.fetch(TestRequest.get("/story/1").header("Host", "admin.example.com")).text())
                    .as("falls through to the any-host routes").isEqualTo("story 1");
        }
    }

    @Test
    void lambdaRoutesShareTheHandlerMachinery() {
        Application app = new Application();
        app.get("/", h -> h.write("Hello, world"))
                .post("/", h -> h.write("posted " + h.getArgument("x")))
                .get("/json/([0-9]+)", h -> h.write(Map.of("id", h.pathArgs().get(0))));
        try (InMemoryClient c = new InMemoryClient(app)) {
            assertThat(c.fetch("/").text()).isEqualTo("Hello, world");
            assertThat(c.fetch(TestRequest.post("/", "x=7")).text()).isEqualTo("posted 7");
            assertThat(c.fetch("/json/5").text()).isEqualTo("{\"id\":\"5\"}");
            TestResponse r = c.fetch(TestRequest.of("PUT", "/"));
            assertThat(r.code()).isEqualTo(405);
            assertThat(r.header("Allow")).isEqualTo("GET, HEAD, POST");
            assertThat(c.fetch(TestRequest.post("/", "y=1")).code()).isEqualTo(400);
        }
    }

    @Test
    void routeRejectsHandlerMethodsWithUnsupportedSignatures() {
        assertThatThrownBy(() -> url("/", BadSignature.class)).hasMessageContaining("String path arguments");
        assertThatThrownBy(() -> url("/", BadReturn.class)).hasMessageContaining("void or a CompletionStage");
    }

    public static final class BadSignature extends RequestHandler {
        public void get(int id) {
        }
    }

    public static final class BadReturn extends RequestHandler {
        public String get() {
            return "x";
        }
    }

    @Test
    void listenStartsARealHttpServerForTheApplication() throws Exception {
        Application app = new Application(List.of());
        app.get("/hi", h -> h.write("hi there"));
        try (HttpServer server = app.listen(0, "127.0.0.1")) {
            int port = server.boundPorts().get(0);
            java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
            java.net.http.HttpResponse<String> r = client.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/hi")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hi there");
        }
    }
}
