package io.gale.metrics;

import io.gale.http.HttpServer;
import io.gale.http.HttpServerListener;
import io.gale.httpclient.AsyncHttpClient;
import io.gale.ioloop.BlockedLoopListeners;
import io.gale.ioloop.BlockedLoopReport;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.LoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Gale's metrics registry: the counters and timers a server keeps about itself, readable in
 * process ({@link #snapshot()}) and exported through Micrometer by
 * {@code io.gale.metrics.micrometer.GaleMeterBinder}.
 *
 * <pre>{@code
 * GaleMetrics metrics = new GaleMetrics();
 * Application app = new Application(routes, ApplicationSettings.builder().metrics(metrics).build());
 * app.listen(8888);                            // requests, connections, bytes, loop lag, admission
 * metrics.snapshot().route("/story/([0-9]+)").requests(2);   // 2xx answers of that route
 * }</pre>
 *
 * <table>
 * <caption>What is measured, and where</caption>
 * <tr><th>meter</th><th>fed by</th><th>cost on the serving path</th></tr>
 * <tr><td>requests by route pattern and status class, latency histogram</td><td>the web layer,
 *     when a handler finishes, into the {@link RouteMetrics} resolved once per route</td>
 *     <td>three adder increments per request</td></tr>
 * <tr><td>open / opened connections by {@link ConnectionKind}</td><td>the HTTP server's listener
 *     (HTTP/1.x), the WebSocket handler (upgrade, close)</td><td>two adder increments per connection</td></tr>
 * <tr><td>bytes received / sent</td><td>the streams' own counters, summed when read</td><td>none beyond a plain add per read or write</td></tr>
 * <tr><td>loop lag, blocked-loop reports</td><td>a probe timer per loop ({@link LoopMetrics}); the watchdog</td><td>one timer per interval per loop</td></tr>
 * <tr><td>virtual-thread admission</td><td>the application's admission limit, read when read</td><td>none</td></tr>
 * <tr><td>client pools</td><td>{@link #bindHttpClient}, read when read</td><td>none</td></tr>
 * </table>
 *
 * <p>Route names come from the route table, never from request paths, so the number of meters is
 * bounded by the application's routes (plus {@link #UNMATCHED}), whatever clients send.
 *
 * <p>Threading: every method is safe from any thread. Set-up methods ({@link #route},
 * {@code bind*}, {@link #monitorLoop}) take a map or list insertion and are meant for start-up
 * and first use, not for each request. {@link #close()} stops the loop probes and unsubscribes
 * from blocked-loop reports.
 */
public final class GaleMetrics implements AutoCloseable {
    /** The {@code route} tag of requests no route matched (404s of the default handler). */
    public static final String UNMATCHED = "[unmatched]";
    /** How often each loop's lag is probed by default. */
    public static final Duration DEFAULT_LAG_INTERVAL = Duration.ofMillis(100);

    /** Told when a meter appears after start (a route's first request, a new loop): for exporters. */
    public interface Listener {
        /**
         * Route added.
         *
         * @param route the route
         */
        default void routeAdded(RouteMetrics route) {
        }

        /**
         * Loop added.
         *
         * @param loop the loop
         */
        default void loopAdded(LoopMetrics loop) {
        }

        /**
         * Client pool added.
         *
         * @param pool the pool
         */
        default void clientPoolAdded(ClientPoolMetrics pool) {
        }
    }

    private record Bytes(LongSupplier in, LongSupplier out) {
    }

    private record Admission(IntSupplier inUse, IntSupplier queued, LongSupplier rejected) {
    }

    private final Duration lagInterval;
    private final ConcurrentHashMap<String, RouteMetrics> routes = new ConcurrentHashMap<>();
    private final RouteMetrics unmatched = new RouteMetrics(UNMATCHED);
    private final LongAdder[] open = adders();
    private final LongAdder[] opened = adders();
    private final CopyOnWriteArrayList<Bytes> bytes = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong maxBytesReceived = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong maxBytesSent = new java.util.concurrent.atomic.AtomicLong();
    private final ConcurrentHashMap<IOLoop, LoopMetrics> loops = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Admission> admissions = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<ClientPoolMetrics> clients = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Consumer<BlockedLoopReport> blockedListener = this::blocked;
    private volatile boolean closed;

    /** A registry probing loop lag every {@link #DEFAULT_LAG_INTERVAL}. */
    public GaleMetrics() {
        this(DEFAULT_LAG_INTERVAL);
    }

    /**
     * A registry probing each monitored loop's lag every {@code lagInterval}.
     *
     * @param lagInterval the lag interval
     */
    public GaleMetrics(Duration lagInterval) {
        if (lagInterval.isNegative() || lagInterval.isZero()) {
            throw new IllegalArgumentException("lagInterval must be positive: " + lagInterval);
        }
        this.lagInterval = lagInterval;
        routes.put(UNMATCHED, unmatched);
        BlockedLoopListeners.add(blockedListener);
    }

    private static LongAdder[] adders() {
        LongAdder[] a = new LongAdder[ConnectionKind.values().length];
        for (int i = 0; i < a.length; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    // ------------------------------------------------------------------------------ requests

    /**
     * The meters of the route {@code pattern}, created on first call. Resolve once per route and
     * keep the result (the web layer keeps it beside the route); not for each request.
     *
     * @param pattern the pattern
     * @return the meters of the route {@code pattern}, created on first call
     */
    public RouteMetrics route(String pattern) {
        RouteMetrics r = routes.get(pattern);
        if (r != null) {
            return r;
        }
        RouteMetrics created = new RouteMetrics(pattern);
        r = routes.putIfAbsent(pattern, created);
        if (r != null) {
            return r;
        }
        for (Listener l : listeners) {
            l.routeAdded(created);
        }
        return created;
    }

    /**
     * The pseudo-route of requests no route matched.
     *
     * @return the pseudo-route of requests no route matched
     */
    public RouteMetrics unmatched() {
        return unmatched;
    }

    // --------------------------------------------------------------------------- connections

    /**
     * A server connection of {@code kind} opened.
     *
     * @param kind the kind of failure
     */
    public void connectionOpened(ConnectionKind kind) {
        open[kind.ordinal()].increment();
        opened[kind.ordinal()].increment();
    }

    /**
     * A server connection of {@code kind} closed (or changed kind: an upgrade closes HTTP1 and opens WEBSOCKET).
     *
     * @param kind the kind of failure
     */
    public void connectionClosed(ConnectionKind kind) {
        open[kind.ordinal()].decrement();
    }

    /**
     * Open connections of {@code kind}.
     *
     * @param kind the kind of failure
     * @return the number
     */
    public long openConnections(ConnectionKind kind) {
        return open[kind.ordinal()].sum();
    }

    /**
     * Connections of {@code kind} opened so far.
     *
     * @param kind the kind of failure
     * @return the number
     */
    public long openedConnections(ConnectionKind kind) {
        return opened[kind.ordinal()].sum();
    }

    /**
     * Measures {@code server}: its byte counts, and through the returned listener its HTTP/1.x
     * connections and the lag of the loops that serve them. An {@code Application} with the
     * {@code metrics} setting does this itself; call it for servers of other delegates (return the
     * listener from {@code HttpServerConnectionDelegate.serverListener}).
     *
     * @param server the server
     * @return the HTTP server listener
     */
    public HttpServerListener serverListener(HttpServer server) {
        bindByteCounters(server::bytesReceived, server::bytesSent);
        return new ServerListener(this);
    }

    /**
     * Adds a source of byte counts (a server's), read and summed when the metrics are read.
     *
     * @param received the received
     * @param sent the sent
     */
    public void bindByteCounters(LongSupplier received, LongSupplier sent) {
        bytes.add(new Bytes(Objects.requireNonNull(received), Objects.requireNonNull(sent)));
    }

    /**
     * Bytes received by every bound server. Never decreases: a connection closing while the sum
     * is taken may be missed for one reading (it moves from the live set to the closed total),
     * and a counter that dipped would look like a restart to Prometheus' rate().
     *
     * @return the bytes received
     */
    public long bytesReceived() {
        long n = 0;
        for (Bytes b : bytes) {
            n += b.in().getAsLong();
        }
        return maxBytesReceived.accumulateAndGet(n, Math::max);
    }

    /**
     * Bytes sent by every bound server; never decreases (see {@link #bytesReceived()}).
     *
     * @return the bytes sent
     */
    public long bytesSent() {
        long n = 0;
        for (Bytes b : bytes) {
            n += b.out().getAsLong();
        }
        return maxBytesSent.accumulateAndGet(n, Math::max);
    }

    // --------------------------------------------------------------------------------- loops

    /**
     * Probes {@code loop}'s lag from now on (idempotent). The server side calls it for the loop of
     * each new connection, so a server's loops are monitored once they serve.
     *
     * @param loop the loop
     * @return the loop metrics
     */
    public LoopMetrics monitorLoop(IOLoop loop) {
        LoopMetrics m = loops.get(loop);
        if (m != null || closed) {
            return m;
        }
        LoopMetrics created = new LoopMetrics(loop, lagInterval);
        m = loops.putIfAbsent(loop, created);
        if (m != null) {
            return m;
        }
        created.start();
        for (Listener l : listeners) {
            l.loopAdded(created);
        }
        return created;
    }

    /**
     * Probes every loop of {@code group}.
     *
     * @param group the group
     */
    public void monitorLoops(LoopGroup group) {
        for (IOLoop l : group.loops()) {
            monitorLoop(l);
        }
    }

    private void blocked(BlockedLoopReport report) {
        LoopMetrics m = monitorLoop(report.loop());
        if (m != null) {
            m.blockedReport();
        }
    }

    // ------------------------------------------------------------------ admission, clients

    /**
     * Adds an application's virtual-thread admission limit (read when the metrics are read).
     *
     * @param inUse the in use
     * @param queued the queued
     * @param rejected the rejected
     */
    public void bindAdmission(IntSupplier inUse, IntSupplier queued, LongSupplier rejected) {
        admissions.add(new Admission(inUse, queued, rejected));
    }

    /**
     * Watches {@code client}'s connection pool under {@code name} (the {@code client} tag).
     *
     * @param name the name
     * @param client the HTTP client
     * @return the client pool metrics
     */
    public ClientPoolMetrics bindHttpClient(String name, AsyncHttpClient client) {
        return bindClientPool(name, client::openConnections, client::idleConnections, client::queuedRequests);
    }

    /**
     * Watches any connection pool through three gauges.
     *
     * @param name the name
     * @param open the open
     * @param idle the idle
     * @param queued the queued
     * @return the client pool metrics
     */
    public ClientPoolMetrics bindClientPool(String name, IntSupplier open, IntSupplier idle, IntSupplier queued) {
        ClientPoolMetrics p = new ClientPoolMetrics(name, open, idle, queued);
        clients.add(p);
        for (Listener l : listeners) {
            l.clientPoolAdded(p);
        }
        return p;
    }

    /**
     * The virtual threads in use.
     *
     * @return the virtual threads in use
     */
    public long virtualThreadsInUse() {
        long n = 0;
        for (Admission a : admissions) {
            n += a.inUse().getAsInt();
        }
        return n;
    }

    /**
     * The virtual threads queued.
     *
     * @return the virtual threads queued
     */
    public long virtualThreadsQueued() {
        long n = 0;
        for (Admission a : admissions) {
            n += a.queued().getAsInt();
        }
        return n;
    }

    /**
     * The virtual thread rejections.
     *
     * @return the virtual thread rejections
     */
    public long virtualThreadRejections() {
        long n = 0;
        for (Admission a : admissions) {
            n += a.rejected().getAsLong();
        }
        return n;
    }

    // ------------------------------------------------------------------------------ reading

    /**
     * Every route's meters (including {@link #UNMATCHED}).
     *
     * @return every route's meters (including {@link #UNMATCHED})
     */
    public List<RouteMetrics> routes() {
        return List.copyOf(routes.values());
    }

    /**
     * Every monitored loop's meters.
     *
     * @return every monitored loop's meters
     */
    public List<LoopMetrics> loops() {
        return List.copyOf(loops.values());
    }

    /**
     * Every bound client pool.
     *
     * @return every bound client pool
     */
    public List<ClientPoolMetrics> clientPools() {
        return List.copyOf(clients);
    }

    /**
     * Registers an exporter; it is told of meters added from now on (read the existing ones with
     * {@link #routes()}, {@link #loops()} and {@link #clientPools()} after adding it).
     *
     * @param listener the listener
     */
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /**
     * All values now, as plain data.
     *
     * @return all values now, as plain data
     */
    public MetricsSnapshot snapshot() {
        List<RouteMetrics.Snapshot> rs = new ArrayList<>();
        for (RouteMetrics r : routes.values()) {
            rs.add(r.snapshot());
        }
        Map<ConnectionKind, Long> o = new EnumMap<>(ConnectionKind.class);
        Map<ConnectionKind, Long> t = new EnumMap<>(ConnectionKind.class);
        for (ConnectionKind k : ConnectionKind.values()) {
            o.put(k, openConnections(k));
            t.put(k, openedConnections(k));
        }
        List<LoopMetrics.Snapshot> ls = new ArrayList<>();
        for (LoopMetrics l : loops.values()) {
            ls.add(l.snapshot());
        }
        List<ClientPoolMetrics.Snapshot> cs = new ArrayList<>();
        for (ClientPoolMetrics c : clients) {
            cs.add(c.snapshot());
        }
        return new MetricsSnapshot(List.copyOf(rs), Map.copyOf(o), Map.copyOf(t), bytesReceived(), bytesSent(),
                List.copyOf(ls), virtualThreadsInUse(), virtualThreadsQueued(), virtualThreadRejections(),
                List.copyOf(cs));
    }

    /** Stops the loop probes and the blocked-loop subscription; the counters stay readable. */
    @Override
    public void close() {
        closed = true;
        BlockedLoopListeners.remove(blockedListener);
        for (LoopMetrics l : loops.values()) {
            l.stop();
        }
    }
}
