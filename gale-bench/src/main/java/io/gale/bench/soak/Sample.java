package io.gale.bench.soak;

/**
 * One row of the soak's record, taken every interval. Memory in KiB; -1 where a reading failed.
 *
 * @param seconds since the traffic started
 * @param demoHeapKib the httpbin demo's heap in use after a full GC
 * @param demoRssKib its resident set
 * @param demoFds its open descriptors
 * @param relayHeapKib the relay's heap after a full GC
 * @param relayRssKib the relay's resident set
 * @param relayFds the relay's open descriptors
 * @param lagMeanMillis the demo's mean loop lag over the interval: its lag probes' sum and count
 *     ({@code gale_ioloop_lag_probes_seconds} of {@code /metrics}, all loops) since the previous sample
 * @param lagMaxMillis the largest lag any probe of the demo saw since it started ({@code gale_ioloop_lag_max_seconds})
 * @param exchanges exchanges checked correct in the interval
 * @param errors unexpected errors in the interval
 * @param load1 the machine's one-minute load average
 */
record Sample(double seconds, long demoHeapKib, long demoRssKib, long demoFds, long relayHeapKib, long relayRssKib,
        long relayFds, double lagMeanMillis, double lagMaxMillis, long exchanges, long errors, double load1) {

    static final String CSV_HEADER = "seconds,demo_heap_after_gc_kib,demo_rss_kib,demo_fds,relay_heap_after_gc_kib,"
            + "relay_rss_kib,relay_fds,demo_loop_lag_mean_ms,demo_loop_lag_max_since_start_ms,exchanges,unexpected_errors,load1";

    String csv() {
        return String.format(java.util.Locale.ROOT, "%.1f,%d,%d,%d,%d,%d,%d,%.3f,%.2f,%d,%d,%.2f", seconds, demoHeapKib,
                demoRssKib, demoFds, relayHeapKib, relayRssKib, relayFds, lagMeanMillis, lagMaxMillis, exchanges, errors, load1);
    }
}
