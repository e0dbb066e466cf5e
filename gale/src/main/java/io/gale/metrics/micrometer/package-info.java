/**
 * Gale's metrics through Micrometer: {@link io.gale.metrics.micrometer.GaleMeterBinder} registers
 * a {@link io.gale.metrics.GaleMetrics} in any {@code MeterRegistry};
 * {@link io.gale.metrics.micrometer.PrometheusEndpoint} serves a Prometheus registry's text
 * format at {@code /metrics}. Needs {@code io.micrometer:micrometer-core} (and
 * {@code micrometer-registry-prometheus} for the endpoint) on the class path: optional
 * dependencies of Gale, which nothing else in Gale loads.
 */
package io.gale.metrics.micrometer;
