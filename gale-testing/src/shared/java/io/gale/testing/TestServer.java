package io.gale.testing;

import io.gale.http.HttpServer;
import io.gale.http.HttpServerConnectionDelegate;
import io.gale.http.HttpServerOptions;
import io.gale.httpclient.AsyncHttpClient;
import io.gale.httpclient.HttpClient;
import io.gale.httpclient.HttpRequest;
import io.gale.httpclient.HttpResponse;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.IOLoopOptions;
import io.gale.net.ConnectOptions;
import io.gale.web.Application;
import io.gale.websocket.WebSocketClient;
import io.gale.websocket.WebSocketClientConnection;
import io.gale.websocket.WebSocketClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * An application served on 127.0.0.1 on an unused port, with clients pointed at it (Tornado's
 * {@code AsyncHTTPTestCase}, without the base class): {@link #fetch} a path, {@link #url} of a
 * path, an {@link AsyncHttpClient} on the server's loop, a blocking {@link HttpClient}, WebSocket
 * connections.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.start(app)) {
 *     HttpResponse r = server.fetch("/todos");                        // 4xx/5xx are answers, not exceptions
 *     HttpResponse p = server.fetch("/todos", b -> b.method("POST").body("{\"title\":\"milk\"}"));
 *     WebSocketClientConnection ws = server.websocket("/updates");
 *     String first = GaleTesting.await(ws.readMessage()).text();
 * }
 * }</pre>
 *
 * <p>Loop: one {@link IOLoop} serves every connection (Tornado's one-loop test model, so the
 * blocked-loop watchdog covers the whole server): its own, started in the background, or the
 * caller's ({@link Builder#loop}). HTTPS when the server options carry TLS
 * ({@code HttpServerOptions.builder().tls(identity.sslContext()).build()}); the clients then trust what
 * {@link Builder#trust} gives (a {@link TestCertificates#trustingContext()}).
 *
 * <p>Threading: every method may be called from any thread except the server's loop
 * ({@code fetch} and {@code websocket} wait). {@link #close()} closes the clients and WebSocket
 * connections it made, the server and every connection, and the loop if it is its own.
 */
public final class TestServer implements AutoCloseable {
    private final IOLoop loop;
    private final boolean ownLoop;
    private final HttpServer server;
    private final int port;
    private final String scheme;
    private final SSLContext trust;
    private final List<WebSocketClientConnection> websockets = new ArrayList<>();
    private AsyncHttpClient asyncClient;
    private HttpClient blockingClient;
    private boolean closed;

    private TestServer(Builder b) {
        this.ownLoop = b.loop == null;
        this.loop = ownLoop ? newLoop() : b.loop;
        this.trust = b.trust;
        this.scheme = b.options.tcp().sslContext() != null ? "https" : "http";
        GaleTesting.BoundPort bound = GaleTesting.bindUnusedPort();
        HttpServer s = b.delegate instanceof Application app ? app.httpServer(b.options)
                : new HttpServer(b.delegate, b.options);
        try {
            s.addSockets(List.of(bound.socket()));
            s.start(loop);
        } catch (IOException | RuntimeException e) {
            bound.close();
            s.close();
            if (ownLoop) {
                loop.close();
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        this.server = s;
        this.port = bound.port();
    }

    private static IOLoop newLoop() {
        IOLoop loop = new IOLoop(IOLoopOptions.builder().name("gale-test-server").daemon(true).build());
        loop.startInBackground();
        return loop;
    }

    /**
     * Serves {@code app} with default server options on a loop of its own.
     *
     * @param app the application
     * @return the test server
     */
    public static TestServer start(HttpServerConnectionDelegate app) {
        return builder(app).start();
    }

    /**
     * Serves {@code app} with {@code options} (limits, timeouts, TLS) on a loop of its own.
     *
     * @param app the application
     * @param options the options
     * @return the test server
     */
    public static TestServer start(HttpServerConnectionDelegate app, HttpServerOptions options) {
        return builder(app).options(options).start();
    }

    /**
     * A server to configure: options, loop, the clients' trust.
     *
     * @param app the application
     * @return a new builder
     */
    public static Builder builder(HttpServerConnectionDelegate app) {
        return new Builder(app);
    }

    /** What to serve and how; not thread-safe. */
    public static final class Builder {
        private final HttpServerConnectionDelegate delegate;
        private HttpServerOptions options = HttpServerOptions.defaults();
        private IOLoop loop;
        private SSLContext trust;

        private Builder(HttpServerConnectionDelegate delegate) {
            this.delegate = Objects.requireNonNull(delegate, "app");
        }

        /**
         * Server options (default {@link HttpServerOptions#defaults()}).
         *
         * @param options the options
         * @return this builder
         */
        public Builder options(HttpServerOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Serve on {@code loop} (started by the caller, who closes it); default: a loop of its own.
         *
         * @param loop the loop
         * @return this builder
         */
        public Builder loop(IOLoop loop) {
            this.loop = Objects.requireNonNull(loop, "loop");
            return this;
        }

        /**
         * What the clients trust for HTTPS (default: the JDK's trust store).
         *
         * @param context the trust
         * @return this builder
         */
        public Builder trust(SSLContext context) {
            this.trust = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Binds an unused loopback port and starts serving.
         *
         * @return the start
         */
        public TestServer start() {
            return new TestServer(this);
        }
    }

    /**
     * The loop serving every connection.
     *
     * @return the loop serving every connection
     */
    public IOLoop loop() {
        return loop;
    }

    /**
     * The port on 127.0.0.1.
     *
     * @return the port on 127.0.0.1
     */
    public int port() {
        return port;
    }

    /**
     * {@code http://127.0.0.1:PORT} ({@code https} with TLS).
     *
     * @return the base URL
     */
    public String baseUrl() {
        return scheme + "://127.0.0.1:" + port;
    }

    /**
     * The absolute URL of {@code path} (Tornado's {@code get_url}).
     *
     * @param path the path
     * @return the absolute URL of {@code path} (Tornado's {@code get_url})
     */
    public String url(String path) {
        return baseUrl() + (path.startsWith("/") ? path : "/" + path);
    }

    /**
     * The {@code ws://} ({@code wss://}) URL of {@code path}.
     *
     * @param path the path
     * @return the {@code ws://} ({@code wss://}) URL of {@code path}
     */
    public String websocketUrl(String path) {
        return (scheme.equals("https") ? "wss" : "ws") + url(path).substring(scheme.length());
    }

    /**
     * The server underneath (connection count, graceful shutdown).
     *
     * @return the server underneath (connection count, graceful shutdown)
     */
    public HttpServer httpServer() {
        return server;
    }

    /**
     * A request builder for {@code path} on this server: {@code raiseError(false)} (an error
     * status is a response to assert on, as in Tornado's test {@code fetch}) and, with TLS, the
     * trusted context.
     *
     * @param path the path
     * @return a request builder for {@code path} on this server: {@code raiseError(false)} (an error status is a response to assert on, as in Tornado's test {@code fetch}) and, with TLS, the trusted context
     */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url(path)).raiseError(false);
        if (trust != null) {
            b.sslContext(trust);
        }
        return b;
    }

    /**
     * GET {@code path} and wait (at most {@link GaleTesting#asyncTestTimeout()}).
     *
     * @param path the path
     * @return the HTTP response
     */
    public HttpResponse fetch(String path) {
        return fetch(request(path).build());
    }

    /**
     * Fetch {@code path} with the request {@code customize} shapes (method, headers, body).
     *
     * @param path the path
     * @param customize the customize
     * @return the HTTP response
     */
    public HttpResponse fetch(String path, Consumer<HttpRequest.Builder> customize) {
        HttpRequest.Builder b = request(path);
        customize.accept(b);
        return fetch(b.build());
    }

    /**
     * Sends {@code request} with {@link #asyncHttpClient()} and waits for the response.
     *
     * @param request the request
     * @return the HTTP response
     */
    public HttpResponse fetch(HttpRequest request) {
        return GaleTesting.await(asyncHttpClient().fetch(request));
    }

    /**
     * A client on the server's loop (Tornado's {@code self.http_client}); closed with the server.
     *
     * @return a client on the server's loop (Tornado's {@code self.http_client}); closed with the server
     */
    public synchronized AsyncHttpClient asyncHttpClient() {
        checkOpen();
        if (asyncClient == null) {
            asyncClient = new AsyncHttpClient(loop);
        }
        return asyncClient;
    }

    /**
     * A blocking client with a loop of its own; closed with the server.
     *
     * @return a blocking client with a loop of its own; closed with the server
     */
    public synchronized HttpClient httpClient() {
        checkOpen();
        if (blockingClient == null) {
            blockingClient = new HttpClient();
        }
        return blockingClient;
    }

    /**
     * Opens a WebSocket to {@code path} on the server's loop and waits for the handshake.
     *
     * @param path the path
     * @return the web socket client connection
     */
    public WebSocketClientConnection websocket(String path) {
        return websocket(path, WebSocketClientOptions.defaults());
    }

    /**
     * Opens a WebSocket with {@code options} (subprotocols, headers, compression); the loop and,
     * with TLS, the trusted context are set here. Closed with the server.
     *
     * @param path the path
     * @param options the options
     * @return the web socket client connection
     */
    public WebSocketClientConnection websocket(String path, WebSocketClientOptions options) {
        ConnectOptions connect = options.connect().toBuilder().loop(loop).build();
        if (trust != null) {
            connect = connect.toBuilder().tls(trust).build();
        }
        WebSocketClientConnection ws = GaleTesting.await(
                WebSocketClient.connect(URI.create(websocketUrl(path)), options.toBuilder().connect(connect).build()));
        synchronized (this) {
            websockets.add(ws);
        }
        return ws;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the test server is closed");
        }
    }

    @Override
    public void close() {
        List<WebSocketClientConnection> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = List.copyOf(websockets);
        }
        for (WebSocketClientConnection ws : open) {
            ws.close();
        }
        if (asyncClient != null) {
            asyncClient.close();
        }
        if (blockingClient != null) {
            blockingClient.close();
        }
        server.close();
        if (ownLoop) {
            loop.addCallback(loop::close); // after the closes queued on it
        }
    }

    @Override
    public String toString() {
        return "TestServer[" + baseUrl() + "]";
    }
}
