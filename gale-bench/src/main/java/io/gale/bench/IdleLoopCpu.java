package io.gale.bench;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.LoopGroup;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Measures what idle loops cost: a {@link LoopGroup} with the blocked-loop watchdog on and
 * nothing to do, for a given number of seconds; prints the CPU time the loop threads and the
 * whole process used meanwhile.
 *
 * <pre>java -cp gale-bench/target/benchmarks.jar io.gale.bench.IdleLoopCpu [seconds] [loops]</pre>
 */
public final class IdleLoopCpu {
    private IdleLoopCpu() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        LoopGroup group = new LoopGroup(loops).start();
        long[] ids = new long[loops];
        for (int i = 0; i < loops; i++) {
            IOLoop loop = group.loops().get(i);
            CompletableFuture<Long> id = new CompletableFuture<>();
            loop.addCallback(() -> id.complete(Thread.currentThread().threadId()));
            ids[i] = id.get();
        }
        // One idle-timeout-like timer per loop far in the future, as a server would have.
        for (IOLoop loop : group.loops()) {
            loop.callLater(Duration.ofHours(1), () -> {});
        }
        Thread.sleep(1000); // let start-up work settle before measuring
        long loopCpu0 = 0;
        for (long id : ids) {
            loopCpu0 += threads.getThreadCpuTime(id);
        }
        long proc0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        long wall = System.nanoTime() - wall0;
        long loopCpu = -loopCpu0;
        for (long id : ids) {
            loopCpu += threads.getThreadCpuTime(id);
        }
        long proc = os.getProcessCpuTime() - proc0;
        System.out.printf("idle %d loop(s) for %.1f s: loop threads used %.3f ms CPU (%.4f%% of one core), "
                        + "whole process %.1f ms (%.3f%%)%n",
                loops, wall / 1e9, loopCpu / 1e6, 100.0 * loopCpu / wall, proc / 1e6, 100.0 * proc / wall);
        group.shutdownGracefully(Duration.ofSeconds(5));
    }
}
