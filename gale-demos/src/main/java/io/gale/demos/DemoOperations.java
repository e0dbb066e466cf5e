package io.gale.demos;

import io.gale.metrics.GaleMetrics;
import io.gale.metrics.micrometer.PrometheusEndpoint;
import io.gale.web.Application;
import io.gale.web.Health;

/**
 * The operations endpoints the server demos mount: {@code /metrics} (Prometheus text of the
 * application's {@link GaleMetrics}), {@code /healthz} (liveness) and {@code /readyz} (readiness:
 * 503 once a SIGTERM began the drain).
 */
public final class DemoOperations {
    private DemoOperations() {
    }

    /** Mounts the three endpoints on {@code app}, whose settings record into {@code metrics}. */
    public static Application mount(Application app, GaleMetrics metrics) {
        return mount(app, PrometheusEndpoint.registry(metrics));
    }

    /** As {@link #mount(Application, GaleMetrics)}, serving {@code registry} (Gale's meters and the demo's own). */
    public static Application mount(Application app, io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry) {
        app.get("/metrics", PrometheusEndpoint.of(registry))
                .get("/healthz", Health.liveness())
                .get("/readyz", Health.readiness());
        return app;
    }
}
