package io.gale.httpclient;

import io.gale.ioloop.IOLoop;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The connections of one client, per {@link Address}, with the limits of {@link ClientOptions}:
 * at most {@code maxClients} connections in total and {@code maxClientsPerHost} per address
 * (busy, idle and connecting all count). A request that finds no connection it can use and no
 * free slot waits in one FIFO queue; a slot held by an idle connection of another address is
 * reclaimed for it.
 *
 * <p><b>HTTP/1.1</b> connections carry one exchange at a time. Idle ones are reused most-recent
 * first (the least likely to have been closed by the server), closed after {@code idleTimeout},
 * and dropped as soon as the server closes them (the connection's read pump notices). Only a
 * connection whose response was read completely is offered back ({@link #release}).
 *
 * <p><b>HTTP/2</b>: one connection per address is shared by every request to it, each on a stream,
 * up to the server's SETTINGS_MAX_CONCURRENT_STREAMS; requests beyond that queue until a stream
 * closes. While a connect that may turn out HTTP/2 is under way (TLS with {@code h2} offered, or
 * h2c with prior knowledge), other requests to that address wait for it instead of opening
 * connections of their own, so a burst of requests to an HTTP/2 origin opens one connection. Once
 * ALPN chose {@code http/1.1} for an address, its requests no longer wait. A connection whose
 * server sent GOAWAY takes no new streams: the next request opens a new one, and the old one
 * closes when its streams are done. An HTTP/2 connection without streams is idle: it closes after
 * {@code idleTimeout} and its slot can be reclaimed like an idle HTTP/1.1 connection's.
 *
 * <p>Threading: confined to the client's loop.
 */
final class ConnectionPool implements Http2ClientConnection.Events {
    /** A request waiting for a connection. */
    interface Waiter {
        Address address();

        /** Still wants a connection (not timed out or failed meanwhile). */
        boolean isWaiting();

        /** The pool starts serving this waiter: a connection follows, or a new one is opened. */
        void onSlot();

        /** Opens a new connection for this waiter's address. */
        CompletableFuture<ClientConnection> openConnection();

        /** A connection to use: an idle or new HTTP/1.1 one, or the shared HTTP/2 one with a stream free. */
        void onConnection(ClientConnection c, boolean reused);

        void onConnectFailed(Throwable error);
    }

    private static final class Host {
        final ArrayDeque<Connection> idle = new ArrayDeque<>();
        /** Connections open or connecting, of either protocol. */
        int open;
        /** The HTTP/2 connection new streams go to, if any. */
        Http2ClientConnection h2;
        /** Connects under way that may turn out HTTP/2: other requests wait for them. */
        int h2Connecting;
        /** ALPN chose http/1.1 for this address before: requests no longer wait for connects. */
        boolean http1;
    }

    private final IOLoop loop;
    private final ClientOptions options;
    private final Map<Address, Host> hosts = new HashMap<>();
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private int total;
    private int idleTotal;
    private boolean closed;
    private boolean serving;
    private boolean again;

    ConnectionPool(IOLoop loop, ClientOptions options) {
        this.loop = loop;
        this.options = options;
    }

    /** Serves {@code w} now or queues it; returns true if it was queued. */
    boolean acquire(Waiter w) {
        if (closed) {
            w.onConnectFailed(new IllegalStateException("client closed"));
            return false;
        }
        if (canServe(w)) {
            serve(w);
            return false;
        }
        queue.add(w);
        return true;
    }

    /** Forgets a queued waiter (queue timeout, request timeout). */
    void cancel(Waiter w) {
        queue.remove(w);
    }

    /** Closes the idle HTTP/1.1 connections of {@code a} (before a retry: they are likely stale too). */
    void closeIdle(Address a) {
        Host h = hosts.get(a);
        if (h != null) {
            for (Connection c : h.idle.toArray(new Connection[0])) {
                c.close(null);
            }
        }
    }

    /**
     * Returns a connection after an exchange: an HTTP/1.1 one is kept idle if {@code reusable},
     * else closed; an HTTP/2 one needs nothing (its stream closing freed the slot).
     */
    void release(ClientConnection cc, boolean reusable) {
        if (!(cc instanceof Connection c) || c.isClosed()) {
            return;
        }
        if (!reusable || closed) {
            c.close(null);
            return;
        }
        for (Iterator<Waiter> it = queue.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (!w.isWaiting()) {
                it.remove();
            } else if (w.address().equals(c.address)) {
                it.remove();
                w.onSlot();
                w.onConnection(c, true);
                return;
            }
        }
        Host h = hosts.get(c.address);
        h.idle.push(c);
        idleTotal++;
        c.idleTimer = loop.callLater(options.idleTimeout(), () -> c.close(null));
        servePending(); // someone queued for another address may reclaim this slot
    }

    int openConnections() {
        return total;
    }

    /** Idle connections: HTTP/1.1 ones in the pool, HTTP/2 ones without streams. */
    int idleConnections() {
        int n = idleTotal;
        for (Host h : hosts.values()) {
            if (h.h2 != null && h.h2.isIdle()) {
                n++;
            }
        }
        return n;
    }

    int queued() {
        return queue.size();
    }

    /**
     * Closes idle connections and fails queued requests; busy HTTP/1.1 connections close when
     * released, busy HTTP/2 ones say GOAWAY and close when their streams are done.
     */
    void close() {
        closed = true;
        for (Host h : hosts.values()) {
            for (Connection c : h.idle.toArray(new Connection[0])) {
                c.close(null);
            }
            if (h.h2 != null) {
                h.h2.shutdown();
            }
        }
        while (!queue.isEmpty()) {
            Waiter w = queue.poll();
            if (w.isWaiting()) {
                w.onConnectFailed(new IllegalStateException("client closed"));
            }
        }
    }

    // ----------------------------------------------------------- HTTP/2 events

    @Override
    public void onCapacity(Http2ClientConnection c) {
        servePending();
    }

    @Override
    public void onGoingAway(Http2ClientConnection c) {
        Host h = hosts.get(c.address());
        if (h != null && h.h2 == c) {
            h.h2 = null; // the next request opens a new connection; this one closes when its streams end
        }
        servePending();
    }

    // ------------------------------------------------------------------ serving

    /** Whether {@link #serve} would succeed now (no side effects). */
    private boolean canServe(Waiter w) {
        Host h = hosts.get(w.address());
        if (h != null) {
            if (h.h2 != null) {
                return h.h2.hasCapacity(); // else wait for a stream of the shared connection
            }
            if (h.h2Connecting > 0 && !h.http1) {
                return false; // wait: the connect under way may give a shared connection
            }
            if (!h.idle.isEmpty()) {
                return true;
            }
            if (h.open >= options.maxClientsPerHost()) {
                return false;
            }
        }
        return total < options.maxClients() || hasIdle();
    }

    /** Serves {@code w}; only after {@link #canServe} said yes. */
    private void serve(Waiter w) {
        Address a = w.address();
        Host h = hosts.computeIfAbsent(a, k -> new Host());
        if (h.h2 != null && h.h2.hasCapacity()) {
            w.onSlot();
            w.onConnection(h.h2, h.h2.streamsOpened() > 0);
            return;
        }
        Connection idle = pollIdle(h);
        if (idle != null) {
            w.onSlot();
            w.onConnection(idle, true);
            return;
        }
        if (total >= options.maxClients()) {
            evictIdleOfOtherAddress(a);
        }
        open(w, a, h);
    }

    private boolean mayBeHttp2(Address a, Host h) {
        return a.http2PriorKnowledge() || (a.tls() && options.http2() && !h.http1);
    }

    private void open(Waiter w, Address a, Host h) {
        total++;
        h.open++;
        boolean maybeH2 = mayBeHttp2(a, h);
        if (maybeH2) {
            h.h2Connecting++;
        }
        w.onSlot();
        w.openConnection().whenComplete((c, err) -> {
            if (maybeH2) {
                h.h2Connecting--;
            }
            if (err != null) {
                total--;
                h.open--;
                if (w.isWaiting()) {
                    w.onConnectFailed(err);
                }
                servePending();
                return;
            }
            c.setCloseHook(() -> onClosed(c, h));
            if (c.isClosed()) {
                if (w.isWaiting()) {
                    w.onConnectFailed(new IOException("connection closed as soon as it was opened"));
                }
                return;
            }
            if (c instanceof Http2ClientConnection h2) {
                onHttp2Connected(w, h, h2);
            } else {
                onHttp1Connected(w, h, (Connection) c, maybeH2);
            }
        });
    }

    private void onHttp2Connected(Waiter w, Host h, Http2ClientConnection c) {
        h.http1 = false;
        if (h.h2 != null && h.h2.isUsable()) {
            // another connect won the race (requests did not wait for it): keep one shared connection
            c.close(null);
            if (w.isWaiting()) {
                queue.addFirst(w);
            }
            servePending();
            return;
        }
        h.h2 = c;
        c.setEvents(this);
        c.start();
        if (w.isWaiting() && c.hasCapacity()) {
            w.onConnection(c, false);
        } else if (w.isWaiting()) {
            queue.addFirst(w); // the server allows no stream now: wait for its SETTINGS to change
        }
        if (closed) {
            c.shutdown(); // the client closed meanwhile: finish the stream just opened, then close
            return;
        }
        servePending(); // the requests that waited for this connect share it
    }

    private void onHttp1Connected(Waiter w, Host h, Connection c, boolean maybeH2) {
        if (maybeH2) {
            h.http1 = true; // ALPN chose http/1.1: later requests need not wait for connects
        }
        c.start();
        if (w.isWaiting()) {
            w.onConnection(c, false);
        } else {
            release(c, true); // the request gave up meanwhile: keep the connection for others
        }
        if (maybeH2) {
            servePending(); // the requests that waited for this connect open their own
        }
    }

    private Connection pollIdle(Host h) {
        Connection c;
        while ((c = h.idle.poll()) != null) {
            idleTotal--;
            if (c.idleTimer != null) {
                c.idleTimer.cancel();
                c.idleTimer = null;
            }
            if (!c.isClosed()) {
                return c;
            }
        }
        return null;
    }

    private boolean hasIdle() {
        if (idleTotal > 0) {
            return true;
        }
        for (Host h : hosts.values()) {
            if (h.h2 != null && h.h2.isIdle()) {
                return true;
            }
        }
        return false;
    }

    private boolean evictIdleOfOtherAddress(Address a) {
        for (Map.Entry<Address, Host> e : hosts.entrySet()) {
            if (e.getKey().equals(a)) {
                continue;
            }
            Host h = e.getValue();
            if (!h.idle.isEmpty()) {
                h.idle.peekLast().close(null); // the oldest idle one; onClosed frees its slot
                return true;
            }
            if (h.h2 != null && h.h2.isIdle()) {
                h.h2.close(null);
                return true;
            }
        }
        return false;
    }

    private void onClosed(ClientConnection c, Host h) {
        total--;
        h.open--;
        if (c instanceof Connection h1 && h.idle.remove(h1)) {
            idleTotal--;
        }
        if (h.h2 == c) {
            h.h2 = null;
        }
        servePending();
    }

    /**
     * Serves queued waiters that can be served now, in FIFO order. Re-entrant calls (serving
     * can close an evicted connection, whose hook calls back here) just ask for another pass.
     */
    private void servePending() {
        if (closed) {
            return;
        }
        if (serving) {
            again = true;
            return;
        }
        serving = true;
        try {
            do {
                again = false;
                for (Waiter w : queue.toArray(new Waiter[0])) {
                    if (!w.isWaiting()) {
                        queue.remove(w);
                    } else if (canServe(w) && queue.remove(w)) {
                        serve(w);
                    }
                }
            } while (again && !closed);
        } finally {
            serving = false;
        }
    }
}
