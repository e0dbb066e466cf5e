package io.gale.metrics.micrometer;

import io.gale.metrics.ClientPoolMetrics;
import io.gale.metrics.ConnectionKind;
import io.gale.metrics.GaleMetrics;
import io.gale.metrics.LatencyHistogram;
import io.gale.metrics.LoopMetrics;
import io.gale.metrics.RouteMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;

/**
 * Registers a {@link GaleMetrics} in a Micrometer {@link MeterRegistry}: every meter is a
 * function meter reading Gale's own counters when the registry is read (scraped), so the serving
 * path never touches Micrometer. Meters that appear later (a route's first request, a loop's
 * first connection, a client bound later) are registered as they appear.
 *
 * <table>
 * <caption>Meters (Prometheus names in brackets)</caption>
 * <tr><th>name</th><th>type</th><th>tags</th></tr>
 * <tr><td>{@code gale.http.server.requests} [{@code gale_http_server_requests_total}]</td>
 *     <td>counter</td><td>{@code route} (the pattern), {@code status} ({@code 1xx} .. {@code 5xx})</td></tr>
 * <tr><td>{@code gale.http.server.duration} [{@code _seconds_count}, {@code _seconds_sum}]</td>
 *     <td>function timer</td><td>{@code route}</td></tr>
 * <tr><td>{@code gale.http.server.duration.le} [{@code gale_http_server_duration_le_total}]</td>
 *     <td>counter, cumulative per {@code le} (seconds; {@code +Inf} last): use with
 *     {@code histogram_quantile}</td><td>{@code route}, {@code le}</td></tr>
 * <tr><td>{@code gale.connections.open}</td><td>gauge</td><td>{@code kind} (http1, http2, websocket)</td></tr>
 * <tr><td>{@code gale.connections.opened}</td><td>counter</td><td>{@code kind}</td></tr>
 * <tr><td>{@code gale.bytes.received}, {@code gale.bytes.sent}</td><td>counter (bytes)</td><td></td></tr>
 * <tr><td>{@code gale.ioloop.lag}, {@code gale.ioloop.lag.max}</td><td>gauge (seconds): last probe, largest</td><td>{@code loop}</td></tr>
 * <tr><td>{@code gale.ioloop.lag.probes}</td><td>function timer</td><td>{@code loop}</td></tr>
 * <tr><td>{@code gale.ioloop.blocked}</td><td>counter: blocked-loop reports</td><td>{@code loop}</td></tr>
 * <tr><td>{@code gale.virtualthreads.active}, {@code gale.virtualthreads.queued}</td><td>gauge</td><td></td></tr>
 * <tr><td>{@code gale.virtualthreads.rejected}</td><td>counter</td><td></td></tr>
 * <tr><td>{@code gale.httpclient.connections}</td><td>gauge</td><td>{@code client}, {@code state} (open, idle)</td></tr>
 * <tr><td>{@code gale.httpclient.queued}</td><td>gauge</td><td>{@code client}</td></tr>
 * </table>
 *
 * <p>Threading: {@link #bindTo} from any thread, once per registry.
 */
public final class GaleMeterBinder implements MeterBinder {
    private static final String[] STATUS = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private final GaleMetrics metrics;

