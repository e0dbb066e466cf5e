package io.gale.ioloop;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a callback on a loop every {@code period} (Tornado's {@code PeriodicCallback}).
 *
 * <pre>{@code
 * PeriodicCallback ticker = new PeriodicCallback(() -> log.info("tick"), Duration.ofSeconds(1));
 * ticker.start(loop);
 * }</pre>
 *
 * <p>The schedule is fixed: runs are due at start + k·period. When a run is late by more than a
 * period (the loop was busy), the missed runs are skipped, not bunched together. An asynchronous
 * callback ({@link #ofAsync}) is awaited before the next run is scheduled, so runs never overlap.
 * {@code jitter} (0 ≤ jitter ≤ 1) varies each period by up to ±jitter/2, to spread the runs of
 * many timers.
 *
 * <p>Threading: {@link #start}, {@link #stop} and {@link #isRunning} are safe from any thread;
 * the callback always runs on the loop.
 */
public final class PeriodicCallback {
    private static final Logger log = LoggerFactory.getLogger(PeriodicCallback.class);

    private final Supplier<? extends CompletionStage<?>> callback;
    private final long periodNanos;
    private final double jitter;

    private volatile boolean running;
    private IOLoop loop; // set by start
    private long nextDeadline; // loop thread
    private Timeout timeout; // loop thread
    private int generation; // loop thread; a restart must not revive an old schedule

    /**
     * Creates a {@code PeriodicCallback}.
     *
     * @param callback the callback
     * @param period the period
     */
    public PeriodicCallback(Runnable callback, Duration period) {
        this(callback, period, 0);
    }

    /**
     * Creates a {@code PeriodicCallback}.
     *
     * @param callback the callback
     * @param period the period
     * @param jitter the jitter fraction
     */
    public PeriodicCallback(Runnable callback, Duration period, double jitter) {
        this(() -> {
            callback.run();
            return null;
        }, period, jitter, true);
        Objects.requireNonNull(callback, "callback");
    }

    private PeriodicCallback(Supplier<? extends CompletionStage<?>> callback, Duration period, double jitter, boolean ignored) {
        this.callback = Objects.requireNonNull(callback, "callback");
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be within [0, 1]: " + jitter);
        }
        this.periodNanos = period.toNanos();
        this.jitter = jitter;
    }

    /**
     * A periodic callback whose runs are asynchronous: the next run is scheduled only when the
     * returned stage completes (successfully or not).
     *
     * @param callback the callback
     * @param period the period
     * @param jitter the jitter fraction
     * @return a periodic callback whose runs are asynchronous: the next run is scheduled only when the returned stage completes (successfully or not)
     */
    public static PeriodicCallback ofAsync(
            Supplier<? extends CompletionStage<?>> callback, Duration period, double jitter) {
        return new PeriodicCallback(callback, period, jitter, true);
    }

    /** Starts on {@link IOLoop#current()}, or on {@link IOLoop#instance()} when there is none. */
    public void start() {
        IOLoop current = IOLoop.current();
        start(current != null ? current : IOLoop.instance());
    }

    /**
     * Starts on {@code loop}; the first run is one period from now. No-op if already running.
     *
     * @param loop the loop
     */
    public synchronized void start(IOLoop loop) {
        if (running) {
            return;
        }
        running = true;
        this.loop = loop;
        loop.addCallback(() -> {
            if (!running) {
                return;
            }
            generation++;
            nextDeadline = loop.time();
            scheduleNext(generation);
        });
    }

    /** Stops; a run in progress completes, no further run starts. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        IOLoop l = loop;
        l.addCallback(() -> {
            if (timeout != null) {
                timeout.cancel();
                timeout = null;
            }
        });
    }

    /**
     * Whether it is running.
     *
     * @return whether it is running
     */
    public boolean isRunning() {
        return running;
    }

    private void scheduleNext(int gen) {
        if (!running || gen != generation) {
            return;
        }
        long now = loop.time();
        long period = periodNanos;
        if (jitter > 0) {
            period = (long) (period * (1 + jitter * (ThreadLocalRandom.current().nextDouble() - 0.5)));
        }
        nextDeadline = followingDeadline(nextDeadline, now, period);
        timeout = loop.callAt(nextDeadline, () -> runOnce(gen));
    }

    /**
     * The deadline after {@code previous}: one period later, or, when the loop is already past it,
     * the first slot of the fixed schedule strictly after {@code now} (missed runs are skipped).
     */
    static long followingDeadline(long previous, long now, long period) {
        if (previous - now <= 0) {
            long missed = (now - previous) / period;
            return previous + (missed + 1) * period;
        }
        return previous + period;
    }

    private void runOnce(int gen) {
        timeout = null;
        if (!running || gen != generation) {
            return;
        }
        CompletionStage<?> result = null;
        try {
            result = callback.get();
        } catch (Throwable t) {
            log.error("Exception in periodic callback", t);
        }
        if (result == null) {
            scheduleNext(gen);
        } else {
            result.whenComplete((v, e) -> {
                if (e != null) {
                    log.error("Periodic callback failed", IOLoop.unwrap(e));
                }
                loop.addCallback(() -> scheduleNext(gen));
            });
        }
    }
}
