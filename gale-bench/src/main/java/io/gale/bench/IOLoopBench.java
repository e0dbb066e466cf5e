package io.gale.bench;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.IOLoopOptions;
import io.gale.ioloop.Timeout;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The loop's hot paths: queuing callbacks from the loop thread and from another thread, and
 * adding + cancelling a timer while 100,000 others are pending (one idle timeout per connection).
 *
 * <p>Each invocation queues {@value #BATCH} operations and waits for the loop to run them, so
 * the figures are sustained throughput, not just enqueue speed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseG1GC", "-Xmx1g"})
public class IOLoopBench {
    static final int BATCH = 1000;
    static final int PENDING_TIMERS = 100_000;

    IOLoop loop;
    Timeout[] pending;
    long counter; // loop thread only

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        loop = new IOLoop(IOLoopOptions.builder().name("bench-loop").daemon(true).build());
        loop.startInBackground();
        CompletableFuture<Timeout[]> timers = new CompletableFuture<>();
        loop.addCallback(() -> {
            Timeout[] t = new Timeout[PENDING_TIMERS];
            for (int i = 0; i < t.length; i++) {
                t[i] = loop.callLater(Duration.ofHours(1).plusMillis(i), () -> {});
            }
            timers.complete(t);
        });
        pending = timers.get();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        loop.close();
    }

    /** Callbacks queued by a callback on the loop thread (no atomic operations on this path). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long sameThreadAddCallback() throws Exception {
        CompletableFuture<Long> done = new CompletableFuture<>();
        loop.addCallback(() -> {
            for (int i = 0; i < BATCH - 1; i++) {
                loop.addCallback(() -> counter++);
            }
            loop.addCallback(() -> done.complete(counter));
        });
        return done.get();
    }

    /** Callbacks queued from a non-loop thread: the lock-free queue plus wake-ups when needed. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long crossThreadAddCallback() throws Exception {
        CompletableFuture<Long> done = new CompletableFuture<>();
        for (int i = 0; i < BATCH - 1; i++) {
            loop.addCallback(() -> counter++);
        }
        loop.addCallback(() -> done.complete(counter));
        return done.get();
    }

    /** callLater + cancel on the loop thread with 100,000 timers pending. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long timerAddCancelWith100kPending() throws Exception {
        CompletableFuture<Long> done = new CompletableFuture<>();
        loop.addCallback(() -> {
            long base = loop.time();
            long sum = 0;
            for (int i = 0; i < BATCH; i++) {
                Timeout t = loop.callAt(base + TimeUnit.MINUTES.toNanos(30) + i, () -> {});
                sum += t.deadline();
                t.cancel();
            }
            done.complete(sum);
        });
        return done.get();
    }
}
