package io.gale.demos.bench;

import io.gale.demos.DemoOptions;
import io.gale.http.HttpExchange;
import io.gale.http.HttpHeaders;
import io.gale.http.HttpMessageDelegate;
import io.gale.http.HttpServer;
import io.gale.http.HttpServerConnectionDelegate;
import io.gale.http.HttpServerOptions;
import io.gale.http.HttpServerRequest;
import io.gale.iostream.TlsOptions;
import io.gale.ioloop.LoopGroup;
import io.gale.options.Option;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The TechEmpower "plaintext" and "json" tests served by {@link HttpServer} directly, as the
 * benchmark harness runs them: {@code GET /plaintext} answers {@code Hello, World!} as text/plain,
 * {@code GET /json} answers {@code {"message":"Hello, World!"}} serialised per request; both with
 * {@code Server} and {@code Date} headers (the server adds Date, formatted once per second).
 *
 * <pre>
 * ./gale-demo bench [--port 8080] [--loops N] [--host 127.0.0.1] [--http2 true]
 *                   [--tls-port N --keystore FILE.p12 --keystore-password PW]
 * </pre>
 *
 * <p>With {@code --http2 true} the plain port also takes h2c with prior knowledge; with
 * {@code --tls-port}, a second server on the same loops serves HTTPS (TLS 1.3 only) from a PKCS#12
 * key store, offering {@code h2} by ALPN when HTTP/2 is on: the harness's HTTP/2 scenarios.
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
    /** The HTTPS server beside {@link #server} (same loops, same delegate), or null. */
    private final HttpServer tlsServer;
    /** With {@code --metrics}: what an Application with the metrics setting records, per request and per connection. */
    private final io.gale.metrics.GaleMetrics metrics;
    private final io.gale.metrics.RouteMetrics plaintextMeter;
    private final io.gale.metrics.RouteMetrics jsonMeter;

    private BenchDemo(String host, int port, int loops) throws IOException {
        this(host, port, loops, false, false, 0, null);
    }

    private BenchDemo(String host, int port, int loops, boolean withMetrics, boolean http2, int tlsPort,
            SSLContext tls) throws IOException {
        metrics = withMetrics ? new io.gale.metrics.GaleMetrics() : null;
        plaintextMeter = withMetrics ? metrics.route("/plaintext") : null;
        jsonMeter = withMetrics ? metrics.route("/json") : null;
        group = new LoopGroup(loops).start();
        HttpServerOptions options = HttpServerOptions.builder().http2(http2).build();
        server = new HttpServer(this, options);
        server.bind(port, host);
        server.start(group);
        if (tls != null) {
            tlsServer = new HttpServer(this, options.toBuilder().tcp(options.tcp().toBuilder()
                    .tls(tls, TlsOptions.server().toBuilder().protocols("TLSv1.3").build()).build()).build());
            tlsServer.bind(tlsPort, host);
            tlsServer.start(group);
        } else {
            tlsServer = null;
        }
    }

    /** Starts serving on {@code host:port} (0 for any port) with {@code loops} loops. */
    public static BenchDemo start(String host, int port, int loops) throws IOException {
        return new BenchDemo(host, port, loops);
    }

    /** As {@link #start(String, int, int)}, recording Gale's metrics when {@code withMetrics}. */
    public static BenchDemo start(String host, int port, int loops, boolean withMetrics) throws IOException {
        return new BenchDemo(host, port, loops, withMetrics, false, 0, null);
    }

    /**
     * As {@link #start(String, int, int)} with HTTP/2 on or off ({@code http2}: h2c with prior
     * knowledge on the plain port) and, when {@code tls} is not null, HTTPS on {@code tlsPort}
     * (TLS 1.3; ALPN {@code h2} and {@code http/1.1} when HTTP/2 is on).
     */
    public static BenchDemo start(String host, int port, int loops, boolean http2, int tlsPort, SSLContext tls)
            throws IOException {
        return new BenchDemo(host, port, loops, false, http2, tlsPort, tls);
    }

    /** A server TLS context from a PKCS#12 key store (its first key and certificate chain). */
    public static SSLContext tlsContext(Path keyStore, char[] password) throws IOException {
        try (var in = Files.newInputStream(keyStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use key store " + keyStore + ": " + e, e);
        }
    }

    /** The bound HTTPS port (after a start with TLS). */
    public int tlsPort() {
        return tlsServer.boundPorts().get(0);
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
        if (tlsServer != null) {
            tlsServer.close();
        }
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
        Option<Boolean> http2 = demo.parser().option("http2", Boolean.class).defaultValue(false)
                .help("serve HTTP/2 as well: h2c with prior knowledge on --port, ALPN h2 on --tls-port").define();
        Option<Integer> tlsPort = demo.parser().option("tls-port", Integer.class).defaultValue(0)
                .help("also serve HTTPS (TLS 1.3) on this port, with the key of --keystore (0: no HTTPS)").define();
        Option<String> keyStore = demo.parser().option("keystore", String.class).metavar("FILE").defaultValue("")
                .help("PKCS#12 key store with the server's key and certificate, for --tls-port").define();
        Option<String> keyStorePassword = demo.parser().define("keystore-password", "changeit",
                "the key store's password (and its key's)");
        demo.parseOptionsOnly(args);
        SSLContext tls = tlsPort.get() > 0
                ? tlsContext(Path.of(keyStore.get()), keyStorePassword.get().toCharArray()) : null;
        BenchDemo bench = demo.listen(port.get(), () -> tls == null && !http2.get()
                ? start(host.get(), port.get(), loops.get(), withMetrics.get())
                : new BenchDemo(host.get(), port.get(), loops.get(), withMetrics.get(), http2.get(), tlsPort.get(), tls));
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
