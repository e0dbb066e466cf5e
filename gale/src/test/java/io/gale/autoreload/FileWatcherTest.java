package io.gale.autoreload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both ways of watching ({@code WatchService} and polling) against the same file operations: a
 * file added, changed, deleted; a directory created with files inside (registered as it
 * appears); content written again unchanged (no change); hidden files (ignored); a root that
 * appears after the start; a single-file root; batching of a burst into one batch. Every wait is
 * on the batch queue, with a deadline.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FileWatcherTest {
    private static final long WAIT_SECONDS = 20;

    @TempDir
    Path dir;

    private final BlockingQueue<FileWatcher.Batch> batches = new LinkedBlockingQueue<>();
    private FileWatcher watcher;

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private Path start(AutoreloadOptions.Watcher kind, Path... roots) throws IOException {
        AutoreloadOptions options = AutoreloadOptions.builder().watcher(kind).pollInterval(Duration.ofMillis(50))
                .quietPeriod(Duration.ofMillis(30)).build();
        watcher = FileWatcher.create(options, List.of(roots), batches::add);
        assertThat(watcher).isInstanceOf(kind == AutoreloadOptions.Watcher.POLLING ? PollingWatcher.class : WatchServiceWatcher.class);
        watcher.start();
        return roots[0];
    }

    private List<FileIndex.Change> next() throws InterruptedException {
        FileWatcher.Batch b = batches.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(b).as("a batch of changes").isNotNull();
        return b.changes();
    }

    private static FileIndex.Change change(Path p, FileIndex.Kind k) {
        return new FileIndex.Change(p, k);
    }

    @ParameterizedTest
    @EnumSource(value = AutoreloadOptions.Watcher.class, names = {"WATCH_SERVICE", "POLLING"})
    void addedChangedDeleted(AutoreloadOptions.Watcher kind) throws Exception {
        Path root = Files.createDirectories(dir.resolve("classes"));
        Path old = Files.writeString(root.resolve("Old.class"), "old");
        start(kind, root);

        Path a = Files.writeString(root.resolve("A.class"), "a");
        assertThat(next()).containsExactly(change(a, FileIndex.Kind.ADDED));

        Files.writeString(a, "a2");
        assertThat(next()).containsExactly(change(a, FileIndex.Kind.MODIFIED));

        Files.delete(old);
        assertThat(next()).containsExactly(change(old, FileIndex.Kind.DELETED));
    }

    @org.junit.jupiter.api.Test
    void changesOfOneFileInABatchAreMerged() {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Path c = dir.resolve("c");
        Path d = dir.resolve("d");
        assertThat(FileWatcher.merge(List.of(change(a, FileIndex.Kind.ADDED), change(b, FileIndex.Kind.MODIFIED),
                change(a, FileIndex.Kind.MODIFIED), change(c, FileIndex.Kind.ADDED), change(b, FileIndex.Kind.DELETED),
                change(c, FileIndex.Kind.DELETED), change(d, FileIndex.Kind.DELETED), change(d, FileIndex.Kind.ADDED))))
                .containsExactly(change(a, FileIndex.Kind.ADDED), change(b, FileIndex.Kind.DELETED), change(d, FileIndex.Kind.MODIFIED));
    }

    @ParameterizedTest
    @EnumSource(value = AutoreloadOptions.Watcher.class, names = {"WATCH_SERVICE", "POLLING"})
    void newDirectoriesAreWatchedWithWhatIsInThem(AutoreloadOptions.Watcher kind) throws Exception {
        Path root = Files.createDirectories(dir.resolve("classes"));
        start(kind, root);
        Path deep = Files.createDirectories(root.resolve("com/example/web"));
        Path c = Files.writeString(deep.resolve("C.class"), "c");
        assertThat(next()).containsExactly(change(c, FileIndex.Kind.ADDED));
        // the new directory is registered: a later change in it is seen too
        Files.writeString(c, "c-changed");
        assertThat(next()).containsExactly(change(c, FileIndex.Kind.MODIFIED));
    }

    @ParameterizedTest
    @EnumSource(value = AutoreloadOptions.Watcher.class, names = {"WATCH_SERVICE", "POLLING"})
    void sameBytesAndHiddenFilesAreNoChange(AutoreloadOptions.Watcher kind) throws Exception {
        Path root = Files.createDirectories(dir.resolve("classes"));
        Path same = Files.writeString(root.resolve("Same.class"), "same bytes");
        Files.setLastModifiedTime(same, FileTime.fromMillis(1_000_000));
        start(kind, root);
        // a new modification time, the same content (touched: a rewrite in place could be seen
        // half-way, truncated, which is a change, by a watcher that looks during the write)
        Files.setLastModifiedTime(same, FileTime.fromMillis(System.currentTimeMillis()));
        Files.writeString(root.resolve(".Hidden.swp"), "editor");
        Files.createDirectories(root.resolve(".git")).resolve("index").toFile().createNewFile();
        Path marker = Files.writeString(root.resolve("Marker.class"), "m");
        assertThat(next()).containsExactly(change(marker, FileIndex.Kind.ADDED));
    }

    @ParameterizedTest
    @EnumSource(value = AutoreloadOptions.Watcher.class, names = {"WATCH_SERVICE", "POLLING"})
    void aRootThatAppearsLaterIsWatchedFromThen(AutoreloadOptions.Watcher kind) throws Exception {
        Path root = dir.resolve("target/classes");
        start(kind, root);
        Files.createDirectories(root.resolve("app"));
        Path m = Files.writeString(root.resolve("app/Main.class"), "main");
        assertThat(next()).contains(change(m, FileIndex.Kind.ADDED));
    }

    @ParameterizedTest
    @EnumSource(value = AutoreloadOptions.Watcher.class, names = {"WATCH_SERVICE", "POLLING"})
    void singleFileRootsIgnoreTheirSiblings(AutoreloadOptions.Watcher kind) throws Exception {
        Path config = Files.writeString(dir.resolve("app.conf"), "port = 1");
        start(kind, config);
        Files.writeString(dir.resolve("other.conf"), "x");
        Files.writeString(config, "port = 2");
        assertThat(next()).containsExactly(change(config, FileIndex.Kind.MODIFIED));
    }

    @ParameterizedTest
    @EnumSource(value = AutoreloadOptions.Watcher.class, names = {"WATCH_SERVICE", "POLLING"})
    void aBurstIsOneBatchAndLaterRootsJoin(AutoreloadOptions.Watcher kind) throws Exception {
        Path root = Files.createDirectories(dir.resolve("classes"));
        Path extra = Files.createDirectories(dir.resolve("extra"));
        Files.writeString(extra.resolve("existing.txt"), "already there");
        start(kind, root);
        watcher.addRoot(extra).get(WAIT_SECONDS, TimeUnit.SECONDS);
        Path e = Files.writeString(extra.resolve("new.txt"), "n");
        assertThat(next()).containsExactly(change(e, FileIndex.Kind.ADDED));
        for (int i = 0; i < 20; i++) {
            Files.writeString(root.resolve("C" + i + ".class"), "c" + i);
        }
        // one or (if the machine stalls longer than the quiet period mid-burst) a few batches, all 20 files
        List<FileIndex.Change> all = new java.util.ArrayList<>(next());
        while (all.size() < 20) {
            all.addAll(next());
        }
        assertThat(all).hasSize(20).allMatch(c -> c.kind() == FileIndex.Kind.ADDED);
    }
}
