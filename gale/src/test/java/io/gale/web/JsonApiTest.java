package io.gale.web;

import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gale.testing.InMemoryClient;
import io.gale.testing.TestRequest;
import io.gale.testing.TestResponse;
import io.gale.testing.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a JSON API needs from the web layer: request bodies read as JSON (400 with the parse error),
 * every error as JSON in one setting, a default handler from a factory, a failing handler on the
 * normal error path, and route mistakes refused at start-up.
 */
@Timeout(30)
class JsonApiTest {
    record Todo(String title, boolean done) {
    }

    public static final class Todos extends RequestHandler {
        public void post() {
            Todo t = getJsonBody(Todo.class);
            setStatus(201);
            write(Map.of("title", t.title(), "done", t.done()));
        }

        public void put() {
            JsonNode tree = getJsonBody(JsonNode.class);
            write(Map.of("keys", tree.size()));
        }

        public void get() {
            throw HttpError.withDetail(422, "title must not be <empty>");
        }
    }

    public static final class Broken extends RequestHandler {
        public void get() {
            throw new IllegalStateException("boom");
        }
    }

    public static final class NeedsArg extends RequestHandler {
        public void get() {
            write(getArgument("q"));
        }
    }

    public static final class JsonNotFound extends RequestHandler {
        @Override
        protected void prepare() {
            setStatus(404);
            finish(Map.of("error", "no such API", "path", request().path()));
        }
    }

    private static Application app(ApplicationSettings.Builder settings) {
        return new Application(List.of(url("/todos", Todos.class), url("/broken", () -> new Broken()),
                url("/search", NeedsArg.class)), settings.maxBodySize(100).build());
    }

    // ----------------------------------------------------------------------------- JSON body

