package io.gale.ioloop;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Settings of an {@link IOLoop}. Immutable; start from {@link #defaults()} and change what you need:
 *
 * <pre>{@code
 * IOLoop loop = new IOLoop(IOLoopOptions.defaults().withName("worker").withBlockedThreshold(Duration.ofMillis(500)));
 * }</pre>
 *
 * @param name thread name of the loop (also used in log lines)
 * @param blockedThreshold a task (or a batch of I/O events) running longer than this is reported
 *     as a blocked loop; {@code null} or zero switches the watchdog off. Default 2 s.
 * @param onBlocked receives each blocked-loop report; default: one WARN log line with the loop
 *     thread's stack
 * @param daemon whether a thread started by {@link IOLoop#startInBackground()} is a daemon thread.
 *     Default false: a server's loops keep the JVM alive, as Tornado's {@code start()} does.
 */
public record IOLoopOptions(
        String name, Duration blockedThreshold, Consumer<BlockedLoopReport> onBlocked, boolean daemon) {

    public static final Duration DEFAULT_BLOCKED_THRESHOLD = Duration.ofSeconds(2);

    /**
     * Creates an {@code IOLoopOptions}; its components are described in the class comment.
     */
    public IOLoopOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(onBlocked, "onBlocked");
        if (blockedThreshold != null && blockedThreshold.isNegative()) {
            throw new IllegalArgumentException("blockedThreshold must not be negative: " + blockedThreshold);
        }
    }

    /**
     * The defaults.
     *
     * @return the defaults
     */
    public static IOLoopOptions defaults() {
        return new IOLoopOptions("gale-loop", DEFAULT_BLOCKED_THRESHOLD, BlockedLoopReport::log, false);
    }

    /**
     * A copy with {@code name} replaced.
     *
     * @param name thread name of the loop (also used in log lines)
     * @return a copy with this value replaced
     */
    public IOLoopOptions withName(String name) {
        return new IOLoopOptions(name, blockedThreshold, onBlocked, daemon);
    }

    /**
     * A copy with {@code blockedThreshold} replaced.
     *
     * @param threshold a task (or a batch of I/O events) running longer than this is reported as a blocked loop; {@code null} or zero switches the watchdog off. Default 2 s.
     * @return a copy with this value replaced
     */
    public IOLoopOptions withBlockedThreshold(Duration threshold) {
        return new IOLoopOptions(name, threshold, onBlocked, daemon);
    }

    /**
     * A copy with {@code onBlocked} replaced.
     *
     * @param handler receives each blocked-loop report; default: one WARN log line with the loop thread's stack
     * @return a copy with this value replaced
     */
    public IOLoopOptions withOnBlocked(Consumer<BlockedLoopReport> handler) {
        return new IOLoopOptions(name, blockedThreshold, handler, daemon);
    }

    /**
     * A copy with {@code daemon} replaced.
     *
     * @param daemon whether a thread started by {@link IOLoop#startInBackground()} is a daemon thread. Default false: a server's loops keep the JVM alive, as Tornado's {@code start()} does.
     * @return a copy with this value replaced
     */
    public IOLoopOptions withDaemon(boolean daemon) {
        return new IOLoopOptions(name, blockedThreshold, onBlocked, daemon);
    }

    boolean watchdogEnabled() {
        return blockedThreshold != null && !blockedThreshold.isZero();
    }
}
