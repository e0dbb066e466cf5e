package io.gale.bench.ws;

/**
 * Delivery delays in microseconds, log-linear: exact to the microsecond below 1,024 µs, then 64
 * buckets per power of two (within 1.6%) up to 2^36 µs (19 hours; anything longer counts there).
 * Fan-out delays under overload reach seconds, beyond {@code LatencyHistogram}'s 100 ms. Recording
 * allocates nothing. Percentiles report a bucket's upper edge (never below the true value); the
 * maximum is exact.
 *
 * <p>Single-threaded; {@link #add} merges another (after its writer stopped).
 */
final class DelayHistogram {
    private static final int LINEAR = 1024;
    private static final int SUB_BITS = 6;
    private static final int MAX_EXP = 36;
    private static final int SIZE = LINEAR + (MAX_EXP - 10 + 1) * (1 << SUB_BITS);

    private final long[] counts = new long[SIZE];
    private long total;
    private long max;

    void record(long nanos) {
        long us = Math.max(0, nanos / 1000);
        counts[index(us)]++;
        total++;
        max = Math.max(max, us);
    }

    static int index(long us) {
        if (us < LINEAR) {
            return (int) us;
        }
        int exp = Math.min(MAX_EXP, 63 - Long.numberOfLeadingZeros(us));
        int sub = exp == MAX_EXP && us >= (2L << MAX_EXP) ? (1 << SUB_BITS) - 1
                : (int) ((us >>> (exp - SUB_BITS)) & ((1 << SUB_BITS) - 1));
        return LINEAR + (exp - 10) * (1 << SUB_BITS) + sub;
    }

    /** The largest value (µs) that falls in bucket {@code i}. */
    static long upperEdge(int i) {
        if (i < LINEAR) {
            return i;
        }
        int exp = (i - LINEAR) / (1 << SUB_BITS) + 10;
        int sub = (i - LINEAR) % (1 << SUB_BITS);
        return (1L << exp) + ((long) (sub + 1) << (exp - SUB_BITS)) - 1;
    }

    long total() {
        return total;
    }

    long maxMicros() {
        return max;
    }

    /** The value (µs) at or below which {@code fraction} of the samples lie; -1 if empty. */
    long percentileMicros(double fraction) {
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * total));
        long seen = 0;
        for (int i = 0; i < SIZE; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperEdge(i), max);
            }
        }
        return max;
    }

    void add(DelayHistogram other) {
        for (int i = 0; i < SIZE; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }
}
