package io.gale.autoreload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The files under the watched roots with what identifies their content, so that a file written
 * again with the same bytes (a build that copies every resource, javac recompiling a class to
 * the same bytes) is no change. A file counts as unchanged while its size and modification time
 * are; when only the time changed its content checksum (CRC-32C) decides. Files larger than
 * {@link #HASH_LIMIT} are judged by size and time alone.
 *
 * <p>Hidden files and directories (a name starting with {@code .}) are not indexed: editors'
 * and tools' scratch files. Confined to the watcher's thread.
 */
final class FileIndex {
    /** Largest file whose content is checksummed: 64 MiB. */
    static final long HASH_LIMIT = 64L << 20;

    /** What changed about a file. */
    enum Kind {
        /** A new file. */
        ADDED,
        /** Different content. */
        MODIFIED,
        /** The file is gone. */
        DELETED
    }

    /**
     * One change.
     *
     * @param path the file
     * @param kind what happened
     */
    record Change(Path path, Kind kind) {
    }

    private record Fingerprint(long size, FileTime modified, long checksum) {
    }

    private final Map<Path, Fingerprint> files = new HashMap<>();

    /**
     * Reads everything under {@code roots} (files or directories) and returns what differs from
     * the last look.
     *
     * @param roots absolute, normalised paths
     * @return the changes, in no particular order
     */
    List<Change> rescan(Collection<Path> roots) {
        List<Change> changes = new ArrayList<>();
        for (Path root : roots) {
            changes.addAll(refresh(root));
        }
        return changes;
    }

    /**
     * Looks again at {@code path}: a file, a directory (everything below it) or a path that is
     * gone (everything that was below it).
     *
     * @param path an absolute, normalised path
     * @return the changes
     */
    List<Change> refresh(Path path) {
        List<Change> changes = new ArrayList<>();
        Map<Path, Boolean> seen = new HashMap<>();
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.walkFileTree(path, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        return !dir.equals(path) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile() && !hidden(file)) {
                            seen.put(file, Boolean.TRUE);
                            look(file, attrs, changes);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE; // deleted while walking: its entry goes below
                    }
                });
            } catch (IOException e) {
                // the directory went away while walking: what was not seen is deleted
            }
        } else {
            try {
                BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
                if (attrs.isRegularFile() && !hidden(path)) {
                    seen.put(path, Boolean.TRUE);
                    look(path, attrs, changes);
                }
            } catch (IOException e) {
                // gone
            }
        }
        for (Iterator<Map.Entry<Path, Fingerprint>> it = files.entrySet().iterator(); it.hasNext(); ) {
            Path p = it.next().getKey();
            if (p.startsWith(path) && !seen.containsKey(p)) {
                it.remove();
                changes.add(new Change(p, Kind.DELETED));
            }
        }
        return changes;
    }

    /** How many files are indexed. */
    int size() {
        return files.size();
    }

    private void look(Path file, BasicFileAttributes attrs, List<Change> changes) {
        long size = attrs.size();
        FileTime modified = attrs.lastModifiedTime();
        Fingerprint old = files.get(file);
        if (old != null && old.size == size && old.modified.equals(modified)) {
            return;
        }
        long checksum = size > HASH_LIMIT ? -1 : checksum(file);
        files.put(file, new Fingerprint(size, modified, checksum));
        if (old == null) {
            changes.add(new Change(file, Kind.ADDED));
        } else if (old.size != size || checksum == -1 || old.checksum != checksum) {
            changes.add(new Change(file, Kind.MODIFIED));
        }
    }

    private static long checksum(Path file) {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                crc.update(buf, 0, n);
            }
        } catch (NoSuchFileException e) {
            return -2; // deleted meanwhile: differs from any checksum; the delete event follows
        } catch (IOException e) {
            return -3;
        }
        return crc.getValue();
    }

    /** A path whose last name starts with a dot. */
    static boolean hidden(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().startsWith(".");
    }
}
