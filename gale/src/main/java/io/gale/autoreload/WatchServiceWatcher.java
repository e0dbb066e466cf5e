package io.gale.autoreload;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Notices changes through the JDK's {@code WatchService} (inotify on Linux): every directory
 * under the roots is registered, directories created later as they appear (their files are
 * indexed at once, since they may have been written before the registration). A single-file
 * root is watched through its directory. An overflow (the kernel's event queue was full) or an
 * event for a path outside the index falls back to a rescan of the roots. Roots that do not
 * exist, or disappear (a clean build), are looked for again every poll interval.
 */
final class WatchServiceWatcher extends FileWatcher {
    private WatchService service;
    private final Map<WatchKey, Path> keys = new HashMap<>();
    private final Map<Path, WatchKey> registered = new HashMap<>();

    WatchServiceWatcher(List<Path> roots, Duration pollInterval, Duration quietPeriod, Consumer<FileWatcher.Batch> sink) {
        super(roots, pollInterval, quietPeriod, sink);
    }

    @Override
    String describe() {
        return "WatchService (" + service.getClass().getSimpleName() + ", " + registered.size() + " directories)";
    }

    @Override
    void prepare() throws IOException {
        service = FileSystems.getDefault().newWatchService();
        for (Path root : roots) {
            register(root);
        }
    }

    @Override
    void watchRoot(Path root) {
        try {
            register(root);
        } catch (IOException e) {
            System.err.println("[autoreload] cannot watch " + root + ": " + e.getMessage());
        }
    }

    /** Registers {@code path}'s directories (or a file's directory); nothing if it does not exist. */
    private void register(Path path) throws IOException {
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Path dir = path.getParent();
            if (Files.isDirectory(dir) && !registered.containsKey(dir)) {
                registerOne(dir);
            }
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(path) && FileIndex.hidden(dir)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (!registered.containsKey(dir)) {
                    registerOne(dir);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void registerOne(Path dir) throws IOException {
        WatchKey key = dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
        keys.put(key, dir);
        registered.put(dir, key);
    }

    @Override
    List<FileIndex.Change> awaitChanges(long timeoutNanos) throws InterruptedException {
        List<FileIndex.Change> changes = new ArrayList<>();
        WatchKey key;
        try {
            key = service.poll(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ClosedWatchServiceException e) {
            throw new InterruptedException("closed");
        }
        if (key == null) {
            lookForMissingRoots(changes);
            return changes;
        }
        boolean rescan = false;
        do {
            Path dir = keys.get(key);
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.kind() == OVERFLOW || dir == null) {
                    rescan = true;
                    continue;
                }
                Path path = dir.resolve((Path) event.context());
                if (!underRoot(path) || FileIndex.hidden(path)) {
                    continue; // a sibling of a single-file root, or a hidden file or directory
                }
                if (event.kind() == ENTRY_CREATE && Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        register(path);
                    } catch (IOException e) {
                        rescan = true;
                    }
                }
                changes.addAll(index.refresh(path));
            }
            if (!key.reset()) {
                keys.remove(key);
                registered.values().remove(key);
            }
            key = service.poll();
        } while (key != null);
        if (rescan) {
            changes.addAll(index.rescan(roots));
        }
        return changes;
    }

    private boolean underRoot(Path path) {
        for (Path r : roots) {
            if (path.startsWith(r)) {
                return true;
            }
        }
        return false;
    }

    /** A root that was missing and exists now is registered and indexed (its files are added). */
    private void lookForMissingRoots(List<FileIndex.Change> changes) {
        for (Path root : roots) {
            Path dir = Files.isDirectory(root) ? root : root.getParent();
            if (dir != null && Files.isDirectory(dir) && !registered.containsKey(dir)) {
                try {
                    register(root);
                } catch (IOException e) {
                    continue;
                }
                changes.addAll(index.refresh(root));
            }
        }
    }

    @Override
    void closeResources() {
        try {
            if (service != null) {
                service.close();
            }
        } catch (IOException e) {
            // closing
        }
    }
}
