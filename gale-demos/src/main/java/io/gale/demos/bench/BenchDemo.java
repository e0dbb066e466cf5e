package io.gale.demos.bench;

import io.gale.demos.DemoOptions;
import io.gale.http.HttpExchange;
import io.gale.http.HttpHeaders;
import io.gale.http.HttpMessageDelegate;
import io.gale.http.HttpServer;
import io.gale.http.HttpServerConnectionDelegate;
import io.gale.http.HttpServerRequest;
import io.gale.ioloop.LoopGroup;
import io.gale.options.Option;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/**
 * The TechEmpower "plaintext" and "json" tests served by {@link HttpServer} directly, as the
 * benchmark harness runs them: {@code GET /plaintext} answers {@code Hello, World!} as text/plain,
 * {@code GET /json} answers {@code {"message":"Hello, World!"}} serialised per request; both with
 * {@code Server} and {@code Date} headers (the server adds Date, formatted once per second).
 *
 * <pre>
 * ./gale-demo bench [--port 8080] [--loops N] [--host 127.0.0.1]
 * </pre>
 *
 * <p>The delegate is one stateless object answering in {@code headersReceived}, so a request
 * allocates no handler; responses carry Content-Length (given as a number: the exchange writes the
 * field) and leave in one write.
 */
public final class BenchDemo implements HttpServerConnectionDelegate, HttpMessageDelegate {
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    /** Read-only and shared by all loops: the exchange never modifies the headers it is given. */
    private static final HttpHeaders PLAINTEXT_HEADERS = new HttpHeaders()
            .set("Server", "Gale")
            .set("Content-Type", "text/plain");
    private static final HttpHeaders JSON_HEADERS = new HttpHeaders()
            .set("Server", "Gale")
            .set("Content-Type", "application/json");
    private static final HttpHeaders NOT_FOUND_HEADERS = new HttpHeaders()
            .set("Server", "Gale");

    private final LoopGroup group;
    private final HttpServer server;
    /** With {@code --metrics}: what an Application with the metrics setting records, per request and per connection. */
    private final io.gale.metrics.GaleMetrics metrics;
    private final io.gale.metrics.RouteMetrics plaintextMeter;
    private final io.gale.metrics.RouteMetrics jsonMeter;

    private BenchDemo(String host, int port, int loops) throws IOException {
        this(host, port, loops, false);
    }

    private BenchDemo(String host, int port, int loops, boolean withMetrics) throws IOException {
        metrics = withMetrics ? new io.gale.metrics.GaleMetrics() : null;
        plaintextMeter = withMetrics ? metrics.route("/plaintext") : null;
        jsonMeter = withMetrics ? metrics.route("/json") : null;
        group = new LoopGroup(loops).start();
        server = new HttpServer(this);
        server.bind(port, host);
        server.start(group);
    }

    /** Starts serving on {@code host:port} (0 for any port) with {@code loops} loops. */
    public static BenchDemo start(String host, int port, int loops) throws IOException {
        return new BenchDemo(host, port, loops);
    }

    /** As {@link #start(String, int, int)}, recording Gale's metrics when {@code withMetrics}. */
    public static BenchDemo start(String host, int port, int loops, boolean withMetrics) throws IOException {
        return new BenchDemo(host, port, loops, withMetrics);
    }

    @Override
    public io.gale.http.HttpServerListener serverListener(HttpServer s) {
        return metrics == null ? io.gale.http.HttpServerListener.NONE : metrics.serverListener(s);
    }

    /** The bound port. */
    public int port() {
        return server.boundPorts().get(0);
    }

    /** {@code listening on HOST:PORT}. */
    public String listeningLine() {
        return io.gale.demos.Demos.listeningLine(server.localAddresses().get(0));
    }

    /** Stops the server and its loops. */
    public void stop() {
        server.close();
        group.close();
    }

    public static void main(String[] args) throws IOException {
        DemoOptions demo = DemoOptions.forDemo("bench");
        Option<Integer> port = demo.port(8080);
        Option<Integer> loops = demo.parser().option("loops", Integer.class)
                .defaultValue(Runtime.getRuntime().availableProcessors()).help("event loops (default: one per core)")
                .check(n -> n > 0, "a positive number").define();
        Option<String> host = demo.parser().define("host", "127.0.0.1", "the address to listen on");
        Option<Boolean> withMetrics = demo.parser().option("metrics", Boolean.class).defaultValue(false)
                .help("record Gale's metrics (requests, latency, connections, loop lag): for measuring their cost").define();
        demo.parseOptionsOnly(args);
        BenchDemo bench = demo.listen(port.get(), () -> start(host.get(), port.get(), loops.get(), withMetrics.get()));
        System.out.println(bench.listeningLine());
        System.out.flush();
    }

    // ---------------------------------------------------------------- serving

    @Override
    public HttpMessageDelegate startRequest(HttpExchange exchange) {
        return this;
    }

    @Override
    public CompletionStage<?> headersReceived(HttpServerRequest request) {
        HttpExchange c = request.exchange();
        switch (request.uri()) {
            case "/plaintext" -> c.writeHeaders(200, null, PLAINTEXT_HEADERS, HELLO.length, ByteBuffer.wrap(HELLO));
            case "/json" -> {
                byte[] body = Json.message("Hello, World!"); // serialised per request, by Jackson
                c.writeHeaders(200, null, JSON_HEADERS, body.length, ByteBuffer.wrap(body));
            }
            default -> c.writeHeaders(404, null, NOT_FOUND_HEADERS, 0, null);
        }
        c.finish();
        if (metrics != null) {
            // What the web layer does when a handler finishes: the route's meter, resolved once.
            io.gale.metrics.RouteMetrics m = request.uri().equals("/plaintext") ? plaintextMeter
                    : request.uri().equals("/json") ? jsonMeter : metrics.unmatched();
            request.markFinished();
            m.record(200, request.requestTimeNanos());
        }
        return null;
    }

    @Override
    public CompletionStage<?> dataReceived(ByteBuffer chunk) {
        return null; // bodies are not used by these tests
    }

    @Override
    public void finish() {
    }

    @Override
    public void onConnectionClose() {
    }

    /**
     * TechEmpower's JSON test: a new object serialised per request with Jackson, as the peers do
     * (Vert.x's JsonObject, Netty's ObjectMapper). The mapper is created on the first /json, so
     * the start-up measurement (/plaintext) does not pay for it.
     */
    static final class Json {
        record Message(String message) {
        }

        private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
                new com.fasterxml.jackson.databind.ObjectMapper();

        private Json() {
        }

        static byte[] message(String text) {
            try {
                return MAPPER.writeValueAsBytes(new Message(text));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
