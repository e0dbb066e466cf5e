/**
 * Gale's built-in operational metrics: requests by route pattern and status class, latency
 * histograms, open connections by kind, bytes in and out, IOLoop lag and blocked-loop reports,
 * virtual-thread admission and HTTP client pools. Plain counters readable in process
 * ({@link io.gale.metrics.GaleMetrics#snapshot()}); exported through Micrometer by
 * {@code io.gale.metrics.micrometer} when Micrometer is on the class path.
 */
package io.gale.metrics;
