package io.gale.httpclient;

import io.gale.ioloop.IOLoop;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Keep-alive connections of one client, per {@link Address}, with the limits of
 * {@link ClientOptions}: at most {@code maxClients} connections in total and
 * {@code maxClientsPerHost} per address (busy, idle and connecting all count). A request that
 * finds no idle connection and no free slot waits in one FIFO queue; a slot held by an idle
 * connection of another address is reclaimed for it.
 *
 * <p>Idle connections are reused most-recent first (the least likely to have been closed by the
 * server), closed after {@code idleTimeout}, and dropped as soon as the server closes them (the
 * connection's read pump notices). Only a connection whose response was read completely is
 * offered back ({@link #release}).
 *
 * <p>Threading: confined to the client's loop.
 */
final class ConnectionPool {
    /** A request waiting for a connection. */
    interface Waiter {
        Address address();

        /** Still wants a connection (not timed out or failed meanwhile). */
        boolean isWaiting();

        /** The pool starts serving this waiter: an idle connection follows, or a new one is opened. */
        void onSlot();

        /** Opens a new connection for this waiter's address. */
        CompletableFuture<Connection> openConnection();

        void onConnection(Connection c, boolean reused);

        void onConnectFailed(Throwable error);
    }

    private static final class Host {
        final ArrayDeque<Connection> idle = new ArrayDeque<>();
        int open;
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

    /** Closes the idle connections of {@code a} (before a retry: they are likely stale too). */
    void closeIdle(Address a) {
        Host h = hosts.get(a);
        if (h != null) {
            for (Connection c : h.idle.toArray(new Connection[0])) {
                c.close(null);
            }
        }
    }

    /** Returns a connection after an exchange: kept idle if {@code reusable}, else closed. */
    void release(Connection c, boolean reusable) {
        if (c.isClosed()) {
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

    int idleConnections() {
        return idleTotal;
    }

    int queued() {
        return queue.size();
    }

    /** Closes idle connections and fails queued requests; busy ones close when released. */
    void close() {
        closed = true;
        for (Host h : hosts.values()) {
            for (Connection c : h.idle.toArray(new Connection[0])) {
                c.close(null);
            }
        }
        while (!queue.isEmpty()) {
            Waiter w = queue.poll();
            if (w.isWaiting()) {
                w.onConnectFailed(new IllegalStateException("client closed"));
            }
        }
    }

    /** Whether {@link #serve} would succeed now (no side effects). */
    private boolean canServe(Waiter w) {
        Host h = hosts.get(w.address());
        if (h == null) {
            return total < options.maxClients() || idleTotal > 0;
        }
        if (!h.idle.isEmpty()) {
            return true;
        }
        if (h.open >= options.maxClientsPerHost()) {
            return false;
        }
        return total < options.maxClients() || idleTotal > 0;
    }

    /** Serves {@code w}; only after {@link #canServe} said yes. */
    private void serve(Waiter w) {
        Address a = w.address();
        Host h = hosts.computeIfAbsent(a, k -> new Host());
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

    private void open(Waiter w, Address a, Host h) {
        total++;
        h.open++;
        w.onSlot();
        w.openConnection().whenComplete((c, err) -> {
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
            c.start();
            if (w.isWaiting()) {
                w.onConnection(c, false);
            } else {
                release(c, true); // the request gave up meanwhile: keep the connection for others
            }
        });
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

    private boolean evictIdleOfOtherAddress(Address a) {
        for (Map.Entry<Address, Host> e : hosts.entrySet()) {
            if (!e.getKey().equals(a) && !e.getValue().idle.isEmpty()) {
                Connection victim = e.getValue().idle.peekLast(); // the oldest idle one
                victim.close(null); // onClosed frees its slot
                return true;
            }
        }
        return false;
    }

    private void onClosed(Connection c, Host h) {
        total--;
        h.open--;
        if (h.idle.remove(c)) {
            idleTotal--;
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
