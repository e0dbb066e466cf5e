package io.gale.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.ioloop.BlockedLoopListeners;
import io.gale.ioloop.BlockedLoopReport;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.IOLoopOptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The registry in memory: histogram buckets, route meters, connections, loop lag, blocked loops. */
@Timeout(60)
class GaleMetricsTest {

    @Test
    void histogramBucketsAreInclusiveUpperBoundsWithAnOverflowBucket() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(0);
        h.record(500_000); // exactly the first bound: first bucket
        h.record(500_001);
        h.record(-5); // counts as 0
        h.record(60_000_000_000L); // past the last bound
        LatencyHistogram.Snapshot s = h.snapshot();
        assertThat(s.count()).isEqualTo(5);
        assertThat(s.buckets()[0]).isEqualTo(3);
        assertThat(s.buckets()[1]).isEqualTo(1);
        assertThat(s.buckets()[s.buckets().length - 1]).isEqualTo(1);
        assertThat(s.sumNanos()).isEqualTo(500_000 + 500_001 + 60_000_000_000L);
        assertThat(s.quantileUpperBoundNanos(0.5)).isEqualTo(500_000);
        assertThat(s.quantileUpperBoundNanos(0.7)).isEqualTo(1_000_000);
        assertThat(s.quantileUpperBoundNanos(1.0)).isEqualTo(Long.MAX_VALUE);
        assertThat(new LatencyHistogram().snapshot().quantileUpperBoundNanos(0.99)).isZero();
        assertThat(LatencyHistogram.boundsSeconds()).startsWith(0.0005, 0.001).endsWith(30.0);
    }

    @Test
    void routesCountByStatusClassAndAreResolvedOncePerPattern() {
        try (GaleMetrics m = new GaleMetrics()) {
            RouteMetrics r = m.route("/story/([0-9]+)");
            assertThat(m.route("/story/([0-9]+)")).isSameAs(r);
            r.record(200, 1_000);
            r.record(204, 1_000);
            r.record(301, 1_000);
            r.record(404, 1_000);
            r.record(503, 1_000);
            r.record(101, 1_000);
            r.record(99, 1_000); // not a status class: counted with the server errors
            MetricsSnapshot s = m.snapshot();
            RouteMetrics.Snapshot rs = s.route("/story/([0-9]+)");
            assertThat(rs.byStatusClass()).containsExactly(1, 2, 1, 1, 2);
            assertThat(rs.requests()).isEqualTo(7);
            assertThat(rs.latency().count()).isEqualTo(7);
            assertThat(s.route(GaleMetrics.UNMATCHED)).isNotNull();
            assertThat(s.route("/story/1")).isNull();
        }
    }

    @Test
    void connectionsAndListenersSeeNewMeters() {
        try (GaleMetrics m = new GaleMetrics()) {
            CompletableFuture<RouteMetrics> added = new CompletableFuture<>();
            m.addListener(new GaleMetrics.Listener() {
                @Override
                public void routeAdded(RouteMetrics route) {
                    added.complete(route);
                }
            });
            m.connectionOpened(ConnectionKind.HTTP1);
            m.connectionOpened(ConnectionKind.WEBSOCKET);
            m.connectionClosed(ConnectionKind.HTTP1);
            m.bindByteCounters(() -> 10, () -> 20);
            m.bindByteCounters(() -> 1, () -> 2);
            m.bindAdmission(() -> 3, () -> 4, () -> 5);
            m.bindClientPool("api", () -> 6, () -> 2, () -> 1);
            RouteMetrics r = m.route("/new");
            assertThat(added.join()).isSameAs(r);
            MetricsSnapshot s = m.snapshot();
            assertThat(s.open(ConnectionKind.HTTP1)).isZero();
            assertThat(s.opened(ConnectionKind.HTTP1)).isEqualTo(1);
            assertThat(s.open(ConnectionKind.WEBSOCKET)).isEqualTo(1);
            assertThat(s.bytesReceived()).isEqualTo(11);
            assertThat(s.bytesSent()).isEqualTo(22);
            assertThat(s.virtualThreadsInUse()).isEqualTo(3);
            assertThat(s.virtualThreadsQueued()).isEqualTo(4);
            assertThat(s.virtualThreadRejections()).isEqualTo(5);
            assertThat(s.clientPools()).containsExactly(new ClientPoolMetrics.Snapshot("api", 6, 2, 1));
        }
    }

    @Test
    void byteCountsNeverDecrease() {
        try (GaleMetrics m = new GaleMetrics()) {
            long[] v = {100};
            m.bindByteCounters(() -> v[0], () -> v[0]);
            assertThat(m.bytesReceived()).isEqualTo(100);
            v[0] = 90; // a connection between the live set and the closed total
            assertThat(m.bytesReceived()).isEqualTo(100);
            v[0] = 120;
            assertThat(m.bytesSent()).isEqualTo(120);
        }
    }

    @Test
    void loopLagIsProbedOnTheLoop() throws Exception {
        IOLoop loop = new IOLoop(IOLoopOptions.builder().name("lag-test").daemon(true).build());
        loop.startInBackground();
        try (GaleMetrics m = new GaleMetrics(Duration.ofMillis(5))) {
            LoopMetrics lm = m.monitorLoop(loop);
            assertThat(m.monitorLoop(loop)).isSameAs(lm);
            // Timers never fire early and run in deadline order: by this one, probes have run.
            CompletableFuture<Void> later = new CompletableFuture<>();
            loop.callLater(Duration.ofMillis(60), () -> later.complete(null));
            later.get(30, TimeUnit.SECONDS);
            LoopMetrics.Snapshot s = m.snapshot().loops().get(0);
            assertThat(s.name()).isEqualTo("lag-test");
            assertThat(s.lag().count()).isPositive();
            assertThat(s.maxLagNanos()).isGreaterThanOrEqualTo(s.lastLagNanos()).isNotNegative();
        } finally {
            loop.close();
        }
    }

    @Test
    void blockedLoopReportsAreCountedPerLoop() throws Exception {
        IOLoop loop = new IOLoop(IOLoopOptions.builder().name("blocked-test").daemon(true)
                .blockedThreshold(Duration.ofMillis(50)).onBlocked(r -> { }).build());
        loop.startInBackground();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<BlockedLoopReport> seen = new CompletableFuture<>();
        Consumer<BlockedLoopReport> after = r -> {
            if (r.loop() == loop) {
                seen.complete(r);
            }
        };
        try (GaleMetrics m = new GaleMetrics()) {
            BlockedLoopListeners.add(after); // after the registry's own listener
            m.monitorLoop(loop);
            loop.addCallback(() -> {
                try {
                    release.await(30, TimeUnit.SECONDS); // the stall the watchdog reports
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            seen.get(30, TimeUnit.SECONDS);
            release.countDown();
            assertThat(m.snapshot().loops()).singleElement().satisfies(l -> assertThat(l.blockedReports()).isEqualTo(1));
        } finally {
            release.countDown();
            BlockedLoopListeners.remove(after);
            loop.close();
        }
    }
}
