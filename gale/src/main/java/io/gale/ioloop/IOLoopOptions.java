package io.gale.ioloop;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Settings of an {@link IOLoop}. Immutable; start from {@link #defaults()} and change what you need:
 *
 * <pre>{@code
 * IOLoop loop = new IOLoop(IOLoopOptions.builder().name("worker").blockedThreshold(Duration.ofMillis(500)).build());
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

    boolean watchdogEnabled() {
        return blockedThreshold != null && !blockedThreshold.isZero();
    }

    /**
     * A builder starting from the defaults ({@link #defaults()}).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder(defaults());
    }

    /**
     * A builder starting from these options, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builder of {@link IOLoopOptions}: starts from the defaults ({@link #builder()}) or from existing
     * options ({@link #toBuilder()}); {@link #build()} validates. Not thread-safe.
     */
    public static final class Builder {
        private String name;
        private Duration blockedThreshold;
        private Consumer<BlockedLoopReport> onBlocked;
        private boolean daemon;

        private Builder(IOLoopOptions from) {
            name = from.name;
            blockedThreshold = from.blockedThreshold;
            onBlocked = from.onBlocked;
            daemon = from.daemon;
        }

        /**
         * Sets {@link IOLoopOptions#name()}.
         *
         * @param name the value (defaults and limits: the table on {@link IOLoopOptions})
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets {@link IOLoopOptions#blockedThreshold()}.
         *
         * @param threshold the value (defaults and limits: the table on {@link IOLoopOptions})
         * @return this builder
         */
        public Builder blockedThreshold(Duration threshold) {
            this.blockedThreshold = threshold;
            return this;
        }

        /**
         * Sets {@link IOLoopOptions#onBlocked()}.
         *
         * @param handler the value (defaults and limits: the table on {@link IOLoopOptions})
         * @return this builder
         */
        public Builder onBlocked(Consumer<BlockedLoopReport> handler) {
            this.onBlocked = handler;
            return this;
        }

        /**
         * Sets {@link IOLoopOptions#daemon()}.
         *
         * @param daemon the value (defaults and limits: the table on {@link IOLoopOptions})
         * @return this builder
         */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /**
         * Builds the options, validated as the record's constructor says.
         *
         * @return the options
         */
        public IOLoopOptions build() {
            return new IOLoopOptions(name, blockedThreshold, onBlocked, daemon);
        }
    }
}
