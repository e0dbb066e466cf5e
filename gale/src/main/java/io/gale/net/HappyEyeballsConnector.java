package io.gale.net;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Connects to the first reachable of several addresses, dual-stack "Happy Eyeballs" style (RFC
 * 6555, Tornado's {@code _Connector}). The addresses are split into the family of the first one
 * (primary) and the rest (secondary). Primary addresses are tried one at a time, in order; the
 * secondary family starts after {@code secondaryDelay} or as soon as a primary attempt fails, and
 * is then also tried one at a time. At most one attempt per family is in flight. The first
 * connected channel wins; attempts still in flight are closed. When every address failed, the
 * result fails with a {@link ConnectException} naming the target and the last cause, every
 * per-address failure attached as suppressed.
 *
 * <p>Threading: created and run on one loop thread; {@link #result()} completes there.
 * {@link #close()} (loop thread) gives up, closing everything in flight.
 */
final class HappyEyeballsConnector {
    private final IOLoop loop;
    private final String target;
    private final InetAddress sourceAddress;
    private final int sourcePort;
    private final Duration secondaryDelay;
    private final Deque<InetSocketAddress> primary = new ArrayDeque<>();
    private final Deque<InetSocketAddress> secondary = new ArrayDeque<>();
    private final List<ConnectAttempt> inFlight = new ArrayList<>(2);
    private final List<Throwable> failures = new ArrayList<>();
    private final CompletableFuture<SocketChannel> result = new CompletableFuture<>();
    private boolean secondaryStarted;
    /** Set once the outcome is decided; attempts finishing later are only cleaned up. */
    private boolean settled;
    private Timeout secondaryTimer;

    /**
     * @param target "host:port", for error messages
     * @param addresses in preference order, not empty
     */
    HappyEyeballsConnector(IOLoop loop, String target, List<InetSocketAddress> addresses,
            Duration secondaryDelay, InetAddress sourceAddress, int sourcePort) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no address to connect to for " + target);
        }
        this.loop = loop;
        this.target = target;
        this.secondaryDelay = secondaryDelay;
        this.sourceAddress = sourceAddress;
        this.sourcePort = sourcePort;
        Class<?> firstFamily = addresses.get(0).getAddress().getClass();
        for (InetSocketAddress a : addresses) {
            (a.getAddress().getClass() == firstFamily ? primary : secondary).add(a);
        }
    }

    CompletableFuture<SocketChannel> result() {
        return result;
    }

    /** Starts connecting; returns {@link #result()}. */
    CompletableFuture<SocketChannel> start() {
        next(primary, true);
        if (!secondary.isEmpty() && !settled && !secondaryStarted) {
            secondaryTimer = loop.callLater(secondaryDelay, this::startSecondary);
        }
        return result;
    }

    private void startSecondary() {
        if (secondaryStarted || settled) {
            return;
        }
        secondaryStarted = true;
        if (secondaryTimer != null) {
            secondaryTimer.cancel();
        }
        next(secondary, false);
    }

    /** Starts an attempt on the next address of {@code queue}; null when the queue is empty. */
    private ConnectAttempt next(Deque<InetSocketAddress> queue, boolean isPrimary) {
        InetSocketAddress address = queue.poll();
        if (address == null) {
            return null;
        }
        ConnectAttempt attempt = new ConnectAttempt(loop, address);
        inFlight.add(attempt);
        attempt.result().whenComplete((channel, error) -> onAttemptDone(attempt, isPrimary, channel, error));
        return attempt.start(sourceAddress, sourcePort);
    }

    private void onAttemptDone(ConnectAttempt attempt, boolean isPrimary, SocketChannel channel, Throwable error) {
        inFlight.remove(attempt);
        if (settled) {
            if (channel != null) {
                NetUtil.closeQuietly(channel); // lost the race
            }
            return;
        }
        if (channel != null) {
            finish();
            if (!result.complete(channel)) {
                NetUtil.closeQuietly(channel);
            }
            return;
        }
        failures.add(new ConnectException(NetUtil.format(attempt.address()) + ": " + error.getMessage()));
        failures.get(failures.size() - 1).initCause(error);
        if (isPrimary) {
            next(primary, true);
            // A failure in the preferred family is the signal to try the other one now.
            startSecondary();
        } else {
            next(secondary, false);
        }
        if (!settled && inFlight.isEmpty() && primary.isEmpty() && (secondaryStarted || secondary.isEmpty())) {
            finish();
            result.completeExceptionally(aggregate());
        }
    }

    private ConnectException aggregate() {
        Throwable last = failures.get(failures.size() - 1).getCause();
        String reason = last.getMessage() != null ? last.getMessage() : last.getClass().getSimpleName();
        ConnectException e = new ConnectException("could not connect to " + target + " ("
                + failures.size() + (failures.size() == 1 ? " address" : " addresses") + " tried): " + reason);
        e.initCause(last);
        for (Throwable f : failures) {
            e.addSuppressed(f);
        }
        return e;
    }

    /** Gives up: closes every attempt in flight. Idempotent. */
    void close() {
        finish();
        result.cancel(false);
    }

    private void finish() {
        settled = true;
        if (secondaryTimer != null) {
            secondaryTimer.cancel();
        }
        for (ConnectAttempt a : List.copyOf(inFlight)) {
            a.abandon();
        }
        inFlight.clear();
    }
}
