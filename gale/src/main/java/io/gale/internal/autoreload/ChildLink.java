package io.gale.internal.autoreload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * The child side of dev mode: a JVM started by the autoreload supervisor (the system property
 * {@value #SOCKET_PROPERTY} names the supervisor's socket) talks to it through this link. Gale's
 * servers call it; applications use {@code io.gale.autoreload.Autoreload} instead.
 *
 * <ul>
 * <li>{@link #bind}: a server of the child binds an ephemeral port on the loopback address and the
 *     supervisor forwards the public port the application asked for to it, so the public socket
 *     outlives every child and no connection is refused while one child replaces another.
 * <li>{@link #addDrain}, {@link #addReloadHook}: on {@code STOP} (a newer child serves) the hooks
 *     run, then every server drains (stops accepting, finishes the requests in flight) within the
 *     drain time, then the JVM exits.
 * <li>{@link #livePath}, {@link #watch}: the application's template and static directories (no
 *     restart needed) and further files to watch.
 * </ul>
 *
 * <p>Failure behaviour: if the supervisor goes away (its link closes) the child exits, so no
 * orphan keeps a port. Threading: every method may be called from any thread; {@link #get}
 * connects once, on first use.
 */
public final class ChildLink {
    /** System property: the path of the supervisor's Unix domain socket. */
    public static final String SOCKET_PROPERTY = "gale.autoreload.link";
    /** System property: the child's number, given by the supervisor. */
    public static final String CHILD_PROPERTY = "gale.autoreload.child";
    /** How long a bind waits for the supervisor's answer. */
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);

    private static final Object LOCK = new Object();
    private static ChildLink instance; // guarded by LOCK

    private final LinkChannel channel;
    private final List<String> toCheck;
    private final AtomicInteger requestIds = new AtomicInteger();
    private final Map<String, CompletableFuture<LinkMessage>> pending = new ConcurrentHashMap<>();
    private final List<Runnable> reloadHooks = new CopyOnWriteArrayList<>();
    private final List<Function<Duration, CompletionStage<?>>> drains = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    private ChildLink(LinkChannel channel, List<String> toCheck) {
        this.channel = channel;
        this.toCheck = toCheck;
    }

    /**
     * Whether this JVM is a child of the autoreload supervisor.
     *
     * @return true in a child
     */
    public static boolean active() {
        return System.getProperty(SOCKET_PROPERTY) != null;
    }

    /**
     * The link, connected on first use (the handshake: {@code HELLO}, then the supervisor's
     * {@code CHECK}).
     *
     * @return the link
     * @throws IllegalStateException if this JVM is not a child
     * @throws UncheckedIOException if the supervisor cannot be reached
     */
    public static ChildLink get() {
        synchronized (LOCK) {
            if (instance == null) {
                String socket = System.getProperty(SOCKET_PROPERTY);
                if (socket == null) {
                    throw new IllegalStateException("not started by the autoreload supervisor");
                }
                try {
                    instance = connect(Path.of(socket), System.getProperty(CHILD_PROPERTY, "0"));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot reach the autoreload supervisor at " + socket, e);
                }
            }
            return instance;
        }
    }

    private static ChildLink connect(Path socket, String childId) throws IOException {
        LinkChannel channel = LinkChannel.connect(socket);
        channel.send(LinkMessage.of(LinkMessage.HELLO, childId, String.valueOf(ProcessHandle.current().pid())));
        LinkMessage check = channel.receive();
        if (check == null || !check.type().equals(LinkMessage.CHECK)) {
            channel.close();
            throw new IOException("the supervisor answered HELLO with " + (check == null ? "nothing" : check.type()));
        }
        ChildLink link = new ChildLink(channel, check.fields());
        Thread.ofPlatform().daemon().name("gale-autoreload-link").start(link::read);
        return link;
    }

    /**
     * The classes that changed since the previous child started, which {@code ChildMain} loads
     * before the application's {@code main} so that a broken class stops this child, not a request.
     *
     * @return binary class names
     */
    public List<String> classesToCheck() {
        return toCheck;
    }

    /**
     * Reports the result of loading {@link #classesToCheck()}.
     *
     * @param failure null when every class loaded, else what failed
     */
    public void checked(String failure) {
        send(failure == null ? LinkMessage.of(LinkMessage.CHECK_OK) : LinkMessage.of(LinkMessage.CHECK_FAILED, failure));
    }

    /**
     * A listening socket of this child: bound on an ephemeral loopback port, which the supervisor
     * forwards {@code address:port} to.
     *
     * @param channel the child's socket (on the loopback address)
     * @param publicAddresses the public addresses the supervisor listens on for it
     */
    public record Bound(ServerSocketChannel channel, List<InetSocketAddress> publicAddresses) {
    }

    /**
     * Binds a listening socket for {@code address:port} the dev-mode way (see the class comment).
     *
     * @param port the public port the application asked for (0: the supervisor picks one, and
     *     keeps it for the children that follow)
     * @param address the public address, null or "" for all interfaces
     * @param backlog the internal socket's listen queue, 0 or less for 1024
     * @return the internal socket and the public addresses
     * @throws BindException if the supervisor cannot bind the public port
     * @throws IOException if the internal socket cannot be bound or the supervisor does not answer
     */
    public Bound bind(int port, String address, int backlog) throws IOException {
        ServerSocketChannel internal = ServerSocketChannel.open();
        try {
            internal.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog > 0 ? backlog : 1024);
            int internalPort = ((InetSocketAddress) internal.getLocalAddress()).getPort();
            String id = String.valueOf(requestIds.incrementAndGet());
            CompletableFuture<LinkMessage> reply = new CompletableFuture<>();
            pending.put(id, reply);
            channel.send(LinkMessage.of(LinkMessage.BIND, id, address == null ? "" : address, String.valueOf(port),
                    String.valueOf(internalPort)));
            LinkMessage answer = await(reply);
            if (answer.type().equals(LinkMessage.BIND_FAILED)) {
                throw new BindException(answer.field(1));
            }
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (int i = 1; i + 1 < answer.fields().size(); i += 2) {
                addresses.add(new InetSocketAddress(InetAddress.getByName(answer.field(i)), Integer.parseInt(answer.field(i + 1))));
            }
            return new Bound(internal, List.copyOf(addresses));
        } catch (IOException | RuntimeException e) {
            internal.close();
            throw e;
        }
    }

    private static LinkMessage await(CompletableFuture<LinkMessage> reply) throws IOException {
        try {
            return reply.get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the autoreload supervisor binds");
        } catch (ExecutionException e) {
            throw new IOException("the autoreload supervisor is gone", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the autoreload supervisor did not answer a bind within " + BIND_TIMEOUT.toSeconds() + " s");
        }
    }

    /**
     * Registers a server's graceful stop, run on {@code STOP} with the drain time; the JVM exits
     * when every drain completed or the drain time (plus a second) has passed.
     *
     * @param drain starts draining and returns a stage that completes when done
     */
    public void addDrain(Function<Duration, CompletionStage<?>> drain) {
        drains.add(drain);
    }

    /**
     * Registers a hook run on {@code STOP}, before the servers drain (Tornado's
     * {@code add_reload_hook}).
     *
     * @param hook the hook
     */
    public void addReloadHook(Runnable hook) {
        reloadHooks.add(hook);
    }

    /**
     * Tells the supervisor that changes under {@code path} need no restart (the application
     * re-reads them itself: templates and static files in debug mode).
     *
     * @param path a directory or file; null is ignored
     */
    public void livePath(Path path) {
        if (path != null) {
            send(LinkMessage.of(LinkMessage.LIVE, path.toAbsolutePath().normalize().toString()));
        }
    }

    /**
     * Asks the supervisor to restart on changes of {@code path} too.
     *
     * @param path a directory or file
     */
    public void watch(Path path) {
        send(LinkMessage.of(LinkMessage.WATCH, path.toAbsolutePath().normalize().toString()));
    }

    /**
     * Completes when {@code count} reaches zero or {@code deadline} has passed, whichever is first,
     * checking every 10 ms on a daemon thread (dev mode only: a few draining servers).
     *
     * @param count the live connections
     * @param deadline the longest wait
     * @return completes with true if the count reached zero
     */
    public static CompletableFuture<Boolean> awaitZero(IntSupplier count, Duration deadline) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        long end = System.nanoTime() + deadline.toNanos();
        Thread.ofPlatform().daemon().name("gale-autoreload-drain").start(() -> {
            try {
                while (count.getAsInt() > 0 && System.nanoTime() - end < 0) {
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.complete(count.getAsInt() == 0);
        });
        return done;
    }

    private void send(LinkMessage message) {
        try {
            channel.send(message);
        } catch (IOException e) {
            throw new UncheckedIOException("the autoreload supervisor is gone", e);
        }
    }

    /** The link's reading thread: answers to binds, STOP, and the supervisor's end. */
    private void read() {
        try {
            LinkMessage m;
            while ((m = channel.receive()) != null) {
                switch (m.type()) {
                    case LinkMessage.BOUND, LinkMessage.BIND_FAILED -> {
                        CompletableFuture<LinkMessage> reply = pending.remove(m.field(0));
                        if (reply != null) {
                            reply.complete(m);
                        }
                    }
                    case LinkMessage.STOP -> {
                        long drainMillis = Long.parseLong(m.field(0));
                        Thread.ofPlatform().name("gale-autoreload-stop").start(() -> stop(drainMillis));
                    }
                    default -> System.err.println("[autoreload] child: unexpected message " + m.type());
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!stopping) {
                System.err.println("[autoreload] child: link failed: " + e);
            }
        }
        IOException gone = new IOException("the autoreload supervisor closed the link");
        pending.values().forEach(f -> f.completeExceptionally(gone));
        if (!stopping) {
            // The supervisor is gone (killed, or it stopped): an orphan must not keep serving.
            System.exit(0);
        }
    }

    private void stop(long drainMillis) {
        stopping = true;
        for (Runnable hook : reloadHooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                System.err.println("[autoreload] reload hook failed: " + e);
                e.printStackTrace();
            }
        }
        Duration drain = Duration.ofMillis(drainMillis);
        List<CompletableFuture<?>> done = new ArrayList<>();
        for (Function<Duration, CompletionStage<?>> d : drains) {
            try {
                done.add(d.apply(drain).toCompletableFuture());
            } catch (RuntimeException e) {
                System.err.println("[autoreload] drain failed: " + e);
            }
        }
        try {
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(drainMillis + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // exit all the same: a newer child serves
        }
        System.exit(0);
    }
}
