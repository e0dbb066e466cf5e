package io.gale.metrics;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * The meters of one {@link IOLoop}: its lag and its blocked-loop reports.
 *
 * <p><b>Lag</b> is how late a timer fires: a probe timer is set every {@code interval} on the
 * loop and, when it runs, records how long after its deadline that was. A loop that keeps up
 * shows the select wake-up granularity (well under a millisecond); a loop busy with long
 * callbacks or a flood of I/O shows the time a timer, and so any request's timeout or any
 * callback, waits. The probe costs one timer per interval (default 100 ms) and is never early
 * (the loop's timers never fire early), so a lag is never negative.
 *
 * <p><b>Blocked reports</b> count the watchdog's reports for this loop (see
 * {@link io.gale.ioloop.BlockedLoopReport}).
 *
 * <p>Threading: the probe runs on the loop; the values are read from any thread.
 */
public final class LoopMetrics {
    private final IOLoop loop;
    private final long intervalNanos;
    private final LatencyHistogram lag = new LatencyHistogram();
    private final LongAdder blocked = new LongAdder();
    private volatile long lastLagNanos;
    private volatile long maxLagNanos;
    private volatile boolean stopped;
    private Timeout timer; // loop thread

    LoopMetrics(IOLoop loop, Duration interval) {
        this.loop = loop;
        this.intervalNanos = interval.toNanos();
    }

    /** Starts the probe (any thread). */
    void start() {
        if (!loop.isClosed()) {
            schedule(loop.time() + intervalNanos);
        }
    }

    private void schedule(long deadline) {
        if (stopped || loop.isClosed()) {
            return;
        }
        timer = loop.callAt(deadline, () -> fired(deadline));
    }

    private void fired(long deadline) {
        long now = loop.time();
        long late = Math.max(0, now - deadline);
        lastLagNanos = late;
        if (late > maxLagNanos) {
            maxLagNanos = late;
        }
        lag.record(late);
        schedule(now + intervalNanos);
    }

    /** Stops the probe (any thread). */
    void stop() {
        stopped = true;
        loop.addCallback(() -> {
            if (timer != null) {
                timer.cancel();
            }
        });
    }

    void blockedReport() {
        blocked.increment();
    }

    /**
     * The loop's name (the {@code loop} tag).
     *
     * @return the loop's name (the {@code loop} tag)
     */
    public String name() {
        return loop.name();
    }

    /**
     * The loop.
     *
     * @return the loop
     */
    public IOLoop loop() {
        return loop;
    }

    /**
     * The lag of the last probe, in nanoseconds.
     *
     * @return the lag of the last probe, in nanoseconds
     */
    public long lastLagNanos() {
        return lastLagNanos;
    }

    /**
     * The largest lag seen, in nanoseconds.
     *
     * @return the largest lag seen, in nanoseconds
     */
    public long maxLagNanos() {
        return maxLagNanos;
    }

    /**
     * Every probe's lag.
     *
     * @return every probe's lag
     */
    public LatencyHistogram lag() {
        return lag;
    }

    /**
     * Blocked-loop reports of this loop.
     *
     * @return the blocked reports
     */
    public long blockedReports() {
        return blocked.sum();
    }

    /**
     * The current values.
     *
     * @return the current values
     */
    public Snapshot snapshot() {
        return new Snapshot(loop.name(), lastLagNanos, maxLagNanos, lag.snapshot(), blocked.sum());
    }

    /**
     * A loop's values at one moment.
     *
     * @param name the loop's name
     * @param lastLagNanos lag of the last probe
     * @param maxLagNanos largest lag seen
     * @param lag all probes' lags
     * @param blockedReports blocked-loop reports
     */
    public record Snapshot(String name, long lastLagNanos, long maxLagNanos, LatencyHistogram.Snapshot lag,
            long blockedReports) {
    }
}
