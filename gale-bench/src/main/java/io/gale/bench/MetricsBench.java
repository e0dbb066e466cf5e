package io.gale.bench;

import io.gale.metrics.GaleMetrics;
import io.gale.metrics.RouteMetrics;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What Gale's metrics add to one request: {@link RouteMetrics#record} (status class and latency
 * bucket adders, the sum), alone and from two threads at once (two loops recording into one
 * route: the adders stripe). The per-request cost to compare with a plaintext request's CPU time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseG1GC", "-Xmx1g"})
public class MetricsBench {
    GaleMetrics metrics;
    RouteMetrics route;
    long nanos = 180_000;

    @Setup
    public void setUp() {
        metrics = new GaleMetrics();
        route = metrics.route("/plaintext");
    }

    @TearDown
    public void tearDown() {
        metrics.close();
    }

    @Benchmark
    public void record() {
        route.record(200, nanos);
    }

    @Benchmark
    @Threads(2)
    public void recordTwoThreads() {
        route.record(200, nanos);
    }
}
