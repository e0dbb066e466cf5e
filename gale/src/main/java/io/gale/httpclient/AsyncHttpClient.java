package io.gale.httpclient;

import io.gale.http2.Http2Limits;
import io.gale.ioloop.IOLoop;
import java.net.InetAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

/**
 * Non-blocking HTTP client (Tornado's {@code AsyncHTTPClient}) with a connection pool, on one
 * {@link IOLoop}. It speaks HTTP/1.1, and HTTP/2 when a TLS server chooses {@code h2} by ALPN
 * (offered by default, see {@link ClientOptions#http2()}) or a request asks for h2c with prior
 * knowledge ({@link HttpRequest.Builder#http2PriorKnowledge}): then all requests to the origin
 * share one connection, multiplexed up to the server's stream limit. The API is the same either
 * way; {@link HttpResponse#version()} says which protocol answered.
 *
 * <pre>{@code
 * AsyncHttpClient client = new AsyncHttpClient();          // binds to IOLoop.current()
 * client.fetch("http://127.0.0.1:8888/").thenAccept(r -> System.out.println(r.text()));
 * // in a coroutine (virtual thread):
 * HttpResponse r = Coroutines.await(client.fetch(HttpRequest.newBuilder(url).method("POST").body(json).build()));
 * }</pre>
 *
 * <p>A non-2xx response fails the future with an {@link HttpClientException} carrying the response,
 * unless the request says {@code raiseError(false)}; failures without a response (timeouts,
 * connection and TLS errors, malformed or oversized responses) fail it with code 599 and the cause.
 *
 * <p>Connections are pooled per (scheme, host, port, proxy, TLS settings); see
 * {@link ClientOptions} for the limits. Requests beyond {@code maxClients} queue.
 *
 * <p>Threading: {@link #fetch} and {@link #close} are safe from any thread (they hop to the
 * loop); everything else happens on the client's loop, where the futures complete, so their
 * continuations run there too. Lifecycle: usable until {@link #close()}; the loop must be running.
 */
public final class AsyncHttpClient implements AutoCloseable {
    private final IOLoop loop;
    private final ClientOptions options;
    private final ConnectionPool pool;
    private final Connector connector;
    private volatile boolean closed;

    /** A client on {@link IOLoop#current()}, or {@link IOLoop#instance()} off a loop thread. */
    public AsyncHttpClient() {
        this(currentOrInstance(), ClientOptions.defaults());
    }

    /**
     * A client with default options on {@code loop}.
     *
     * @param loop the loop
     */
    public AsyncHttpClient(IOLoop loop) {
        this(loop, ClientOptions.defaults());
    }

    /**
     * Creates an {@code AsyncHttpClient}.
     *
     * @param loop the loop
     * @param options the options
     */
    public AsyncHttpClient(IOLoop loop, ClientOptions options) {
        this(loop, options, http2Limits(options));
    }