    /**
     * Creates a {@code GaleMeterBinder}.
     *
     * @param metrics the metrics
     */
    public GaleMeterBinder(GaleMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (ConnectionKind k : ConnectionKind.values()) {
            Gauge.builder("gale.connections.open", metrics, m -> m.openConnections(k))
                    .tag("kind", k.tag()).description("open server connections").strongReference(true).register(registry);
            FunctionCounter.builder("gale.connections.opened", metrics, m -> m.openedConnections(k))
                    .tag("kind", k.tag()).description("server connections opened").register(registry);
        }
        FunctionCounter.builder("gale.bytes.received", metrics, GaleMetrics::bytesReceived).baseUnit("bytes")
                .description("application bytes read from server connections").register(registry);
        FunctionCounter.builder("gale.bytes.sent", metrics, GaleMetrics::bytesSent).baseUnit("bytes")
                .description("application bytes written to server connections").register(registry);
        Gauge.builder("gale.virtualthreads.active", metrics, GaleMetrics::virtualThreadsInUse)
                .description("virtual-thread requests running").strongReference(true).register(registry);
        Gauge.builder("gale.virtualthreads.queued", metrics, GaleMetrics::virtualThreadsQueued)
                .description("virtual-thread requests waiting for admission").strongReference(true).register(registry);
        FunctionCounter.builder("gale.virtualthreads.rejected", metrics, GaleMetrics::virtualThreadRejections)
                .description("virtual-thread requests rejected by the admission limit (503)").register(registry);
        metrics.addListener(new GaleMetrics.Listener() {
            @Override
            public void routeAdded(RouteMetrics route) {
                bindRoute(registry, route);
            }

            @Override
            public void loopAdded(LoopMetrics loop) {
                bindLoop(registry, loop);
            }

            @Override
            public void clientPoolAdded(ClientPoolMetrics pool) {
                bindClient(registry, pool);
            }
        });
        // After the listener: a meter added in between is seen twice, and Micrometer keeps the first.
        metrics.routes().forEach(r -> bindRoute(registry, r));
        metrics.loops().forEach(l -> bindLoop(registry, l));
        metrics.clientPools().forEach(c -> bindClient(registry, c));
    }

    private static void bindRoute(MeterRegistry registry, RouteMetrics route) {
        Tags tags = Tags.of("route", route.pattern());
        for (int c = 1; c <= 5; c++) {
            int statusClass = c;
            FunctionCounter.builder("gale.http.server.requests", route, r -> r.requests(statusClass))
                    .tags(tags).tag("status", STATUS[c - 1]).description("requests by route pattern and status class")
                    .register(registry);
        }
        LatencyHistogram h = route.latency();
        FunctionTimer.builder("gale.http.server.duration", h, x -> x.snapshot().count(),
                        x -> x.snapshot().sumNanos(), TimeUnit.NANOSECONDS)
                .tags(tags).description("time from a request's arrival to its finish").register(registry);
        double[] bounds = LatencyHistogram.boundsSeconds();
        for (int i = 0; i <= bounds.length; i++) {
            int upTo = i;
            String le = i < bounds.length ? Double.toString(bounds[i]) : "+Inf";
            FunctionCounter.builder("gale.http.server.duration.le", h, x -> cumulative(x.snapshot(), upTo))
                    .tags(tags).tag("le", le).description("requests at or below le seconds (cumulative)")
                    .register(registry);
        }
    }

    private static double cumulative(LatencyHistogram.Snapshot s, int upTo) {
        long n = 0;
        for (int i = 0; i <= upTo; i++) {
            n += s.buckets()[i];
        }
        return n;
    }

    private static void bindLoop(MeterRegistry registry, LoopMetrics loop) {
        Tags tags = Tags.of("loop", loop.name());
        Gauge.builder("gale.ioloop.lag", loop, l -> l.lastLagNanos() / 1e9).tags(tags).baseUnit("seconds")
                .description("how late the last probe timer fired").strongReference(true).register(registry);
        Gauge.builder("gale.ioloop.lag.max", loop, l -> l.maxLagNanos() / 1e9).tags(tags).baseUnit("seconds")
                .description("the largest probe lag seen").strongReference(true).register(registry);
        FunctionTimer.builder("gale.ioloop.lag.probes", loop.lag(), x -> x.snapshot().count(),
                        x -> x.snapshot().sumNanos(), TimeUnit.NANOSECONDS)
                .tags(tags).description("every lag probe").register(registry);
        FunctionCounter.builder("gale.ioloop.blocked", loop, LoopMetrics::blockedReports).tags(tags)
                .description("blocked-loop reports").register(registry);
    }

    private static void bindClient(MeterRegistry registry, ClientPoolMetrics pool) {
        Tags tags = Tags.of("client", pool.name());
        Gauge.builder("gale.httpclient.connections", pool, ClientPoolMetrics::open).tags(tags).tag("state", "open")
                .description("pooled connections").strongReference(true).register(registry);
        Gauge.builder("gale.httpclient.connections", pool, ClientPoolMetrics::idle).tags(tags).tag("state", "idle")
                .description("pooled connections").strongReference(true).register(registry);
        Gauge.builder("gale.httpclient.queued", pool, ClientPoolMetrics::queued).tags(tags)
                .description("requests waiting for a connection").strongReference(true).register(registry);
    }
}
