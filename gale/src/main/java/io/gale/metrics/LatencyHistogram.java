package io.gale.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed-bucket histogram of durations in nanoseconds: one {@link LongAdder} per bucket and one
 * for the sum, so recording from several loops at once costs an uncontended add each (the adder
 * stripes itself under contention), no lock and no allocation.
 *
 * <p>Buckets: the upper bounds in {@link #BOUNDS_NANOS} (0.5 ms to 30 s, Prometheus' usual
 * 1-2.5-5 steps) and an overflow bucket; a value equal to a bound falls in that bound's bucket
 * ({@code le}). The count is the sum of the buckets: no third adder.
 *
 * <p>Threading: {@link #record} from any thread; {@link #snapshot} from any thread gives values
 * that may miss records made while it ran (each bucket is read once), never torn ones.
 */
public final class LatencyHistogram {
    /** Upper bounds (inclusive) of the finite buckets, in nanoseconds. */
    static final long[] BOUNDS_NANOS = {
        500_000L, 1_000_000L, 2_500_000L, 5_000_000L, 10_000_000L, 25_000_000L, 50_000_000L,
        100_000_000L, 250_000_000L, 500_000_000L, 1_000_000_000L, 2_500_000_000L, 5_000_000_000L,
        10_000_000_000L, 30_000_000_000L,
    };

    private final LongAdder[] buckets = new LongAdder[BOUNDS_NANOS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    /**
     * Creates a {@code LatencyHistogram}.
     */
    public LatencyHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /**
     * The upper bounds of the finite buckets in seconds (the {@code le} labels), a copy.
     *
     * @return the upper bounds of the finite buckets in seconds (the {@code le} labels), a copy
     */
    public static double[] boundsSeconds() {
        double[] s = new double[BOUNDS_NANOS.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = BOUNDS_NANOS[i] / 1e9;
        }
        return s;
    }

    /**
     * Records one duration (negative values count as 0).
     *
     * @param nanos the nanos
     */
    public void record(long nanos) {
        long v = Math.max(nanos, 0);
        int i = 0;
        // Linear: most requests land in the first buckets, where this stops after one or two compares.
        while (i < BOUNDS_NANOS.length && v > BOUNDS_NANOS[i]) {
            i++;
        }
        buckets[i].increment();
        sumNanos.add(v);
    }

    /**
     * The current values.
     *
     * @return the current values
     */
    public Snapshot snapshot() {
        long[] counts = new long[buckets.length];
        long count = 0;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = buckets[i].sum();
            count += counts[i];
        }
        return new Snapshot(counts, count, sumNanos.sum());
    }

    /** Cumulative count of values at or below finite bucket {@code i}'s bound ({@code i < BOUNDS_NANOS.length}). */
    long cumulative(int i) {
        long n = 0;
        for (int j = 0; j <= i; j++) {
            n += buckets[j].sum();
        }
        return n;
    }

    long count() {
        long n = 0;
        for (LongAdder b : buckets) {
            n += b.sum();
        }
        return n;
    }

    long sumNanos() {
        return sumNanos.sum();
    }

    /**
     * A histogram's values at one moment.
     *
     * @param buckets per-bucket counts (not cumulative), the finite buckets in {@link #boundsSeconds()}
     *     order and the overflow bucket last
     * @param count all values recorded
     * @param sumNanos their sum
     */
    public record Snapshot(long[] buckets, long count, long sumNanos) {
        /**
         * An upper estimate of quantile {@code q} (0 to 1): the bound of the bucket where it
         * falls, in nanoseconds; {@link Long#MAX_VALUE} in the overflow bucket, 0 when empty.
         *
         * @param q the q
         * @return an upper estimate of quantile {@code q} (0 to 1): the bound of the bucket where it falls, in nanoseconds; {@link Long#MAX_VALUE} in the overflow bucket, 0 when empty
         */
        public long quantileUpperBoundNanos(double q) {
            if (count == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(q * count);
            long seen = 0;
            for (int i = 0; i < buckets.length; i++) {
                seen += buckets[i];
                if (seen >= Math.max(rank, 1)) {
                    return i < BOUNDS_NANOS.length ? BOUNDS_NANOS[i] : Long.MAX_VALUE;
                }
            }
            return Long.MAX_VALUE;
        }
    }
}
