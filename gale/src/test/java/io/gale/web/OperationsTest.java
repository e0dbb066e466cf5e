package io.gale.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.metrics.ConnectionKind;
import io.gale.metrics.GaleMetrics;
import io.gale.metrics.MetricsSnapshot;
import io.gale.metrics.micrometer.PrometheusEndpoint;
import io.gale.testing.TestServer;
import io.gale.websocket.CloseCodes;
import io.gale.websocket.WebSocketHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Metrics, health and graceful drain of a real server, driven by the JDK's HTTP and WebSocket
 * clients: requests counted by route pattern, connections and bytes, the Prometheus text,
 * readiness during a drain, WebSockets closed with 1001 and long polls answered 503 with
 * Retry-After by {@code HttpServer.shutdown}.
 */
@Timeout(120)
class OperationsTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** A route with a capture group: counted under its pattern, not its paths. */
    public static final class Item extends RequestHandler {
        public void get(String id) {
            write("item " + id);
        }
    }

    /** Echoes messages; tells the test when it closed. */
    public static final class Echo extends WebSocketHandler {
        static volatile CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        protected CompletionStage<?> onMessage(String message) {
            return writeMessage(message);
        }

        @Override
        protected void onClose() {
            closed.complete(closeCode());
        }
    }

    /** A long poll that waits forever, unless the application drains. */
    public static final class Poll extends RequestHandler {
        static volatile CountDownLatch waiting = new CountDownLatch(0);

        public CompletionStage<Void> get() {
            onDrain(() -> sendRetryLater(Duration.ofMillis(1500)));
            waiting.countDown();
            return new CompletableFuture<>();
        }
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private TestServer serve(Application app) {
        TestServer s = TestServer.start(app);
        toClose.add(s);
        return s;
    }

    private HttpResponse<String> get(TestServer s, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(s.url(path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestsConnectionsBytesAndWebSocketsAreCountedAndExportedToPrometheus() throws Exception {
        GaleMetrics metrics = new GaleMetrics();
        toClose.add(metrics);
        Application app = new Application(List.of(Route.url("/item/([0-9]+)", Item.class),
                Route.url("/echo", Echo.class)), ApplicationSettings.builder().metrics(metrics).build());
        app.get("/metrics", PrometheusEndpoint.of(metrics));
        TestServer s = serve(app);

        assertThat(get(s, "/item/1").statusCode()).isEqualTo(200);
        assertThat(get(s, "/item/22").statusCode()).isEqualTo(200);
        assertThat(get(s, "/nothing/here").statusCode()).isEqualTo(404);

        Echo.closed = new CompletableFuture<>();
        CompletableFuture<String> echoed = new CompletableFuture<>();
        WebSocket ws = client.newWebSocketBuilder().buildAsync(URI.create(s.websocketUrl("/echo")), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                echoed.complete(data.toString());
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        ws.sendText("hi", true);
        assertThat(echoed.get(30, TimeUnit.SECONDS)).isEqualTo("hi"); // onMessage ran: the upgrade is done
        MetricsSnapshot open = metrics.snapshot();
        assertThat(open.open(ConnectionKind.WEBSOCKET)).isEqualTo(1);
        assertThat(open.opened(ConnectionKind.HTTP1)).isPositive();

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        assertThat(Echo.closed.get(30, TimeUnit.SECONDS)).isEqualTo(1000);

        MetricsSnapshot m = metrics.snapshot();
        assertThat(m.route("/item/([0-9]+)").requests(2)).isEqualTo(2);
        assertThat(m.route("/item/([0-9]+)").latency().count()).isEqualTo(2);
        assertThat(m.route("/item/1")).isNull();
        assertThat(m.route(GaleMetrics.UNMATCHED).requests(4)).isEqualTo(1);
        assertThat(m.route("/echo").requests(1)).isEqualTo(1); // the 101
        assertThat(m.open(ConnectionKind.WEBSOCKET)).isZero();
        assertThat(m.opened(ConnectionKind.WEBSOCKET)).isEqualTo(1);
        assertThat(m.bytesReceived()).isPositive();
        assertThat(m.bytesSent()).isPositive();
        assertThat(m.loops()).extracting(l -> l.name()).contains(s.loop().name());

        HttpResponse<String> text = get(s, "/metrics");
        assertThat(text.headers().firstValue("Content-Type")).hasValue(PrometheusEndpoint.CONTENT_TYPE);
        assertThat(text.body())
                .contains("gale_http_server_requests_total{route=\"/item/([0-9]+)\",status=\"2xx\"} 2.0")
                .contains("gale_http_server_requests_total{route=\"[unmatched]\",status=\"4xx\"} 1.0")
                .contains("gale_http_server_duration_seconds_count{route=\"/item/([0-9]+)\"} 2")
                .contains("gale_http_server_duration_le_total{le=\"+Inf\",route=\"/item/([0-9]+)\"} 2.0")
                .contains("gale_connections_opened_total{kind=\"websocket\"} 1.0")
                .contains("gale_connections_open{kind=\"websocket\"} 0.0")
                .contains("gale_bytes_received_bytes_total")
                .contains("gale_ioloop_lag_seconds{loop=\"" + s.loop().name() + "\"}")
                .doesNotContain("route=\"/item/1\"");
    }

    @Test
    void readinessTurnsFalseWhenTheApplicationDrains() throws Exception {
        Application app = new Application();
        app.get("/healthz", Health.liveness()).get("/readyz", Health.readiness());
        TestServer s = serve(app);
        assertThat(get(s, "/readyz").statusCode()).isEqualTo(200);
        assertThat(get(s, "/readyz").body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(app.isDraining()).isFalse();
        app.drain(Duration.ofSeconds(5)).get(30, TimeUnit.SECONDS); // nothing registered: done at once
        assertThat(app.isDraining()).isTrue();
        HttpResponse<String> ready = get(s, "/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("{\"status\":\"draining\"}");
        assertThat(ready.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(get(s, "/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void shutdownClosesWebSocketsWithGoingAwayAndAnswersLongPollsWithRetryAfter() throws Exception {
        int n = 20;
        Application app = new Application(List.of(Route.url("/echo", Echo.class), Route.url("/poll", Poll.class)));
        TestServer s = serve(app);
        Poll.waiting = new CountDownLatch(n);
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            polls.add(client.sendAsync(HttpRequest.newBuilder(URI.create(s.url("/poll"))).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<CompletableFuture<Integer>> closes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CompletableFuture<Integer> code = new CompletableFuture<>();
            CompletableFuture<String> echoed = new CompletableFuture<>();
            WebSocket ws = client.newWebSocketBuilder().buildAsync(URI.create(s.websocketUrl("/echo")), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    echoed.complete(data.toString());
                    w.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
                    code.complete(statusCode);
                    return null; // the JDK answers the close frame
                }

                @Override
                public void onError(WebSocket w, Throwable error) {
                    code.completeExceptionally(error);
                }
            }).get(30, TimeUnit.SECONDS);
            ws.sendText("x", true);
            echoed.get(30, TimeUnit.SECONDS); // upgraded and registered with the drain
            closes.add(code);
        }
        assertThat(Poll.waiting.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(app.gracefulDrain().pending()).isEqualTo(2 * n);

        s.httpServer().shutdown(Duration.ofSeconds(60)).get(90, TimeUnit.SECONDS);

        assertThat(app.isDraining()).isTrue();
        for (CompletableFuture<Integer> c : closes) {
            assertThat(c.get(30, TimeUnit.SECONDS)).isEqualTo(CloseCodes.GOING_AWAY);
        }
        for (CompletableFuture<HttpResponse<String>> p : polls) {
            HttpResponse<String> r = p.get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
        }
        assertThat(s.httpServer().connectionCount()).isZero();
    }
}
