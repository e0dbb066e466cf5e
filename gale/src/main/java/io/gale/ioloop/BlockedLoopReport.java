package io.gale.ioloop;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the blocked-loop watchdog saw: a loop thread busy with one task (or one batch of I/O
 * events) for longer than {@link IOLoopOptions#blockedThreshold()}. Blocking the loop is the
 * classic Tornado mistake; Gale says so instead of silently stalling every connection on it.
 *
 * @param loop the stalled loop
 * @param blockedFor how long the current task had been running when it was seen
 * @param stack the loop thread's stack at that moment (where it is stuck)
 */
public record BlockedLoopReport(IOLoop loop, Duration blockedFor, StackTraceElement[] stack) {
    private static final Logger log = LoggerFactory.getLogger(BlockedLoopReport.class);

    /**
     * The default handler: one WARN line with the stack.
     *
     * @param report the report
     */
    public static void log(BlockedLoopReport report) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : report.stack) {
            sb.append("\n\tat ").append(e);
        }
        log.warn("IOLoop {} blocked for {} ms: a task is running on the loop thread; move blocking work "
                        + "off the loop (IOLoop.runInExecutor or a virtual-thread handler). Loop thread stack:{}",
                report.loop.name(), report.blockedFor.toMillis(), sb);
    }
}
