package io.gale.metrics.micrometer;

import io.gale.metrics.GaleMetrics;
import io.gale.web.HandlerFunction;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The Prometheus text endpoint:
 *
 * <pre>{@code
 * app.get("/metrics", PrometheusEndpoint.of(metrics));     // Gale's meters in a new registry
 * app.get("/metrics", PrometheusEndpoint.of(registry));    // a registry you fill yourself too
 * }</pre>
 *
 * <p>Answers the registry's scrape in the text format (version 0.0.4) with
 * {@code Cache-Control: no-store}. The scrape runs on the loop that serves the request; it reads
 * Gale's adders and walks the live connections once for the byte counts (a few microseconds per
 * thousand connections). Needs {@code io.micrometer:micrometer-registry-prometheus}.
 */
public final class PrometheusEndpoint {
    /** The text format's media type. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusEndpoint() {
    }

    /**
     * A handler serving a new Prometheus registry with {@code metrics} bound ({@link GaleMeterBinder}).
     *
     * @param metrics the metrics
     * @return a handler serving a new Prometheus registry with {@code metrics} bound ({@link GaleMeterBinder})
     */
    public static HandlerFunction of(GaleMetrics metrics) {
        return of(registry(metrics));
    }

    /**
     * A handler serving {@code registry}'s scrape.
     *
     * @param registry the registry
     * @return a handler serving {@code registry}'s scrape
     */
    public static HandlerFunction of(PrometheusMeterRegistry registry) {
        return h -> {
            h.setHeader("Content-Type", CONTENT_TYPE);
            h.setHeader("Cache-Control", "no-store");
            h.write(registry.scrape());
        };
    }

    /**
     * A new Prometheus registry (default configuration) with {@code metrics} bound.
     *
     * @param metrics the metrics
     * @return a new Prometheus registry (default configuration) with {@code metrics} bound
     */
    public static PrometheusMeterRegistry registry(GaleMetrics metrics) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new GaleMeterBinder(metrics).bindTo(registry);
        return registry;
    }
}
