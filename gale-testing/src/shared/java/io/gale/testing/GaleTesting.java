package io.gale.testing;

import io.gale.ioloop.IOLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Helpers for tests of asynchronous code (Tornado's {@code tornado.testing} functions):
 * {@link #await} a future with a bound, {@link #awaitCondition} for a state no event announces,
 * {@link #bindUnusedPort()}, {@link #unusedPort()}, and the time limits the other helpers use.
 *
 * <pre>{@code
 * import static io.gale.testing.GaleTesting.await;
 *
 * HttpResponse r = await(client.fetch(url));                  // at most asyncTestTimeout()
 * WebSocketMessage m = await(ws.readMessage(), Duration.ofSeconds(2));
 * }</pre>
 *
 * <p>Time limits (Tornado's {@code ASYNC_TEST_TIMEOUT}): {@link #asyncTestTimeout()} bounds one
 * wait (system property {@code gale.test.asyncTimeout}, seconds, default 10);
 * {@link #testTimeout()} bounds a whole test run by {@link GaleTest} (system property
 * {@code gale.test.timeout}, seconds, default 30). Thread-safe (stateless).
 */
public final class GaleTesting {
    private static final long POLL_NANOS = 5_000_000;

    private GaleTesting() {
    }

    /**
     * The bound of one wait ({@code gale.test.asyncTimeout}, seconds; default 10).
     *
     * @return the bound of one wait ({@code gale.test.asyncTimeout}, seconds; default 10)
     */
    public static Duration asyncTestTimeout() {
        return seconds("gale.test.asyncTimeout", 10);
    }

    /**
     * The default bound of a whole test ({@code gale.test.timeout}, seconds; default 30).
     *
     * @return the default bound of a whole test ({@code gale.test.timeout}, seconds; default 30)
     */
    public static Duration testTimeout() {
        return seconds("gale.test.timeout", 30);
    }

    private static Duration seconds(String property, double defaultSeconds) {
        String v = System.getProperty(property);
        double s = defaultSeconds;
        if (v != null && !v.isBlank()) {
            try {
                s = Double.parseDouble(v.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(property + " must be a number of seconds, not " + v, e);
            }
        }
        return Duration.ofNanos((long) (s * 1e9));
    }

    /**
     * {@link #await(CompletionStage, Duration)} with {@link #asyncTestTimeout()}.
     *
     * @param <T> the type of the values
     * @param stage the stage
     * @return the result (see {@link #await(CompletionStage, Duration)})
     */
    public static <T> T await(CompletionStage<T> stage) {
        return await(stage, asyncTestTimeout());
    }

    /**
     * Waits for {@code stage} and returns its value, or throws its failure unwrapped (the
     * original exception, never a {@code CompletionException}; checked ones too, undeclared).
     * Callbacks of the stage never run on the waiting thread.
     *
     * @param <T> the type of the values
     * @param stage the stage
     * @param timeout the time limit
     * @return the value
     * @throws AssertionError if it does not complete within {@code timeout}
     * @throws IllegalStateException on an {@link IOLoop} thread (waiting there would stall the loop)
     * @throws CancellationException if the stage was cancelled or the waiting thread interrupted
     *     (a test's timeout interrupts it)
     */
    public static <T> T await(CompletionStage<T> stage, Duration timeout) {
        IOLoop current = IOLoop.current();
        if (current != null && current.inLoop()) {
            throw new IllegalStateException("await() on the loop thread of " + current.name()
                    + " would stall the loop; chain the stage (thenAccept) instead");
        }
        CompletableFuture<T> f = stage.toCompletableFuture();
        if (!f.isDone()) {
            // Wait on a private signal, not on f: a thread blocked in f.get() may run f's dependent
            // callbacks when it wakes, which belong on the loop that completes f.
            CompletableFuture<Void> signal = new CompletableFuture<>();
            f.whenComplete((v, e) -> signal.complete(null));
            try {
                signal.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("no result within " + timeout.toMillis() + " ms from " + stage);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                CancellationException c = new CancellationException("interrupted while awaiting " + stage);
                c.initCause(e);
                throw c;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e); // never: the signal only completes normally
            }
        }
        try {
            return f.getNow(null);
        } catch (CancellationException e) {
            throw e;
        } catch (CompletionException e) {
            Throwable cause = e;
            while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                    && cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw GaleTesting.<RuntimeException>sneaky(cause);
        }
    }

    /**
     * Waits until {@code condition} holds, for a state no event announces (a server-side count,
     * a descriptor table): checks it every 5 ms, at most {@code limit}. The test synchronises on
     * the condition, never on the passing of time; this is the one poll of Gale's tests.
     *
     * @param condition checked on the calling thread (hand it to a loop yourself when its
     *     state is the loop's)
     * @param limit the longest wait
     * @param what describes the state when the limit is reached, for the failure
     * @throws AssertionError if it does not hold within {@code limit}
     * @throws CancellationException if the waiting thread is interrupted (a test's timeout)
     */
    public static void awaitCondition(BooleanSupplier condition, Duration limit, Supplier<String> what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not reached within " + limit.toMillis() + " ms: " + what.get());
            }
            LockSupport.parkNanos(POLL_NANOS); // not synchronisation: the period of a bounded poll
            if (Thread.interrupted()) {
                throw new CancellationException("interrupted while waiting for: " + what.get());
            }
        }
    }

    /**
     * {@link #awaitCondition(BooleanSupplier, Duration, Supplier)} within {@link #asyncTestTimeout()}.
     *
     * @param condition checked on the calling thread
     * @param what describes the state when the limit is reached, for the failure
     */
    public static void awaitCondition(BooleanSupplier condition, Supplier<String> what) {
        awaitCondition(condition, asyncTestTimeout(), what);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /**
     * A listening socket on 127.0.0.1 with a port the system chose (Tornado's
     * {@code bind_unused_port}): no race with another process, since the socket is bound before
     * the port is known. Serve it with {@code HttpServer.addSockets} / {@code TcpServer.addSockets},
     * or accept on it yourself; close it when done.
     *
     * @return a listening socket on 127.0.0.1 with a port the system chose (Tornado's {@code bind_unused_port}): no race with another process, since the socket is bound before the port is known
     */
    public static BoundPort bindUnusedPort() {
        try {
            ServerSocketChannel ch = ServerSocketChannel.open();
            try {
                ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
                return new BoundPort(ch, ((InetSocketAddress) ch.getLocalAddress()).getPort());
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a loopback port", e);
        }
    }

    /**
     * A loopback port nothing listens on right now (bound, then closed): for tests of refused
     * connections. Another process may take it meanwhile; to serve on a port, use
     * {@link #bindUnusedPort()}.
     *
     * @return a loopback port nothing listens on right now (bound, then closed): for tests of refused connections
     */
    public static int unusedPort() {
        try (BoundPort p = bindUnusedPort()) {
            return p.port();
        }
    }

    /**
     * A bound, listening loopback socket and its port.
     *
     * @param socket the listening socket (blocking mode, as opened)
     * @param port its port on 127.0.0.1
     */
    public record BoundPort(ServerSocketChannel socket, int port) implements AutoCloseable {
        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