    /** A client whose HTTP/2 connections use {@code http2Limits} (tests: small windows, floods). */
    AsyncHttpClient(IOLoop loop, ClientOptions options, Http2Limits http2Limits) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.options = Objects.requireNonNull(options, "options");
        this.pool = new ConnectionPool(loop, options);
        this.connector = new Connector(loop, options, http2Limits);
    }

    /**
     * The HTTP/2 limits of a client: Gale's defaults, with the response head limited as over
     * HTTP/1.1 ({@code maxHeaderSize}, advertised as SETTINGS_MAX_HEADER_LIST_SIZE).
     */
    static Http2Limits http2Limits(ClientOptions options) {
        int list = Math.max(options.maxHeaderSize(), 32);
        int block = (int) Math.min(Integer.MAX_VALUE, Math.max(4L * list, Http2Limits.DEFAULTS.maxHeaderBlockSize()));
        return Http2Limits.builder().maxHeaderListSize(list).maxHeaderBlockSize(block).build();
    }

    private static final java.util.concurrent.ConcurrentHashMap<IOLoop, AsyncHttpClient> shared =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The shared client of the calling thread's loop ({@link IOLoop#current()}, else
     * {@link IOLoop#instance()}), created on first use: Tornado's {@code AsyncHTTPClient()}, which
     * is one instance per loop. A handler that fetches with it gets its futures completed on its
     * own loop, whichever loop of a {@code LoopGroup} serves it, and shares that loop's
     * connection pool with the other handlers there.
     *
     * @return the shared client of the calling thread's loop ({@link IOLoop#current()}, else {@link IOLoop#instance()}), created on first use: Tornado's {@code AsyncHTTPClient()}, which is one instance per loop
     */
    public static AsyncHttpClient current() {
        return shared.computeIfAbsent(currentOrInstance(), AsyncHttpClient::new);
    }

    private static IOLoop currentOrInstance() {
        IOLoop l = IOLoop.current();
        return l != null ? l : IOLoop.instance();
    }

    /**
     * GET {@code url}.
     *
     * @param url the URL
     * @return a future of the HTTP response
     */
    public CompletableFuture<HttpResponse> fetch(String url) {
        HttpRequest r;
        try {
            r = HttpRequest.get(url);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return fetch(r);
    }

    /**
     * Sends {@code request}, following redirects as it says.
     *
     * @param request the request
     * @return completes on the client's loop with the response; fails with
     *     {@link HttpClientException} (see the class comment), with {@link IllegalArgumentException}
     *     for a request that breaks the method/body rules, with {@link IllegalStateException} after
     *     {@link #close()}
     */
    public CompletableFuture<HttpResponse> fetch(HttpRequest request) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("AsyncHttpClient is closed"));
        }
        FetchCall call = new FetchCall(this, request);
        loop.runOrSubmit(call::start);
        return call.result;
    }

    /**
     * The loop.
     *
     * @return the loop
     */
    public IOLoop loop() {
        return loop;
    }

    /**
     * The options.
     *
     * @return the options
     */
    public ClientOptions options() {
        return options;
    }

    /** Closes idle connections and fails queued requests; requests in flight finish. Idempotent. */
    @Override
    public void close() {
        closed = true;
        shared.remove(loop, this); // a closed shared client is replaced on the next current()
        if (loop.inLoop() || !loop.isClosed()) {
            loop.runOrSubmit(pool::close);
        }
    }

    ConnectionPool pool() {
        return pool;
    }

    /**
     * Open connections of this client's pool, idle ones included. For monitoring
     * ({@code GaleMetrics.bindHttpClient}): the pool lives on its loop, and a reading from another
     * thread may be a moment old.
     *
     * @return the open connections
     */
    public int openConnections() {
        return pool.openConnections();
    }

    /**
     * Idle pooled connections (as {@link #openConnections()}: for monitoring).
     *
     * @return the idle connections
     */
    public int idleConnections() {
        return pool.idleConnections();
    }

    /**
     * Requests waiting for a connection (as {@link #openConnections()}: for monitoring).
     *
     * @return the queued requests
     */
    public int queuedRequests() {
        return pool.queued();
    }

    Connector connector() {
        return connector;
    }

    /** The pool key of a request. */
    Address addressFor(HttpRequest r) {
        boolean tls = r.uri.getScheme().equalsIgnoreCase("https");
        int port = r.uri.getPort() >= 0 ? r.uri.getPort() : tls ? 443 : 80;
        String proxyAuth = r.proxyHost != null && r.proxyUsername != null
                ? RequestHead.basic(r.proxyUsername, r.proxyPassword) : null;
        SSLContext ctx = null;
        boolean verify = false;
        if (tls) {
            ctx = !r.validateCert ? TlsContexts.trustAll()
                    : r.sslContext != null ? r.sslContext : TlsContexts.defaultContext();
            verify = r.validateCert;
        }
        InetAddress source = r.networkInterface;
        // h2c with prior knowledge only straight to the origin: an HTTP/1.1 proxy would not understand it
        boolean priorKnowledge = r.http2PriorKnowledge && !tls && r.proxyHost == null;
        return new Address(tls, r.uri.getHost().toLowerCase(java.util.Locale.ROOT), port, r.proxyHost,
                r.proxyPort, proxyAuth, ctx, verify, source, !r.allowIpv6, priorKnowledge);
    }
}
