package io.gale.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on 127.0.0.1 that injects faults between a client and a server: added latency, a
 * bandwidth cap, a slow drip, a reset or a half-close after N bytes, a black hole, each per
 * direction ({@link #upstream} client to server, {@link #downstream} server to client) and
 * changeable while connections live. Put it between Gale's server and its clients, or between
 * Gale's client and a server, to see timeouts fire and broken connections handled.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.to(server.port())) {
 *     proxy.downstream(Fault.resetAfter(10_000));          // the response is cut after 10 kB
 *     client.fetch(proxy.url("/big"));                       // fails: connection reset
 *     proxy.downstream(Fault.none());
 *     proxy.resetAll();                                      // every pooled connection broken
 * }
 * }</pre>
 *
 * <p>It is written on blocking sockets and virtual threads (four per connection: a reader and a
 * writer for each direction), not on Gale's loop, so that it stays an independent peer of the
 * code under test. Bytes read are queued (unbounded: the proxy is for tests) and written by the
 * direction's writer when their latency is over, paced by the bandwidth or drip. End of stream is
 * passed on as a FIN; an error on either side closes both sockets; {@link #resetAll} and
 * {@link Fault#resetAfter} close them with SO_LINGER 0, so the peers see a reset.
 *
 * <p>Counters ({@link #accepted}, {@link #openConnections}, bytes each way) are exact once a
 * connection's threads are done; {@link #close} stops accepting, resets what is left and waits
 * for every connection's threads.
 */
public final class FaultProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final Thread acceptor;
    private volatile Fault upstream = Fault.none();
    private volatile Fault downstream = Fault.none();
    private volatile boolean refuse;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    /** Notified whenever a link leaves {@link #links}: {@link #awaitNoConnections} waits on it. */
    private final Object linkClosed = new Object();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();

    private FaultProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofVirtual().name("fault-proxy-accept-" + listener.getLocalPort()).start(this::acceptLoop);
    }

    /**
     * A proxy to a server on 127.0.0.1:{@code port}.
     *
     * @param port the port
     * @return a proxy to a server on 127.0.0.1:{@code port}
     */
    public static FaultProxy to(int port) {
        return to(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /**
     * To.
     *
     * @param target the request target
     * @return the fault proxy
     */
    public static FaultProxy to(InetSocketAddress target) {
        try {
            return new FaultProxy(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1", e);
        }
    }

    /**
     * The port.
     *
     * @return the port
     */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * {@code http://127.0.0.1:PORT} + path, through the proxy.
     *
     * @param path the path
     * @return the string
     */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + (path.startsWith("/") ? path : "/" + path);
    }

    /**
     * The fault applied to bytes from the client to the server, from now on.
     *
     * @param fault the fault
     * @return this fault proxy
     */
    public FaultProxy upstream(Fault fault) {
        this.upstream = fault;
        return this;
    }

    /**
     * The fault applied to bytes from the server to the client, from now on.
     *
     * @param fault the fault
     * @return this fault proxy
     */
    public FaultProxy downstream(Fault fault) {
        this.downstream = fault;
        return this;
    }

    /**
     * New connections are accepted and reset at once (a server that refuses, seen from a client).
     *
     * @param refuse the refuse
     * @return this fault proxy
     */
    public FaultProxy refuseConnections(boolean refuse) {
        this.refuse = refuse;
        return this;
    }

    /** Resets every live connection now (both sides see RST): a network that dropped them. */
    public void resetAll() {
        for (Link link : links) {
            link.reset();
        }
    }

    /**
     * Connections accepted so far.
     *
     * @return the accepted
     */
    public long accepted() {
        return accepted.get();
    }

    /**
     * Connections whose sockets are not yet both closed.
     *
     * @return the open connections
     */
    public int openConnections() {
        return links.size();
    }

    /**
     * The bytes upstream.
     *
     * @return the bytes upstream
     */
    /**
     * Waits until no connection is open (each closed by a peer, a fault or {@link #resetAll}).
     *
     * @param limit the longest wait
     * @throws AssertionError if connections are still open after {@code limit}
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void awaitNoConnections(java.time.Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (linkClosed) {
            while (!links.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(links.size() + " proxied connections still open after " + limit);
                }
                linkClosed.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /**
     * The bytes upstream: forwarded from clients to the target so far, over every link.
     *
     * @return the count since the proxy started
     */
    public long bytesUpstream() {
        return bytesUp.get();
    }

    /**
     * The bytes downstream: forwarded from the target to clients so far, over every link.
     *
     * @return the count since the proxy started
     */
    public long bytesDownstream() {
        return bytesDown.get();
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing a listener: nothing to report
        }
        resetAll();
        join(acceptor);
        for (Link link : links) {
            link.join();
        }
    }

    private void forget(Link link) {
        links.remove(link);
        synchronized (linkClosed) {
            linkClosed.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            if (refuse) {
                abort(client);
                continue;
            }
            Socket server = new Socket();
            try {
                server.connect(target, 10_000);
            } catch (IOException e) {
                abort(client); // the target refused: so does the proxy
                closeQuietly(server);
                continue;
            }
            Link link = new Link(client, server);
            links.add(link);
            link.start();
        }
    }

    /** One proxied connection: two sockets, two directions. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        private final Direction up;
        private final Direction down;
        private final AtomicBoolean closed = new AtomicBoolean();

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
            this.up = new Direction(this, client, server, true);
            this.down = new Direction(this, server, client, false);
        }

        void start() {
            up.start();
            down.start();
        }

        /** Both sockets closed with RST. */
        void reset() {
            if (closed.compareAndSet(false, true)) {
                abort(client);
                abort(server);
                forget(this);
            }
        }

        /** Both sockets closed normally (an error on one side, or both directions ended). */
        void close() {
            if (closed.compareAndSet(false, true)) {
                closeQuietly(client);
                closeQuietly(server);
                forget(this);
            }
        }

        void directionDone() {
            if (up.done && down.done) {
                close();
            }
        }

        void join() {
            up.join();
            down.join();
        }
    }

    /** One direction of a link: a reader queueing what it reads, a writer applying the fault. */
    private final class Direction {
        private static final byte[] END = new byte[0];
        private final Link link;
        private final Socket from;
        private final Socket to;
        private final boolean upstreamSide;
        private final BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        private Thread reader;
        private Thread writer;
        private long forwarded; // writer thread only
        private volatile boolean halfClosed;
        volatile boolean done;

        Direction(Link link, Socket from, Socket to, boolean upstreamSide) {
            this.link = link;
            this.from = from;
            this.to = to;
            this.upstreamSide = upstreamSide;
        }

        private Fault fault() {
            return upstreamSide ? upstream : downstream;
        }

        void start() {
            String name = "fault-proxy-" + port() + (upstreamSide ? "-up" : "-down");
            reader = Thread.ofVirtual().name(name + "-read").start(this::read);
            writer = Thread.ofVirtual().name(name + "-write").start(this::write);
        }

        private void read() {
            byte[] buf = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                while (true) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    Fault f = fault();
                    if (f.swallowAll() || halfClosed) {
                        continue; // swallowed
                    }
                    queue.add(new Chunk(Arrays.copyOf(buf, n), System.nanoTime() + f.latency().toNanos()));
                }
            } catch (IOException e) {
                // reset or closed: the writer learns it through END and the link closes
            }
            queue.add(new Chunk(END, System.nanoTime()));
        }

        private void write() {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk c = queue.take();
                    if (c.bytes == END) {
                        if (!halfClosed && !link.closed.get()) {
                            to.shutdownOutput(); // pass the FIN on
                        }
                        break;
                    }
                    parkUntil(c.due);
                    if (!forward(out, c.bytes)) {
                        break;
                    }
                }
            } catch (IOException | InterruptedException e) {
                link.close();
            } finally {
                done = true;
                link.directionDone();
            }
        }

        /** False once this direction forwards nothing more (reset or half-closed). */
        private boolean forward(OutputStream out, byte[] bytes) throws IOException {
            int off = 0;
            while (off < bytes.length) {
                Fault f = fault();
                if (halfClosed) {
                    return false;
                }
                int slice = (int) f.sliceBytes(bytes.length - off);
                long limit = Math.min(f.resetAfter() < 0 ? Long.MAX_VALUE : f.resetAfter(),
                        f.closeAfter() < 0 ? Long.MAX_VALUE : f.closeAfter());
                if (forwarded + slice >= limit) {
                    int last = (int) Math.max(0, limit - forwarded);
                    out.write(bytes, off, last);
                    out.flush();
                    count(last);
                    if (f.resetAfter() >= 0 && f.resetAfter() == limit) {
                        link.reset();
                    } else {
                        halfClosed = true;
                        to.shutdownOutput();
                    }
                    return false;
                }
                out.write(bytes, off, slice);
                out.flush();
                count(slice);
                off += slice;
                long pause = f.pauseNanos(slice);
                if (pause > 0) {
                    parkUntil(System.nanoTime() + pause);
                }
            }
            return true;
        }

        private void count(int n) {
            forwarded += n;
            (upstreamSide ? bytesUp : bytesDown).addAndGet(n);
        }

        void join() {
            FaultProxy.join(reader);
            FaultProxy.join(writer);
        }
    }

    private record Chunk(byte[] bytes, long due) {
    }

    /** The fault's own delay (latency, pacing): the point of the proxy, not synchronisation. */
    private static void parkUntil(long deadlineNanos) {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left); // not synchronisation: the fault's delay itself
        }
    }

    private static void abort(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // already closed: nothing to reset
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing: nothing to report
        }
    }

    private static void join(Thread t) {
        if (t == null) {
            return;
        }
        try {
            if (!t.join(java.time.Duration.ofSeconds(10))) {
                throw new IllegalStateException(t.getName() + " did not end within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
