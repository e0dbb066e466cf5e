package io.gale.ioloop;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread for the whole process that looks at every running loop with a blocked-loop
 * threshold and reports a loop whose current iteration has been busy for longer than that.
 * Each stall is reported once (keyed by the iteration's start time).
 *
 * <p>The loop pays two volatile writes per iteration ({@link IOLoop#busySince}); the watchdog
 * thread exists only while a watched loop runs, and wakes a few times per threshold, so an
 * idle process stays idle.
 */
final class Watchdog {
    /**
     * The logger, created on first use: SLF4J binds its provider on the first getLogger
     * (tens of ms), which a server that has logged nothing yet should not pay before its first
     * response.
     */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
    }
    private static final CopyOnWriteArrayList<IOLoop> loops = new CopyOnWriteArrayList<>();
    private static Thread thread; // guarded by Watchdog.class

    private Watchdog() {}

    static void watch(IOLoop loop) {
        loops.add(loop);
        synchronized (Watchdog.class) {
            if (thread == null) {
                thread = Thread.ofPlatform().daemon().name("gale-watchdog").unstarted(Watchdog::run);
                thread.start();
            } else {
                LockSupport.unpark(thread); // re-evaluate the check period for the new loop
            }
        }
    }

    static void unwatch(IOLoop loop) {
        loops.remove(loop);
    }

    private static void run() {
        while (true) {
            long period;
            synchronized (Watchdog.class) {
                if (loops.isEmpty()) {
                    thread = null;
                    return;
                }
                period = Long.MAX_VALUE;
                for (IOLoop l : loops) {
                    period = Math.min(period, l.options().blockedThreshold().toNanos() / 4);
                }
            }
            LockSupport.parkNanos(Math.max(period, 1_000_000L));
            long now = System.nanoTime();
            for (IOLoop l : loops) {
                try {
                    check(l, now);
                } catch (Throwable t) {
                    Log.LOG.error("blocked-loop check failed for {}", l.name(), t);
                }
            }
        }
    }

    private static void check(IOLoop loop, long now) {
        long since = loop.busySince;
        if (since == 0 || since == loop.reportedStall) {
            return;
        }
        long busy = now - since;
        if (busy < loop.options().blockedThreshold().toNanos()) {
            return;
        }
        Thread t = loop.thread();
        if (t == null) {
            return;
        }
        StackTraceElement[] stack = t.getStackTrace();
        if (loop.busySince != since) {
            return; // it finished while we were looking
        }
        loop.reportedStall = since;
        BlockedLoopReport report = new BlockedLoopReport(loop, Duration.ofNanos(busy), stack);
        loop.options().onBlocked().accept(report);
        BlockedLoopListeners.publish(report);
    }
}
