package io.gale.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * The meters of one route pattern (Tornado's URL spec): requests by status class and a latency
 * histogram. Resolved once per route by the web layer ({@link GaleMetrics#route(String)}) and
 * kept beside it, so recording a request is three adder increments: no map lookup, no string,
 * no allocation.
 *
 * <p>Threading: {@link #record} from any thread (every loop records into the same instance).
 */
public final class RouteMetrics {
    private final String pattern;
    /** Indexed by status class - 1: 1xx .. 5xx (anything else counts as 5xx). */
    private final LongAdder[] byClass = new LongAdder[5];
    private final LatencyHistogram latency = new LatencyHistogram();

    RouteMetrics(String pattern) {
        this.pattern = pattern;
        for (int i = 0; i < byClass.length; i++) {
            byClass[i] = new LongAdder();
        }
    }

    /**
     * The route's pattern as written (the {@code route} tag), or {@link GaleMetrics#UNMATCHED}.
     *
     * @return the route's pattern as written (the {@code route} tag), or {@link GaleMetrics#UNMATCHED}
     */
    public String pattern() {
        return pattern;
    }

    /**
     * One finished request: its status and its time from arrival to finish.
     *
     * @param status the status code
     * @param nanos the nanos
     */
    public void record(int status, long nanos) {
        byClass[statusClassIndex(status)].increment();
        latency.record(nanos);
    }

    static int statusClassIndex(int status) {
        int c = status / 100;
        return c >= 1 && c <= 5 ? c - 1 : 4;
    }

    /**
     * Requests answered with a status of class {@code statusClass} (1 to 5).
     *
     * @param statusClass the status class
     * @return the number
     */
    public long requests(int statusClass) {
        return byClass[statusClass - 1].sum();
    }

    /**
     * The latency histogram.
     *
     * @return the latency histogram
     */
    public LatencyHistogram latency() {
        return latency;
    }

    /**
     * The current values.
     *
     * @return the current values
     */
    public Snapshot snapshot() {
        long[] counts = new long[5];
        for (int i = 0; i < 5; i++) {
            counts[i] = byClass[i].sum();
        }
        return new Snapshot(pattern, counts, latency.snapshot());
    }

    /**
     * A route's values at one moment.
     *
     * @param pattern the route pattern
     * @param byStatusClass requests per status class, index 0 for 1xx to 4 for 5xx
     * @param latency time from arrival to finish
     */
    public record Snapshot(String pattern, long[] byStatusClass, LatencyHistogram.Snapshot latency) {
        /**
         * Requests of status class {@code statusClass} (1 to 5).
         *
         * @param statusClass the status class
         * @return the number
         */
        public long requests(int statusClass) {
            return byStatusClass[statusClass - 1];
        }

        /**
         * All requests.
         *
         * @return all requests
         */
        public long requests() {
            long n = 0;
            for (long c : byStatusClass) {
                n += c;
            }
            return n;
        }
    }
}