    @Test
    void jsonBodyIsBoundOrAnsweredWith400AndTheParseError() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.builder()))) {
            TestResponse ok = c.fetch(TestRequest.of("POST", "/todos").json(Map.of("title", "milk", "done", true)));
            assertThat(ok.code()).isEqualTo(201);
            assertThat(ok.json().get("title").asText()).isEqualTo("milk");
            assertThat(c.fetch(TestRequest.of("PUT", "/todos").body("{\"a\":1,\"b\":[]}")).json().get("keys").asInt())
                    .isEqualTo(2);

            TestResponse bad = c.fetch(TestRequest.of("POST", "/todos").body("{\"title\": \"milk\",}"));
            assertThat(bad.code()).isEqualTo(400);
            assertThat(bad.text()).contains("<p>Invalid JSON body: Unexpected character").contains("at line 1, column");
            assertThat(c.fetch(TestRequest.of("POST", "/todos")).text()).contains("Invalid JSON body: the body is empty");
            assertThat(c.fetch(TestRequest.of("POST", "/todos").body("{\"title\":\"x\"} {}")).code()).isEqualTo(400);
            TestResponse unknown = c.fetch(TestRequest.of("POST", "/todos").body("{\"titel\":\"x\"}"));
            assertThat(unknown.code()).isEqualTo(400);
            assertThat(unknown.text()).contains("titel");
            assertThat(c.fetch(TestRequest.of("POST", "/todos").body("null")).code()).isEqualTo(400);
            assertThat(bad.violations()).isEmpty();
        }
    }

    // --------------------------------------------------------------------------- JSON errors

    @Test
    void jsonErrorsMakeEveryErrorJson() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.builder().jsonErrors(true)))) {
            TestResponse missing = c.fetch("/nowhere");
            assertThat(missing.code()).isEqualTo(404);
            assertThat(missing.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(missing.text()).isEqualTo("{\"status\":404,\"title\":\"Not Found\"}");

            TestResponse detail = c.fetch("/todos");
            assertThat(detail.code()).isEqualTo(422);
            assertThat(detail.json().get("detail").asText()).isEqualTo("title must not be <empty>");

            assertThat(c.fetch("/broken").json().get("status").asInt()).isEqualTo(500);
            TestResponse method = c.fetch(TestRequest.of("DELETE", "/todos"));
            assertThat(method.code()).isEqualTo(405);
            assertThat(method.header("Allow")).isEqualTo("GET, HEAD, POST, PUT");
            assertThat(method.json().get("title").asText()).isEqualTo("Method Not Allowed");
            assertThat(c.fetch(TestRequest.of("POST", "/todos").body("x".repeat(101))).json().get("status").asInt())
                    .isEqualTo(413);
            assertThat(c.fetch("/search").json().get("detail").asText()).isEqualTo("Missing argument q");
            assertThat(c.fetch(TestRequest.of("POST", "/todos").body("[")).json().get("detail").asText())
                    .startsWith("Invalid JSON body:");
        }
    }

    @Test
    void jsonErrorsWithTracebacksInDebug() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.builder().jsonErrors(true).debug(true)))) {
            JsonNode j = c.fetch("/broken").json();
            assertThat(j.get("traceback").asText()).contains("IllegalStateException: boom");
        }
    }

    @Test
    void theConnectionsOwnErrorsAreJsonToo() throws Exception {
        try (TestServer server = TestServer.start(app(ApplicationSettings.builder().jsonErrors(true)));
                Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 400 ").contains("Content-Type: application/problem+json")
                    .endsWith("{\"status\":400,\"title\":\"Bad Request\"}");
        }
    }

    @Test
    void htmlStaysTheDefault() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.builder()))) {
            TestResponse r = c.fetch("/nowhere");
            assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=UTF-8");
            assertThat(r.text()).isEqualTo("<html><title>404: Not Found</title><body>404: Not Found</body></html>");
            assertThat(c.fetch("/todos").text()).contains("<p>title must not be &lt;empty&gt;</p>");
        }
    }

    // ------------------------------------------------------------------------ default handler

    @Test
    void defaultHandlerFromAFactory() {
        Application app = new Application(List.of(), ApplicationSettings.builder()
                .defaultHandler(() -> new JsonNotFound()).build());
        try (InMemoryClient c = new InMemoryClient(app)) {
            TestResponse r = c.fetch("/x/y");
            assertThat(r.code()).isEqualTo(404);
            assertThat(r.json().get("path").asText()).isEqualTo("/x/y");
        }
        assertThatThrownBy(() -> ApplicationSettings.builder().defaultHandler(JsonNotFound::new)
                .defaultHandlerClass(JsonNotFound.class).build()).isInstanceOf(IllegalArgumentException.class);
    }

    // -------------------------------------------------------- failures on the normal error path

    public static final class BadDefaults extends RequestHandler {
        @Override
        protected void setDefaultHeaders() {
            setHeader("X-Bad", "line\r\nbreak");
        }

        public void get() {
            write("never");
        }
    }

    @Test
    void aHandlerThatFailsToStartGetsTheNormalErrorPath() {
        List<String> logged = new CopyOnWriteArrayList<>();
        Application app = new Application(List.of(url("/bad", () -> new BadDefaults()),
                url("/broken", () -> new Broken()), url("/null", () -> flaky())),
                ApplicationSettings.builder().logFunction(h -> logged.add(h.getStatus() + " " + h.request().uri()))
                        .build());
        try (InMemoryClient c = new InMemoryClient(app)) {
            TestResponse bad = c.fetch("/bad");
            assertThat(bad.code()).isEqualTo(500);
            assertThat(bad.text()).contains("500: Internal Server Error");
            TestResponse broken = c.fetch("/broken");
            assertThat(broken.code()).isEqualTo(500);
            assertThat(c.fetch("/null").code()).isEqualTo(500);
        }
        assertThat(logged).containsExactly("500 /bad", "500 /broken", "500 /null");
    }

    private static boolean flakyCalled;

    /** A factory that works at start-up and returns null afterwards. */
    private static RequestHandler flaky() {
        if (flakyCalled) {
            return null;
        }
        flakyCalled = true;
        return new Broken();
    }

    // ------------------------------------------------------------------------ start-up checks

    public static final class HiddenGet extends RequestHandler {
        void get() {
            write("never called");
        }
    }

    public static final class NoArgs extends RequestHandler {
        public void get() {
        }
    }

    public static final class IntArg extends RequestHandler {
        public void get(int id) {
        }
    }

    public static final class Overloads extends RequestHandler {
        public void get() {
        }

        public void get(String id) {
        }

        public void post(String... args) {
        }
    }

    public static final class NoDefaultConstructor extends RequestHandler {
        NoDefaultConstructor(String x) {
        }

        public void get() {
        }
    }

    @Test
    void routeMistakesFailAtStartUp() {
        assertThatThrownBy(() -> url("/h", HiddenGet.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HiddenGet.get()").hasMessageContaining("is not public");
        assertThatThrownBy(() -> url("/h", () -> new HiddenGet())).hasMessageContaining("is not public");
        assertThatThrownBy(() -> url("/todo/([0-9]+)", () -> new NoArgs())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("route /todo/([0-9]+) captures 1 path argument but")
                .hasMessageContaining("NoArgs.get takes 0");
        assertThatThrownBy(() -> url("/todo/([0-9]+)", NoArgs.class)).hasMessageContaining("captures 1 path argument");
        assertThatThrownBy(() -> url("/todo/([0-9]+)", () -> new IntArg())).hasMessageContaining("must take only String");
        assertThatThrownBy(() -> url("/x", NoDefaultConstructor.class)).hasMessageContaining("no no-argument constructor");
        assertThatThrownBy(() -> url("/x", () -> {
            throw new IllegalStateException("not ready");
        })).hasMessageContaining("failed when called at start-up").hasMessageContaining("not ready");
        assertThatThrownBy(() -> new Application(List.of(), ApplicationSettings.builder()
                .defaultHandlerClass(IntArg.class).build())).isInstanceOf(IllegalArgumentException.class);
        // Fine: an overload for each arity, varargs, a non-capturing group.
        url("/o", Overloads.class);
        url("/o/([a-z]+)", () -> new Overloads());
        url("/n/(?:a|b)", NoArgs.class);
        url("/x", () -> new NoDefaultConstructor("typed"));
    }
}
