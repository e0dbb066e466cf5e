package io.gale.autoreload;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the autoreload supervisor watches and how long it waits, in one table. Build from the
 * defaults: {@code AutoreloadOptions.builder().watch(Path.of("config")).build()}.
 *
 * <table class="striped">
 * <caption>Settings and limits</caption>
 * <thead><tr><th>setting</th><th>default</th><th>what it bounds, and why the default</th></tr></thead>
 * <tbody>
 * <tr><td>{@code watchClassPath}</td><td>true</td><td>watch every directory on the class path
 *     (the build's output: {@code target/classes}); jars are not watched</td></tr>
 * <tr><td>{@code watch}</td><td>none</td><td>further files or directories whose changes
 *     restart the application (Tornado's {@code autoreload.watch})</td></tr>
 * <tr><td>{@code sources}</td><td>none</td><td>Java source roots ({@code src/main/java}) the
 *     supervisor compiles itself when a file changes, into their class path directory: a
 *     saved edit is enough, and a compile error is printed while the old version keeps serving
 *     (see {@link Builder#sources})</td></tr>
 * <tr><td>{@code watcher}</td><td>{@code AUTO}</td><td>{@code AUTO}: the JDK's
 *     {@code WatchService} where it is event-driven (Linux inotify, Windows), polling
 *     elsewhere (macOS's JDK polls every 2 s itself) and when a watch cannot be registered
 *     (inotify's limit reached)</td></tr>
 * <tr><td>{@code pollInterval}</td><td>250 ms</td><td>how often polling compares
 *     modification times (Tornado checks every 500 ms; half that keeps the edit-to-response
 *     loop well under 2 s)</td></tr>
 * <tr><td>{@code quietPeriod}</td><td>100 ms</td><td>a restart waits until no file changed for
 *     this long, so a build that writes many class files restarts once</td></tr>
 * <tr><td>{@code startTimeout}</td><td>60 s</td><td>a new child that has not listened by then is
 *     killed and counted as failed (the previous one keeps serving)</td></tr>
 * <tr><td>{@code drainTimeout}</td><td>5 s</td><td>how long a replaced child may finish the
 *     requests in flight; then it exits and what is still open is closed (long polls, WebSockets:
 *     the page reconnects)</td></tr>
 * <tr><td>{@code holdTimeout}</td><td>30 s</td><td>how long a connection accepted while no
 *     child serves (first start, or after a crash while a new one starts) waits for one; then it
 *     is answered 503</td></tr>
 * <tr><td>{@code childJvmOptions}</td><td>none</td><td>JVM options added to every child's
 *     command line, after those of the supervisor's own JVM</td></tr>
 * </tbody>
 * </table>
 *
 * @param watchClassPath watch the class path's directories
 * @param watch further paths to watch
 * @param sources Java source roots the supervisor compiles
 * @param watcher how to watch
 * @param pollInterval polling period
 * @param quietPeriod settling time before a restart
 * @param startTimeout longest start of a child
 * @param drainTimeout longest drain of a replaced child
 * @param holdTimeout longest wait of a connection for a child
 * @param childJvmOptions JVM options added for children
 */
public record AutoreloadOptions(boolean watchClassPath, List<Path> watch, List<Path> sources, Watcher watcher, Duration pollInterval,
                                Duration quietPeriod, Duration startTimeout, Duration drainTimeout, Duration holdTimeout,
                                List<String> childJvmOptions) {
    /** The defaults of the table above. */
    public static final AutoreloadOptions DEFAULTS = builder().build();

    /**
     * The defaults listed on the record components ({@link #DEFAULTS}).
     *
     * @return the defaults
     */
    public static AutoreloadOptions defaults() {
        return DEFAULTS;
    }

    /** How file changes are noticed. */
    public enum Watcher {
        /** The JDK's {@code WatchService} where it is event-driven, else polling. */
        AUTO,
        /** The JDK's {@code WatchService}, every directory registered. */
        WATCH_SERVICE,
        /** Comparing sizes and modification times every {@code pollInterval}. */
        POLLING
    }

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a duration is negative or zero where a period is needed
     */
    public AutoreloadOptions {
        watch = List.copyOf(watch);
        sources = List.copyOf(sources);
        childJvmOptions = List.copyOf(childJvmOptions);
        Objects.requireNonNull(watcher, "watcher");
        positive("pollInterval", pollInterval);
        notNegative("quietPeriod", quietPeriod);
        positive("startTimeout", startTimeout);
        notNegative("drainTimeout", drainTimeout);
        notNegative("holdTimeout", holdTimeout);
    }

    private static void positive(String name, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    private static void notNegative(String name, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
    }

    /**
     * A builder holding the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.watchClassPath = watchClassPath;
        b.watch.addAll(watch);
        b.sources.addAll(sources);
        b.watcher = watcher;
        b.pollInterval = pollInterval;
        b.quietPeriod = quietPeriod;
        b.startTimeout = startTimeout;
        b.drainTimeout = drainTimeout;
        b.holdTimeout = holdTimeout;
        b.childJvmOptions.addAll(childJvmOptions);
        return b;
    }

    /** Collects options, starting from the defaults; not thread-safe. */
    public static final class Builder {
        private boolean watchClassPath = true;
        private final List<Path> watch = new ArrayList<>();
        private final List<Path> sources = new ArrayList<>();
        private Watcher watcher = Watcher.AUTO;
        private Duration pollInterval = Duration.ofMillis(250);
        private Duration quietPeriod = Duration.ofMillis(100);
        private Duration startTimeout = Duration.ofSeconds(60);
        private Duration drainTimeout = Duration.ofSeconds(5);
        private Duration holdTimeout = Duration.ofSeconds(30);
        private final List<String> childJvmOptions = new ArrayList<>();

        private Builder() {
        }

        /**
         * Whether to watch the class path's directories; default true.
         *
         * @param watchClassPath false to watch only {@link #watch} paths
         * @return this builder
         */
        public Builder watchClassPath(boolean watchClassPath) {
            this.watchClassPath = watchClassPath;
            return this;
        }

        /**
         * Adds a file or directory to watch (directories with everything below them).
         *
         * @param path the path
         * @return this builder
         */
        public Builder watch(Path path) {
            watch.add(Objects.requireNonNull(path, "path"));
            return this;
        }

        /**
         * Adds a Java source root ({@code src/main/java}) that the supervisor watches and
         * compiles itself: when a {@code .java} file under it is saved, the changed files (and
         * the files that name their classes) are compiled with the JDK's compiler into the class
         * path directory that holds their class files (or their package, or else the first
         * directory of the class path), whose new class files then restart the application. On a
         * compile error nothing is written, javac's messages are printed and the serving version
         * keeps serving. Needs the supervisor to run on a JDK. Without it, compile with the IDE
         * or the build tool; either way works, and both may be used.
         *
         * @param root the source root
         * @return this builder
         */
        public Builder sources(Path root) {
            sources.add(Objects.requireNonNull(root, "root"));
            return this;
        }

        /**
         * How to watch; default {@link Watcher#AUTO}.
         *
         * @param watcher the way
         * @return this builder
         */
        public Builder watcher(Watcher watcher) {
            this.watcher = Objects.requireNonNull(watcher, "watcher");
            return this;
        }

        /**
         * The polling period; default 250 ms.
         *
         * @param interval the period
         * @return this builder
         */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * The settling time before a restart; default 100 ms.
         *
         * @param quiet the time
         * @return this builder
         */
        public Builder quietPeriod(Duration quiet) {
            this.quietPeriod = Objects.requireNonNull(quiet, "quiet");
            return this;
        }

        /**
         * The longest start of a child; default 60 s.
         *
         * @param timeout the time
         * @return this builder
         */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The longest drain of a replaced child; default 5 s.
         *
         * @param timeout the time
         * @return this builder
         */
        public Builder drainTimeout(Duration timeout) {
            this.drainTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The longest wait of a connection for a serving child; default 30 s.
         *
         * @param timeout the time
         * @return this builder
         */
        public Builder holdTimeout(Duration timeout) {
            this.holdTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Adds a JVM option for every child (after the supervisor's own).
         *
         * @param option the option, such as {@code -Xmx512m}
         * @return this builder
         */
        public Builder childJvmOption(String option) {
            childJvmOptions.add(Objects.requireNonNull(option, "option"));
            return this;
        }

        /**
         * The options.
         *
         * @return the options
         * @throws IllegalArgumentException if a value is out of range
         */
        public AutoreloadOptions build() {
            return new AutoreloadOptions(watchClassPath, watch, sources, watcher, pollInterval, quietPeriod, startTimeout,
                    drainTimeout, holdTimeout, childJvmOptions);
        }
    }
}
