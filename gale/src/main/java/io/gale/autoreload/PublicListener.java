package io.gale.autoreload;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The public side of one socket an application listens on: the supervisor binds it once and
 * keeps it for every child, and forwards each connection to the loopback port of the child that
 * serves it at the time the connection arrives. A child being replaced keeps its connections
 * until it has drained them; new connections go to the new child. So no connection is refused
 * while children come and go.
 *
 * <p>States: {@linkplain #route routed} to a child; {@linkplain #hold holding} (a child is
 * starting and none serves: connections wait, at most the hold timeout); {@linkplain #fail
 * failed} (none serves and none is starting: connections are answered at once with a plain-text
 * 503 carrying the reason, and closed).
 *
 * <p>Forwarding copies bytes both ways, unchanged (TLS passes through), on two virtual threads
 * per connection with blocking channels; half-closes are passed on. The child sees the
 * connection as coming from the loopback address (dev mode only; the client's address is not
 * passed on).
 *
 * <p>Threading: accept loops on virtual threads; {@code route}, {@code hold} and {@code fail}
 * from the supervisor's thread, under a lock that waiting connections share.
 */
final class PublicListener implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;

    private final List<ServerSocketChannel> sockets;
    private final Duration holdTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicInteger open = new AtomicInteger();
    private InetSocketAddress target; // guarded by lock
    private String failure; // guarded by lock: null unless failed
    private volatile boolean closed;

    PublicListener(List<ServerSocketChannel> sockets, Duration holdTimeout) {
        this.sockets = List.copyOf(sockets);
        this.holdTimeout = holdTimeout;
    }

    /** The public addresses. */
    List<InetSocketAddress> addresses() {
        return sockets.stream().map(s -> {
            try {
                return (InetSocketAddress) s.getLocalAddress();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** Connections being forwarded now. */
    int openConnections() {
        return open.get();
    }

    void start() throws IOException {
        for (ServerSocketChannel s : sockets) {
            s.configureBlocking(true); // bound for a selector; here a virtual thread blocks in accept
            Thread.ofVirtual().name("gale-autoreload-accept").start(() -> accept(s));
        }
    }

    /** New connections go to {@code internal} (a child's loopback socket). */
    void route(InetSocketAddress internal) {
        set(internal, null);
    }

    /** New connections wait for a child (one is starting). */
    void hold() {
        set(null, null);
    }

    /** New connections are answered 503 with {@code reason} (no child serves, none starts). */
    void fail(String reason) {
        set(null, reason);
    }

    /** Whether new connections go to {@code internal}. */
    boolean routesTo(InetSocketAddress internal) {
        lock.lock();
        try {
            return internal.equals(target);
        } finally {
            lock.unlock();
        }
    }

    private void set(InetSocketAddress target, String failure) {
        lock.lock();
        try {
            this.target = target;
            this.failure = failure;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void accept(ServerSocketChannel server) {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("[autoreload] accept failed on " + server + ": " + e);
                }
                return;
            }
            Thread.ofVirtual().name("gale-autoreload-forward").start(() -> forward(client));
        }
    }

    private void forward(SocketChannel client) {
        open.incrementAndGet();
        try (client) {
            InetSocketAddress tried = null;
            long deadline = System.nanoTime() + holdTimeout.toNanos();
            while (true) {
                Object next = awaitTarget(tried, deadline);
                if (next instanceof String reason) {
                    answer503(client, reason);
                    return;
                }
                InetSocketAddress to = (InetSocketAddress) next;
                SocketChannel upstream;
                try {
                    upstream = SocketChannel.open(to);
                } catch (IOException e) {
                    tried = to; // that child just died: wait for the supervisor to say what next
                    continue;
                }
                try (upstream) {
                    pump(client, upstream);
                }
                return;
            }
        } catch (IOException | InterruptedException e) {
            // the client or the child went away: the connection ends as it would have directly
        } finally {
            open.decrementAndGet();
        }
    }

    /** The target, or the failure reason, or "no child in time" as a reason after the deadline. */
    private Object awaitTarget(InetSocketAddress notThis, long deadline) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (target != null && !target.equals(notThis)) {
                    return target;
                }
                if (failure != null) {
                    return failure;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return "no version of the application was ready within " + holdTimeout.toSeconds() + " s";
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    private static void pump(SocketChannel client, SocketChannel upstream) throws InterruptedException {
        Thread up = Thread.ofVirtual().name("gale-autoreload-forward-up").start(() -> copy(client, upstream));
        copy(upstream, client);
        up.join();
    }

    /** Copies until end of stream, then half-closes the other side; on an error closes both. */
    private static void copy(SocketChannel from, SocketChannel to) {
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    to.write(buf);
                }
                buf.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /**
     * A plain-text 503 for a browser (dev mode: the reason is shown to the developer), then a
     * lingering close: what the client already sent is read and dropped for up to a second, so
     * the answer is not lost to a reset.
     */
    private static void answer503(SocketChannel client, String reason) throws IOException {
        byte[] body = ("The application is not running: " + reason + "\n"
                + "Gale's autoreload supervisor is waiting for the next change.\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n";
        ByteBuffer[] out = {ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)), ByteBuffer.wrap(body)};
        while (out[1].hasRemaining()) {
            client.write(out);
        }
        client.shutdownOutput();
        client.socket().setSoTimeout(1000);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        try (var in = client.socket().getInputStream()) {
            byte[] b = new byte[4096];
            int total = 0;
            while (System.nanoTime() < end && total < (1 << 20)) {
                int n = in.read(b);
                if (n < 0) {
                    break;
                }
                total += n;
            }
        } catch (IOException e) {
            // timed out or reset: done either way
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing
        }
    }

    /** Closes the public sockets; connections being forwarded end with their children. */
    @Override
    public void close() {
        closed = true;
        for (ServerSocketChannel s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}
