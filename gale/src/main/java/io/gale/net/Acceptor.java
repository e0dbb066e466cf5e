package io.gale.net;

import io.gale.ioloop.ChannelRegistration;
import io.gale.ioloop.IOLoop;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts connections on one listening socket (Tornado's {@code add_accept_handler}) and hands
 * each to a sink. Per readiness event it accepts at most {@link #MAX_ACCEPTS_PER_EVENT}
 * connections, so one busy listener cannot starve the other channels of its loop.
 *
 * <p>When {@code accept} fails (EMFILE "Too many open files", ENFILE, ENOBUFS...), the pending
 * connection stays in the kernel queue and the socket stays readable: retrying at once would spin.
 * So the acceptor stops waiting for OP_ACCEPT and retries after a backoff ({@link AcceptBackoff}),
 * logging one warning per burst of failures and one line when accepting works again. It never
 * gives up: the listener recovers once descriptors are free again.
 *
 * <p>The {@code admit} gate implements a connection limit: while it says no, the acceptor stops
 * accepting (connections wait in the kernel backlog) until {@link #resume()} is called. It keeps
 * watching the listening socket once more after the gate closed: readiness then means a client
 * is really waiting (the kernel queue is not empty), and only then is {@code onFull} told (the
 * server closes an idle connection to make room) and the socket no longer watched. A server
 * that merely reached its limit, with nobody waiting, closes nothing.
 *
 * <p>Threading: loop thread only, from {@link #start()} to {@link #close()}.
 */
final class Acceptor {
    /**
     * The logger, created on first use: SLF4J binds its provider on the first getLogger
     * (tens of ms), which a server that has logged nothing yet should not pay before its first
     * response.
     */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(Acceptor.class);
    }
    static final int MAX_ACCEPTS_PER_EVENT = 128;

    /** {@code ServerSocketChannel::accept}, replaceable so tests can simulate failures. */
    @FunctionalInterface
    interface AcceptFunction {
        SocketChannel accept(ServerSocketChannel channel) throws IOException;
    }

    /** Schedules a retry on the loop; returns a handle that cancels it. */
    @FunctionalInterface
    interface RetryScheduler {
        Runnable schedule(long delayNanos, Runnable retry);
    }

    private final IOLoop loop;
    private final ServerSocketChannel channel;
    private final Consumer<SocketChannel> sink;
    private final BooleanSupplier admit;
    private final Runnable onFull;
    private final AcceptBackoff backoff;
    private final RetryScheduler scheduler;
    private final AcceptFunction acceptFunction;
    private final String name;
    private ChannelRegistration registration;
    private Runnable pendingRetry;
    private boolean paused;
    private boolean closed;

    Acceptor(IOLoop loop, ServerSocketChannel channel, Consumer<SocketChannel> sink, BooleanSupplier admit,
            AcceptBackoff backoff, RetryScheduler scheduler, AcceptFunction acceptFunction) {
        this(loop, channel, sink, admit, () -> { }, backoff, scheduler, acceptFunction);
    }

    Acceptor(IOLoop loop, ServerSocketChannel channel, Consumer<SocketChannel> sink, BooleanSupplier admit,
            Runnable onFull, AcceptBackoff backoff, RetryScheduler scheduler, AcceptFunction acceptFunction) {
        this.loop = loop;
        this.channel = channel;
        this.sink = sink;
        this.admit = admit;
        this.onFull = onFull;
        this.backoff = backoff;
        this.scheduler = scheduler;
        this.acceptFunction = acceptFunction;
        String local;
        try {
            local = String.valueOf(channel.getLocalAddress());
        } catch (IOException e) {
            local = "?";
        }
        this.name = local;
    }

    /** An acceptor with the real accept call and timers of {@code loop}. */
    static Acceptor create(IOLoop loop, ServerSocketChannel channel, Consumer<SocketChannel> sink,
            BooleanSupplier admit, AcceptBackoff backoff) {
        return create(loop, channel, sink, admit, () -> { }, backoff);
    }

    /** As above; {@code onFull} is told when a client waits while {@code admit} says no. */
    static Acceptor create(IOLoop loop, ServerSocketChannel channel, Consumer<SocketChannel> sink,
            BooleanSupplier admit, Runnable onFull, AcceptBackoff backoff) {
        RetryScheduler timers = (delay, retry) -> loop.callLater(delay, TimeUnit.NANOSECONDS, retry)::cancel;
        return new Acceptor(loop, channel, sink, admit, onFull, backoff, timers, ServerSocketChannel::accept);
    }

    void start() {
        registration = loop.register(channel, SelectionKey.OP_ACCEPT, ops -> acceptBatch());
    }

    ServerSocketChannel channel() {
        return channel;
    }

    /** True while accepting is switched off (backoff or connection limit). For tests. */
    boolean isWaiting() {
        return registration == null || registration.interest() == 0;
    }

    void acceptBatch() {
        for (int i = 0; i < MAX_ACCEPTS_PER_EVENT && !closed; i++) {
            if (!admit.getAsBoolean()) {
                if (paused) {
                    // Ready while the gate is closed: a client waits in the kernel queue.
                    registration.setInterest(0);
                    onFull.run();
                } else {
                    paused = true; // still watched: the next readiness tells whether anyone waits
                }
                return;
            }
            paused = false;
            SocketChannel accepted;
            try {
                accepted = acceptFunction.accept(channel);
            } catch (ClosedChannelException e) {
                return; // stopped under us
            } catch (IOException e) {
                if (isAbortedConnection(e)) {
                    continue; // the peer gave up while queued; nothing wrong with us
                }
                onFailure(e);
                return;
            }
            if (accepted == null) {
                return; // queue drained
            }
            int burst = backoff.onSuccess();
            if (burst > 0) {
                Log.LOG.info("accepting on {} again after {} failed attempts", name, burst);
            }
            sink.accept(accepted);
        }
    }

    private void onFailure(IOException e) {
        long delay = backoff.onFailure();
        if (backoff.shouldLog()) {
            Log.LOG.warn("accept on {} failed: {}; pausing accepts and retrying with backoff (first retry in {} ms)",
                    name, e.getMessage(), TimeUnit.NANOSECONDS.toMillis(delay));
        } else {
            Log.LOG.debug("accept on {} failed again ({} in a row): {}", name, backoff.failures(), e.getMessage());
        }
        registration.setInterest(0);
        pendingRetry = scheduler.schedule(delay, this::retry);
    }

    private void retry() {
        pendingRetry = null;
        if (!closed && !paused) {
            // Wait for readiness again rather than accept blindly: the queue may be empty by now.
            registration.setInterest(SelectionKey.OP_ACCEPT);
        }
    }

    /** Accepts again after the connection limit paused it. No-op while a backoff retry is pending. */
    void resume() {
        if (paused && !closed) {
            paused = false;
            if (pendingRetry == null) {
                registration.setInterest(SelectionKey.OP_ACCEPT);
            }
        }
    }

    /** Stops accepting and closes the listening socket. Idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (pendingRetry != null) {
            pendingRetry.run();
            pendingRetry = null;
        }
        if (registration != null) {
            registration.cancel();
        }
        NetUtil.closeQuietly(channel);
    }

    private static boolean isAbortedConnection(IOException e) {
        String m = e.getMessage();
        return m != null && (m.contains("Connection aborted") || m.contains("Software caused connection abort"));
    }
}
