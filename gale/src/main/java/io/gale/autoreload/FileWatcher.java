package io.gale.autoreload;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Notices changed files under a set of roots (directories with everything below them, or single
 * files) and hands them on in batches: a batch is emitted once no further change was seen for
 * the quiet period, so a build writing a hundred class files makes one batch.
 *
 * <p>Two ways of noticing: {@link WatchServiceWatcher} (the JDK's {@code WatchService}, every
 * directory registered) and {@link PollingWatcher} (sizes and modification times compared every
 * poll interval). Both check what a change really is through one {@link FileIndex}.
 *
 * <p>Threading: one daemon thread per watcher runs the loop and calls the sink;
 * {@link #addRoot} and {@link #close} may be called from any thread. Failures: a root that does
 * not exist is looked for again every poll interval (a {@code mvn clean} removes
 * {@code target/classes}); an I/O error while watching falls back to a full rescan.
 */
abstract class FileWatcher implements AutoCloseable {
    /** The roots, absolute and normalised; the watcher thread's own. */
    protected final Set<Path> roots = new LinkedHashSet<>();
    /** The file state; the watcher thread's own. */
    protected final FileIndex index = new FileIndex();
    /** The polling interval, also the longest time between looks at missing roots. */
    protected final Duration pollInterval;
    private final Duration quietPeriod;
    private final Consumer<Batch> sink;
    private final ConcurrentLinkedQueue<Map.Entry<Path, CompletableFuture<Void>>> added = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;
    private Thread thread;

    FileWatcher(List<Path> roots, Duration pollInterval, Duration quietPeriod, Consumer<Batch> sink) {
        for (Path r : roots) {
            this.roots.add(r.toAbsolutePath().normalize());
        }
        this.pollInterval = pollInterval;
        this.quietPeriod = quietPeriod;
        this.sink = sink;
    }

    /**
     * The watcher {@code options} ask for: with {@code AUTO}, the JDK's {@code WatchService}
     * where it is event-driven and polling where the JDK itself polls (macOS) or no watch service
     * can be opened.
     */
    static FileWatcher create(AutoreloadOptions options, List<Path> roots, Consumer<Batch> sink) {
        AutoreloadOptions.Watcher kind = options.watcher();
        if (kind == AutoreloadOptions.Watcher.AUTO) {
            kind = eventDriven() ? AutoreloadOptions.Watcher.WATCH_SERVICE : AutoreloadOptions.Watcher.POLLING;
        }
        return kind == AutoreloadOptions.Watcher.POLLING
                ? new PollingWatcher(roots, options.pollInterval(), options.quietPeriod(), sink)
                : new WatchServiceWatcher(roots, options.pollInterval(), options.quietPeriod(), sink);
    }

    /** Whether the default file system's watch service is event-driven (not the JDK's poller). */
    static boolean eventDriven() {
        try (WatchService ws = FileSystems.getDefault().newWatchService()) {
            return !ws.getClass().getName().contains("Polling");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * The changes of one quiet period.
     *
     * @param changes the changes, in the order noticed
     * @param firstSeen when the first of them was noticed ({@link System#nanoTime()})
     */
    record Batch(List<FileIndex.Change> changes, long firstSeen) {
    }

    /** What this watcher is, for the supervisor's first line. */
    abstract String describe();

    /**
     * Starts watching: indexes the roots (what exists now is no change) and starts the thread.
     *
     * @throws IOException if watching cannot start (the caller may fall back to polling)
     */
    final void start() throws IOException {
        prepare();
        index.rescan(roots);
        thread = Thread.ofPlatform().daemon().name("gale-autoreload-watcher").start(this::loop);
    }

    /** Sets up before the first scan (registrations); on the caller's thread. */
    abstract void prepare() throws IOException;

    /**
     * Waits up to {@code timeoutNanos} for changes and returns them (empty when none came).
     *
     * @throws InterruptedException when closed
     */
    abstract List<FileIndex.Change> awaitChanges(long timeoutNanos) throws InterruptedException;

    /** Starts watching {@code root} too (its present files are no change). */
    abstract void watchRoot(Path root);

    /**
     * Adds a root; from any thread.
     *
     * @param root a file or directory
     * @return completes once the root is watched: what it holds then is no change
     */
    final CompletableFuture<Void> addRoot(Path root) {
        CompletableFuture<Void> watched = new CompletableFuture<>();
        added.add(Map.entry(root.toAbsolutePath().normalize(), watched));
        return watched;
    }

    private void loop() {
        List<FileIndex.Change> pending = new ArrayList<>();
        long firstChange = 0;
        long lastChange = 0;
        try {
            while (!closed) {
                for (Map.Entry<Path, CompletableFuture<Void>> r; (r = added.poll()) != null; ) {
                    if (roots.add(r.getKey())) {
                        watchRoot(r.getKey());
                        index.refresh(r.getKey());
                    }
                    r.getValue().complete(null);
                }
                long timeout = pollInterval.toNanos();
                if (!pending.isEmpty()) {
                    timeout = Math.max(1, Math.min(timeout, lastChange + quietPeriod.toNanos() - System.nanoTime()));
                }
                List<FileIndex.Change> changes = awaitChanges(timeout);
                if (!changes.isEmpty()) {
                    if (pending.isEmpty()) {
                        firstChange = System.nanoTime();
                    }
                    pending.addAll(changes);
                    lastChange = System.nanoTime();
                } else if (!pending.isEmpty() && System.nanoTime() - lastChange >= quietPeriod.toNanos()) {
                    Batch batch = new Batch(merge(pending), firstChange);
                    pending.clear();
                    sink.accept(batch);
                }
            }
        } catch (InterruptedException e) {
            // closed
        } catch (RuntimeException e) {
            if (!closed) {
                System.err.println("[autoreload] the file watcher failed: " + e);
                e.printStackTrace();
            }
        }
    }

    /**
     * One change per file, in the order first noticed: added then modified is added, added then
     * deleted is nothing, modified then deleted is deleted, deleted then added is modified.
     */
    static List<FileIndex.Change> merge(List<FileIndex.Change> changes) {
        Map<Path, FileIndex.Kind> byPath = new LinkedHashMap<>();
        for (FileIndex.Change c : changes) {
            FileIndex.Kind before = byPath.get(c.path());
            FileIndex.Kind now = c.kind();
            if (before == null) {
                byPath.put(c.path(), now);
            } else if (before == FileIndex.Kind.ADDED) {
                if (now == FileIndex.Kind.DELETED) {
                    byPath.remove(c.path());
                }
            } else if (before == FileIndex.Kind.DELETED) {
                byPath.put(c.path(), FileIndex.Kind.MODIFIED);
            } else {
                byPath.put(c.path(), now);
            }
        }
        List<FileIndex.Change> out = new ArrayList<>(byPath.size());
        byPath.forEach((p, k) -> out.add(new FileIndex.Change(p, k)));
        return out;
    }

    /** Stops the thread. */
    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
        closeResources();
    }

    /** Releases what {@link #prepare} opened. */
    abstract void closeResources();
}
