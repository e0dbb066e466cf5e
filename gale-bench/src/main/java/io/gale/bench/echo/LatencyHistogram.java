package io.gale.bench.echo;

/**
 * Round-trip times in whole microseconds, counted in one array (1 µs resolution up to 100 ms,
 * one overflow bucket beyond), so recording costs no allocation and percentiles are exact to the
 * microsecond. Single-threaded.
 */
public final class LatencyHistogram {
    private static final int MAX_US = 100_000;

    private final long[] counts = new long[MAX_US + 1];
    private long total;

    public void record(long nanos) {
        int us = (int) Math.min(MAX_US, Math.max(0, nanos / 1000));
        counts[us]++;
        total++;
    }

    public long total() {
        return total;
    }

    /** The smallest recorded value (µs) at or below which {@code fraction} of the samples lie; -1 if empty. */
    public long percentileMicros(double fraction) {
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i;
            }
        }
        return MAX_US;
    }

    public void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
    }
}
