package io.gale.http;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.LoopGroup;
import io.gale.iostream.IOStream;
import io.gale.iostream.SslIOStream;
import io.gale.net.TcpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * A non-blocking HTTP/1.1 and HTTP/2 server (Tornado's {@code HTTPServer}): a {@link TcpServer}
 * whose connections speak HTTP and hand every request to a {@link HttpServerConnectionDelegate}
 * (the web framework's {@code Application}, or any small implementation). HTTP/2 is on with
 * {@link HttpServerOptions.Builder#http2}: each connection then chooses its protocol
 * ({@link Negotiation}), and the delegate serves both alike.
 *
 * <pre>{@code
 * HttpServer server = new HttpServer(connection -> new HttpMessageDelegate() { ... });
 * server.listen(8888);              // all cores; start(IOLoop) for Tornado's one-loop model
 * ...
 * server.shutdown(Duration.ofSeconds(10)).join();   // graceful: finish in-flight requests
 * }</pre>
 *
 * <p>Loops: as {@link TcpServer}: {@link #start()} runs on an own {@link LoopGroup} with one loop
 * per core; {@link #start(LoopGroup)} and {@link #start(IOLoop)} on the caller's. Every
 * connection lives on one loop and its delegate calls run there. TLS: set an {@code SSLContext}
 * with {@link HttpServerOptions.Builder#tls}; request protocol is then {@code https}.
 *
 * <p>Stopping: {@link #stop()} stops accepting; {@link #shutdown(Duration)} first tells the
 * delegate's {@link HttpServerListener} (an {@code Application} turns readiness false and drains
 * its WebSockets and long polls), then stops accepting, closes idle keep-alive connections at
 * once, lets requests in flight finish (their connections close after the response; an HTTP/2
 * connection sends GOAWAY and closes when its streams are done) and closes what is left,
 * upgraded connections included, at the deadline; {@link #close()} closes everything now.
 *
 * <p>Low resources: at {@link HttpServerOptions.Builder#maxConnections maxConnections} with a client
 * waiting, or near the process's descriptor limit, the keep-alive connections idle longest
 * (HTTP/1.1 between requests, HTTP/2 without open streams: GOAWAY, then close) are closed so
 * that the new client is served, and connections finishing a request close instead of idling;
 * a connection in the middle of a request never is. The thresholds are in {@link TcpServer}'s
 * class comment ({@link IdleConnections}).
 *
 * <p>Threading: public methods are safe from any thread. Lifecycle as {@link TcpServer}: new →
 * bind/listen/start → stop/shutdown/close (final).
 */
public final class HttpServer implements AutoCloseable {
    private final HttpServerConnectionDelegate delegate;
    private final HttpServerOptions options;
    private final TcpServer tcp;
    private final Set<ServerConnection> connections = ConcurrentHashMap.newKeySet();
    private final IdleConnections idle;
    private final io.gale.http2.Http2Limits http2Limits;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final java.util.concurrent.atomic.AtomicBoolean finishing = new java.util.concurrent.atomic.AtomicBoolean();
    private final HttpServerListener listener;
    private volatile boolean shuttingDown;
    /** The listener's drain (WebSockets, long polls) is done; guarded by the volatile write order. */
    private volatile boolean listenerDrained;

    /**
     * A server with default options.
     *
     * @param delegate what the requests go to (an {@code Application}, say)
     */
    public HttpServer(HttpServerConnectionDelegate delegate) {
        this(delegate, HttpServerOptions.defaults());
    }

    /**
     * A server with {@code options}.
     *
     * @param delegate what the requests go to (an {@code Application}, say)
     * @param options the options
     */
    public HttpServer(HttpServerConnectionDelegate delegate, HttpServerOptions options) {
        this(delegate, options, Http2ServerConnection.limits(Objects.requireNonNull(options, "options")));
    }

    /** With HTTP/2 limits other than the defaults: for tests of the defences. */
    HttpServer(HttpServerConnectionDelegate delegate, HttpServerOptions options, io.gale.http2.Http2Limits http2Limits) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.options = Objects.requireNonNull(options, "options");
        this.http2Limits = Objects.requireNonNull(http2Limits, "http2Limits");
        this.idle = new IdleConnections(connections, this::lowResources);
        this.tcp = new TcpServer(this::handleStream, Negotiation.tcpOptions(options), idle);
        this.listener = Objects.requireNonNull(delegate.serverListener(this), "serverListener");
        if (io.gale.internal.autoreload.ChildLink.active()) {
            // dev mode: when a newer version of the application serves, finish in-flight requests
            io.gale.internal.autoreload.ChildLink.get().addDrain(this::shutdown);
        }
    }

    /**
     * The options.
     *
     * @return the options
     */
    public HttpServerOptions options() {
        return options;
    }

    /**
     * Binds {@code port} on all interfaces and starts (all cores) if not started yet.
     *
     * @param port the port
     * @return this HTTP server
     * @throws IOException if the port cannot be bound
     */
    public HttpServer listen(int port) throws IOException {
        tcp.listen(port);
        return this;
    }

    /**
     * Binds {@code port} on {@code address} and starts (all cores) if not started yet.
     *
     * @param port the port
     * @param address the address
     * @return this HTTP server
     * @throws IOException if the port cannot be bound
     */
    public HttpServer listen(int port, String address) throws IOException {
        tcp.listen(port, address);
        return this;
    }

    /**
     * Binds {@code port} on all interfaces; accepting begins once started.
     *
     * @param port the port
     * @return this HTTP server
     * @throws IOException if the port cannot be bound
     */
    public HttpServer bind(int port) throws IOException {
        tcp.bind(port);
        return this;
    }

    /**
     * Binds {@code port} on {@code address}; accepting begins once started.
     *
     * @param port the port
     * @param address the address
     * @return this HTTP server
     * @throws IOException if the port cannot be bound
     */
    public HttpServer bind(int port, String address) throws IOException {
        tcp.bind(port, address);
        return this;
    }

    /**
     * Serves listening sockets bound elsewhere (see {@link TcpServer#addSockets}).
     *
     * @param sockets the sockets
     * @return this HTTP server
     * @throws IOException if an I/O error occurs
     */
    public HttpServer addSockets(List<java.nio.channels.ServerSocketChannel> sockets) throws IOException {
        tcp.addSockets(sockets);
        return this;
    }

    /**
     * Starts on an own loop group, one loop per core (shut down with the server).
     *
     * @return this HTTP server
     */
    public HttpServer start() {
        tcp.start();
        return this;
    }

    /**
     * Starts on {@code group}, which the caller started and shuts down.
     *
     * @param group the group
     * @return this HTTP server
     */
    public HttpServer start(LoopGroup group) {
        tcp.start(group);
        return this;
    }

    /**
     * Starts on a single loop: accepting and all connections run there.
     *
     * @param loop the loop
     * @return this HTTP server
     */
    public HttpServer start(IOLoop loop) {
        tcp.start(loop);
        return this;
    }

    /**
     * The bound ports (useful after binding port 0).
     *
     * @return the bound ports (useful after binding port 0)
     */
    public List<Integer> boundPorts() {
        return tcp.boundPorts();
    }

    /**
     * The addresses of the listening sockets.
     *
     * @return the addresses of the listening sockets
     */
    public List<InetSocketAddress> localAddresses() {
        return tcp.localAddresses();
    }

    /**
     * Live HTTP connections.
     *
     * @return the connection count
     */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * Application bytes read from this server's connections, upgraded ones included (for metrics).
     *
     * @return the bytes received
     */
    public long bytesReceived() {
        return tcp.bytesRead();
    }

    /**
     * Application bytes written to this server's connections, upgraded ones included (for metrics).
     *
     * @return the bytes sent
     */
    public long bytesSent() {
        return tcp.bytesWritten();
    }

    private boolean lowResources() {
        return tcp.lowResources();
    }

    private void handleStream(IOStream stream, InetSocketAddress address) {
        String ip = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        if (!options.http2()) {
            startHttp1(stream, ip);
            return;
        }
        Negotiation.choose(stream, options, http2 -> {
            if (http2) {
                startHttp2(stream, ip);
            } else {
                startHttp1(stream, ip);
            }
        });
    }

    private void startHttp1(IOStream stream, String ip) {
        // Upgrade: h2c only on plain connections (RFC 7540 section 3.2; TLS negotiates by ALPN)
        Http1ServerConnection.Http2Upgrader upgrader = options.http2() && !(stream instanceof SslIOStream)
                ? this::startUpgraded : null;
        Http1ServerConnection c = new Http1ServerConnection(stream, ip, options, delegate, idle,
                this::connectionClosed, upgrader);
        connections.add(c);
        listener.connectionOpened(c.loop());
        c.start();
        if (shuttingDown) {
            c.drain();
        }
    }

    private void startHttp2(IOStream stream, String ip) {
        startHttp2(stream, ip, null);
    }

    /** An HTTP/1.1 connection switched by {@code Upgrade: h2c}: it left the connection set, this one joins. */
    private void startUpgraded(IOStream stream, String ip, H2cUpgrade upgrade) {
        startHttp2(stream, ip, upgrade);
    }

    private void startHttp2(IOStream stream, String ip, H2cUpgrade upgrade) {
        Http2ServerConnection c = new Http2ServerConnection(stream, ip, options, delegate, http2Limits, idle,
                this::connectionClosed, upgrade);
        connections.add(c);
        listener.connectionOpened(c.loop());
        c.start();
        if (shuttingDown) {
            c.drain();
        }
    }

    private void connectionClosed(ServerConnection c) {
        if (connections.remove(c)) {
            listener.connectionClosed(c.loop());
        }
        if (shuttingDown && listenerDrained && connections.isEmpty()) {
            finishShutdown();
        }
    }

    /** Stops accepting connections; live ones go on. */
    public void stop() {
        tcp.stop();
    }

    /**
     * Graceful stop: tells the delegate's listener first (readiness false, WebSockets and long
     * polls drained: see {@link HttpServerListener#shutdownStarted}), stops accepting, closes idle
     * connections now, lets requests in flight finish (each connection closes after its current
     * response), and closes what is still open, upgraded connections included, when
     * {@code deadline} has passed. Calling it again returns the same future.
     *
     * @param deadline the deadline
     * @return completes when every connection is closed (and an own loop group is shut down)
     */
    public CompletableFuture<Void> shutdown(Duration deadline) {
        synchronized (drained) {
            if (shuttingDown) {
                return drained;
            }
            shuttingDown = true;
        }
        CompletionStage<Void> longLived;
        try {
            longLived = listener.shutdownStarted(deadline);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(HttpServer.class).error("shutdownStarted of {} failed", listener, e);
            longLived = CompletableFuture.completedFuture(null);
        }
        tcp.stop();
        for (ServerConnection c : connections) {
            IOLoop loop = c.loop();
            loop.addCallback(c::drain);
            loop.callLater(deadline, c::forceClose);
        }
        // At the deadline whatever is left (WebSockets that did not answer their close, long
        // polls nobody finished) is closed by finishShutdown's tcp.stop(true).
        CompletableFuture.delayedExecutor(deadline.toNanos(), TimeUnit.NANOSECONDS).execute(this::finishShutdown);
        longLived.whenComplete((v, e) -> {
            listenerDrained = true;
            if (connections.isEmpty()) {
                finishShutdown();
            }
        });
        return drained;
    }

    private void finishShutdown() {
        if (drained.isDone() || !finishing.compareAndSet(false, true)) {
            return;
        }
        // Shutting down an own loop group joins its threads: not on one of them.
        Thread.ofPlatform().daemon().name("gale-http-shutdown").start(() -> {
            tcp.stop(true);
            drained.complete(null);
        });
    }

    /** Stops accepting and closes every connection now (their delegates see onConnectionClose). */
    @Override
    public void close() {
        synchronized (drained) {
            shuttingDown = true;
        }
        tcp.stop(true);
        drained.complete(null);
    }
}
