package io.gale.web;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.http.HttpHeaders;
import io.gale.http.HttpMessageDelegate;
import io.gale.http.HttpServer;
import io.gale.http.HttpServerConnectionDelegate;
import io.gale.http.HttpServerRequest;
import io.gale.ioloop.IOLoop;
import io.gale.net.ConnectOptions;
import io.gale.websocket.WebSocketClient;
import io.gale.websocket.WebSocketClientConnection;
import io.gale.websocket.WebSocketClientOptions;
import io.gale.websocket.WebSocketHandler;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RedirectHandler, FallbackHandler, @AddSlash and @RemoveSlash over real sockets: the JDK's HTTP
 * client and curl against Gale, and the same requests against Tornado's own RedirectHandler and
 * decorators (Debian's python3-tornado, small_handlers_app.py) with the answers compared. Fails,
 * not skips, when python3-tornado or curl is missing.
 */
@Timeout(120)
class SmallHandlersTest {
    static HttpServer server;
    static String base;
    static Process tornado;
    static String tornadoBase;
    static final IOLoop loop = new IOLoop();
    static final HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static class AddSlashHandler extends RequestHandler {
        @AddSlash
        public void get() {
            write("add " + request().path());
        }

        @AddSlash
        public void post() {
            write("add post " + request().path());
        }
    }

    public static class RemoveSlashHandler extends RequestHandler {
        @RemoveSlash
        public void get(String... args) {
            write("remove " + request().path());
        }

        @RemoveSlash
        public void post(String... args) {
            write("remove post " + request().path());
        }
    }

    /** The class-level form: every method of the class. */
    @AddSlash
    public static class FolderHandler extends RequestHandler {
        public void get() {
            write("folder");
        }
    }

    public static class Both extends RequestHandler {
        @AddSlash
        @RemoveSlash
        public void get() {
        }
    }

    /** The application mounted with FallbackHandler: it sees the full path. */
    public static class InnerHandler extends RequestHandler {
        public void get(String rest) {
            write("inner " + request().path() + " " + rest + " " + getArgument("q", "-"));
        }
    }

    public static class InnerEcho extends WebSocketHandler {
        @Override
        protected CompletionStage<?> onMessage(String message) {
            return writeMessage("inner ws: " + message);
        }
    }

    /** A bare delegate: streams the body back with the method, any method. */
    static final HttpServerConnectionDelegate ECHO = conn -> new HttpMessageDelegate() {
        private HttpServerRequest request;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private int pieces;

        @Override
        public CompletionStage<?> headersReceived(HttpServerRequest r) {
            request = r;
            return null;
        }

        @Override
        public CompletionStage<?> dataReceived(ByteBuffer chunk) {
            pieces++;
            byte[] b = new byte[chunk.remaining()];
            chunk.get(b);
            body.writeBytes(b);
            return null;
        }

        @Override
        public void finish() {
            byte[] out = (request.method() + " " + request.uri() + " " + body.size() + " bytes").getBytes(StandardCharsets.UTF_8);
            HttpHeaders h = new HttpHeaders().set("Content-Type", "text/plain").set("Content-Length", Integer.toString(out.length))
                    .set("X-Pieces", Integer.toString(pieces));
            conn.writeHeaders(200, null, h, ByteBuffer.wrap(out));
            conn.finish();
            request.markFinished();
        }

        @Override
        public void onConnectionClose() {
        }
    };

    static List<Route> sharedRoutes() {
        return List.of(
                Route.url("/old", RedirectHandler.class, Map.of("url", "/new")),
                Route.url("/temp", RedirectHandler.class, Map.of("url", "/new", "permanent", false)),
                RedirectHandler.route("/swap/(.*?)/(.*?)/(.*)", "/swapped/{1}/{0}/{2}"),
                RedirectHandler.route("/auto/([a-z]+)/([0-9]+)", "/x/{}/{}"),
                RedirectHandler.route("/named/(?<page>[a-z]+)", "/pages/{page}"),
                RedirectHandler.route("/withquery", "/target?fixed=1&b=x y"),
                RedirectHandler.route("/frag", "/target#top"),
                RedirectHandler.route("/abs/(.*)", "http://example.com/{0}"),
                RedirectHandler.route("/braces", "/a{{b}}"),
                Route.url("/add/?", AddSlashHandler.class),
                Route.url("/remove/*", RemoveSlashHandler.class),
                Route.url("/item/([0-9]+)/*", RemoveSlashHandler.class),
                Route.url("/", RemoveSlashHandler.class));
    }

    @BeforeAll
    static void start() throws Exception {
        loop.startInBackground();
        Application inner = new Application(List.of(Route.url("/legacy/(.*)", InnerHandler.class),
                Route.url("/ws/echo", InnerEcho.class)));
        List<Route> routes = new ArrayList<>(sharedRoutes());
        routes.addAll(List.of(
                RedirectHandler.route("/open/(.*)", "/{0}"),
                Route.url("/+evil\\.example/*", RemoveSlashHandler.class),
                Route.url("/+evil2\\.example/?", AddSlashHandler.class),
                RedirectHandler.route("/opt/([a-z]+)?", "/got/{0}"),
                RedirectHandler.route("/enc/(.*)", "/to/{0}"),
                Route.url("/folder/?", FolderHandler.class),
                Route.url("/noop", RedirectHandler.class),
                FallbackHandler.route("/legacy/.*", inner),
                Route.url("/ws/.*", FallbackHandler.class, Map.of("fallback", inner)),
                Route.url("/echo", FallbackHandler.class, Map.of("fallback", ECHO)),
                Route.url("/badfallback", FallbackHandler.class, Map.of("fallback", "not a delegate"))));
        server = new Application(routes).listen(0, "127.0.0.1");
        base = "http://127.0.0.1:" + server.boundPorts().get(0);

        Path script = Path.of(SmallHandlersTest.class.getResource("/python/small_handlers_app.py").toURI());
        tornado = new ProcessBuilder("/usr/bin/python3", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String line = new BufferedReader(new InputStreamReader(tornado.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).as("small_handlers_app.py needs /usr/bin/python3 with Debian's python3-tornado").startsWith("listening ");
        tornadoBase = "http://127.0.0.1:" + line.substring("listening ".length()).trim();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (tornado != null) {
            tornado.getOutputStream().close();
            if (!tornado.waitFor(10, SECONDS)) {
                tornado.destroyForcibly();
            }
        }
        loop.stop();
    }

    static HttpResponse<String> send(String baseUrl, String method, String target, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        return jdk.send(HttpRequest.newBuilder(URI.create(baseUrl + target)).method(method, publisher).build(),
                BodyHandlers.ofString());
    }

    /** What a client needs of an answer: status, Location, and the body of a 200. */
    static String summary(HttpResponse<String> r) {
        return r.statusCode() + " " + r.headers().firstValue("Location").orElse("-")
                + (r.statusCode() == 200 ? " " + r.body() : "");
    }

    @Test
    void galeAnswersAsTornadoDoes() throws Exception {
        String[][] requests = {
            {"GET", "/old"}, {"GET", "/old?a=1&b=2&a=3"}, {"GET", "/old?x"}, {"GET", "/old?"},
            {"GET", "/old?q=a+b%20c&r=%E2%82%AC&s=%2F%26"}, {"GET", "/temp?z=9"}, {"POST", "/old"},
            {"GET", "/swap/a/b/c/d"}, {"GET", "/swap/a/b/c?k=v"}, {"GET", "/auto/abc/123"}, {"GET", "/named/intro?v=1"},
            {"GET", "/withquery"}, {"GET", "/withquery?z=1"}, {"GET", "/frag?z=1"}, {"GET", "/abs/some/path?k=v"},
            {"GET", "/braces"},
            {"GET", "/add"}, {"GET", "/add?x=1&y"}, {"POST", "/add"}, {"PUT", "/add"}, {"GET", "/add/"},
            {"POST", "/add/"},
            {"GET", "/remove/"}, {"GET", "/remove///?x=1"}, {"GET", "/remove"}, {"POST", "/remove/"}, {"POST", "/remove"},
            {"DELETE", "/remove/"}, {"GET", "/item/42/"}, {"GET", "/item/42"}, {"GET", "/"},
            {"POST", "/"},
        };
        List<String> differences = new ArrayList<>();
        for (String[] r : requests) {
            String body = r[0].equals("POST") || r[0].equals("PUT") ? "" : null;
            String gale = summary(send(base, r[0], r[1], body));
            String expected = summary(send(tornadoBase, r[0], r[1], body));
            if (!gale.equals(expected)) {
                differences.add(r[0] + " " + r[1] + ": Tornado " + expected + ", Gale " + gale);
            }
        }
        assertThat(differences).isEmpty();
        // Spot-check the shared answers themselves.
        assertThat(summary(send(base, "GET", "/old?a=1&b=2&a=3", null))).isEqualTo("301 /new?a=1&a=3&b=2");
        assertThat(summary(send(base, "GET", "/temp", null))).isEqualTo("302 /new");
        assertThat(summary(send(base, "GET", "/swap/a/b/c/d", null))).isEqualTo("301 /swapped/b/a/c/d");
        assertThat(summary(send(base, "GET", "/remove///?x=1", null))).isEqualTo("301 /remove?x=1");
        assertThat(summary(send(base, "POST", "/add", ""))).isEqualTo("404 -");
        // HEAD: Gale serves it with get() when there is no head() (Tornado answers 405), so the
        // redirects apply to HEAD as Tornado's decorators would to a handler with head().
        assertThat(summary(send(base, "HEAD", "/old", null))).isEqualTo("301 /new");
        assertThat(summary(send(base, "HEAD", "/add", null))).isEqualTo("301 /add/");
        assertThat(summary(send(base, "HEAD", "/remove/", null))).isEqualTo("301 /remove");
    }

    @Test
    void localRedirectsStayLocal() throws Exception {
        // Tornado would send Location: //evil.example/ in all three.
        assertThat(summary(send(base, "GET", "//evil.example/", null))).isEqualTo("301 /evil.example");
        assertThat(summary(send(base, "GET", "///evil2.example?a=b", null))).isEqualTo("301 /evil2.example/?a=b");
        assertThat(summary(send(base, "GET", "/open//evil.example/x", null))).isEqualTo("301 /evil.example/x");
        assertThat(summary(send(base, "GET", "/open/%2F%2Fevil.example", null))).isEqualTo("301 /evil.example");
        assertThat(summary(send(base, "GET", "/open/%5Cevil.example", null)))
                .as("a backslash is percent-encoded").isEqualTo("301 /%5Cevil.example");
    }

    @Test
    void substitutedValuesAreEncoded() throws Exception {
        assertThat(summary(send(base, "GET", "/enc/a%20b/%C3%A9%22%3F", null))).isEqualTo("301 /to/a%20b/%C3%A9%22%3F");
        assertThat(summary(send(base, "GET", "/opt/", null))).as("unmatched optional group").isEqualTo("301 /got/");
        assertThat(summary(send(base, "GET", "/opt/abc", null))).isEqualTo("301 /got/abc");
    }

    @Test
    void configurationErrors() throws Exception {
        assertThat(send(base, "GET", "/noop", null).statusCode()).as("no url init argument").isEqualTo(500);
        assertThatThrownBy(() -> Route.url("/both/?", Both.class))
                .as("@AddSlash with @RemoveSlash stops the application at start-up")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("@AddSlash and @RemoveSlash together on");
        assertThat(send(base, "GET", "/badfallback", null).statusCode()).isEqualTo(500);
        assertThatThrownBy(() -> RedirectHandler.route("/x", "/{0:>5}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported field {0:>5}");
        assertThatThrownBy(() -> RedirectHandler.route("/x", "/{}/{0}")).hasMessageContaining("cannot mix");
        assertThatThrownBy(() -> RedirectHandler.route("/x", "/{0")).hasMessageContaining("single '{'");
        assertThatThrownBy(() -> RedirectHandler.route("/x", "/0}")).hasMessageContaining("single '}'");
        assertThatThrownBy(() -> new RedirectHandler("/{0!r}", true)).hasMessageContaining("unsupported field");
        assertThatThrownBy(() -> RedirectHandler.route("/x", "/{a.b}")).hasMessageContaining("unsupported field");
    }

    @Test
    void classLevelSlashRule() throws Exception {
        assertThat(summary(send(base, "GET", "/folder?x=1", null))).isEqualTo("301 /folder/?x=1");
        assertThat(summary(send(base, "GET", "/folder/", null))).isEqualTo("200 - folder");
        assertThat(summary(send(base, "GET", "//folder", null))).isEqualTo("404 -"); // not routed: patterns match paths
    }

    @Test
    void curlFollowsTheRedirects() throws Exception {
        Process curl = new ProcessBuilder("curl", "-s", "-L", "-o", "/dev/null", "-w", "%{http_code} %{url_effective} %{num_redirects}",
                base + "/remove/?k=v").redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor()).as("curl must be installed: " + out).isZero();
        assertThat(out).isEqualTo("200 " + base + "/remove?k=v 1");
        Process head = new ProcessBuilder("curl", "-s", "-I", base + "/add?x=1").redirectErrorStream(true).start();
        String headers = new String(head.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(head.waitFor()).isZero();
        assertThat(headers).startsWith("HTTP/1.1 301 Moved Permanently").contains("Location: /add/?x=1");
    }

    @Test
    void fallbackServesAMountedApplication() throws Exception {
        HttpResponse<String> r = send(base, "GET", "/legacy/some/page?q=42", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("inner /legacy/some/page some/page 42");
        assertThat(send(base, "POST", "/legacy/x", "").statusCode()).as("the inner application's 405").isEqualTo(405);
        assertThat(send(base, "GET", "/legacy", null).statusCode()).as("not under the route").isEqualTo(404);
        // Keep-alive: the same connection goes on with the outer application after a fallback request.
        assertThat(send(base, "GET", "/temp", null).statusCode()).isEqualTo(302);
    }

    @Test
    void fallbackStreamsAnyMethodAndBody() throws Exception {
        String big = "x".repeat(1 << 20);
        HttpResponse<String> r = send(base, "PROPFIND", "/echo?depth=1", big);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("PROPFIND /echo?depth=1 1048576 bytes");
        assertThat(Integer.parseInt(r.headers().firstValue("X-Pieces").orElseThrow())).as("streamed in pieces")
                .isGreaterThan(1);
        Process curl = new ProcessBuilder("curl", "-s", "-X", "MKCOL", "--data-binary", "hello", base + "/echo")
                .redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor()).isZero();
        assertThat(out).isEqualTo("MKCOL /echo 5 bytes");
    }

    @Test
    void fallbackCarriesAWebSocketUpgrade() throws Exception {
        WebSocketClientOptions options = WebSocketClientOptions.builder().connect(ConnectOptions.builder().loop(loop).build()).build();
        WebSocketClientConnection ws = WebSocketClient.connect(URI.create(base.replace("http", "ws") + "/ws/echo"), options)
                .get(10, SECONDS);
        try {
            ws.writeMessage("hi").get(10, SECONDS);
            assertThat(ws.readMessage().get(10, SECONDS).text()).isEqualTo("inner ws: hi");
        } finally {
            ws.close();
        }
    }

}
