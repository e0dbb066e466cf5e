package io.gale.net;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.LoopGroup;
import io.gale.iostream.IOStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A non-blocking TCP server (Tornado's {@code TCPServer}): accepts connections and hands each one,
 * as an {@link IOStream}, to {@link #handleStream} — override it in a subclass or pass a
 * {@link StreamHandler}.
 *
 * <pre>{@code
 * TcpServer server = new TcpServer((stream, address) ->
 *         stream.readUntil(new byte[] {'\n'}, 64 * 1024)
 *               .thenCompose(stream::write)
 *               .whenComplete((v, e) -> stream.close()));
 * server.listen(8888);                        // binds, then starts one loop per core
 * ...
 * server.stop(true);                          // stop accepting, close live connections
 * }</pre>
 *
 * <p><b>Loops.</b> {@link #start()} runs the server on its own {@link LoopGroup} (one loop per
 * core), {@link #start(LoopGroup)} on a given group, {@link #start(IOLoop)} on a single loop.
 * Listening sockets are served by one loop of the group; each accepted connection goes to the
 * group's next loop (round robin) and its stream is created on, and lives on, that loop, where
 * {@code handleStream} runs.
 *
 * <p><b>Sockets.</b> {@link #bind} binds at once (so {@link #boundPorts()} is known, also with
 * port 0) and the sockets start accepting when the server starts, or at once if it already
 * has; {@link #listen} is bind plus {@link #start()} when not started yet. Several listening
 * sockets may be added. See {@link NetUtil#bindSockets} for what is bound.
 *
 * <p><b>Robustness.</b> A failing {@code accept} (e.g. out of file descriptors) pauses accepting
 * with a backoff and one log line per burst; it never spins and never gives up. An exception from
 * {@code handleStream} is logged and closes that connection only. With
 * {@link ServerOptions#maxConnections()} the server stops accepting while at the limit.
 *
 * <p><b>Low resources.</b> Idle clients must not lock out active ones (Jetty's low-resources
 * mode). A server given an {@link IdleConnectionCloser} (an {@code HttpServer} gives one; it
 * knows which connections are idle between requests) asks it to close the connection idle
 * longest:
 *
 * <table class="striped">
 * <caption>When idle connections are shed</caption>
 * <thead><tr><th>condition</th><th>what happens</th></tr></thead>
 * <tbody>
 * <tr><td>{@code maxConnections} reached and a client waits in the kernel's accept queue</td>
 *     <td>the oldest idle connection is closed; when it has closed, the waiting client is accepted
 *     (one closed per waiting client). Reaching the limit with nobody waiting closes nothing.</td></tr>
 * <tr><td>open descriptors of the process at or above 90 %
 *     of {@code RLIMIT_NOFILE} (counted at most once a second, estimated from the connection count
 *     in between), on accepting a connection</td>
 *     <td>the oldest idle connection is closed (one per accepted connection), so the process keeps
 *     room for active clients before {@code accept} fails with "Too many open files"</td></tr>
 * <tr><td>either of the above, when a connection finishes a request</td>
 *     <td>{@link #lowResources()} is true: the HTTP layer closes that connection after its
 *     response instead of keeping it alive</td></tr>
 * </tbody>
 * </table>
 *
 * A connection in the middle of a request is never closed for this. Without a closer (a plain
 * {@code TcpServer}), the limit only pauses accepting.
 *
 * <p><b>Threading and lifecycle.</b> The public methods are safe from any thread. new →
 * bind/listen/start (any order) → {@link #stop()} / {@link #stop(boolean)} / {@link #close()}
 * (final: a stopped server cannot be restarted).
 */
public class TcpServer implements AutoCloseable {
    /**
     * The logger, created on first use: SLF4J binds its provider on the first getLogger
     * (tens of ms), which a server that has logged nothing yet should not pay before its first
     * response.
     */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(TcpServer.class);
    }
    private static final Duration OWN_GROUP_SHUTDOWN = Duration.ofSeconds(5);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final StreamHandler handler;
    private final ServerOptions options;

    private final Object lock = new Object();
    /** Bound but not yet accepting (before start). Guarded by lock. */
    private final List<ServerSocketChannel> pending = new ArrayList<>();
    /** Every listening socket not yet closed. Guarded by lock. */
    private final List<ServerSocketChannel> listening = new ArrayList<>();
    private final List<InetSocketAddress> localAddresses = new CopyOnWriteArrayList<>();
    /** Accept-loop only. */
    private final List<Acceptor> acceptors = new ArrayList<>();
    private final Set<IOStream> connections = ConcurrentHashMap.newKeySet();
    /** Accepted and not yet closed, including connections whose stream is still being set up. */
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicBoolean acceptPaused = new AtomicBoolean();
    private final ConnectionTracker tracker = this::streamClosed;
    private final IdleConnectionCloser idle;
    /** Null where the JDK cannot count descriptors. */
    private final DescriptorGauge descriptors;
    /** A client waits while accepting is paused at maxConnections (cleared when accepting resumes). */
    private volatile boolean clientsWaiting;
    /** Bytes of connections already closed; live ones are summed when asked (see {@link #bytesRead()}). */
    private final java.util.concurrent.atomic.LongAdder closedBytesRead = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder closedBytesWritten = new java.util.concurrent.atomic.LongAdder();

    private IOLoop acceptLoop; // guarded by lock
    private Supplier<IOLoop> loops; // set once under lock, read on loops after start
    private LoopGroup ownGroup; // guarded by lock
    private boolean started; // guarded by lock
    private volatile boolean stopped;
    private volatile boolean closingConnections;

    /** A server whose subclass overrides {@link #handleStream}; default options. */
    public TcpServer() {
        this(null, ServerOptions.defaults());
    }

    /**
     * A server whose subclass overrides {@link #handleStream}.
     *
     * @param options the options
     */
    public TcpServer(ServerOptions options) {
        this(null, options);
    }

    /**
     * A server passing each connection to {@code handler}; default options.
     *
     * @param handler the request handler
     */
    public TcpServer(StreamHandler handler) {
        this(Objects.requireNonNull(handler, "handler"), ServerOptions.defaults());
    }

    /**
     * A server passing each connection to {@code handler} (null: override {@link #handleStream}).
     *
     * @param handler the request handler
     * @param options the options
     */
    public TcpServer(StreamHandler handler, ServerOptions options) {
        this(handler, options, null);
    }

    /**
     * A server passing each connection to {@code handler} (null: override {@link #handleStream})
     * that asks {@code idle} to close idle connections when resources run low (see the class
     * comment, "Low resources").
     *
     * @param handler the request handler
     * @param options the options
     * @param idle closes the connections idle longest; null for none
     */
    public TcpServer(StreamHandler handler, ServerOptions options, IdleConnectionCloser idle) {
        this(handler, options, idle, idle == null ? null : DescriptorGauge.ofProcess());
    }

    /** With a given descriptor gauge: for tests. */
    TcpServer(StreamHandler handler, ServerOptions options, IdleConnectionCloser idle, DescriptorGauge descriptors) {
        this.handler = handler;
        this.options = Objects.requireNonNull(options, "options");
        this.idle = idle;
        this.descriptors = descriptors;
    }

    /**
     * The options.
     *
     * @return the options
     */
    public ServerOptions options() {
        return options;
    }

    // -------------------------------------------------------------------------- binding

    /**
     * Binds {@code port} on all interfaces (IPv4 and IPv6) and starts if not started yet.
     *
     * @param port the port
     * @return this server
     * @throws IOException if the port cannot be bound
     */
    public TcpServer listen(int port) throws IOException {
        return listen(port, null);
    }

    /**
     * Binds {@code port} on {@code address} (null or "" for all interfaces) and starts the server
     * on its own loop group if it was not started yet (Tornado's {@code listen}).
     *
     * @param port the port
     * @param address the address
     * @return this TCP server
     * @throws IOException if the port cannot be bound
     */
    public TcpServer listen(int port, String address) throws IOException {
        bind(port, address);
        synchronized (lock) {
            if (!started) {
                start();
            }
        }
        return this;
    }

    /**
     * Binds {@code port} on all interfaces; accepting starts with the server.
     *
     * @param port the port
     * @return this server
     * @throws IOException if the port cannot be bound
     */
    public TcpServer bind(int port) throws IOException {
        return bind(port, null);
    }

    /**
     * Binds listening sockets for {@code port} on {@code address} (see
     * {@link NetUtil#bindSockets}); they accept once the server is started (at once if it is).
     *
     * @param port the port
     * @param address the address
     * @return this server
     * @throws IOException if binding fails
     * @throws IllegalStateException if the server was stopped
     */
    public TcpServer bind(int port, String address) throws IOException {
        return adopt(ChildSockets.bind(port, address, options.backlog(), options.reusePort(), this));
    }

    /**
     * Serves listening sockets bound elsewhere (Tornado's {@code add_sockets}): a socket a test
     * bound to an unused port, one inherited from a supervisor. They accept once the server is
     * started (at once if it is) and are closed with the server.
     *
     * @param sockets the sockets
     * @return this server
     * @throws IllegalStateException if the server was stopped (the sockets are closed)
     * @throws IOException if an I/O error occurs
     */
    public TcpServer addSockets(List<ServerSocketChannel> sockets) throws IOException {
        List<ServerSocketChannel> socks = List.copyOf(sockets);
        List<InetSocketAddress> addresses = new ArrayList<>(socks.size());
        for (ServerSocketChannel s : socks) {
            addresses.add((InetSocketAddress) s.getLocalAddress());
        }
        return adopt(new ChildSockets.Bound(socks, addresses));
    }

    /** Takes listening sockets in; {@code bound} tells the addresses clients reach them at. */
    private TcpServer adopt(ChildSockets.Bound bound) throws IOException {
        List<ServerSocketChannel> socks = bound.channels();
        for (ServerSocketChannel s : socks) {
            s.configureBlocking(false); // the acceptor registers it with its loop's selector
        }
        synchronized (lock) {
            if (stopped) {
                socks.forEach(NetUtil::closeQuietly);
                throw new IllegalStateException("TcpServer was stopped");
            }
            localAddresses.addAll(bound.addresses());
            for (ServerSocketChannel s : socks) {
                listening.add(s);
                if (started) {
                    activate(s);
                } else {
                    pending.add(s);
                }
            }
        }
        return this;
    }

    // -------------------------------------------------------------------------- starting

    /**
     * Starts on a new {@link LoopGroup} with one loop per core, shut down by {@link #stop(boolean) stop(true)}.
     *
     * @return this server
     */
    public TcpServer start() {
        synchronized (lock) {
            checkStartable();
            LoopGroup group = new LoopGroup();
            group.start();
            ownGroup = group;
            return startOn(group.loops().get(0), group::next);
        }
    }

    /**
     * Starts on {@code group} (started by the caller, who also shuts it down).
     *
     * @param group the group
     * @return this server
     */
    public TcpServer start(LoopGroup group) {
        Objects.requireNonNull(group, "group");
        synchronized (lock) {
            checkStartable();
            return startOn(group.loops().get(0), group::next);
        }
    }

    /**
     * Starts on a single loop (Tornado's one-loop model): accepting and every connection run there.
     *
     * @param loop the loop
     * @return this server
     */
    public TcpServer start(IOLoop loop) {
        Objects.requireNonNull(loop, "loop");
        synchronized (lock) {
            checkStartable();
            return startOn(loop, () -> loop);
        }
    }

    private void checkStartable() {
        if (stopped) {
            throw new IllegalStateException("TcpServer was stopped");
        }
        if (started) {
            throw new IllegalStateException("TcpServer is already started");
        }
    }

    private TcpServer startOn(IOLoop acceptOn, Supplier<IOLoop> chooser) {
        acceptLoop = acceptOn;
        loops = chooser;
        started = true;
        for (ServerSocketChannel s : pending) {
            activate(s);
        }
        pending.clear();
        return this;
    }

    /** Caller holds lock. */
    private void activate(ServerSocketChannel socket) {
        AcceptBackoff backoff = new AcceptBackoff(options.acceptRetryMin().toNanos(), options.acceptRetryMax().toNanos());
        IOLoop loop = acceptLoop;
        loop.addCallback(() -> {
            if (stopped) {
                NetUtil.closeQuietly(socket);
                return;
            }
            Acceptor a = Acceptor.create(loop, socket, this::accepted, this::admit, this::full, backoff);
            acceptors.add(a);
            try {
                a.start();
            } catch (RuntimeException e) {
                // Closed by stop() between the check and here.
                acceptors.remove(a);
                a.close();
            }
        });
    }

    // ------------------------------------------------------------------------ connections

    /** Accept loop: one accepted connection; its stream is created on its own loop. */
    private void accepted(SocketChannel channel) {
        int n = live.incrementAndGet();
        if (descriptors != null) {
            descriptors.sample(System.nanoTime(), n);
            if (descriptors.nearLimit(n)) {
                idle.closeOldestIdle(1);
            }
        }
        InetSocketAddress remote;
        try {
            remote = (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            NetUtil.closeQuietly(channel); // reset before we got here
            connectionGone();
            return;
        }
        IOLoop loop = loops.get();
        loop.addCallback(() -> openConnection(loop, channel, remote));
    }

    /** Connection loop. */
    private void openConnection(IOLoop loop, SocketChannel channel, InetSocketAddress remote) {
        IOStream stream;
        try {
            stream = options.sslContext() == null
                    ? new TrackedIOStream(loop, channel, options.streamOptions(), tracker)
                    : new TrackedSslIOStream(loop, channel, options.sslContext(), options.tls(), options.streamOptions(), tracker);
            if (options.noDelay()) {
                stream.setNoDelay(true);
            }
        } catch (RuntimeException e) {
            Log.LOG.warn("cannot set up the connection from {}", remote, e);
            NetUtil.closeQuietly(channel);
            connectionGone();
            return;
        }
        if (stream.isClosed()) {
            connectionGone(); // e.g. the TLS engine failed at once; nothing to serve
            return;
        }
        connections.add(stream);
        if (closingConnections) {
            stream.close();
            return;
        }
        try {
            handleStream(stream, remote);
        } catch (Throwable t) {
            Log.LOG.error("Exception in handleStream for the connection from {}", remote, t);
            stream.close();
        }
    }

    private void streamClosed(IOStream stream) {
        if (connections.remove(stream)) {
            closedBytesRead.add(stream.bytesRead());
            closedBytesWritten.add(stream.bytesWritten());
            connectionGone();
        }
    }

    private void connectionGone() {
        int n = live.decrementAndGet();
        int max = options.maxConnections();
        if (max > 0 && n < max && acceptPaused.compareAndSet(true, false)) {
            clientsWaiting = false;
            IOLoop loop;
            synchronized (lock) {
                loop = acceptLoop;
            }
            loop.addCallback(() -> acceptors.forEach(Acceptor::resume));
        }
    }

    /** Accept loop: a client waits while the server is at maxConnections. */
    private void full() {
        if (idle != null) {
            clientsWaiting = true;
            idle.closeOldestIdle(1);
        }
    }

    /**
     * Whether resources are low (see the class comment): a client waits for a connection to end
     * at {@link ServerOptions#maxConnections()}, or the process's open descriptors are near its
     * limit. Only with an {@link IdleConnectionCloser}; a volatile read and a sum, for every
     * request's end.
     *
     * @return whether a connection that goes idle should rather close
     */
    public boolean lowResources() {
        return clientsWaiting || (descriptors != null && descriptors.nearLimit(live.get()));
    }

    /** Accept loop: may another connection be accepted now? */
    private boolean admit() {
        int max = options.maxConnections();
        if (max == 0 || live.get() < max) {
            return true;
        }
        acceptPaused.set(true);
        // A connection may have closed between the check and the flag; it saw no flag to clear.
        if (live.get() < max && acceptPaused.compareAndSet(true, false)) {
            return true;
        }
        return false;
    }

    /**
     * Serves one connection (Tornado's {@code handle_stream}); runs on the connection's loop. The
     * default passes it to the {@link StreamHandler} given to the constructor. See
     * {@link StreamHandler#handleStream} for the contract.
     *
     * @param stream the stream
     * @param address the address
     * @throws Exception any failure; the caller reports it
     */
    protected void handleStream(IOStream stream, InetSocketAddress address) throws Exception {
        if (handler == null) {
            throw new UnsupportedOperationException("TcpServer needs a StreamHandler or a subclass overriding handleStream");
        }
        handler.handleStream(stream, address);
    }

    // ------------------------------------------------------------------------- stopping

    /** Stops accepting: closes the listening sockets; live connections go on. */
    public void stop() {
        stop(false);
    }

    /**
     * Stops accepting: when this returns (called off the accept loop), the listening sockets are
     * closed and new connections are refused; called on the accept loop, they close at that loop's
     * next iteration. With {@code closeConnections}, live connections are closed too (on their loops),
     * and a loop group the server started itself is shut down. Idempotent; final.
     *
     * @param closeConnections the close connections
     */
    public void stop(boolean closeConnections) {
        List<ServerSocketChannel> toClose;
        IOLoop loop;
        LoopGroup group = null;
        synchronized (lock) {
            stopped = true;
            toClose = new ArrayList<>(listening);
            listening.clear();
            pending.clear();
            loop = acceptLoop;
            if (closeConnections) {
                group = ownGroup;
                ownGroup = null;
            }
        }
        if (loop == null) {
            toClose.forEach(NetUtil::closeQuietly);
        } else {
            closeAcceptors(loop, toClose);
        }
        if (closeConnections) {
            closingConnections = true;
            for (IOStream s : connections) {
                s.close(); // hops to the stream's loop
            }
            if (group != null) {
                shutDown(group);
            }
        }
    }

    /**
     * Closes the listening sockets on the accept loop and, when called from another thread, waits
     * until they are really closed: a channel registered with a selector keeps its socket open
     * until the selector's next pass deregisters it, and until then the kernel still completes
     * connections into its backlog. Callbacks queued by a callback run after the next select,
     * so the second hop marks that point.
     */
    private void closeAcceptors(IOLoop loop, List<ServerSocketChannel> sockets) {
        CompletableFuture<Void> gone = new CompletableFuture<>();
        loop.addCallback(() -> {
            acceptors.forEach(Acceptor::close);
            acceptors.clear();
            sockets.forEach(NetUtil::closeQuietly); // those never activated
            loop.addCallback(() -> gone.complete(null));
        });
        if (loop.inLoop() || !loop.isRunning()) {
            if (!loop.isRunning()) {
                sockets.forEach(NetUtil::closeQuietly);
            }
            return; // on the accept loop the sockets close at its next pass
        }
        long end = System.nanoTime() + STOP_WAIT.toNanos();
        try {
            while (true) {
                try {
                    gone.get(20, TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException e) {
                    if (!loop.isRunning()) {
                        // The loop stopped (or closed) before running our callback: nobody else
                        // will close the sockets, and nothing can accept on them any more.
                        sockets.forEach(NetUtil::closeQuietly);
                        return;
                    }
                    if (System.nanoTime() - end > 0) {
                        Log.LOG.warn("listening sockets of {} not confirmed closed within {} ms", this, STOP_WAIT.toMillis());
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            Log.LOG.warn("closing the listening sockets of {} failed", this, e.getCause());
        }
    }

    private static void shutDown(LoopGroup group) {
        boolean onGroupLoop = group.loops().stream().anyMatch(IOLoop::inLoop);
        if (onGroupLoop) {
            // Joining our own thread would only time out: let another thread wait.
            Thread.ofPlatform().daemon().name("gale-server-shutdown").start(() -> group.shutdownGracefully(OWN_GROUP_SHUTDOWN));
        } else {
            group.shutdownGracefully(OWN_GROUP_SHUTDOWN);
        }
    }

    /**
     * Dev mode: stops accepting, waits until the live connections closed or {@code deadline}
     * passed, then closes what is left (see {@link ChildSockets}).
     */
    java.util.concurrent.CompletionStage<?> drainForRestart(Duration deadline) {
        stop();
        return io.gale.internal.autoreload.ChildLink.awaitZero(this::connectionCount, deadline).thenRun(() -> stop(true));
    }

    /** {@link #stop(boolean) stop(true)}. */
    @Override
    public void close() {
        stop(true);
    }

    // -------------------------------------------------------------------------- queries

    /**
     * The ports of the listening sockets bound so far, without duplicates (for port 0).
     *
     * @return the ports of the listening sockets bound so far, without duplicates (for port 0)
     */
    public List<Integer> boundPorts() {
        Set<Integer> ports = new LinkedHashSet<>();
        for (InetSocketAddress a : localAddresses) {
            ports.add(a.getPort());
        }
        return List.copyOf(ports);
    }

    /**
     * The addresses of the listening sockets bound so far.
     *
     * @return the addresses of the listening sockets bound so far
     */
    public List<InetSocketAddress> localAddresses() {
        return List.copyOf(localAddresses);
    }

    /**
     * Connections accepted and not yet closed.
     *
     * @return the connection count
     */
    public int connectionCount() {
        return live.get();
    }

    /**
     * Application bytes read from this server's connections so far (closed ones and live ones;
     * a connection converted with {@code startTls} counts until then). Costs a pass over the live
     * connections: for metrics, not for each request.
     *
     * @return the bytes read
     */
    public long bytesRead() {
        long n = closedBytesRead.sum();
        for (IOStream s : connections) {
            n += s.bytesRead();
        }
        return n;
    }

    /**
     * Application bytes written to this server's connections so far; see {@link #bytesRead()}.
     *
     * @return the bytes written
     */
    public long bytesWritten() {
        long n = closedBytesWritten.sum();
        for (IOStream s : connections) {
            n += s.bytesWritten();
        }
        return n;
    }

    /**
     * Whether it is stopped.
     *
     * @return whether it is stopped
     */
    public boolean isStopped() {
        return stopped;
    }
}
