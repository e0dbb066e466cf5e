package io.gale.autoreload;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Notices changes by looking at every file's size and modification time each poll interval
 * (Tornado's way): works on every file system, network mounts included, and costs one
 * {@code stat} per file per interval (a few hundred class files: well under a millisecond).
 */
final class PollingWatcher extends FileWatcher {
    PollingWatcher(List<Path> roots, Duration pollInterval, Duration quietPeriod, Consumer<FileWatcher.Batch> sink) {
        super(roots, pollInterval, quietPeriod, sink);
    }

    @Override
    String describe() {
        return "polling every " + pollInterval.toMillis() + " ms";
    }

    @Override
    void prepare() {
    }

    @Override
    List<FileIndex.Change> awaitChanges(long timeoutNanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(Math.min(timeoutNanos, pollInterval.toNanos())); // the polling period itself
        return index.rescan(roots);
    }

    @Override
    void watchRoot(Path root) {
    }

    @Override
    void closeResources() {
    }
}
