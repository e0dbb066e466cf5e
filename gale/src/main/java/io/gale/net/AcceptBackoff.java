package io.gale.net;

/**
 * The retry schedule of an acceptor whose {@code accept} fails (typically EMFILE, "Too many open
 * files"): the first retry after {@code min}, each further one after twice the previous delay, at
 * most {@code max}; a success resets it. It also decides logging: one line when a burst of
 * failures starts, none for the retries of the same burst, so a descriptor shortage cannot flood
 * the log.
 *
 * <p>Threading: not thread-safe; owned by one acceptor on its loop thread.
 */
final class AcceptBackoff {
    private final long minNanos;
    private final long maxNanos;
    private long nextDelay;
    private int failures;

    AcceptBackoff(long minNanos, long maxNanos) {
        if (minNanos <= 0 || maxNanos < minNanos) {
            throw new IllegalArgumentException("need 0 < min <= max, got " + minNanos + ", " + maxNanos);
        }
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
        this.nextDelay = minNanos;
    }

    /** Records a failure; returns how long to wait before accepting again, in nanoseconds. */
    long onFailure() {
        failures++;
        long delay = nextDelay;
        nextDelay = Math.min(maxNanos, delay * 2);
        return delay;
    }

    /** True right after the first failure of a burst: the one failure worth logging. */
    boolean shouldLog() {
        return failures == 1;
    }

    /** Records a successful accept; returns how many failures the burst had (0 if none). */
    int onSuccess() {
        int burst = failures;
        failures = 0;
        nextDelay = minNanos;
        return burst;
    }

    int failures() {
        return failures;
    }
}
