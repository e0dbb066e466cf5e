package io.gale.pubsub;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The reconnection schedule: {@link PubSubLimits#reconnectMinDelay()} after the first failure,
 * doubling per failed attempt up to {@link PubSubLimits#reconnectMaxDelay()}, each delay
 * shortened by up to 25% at random so that many processes that lost the same broker do not
 * reconnect in lockstep. A success resets it.
 *
 * <p>Not thread-safe: owned by one connection.
 */
final class Backoff {
    private final long minNanos;
    private final long maxNanos;
    private int attempts;

    Backoff(PubSubLimits limits) {
        this.minNanos = limits.reconnectMinDelay().toNanos();
        this.maxNanos = limits.reconnectMaxDelay().toNanos();
    }

    /** The delay before the next attempt, in nanoseconds; counts the attempt. */
    long nextDelayNanos() {
        long delay = delayFor(attempts++);
        return delay - ThreadLocalRandom.current().nextLong(delay / 4 + 1);
    }

    /** The undithered delay before attempt {@code attempt} (0-based). */
    long delayFor(long attempt) {
        int shift = (int) Math.min(attempt, 62);
        long d = minNanos << shift;
        return (d >>> shift) != minNanos || d > maxNanos || d <= 0 ? maxNanos : d;
    }

    void reset() {
        attempts = 0;
    }

    int attempts() {
        return attempts;
    }
}
