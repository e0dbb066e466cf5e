package io.gale.web;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The path rules of {@link StaticFileHandler}'s default {@code getAbsolutePath} and
 * {@code validateAbsolutePath}, each in one place:
 *
 * <ul>
 * <li>{@link #join}: the root joined with the request's (percent-decoded) path, normalised, so
 *     {@code ..} segments, including encoded ones ({@code %2e%2e}, {@code ..%2f}), are resolved
 *     before any check; an absolute path replaces the root (and is then refused as outside it);
 *     NUL or another character the file system cannot name gives null (answered 404).</li>
 * <li>{@link #outside}: the lexical check (Tornado's), before the file system is asked anything.</li>
 * <li>{@link #linksLeadOut}: the same check with every symbolic link resolved, so a link inside
 *     the root that points out of it, to a file or a directory, is refused too (Tornado follows
 *     such links). A file that is itself a link is resolved at every request; the directories
 *     between it and the root are resolved once and remembered (a request would otherwise cost a
 *     {@code readlink} per path element).</li>
 * </ul>
 *
 * <p>Thread-safe. Cached: each root's real path, and whether each directory served from lies
 * inside its root (at most {@value #MAX_CACHED_DIRECTORIES} directories, then the cache starts
 * over). A directory replaced by a link after it was first served from is therefore not
 * noticed: whoever can do that can write into the static directory anyway.
 */
final class StaticPaths {
    static final int MAX_CACHED_DIRECTORIES = 10_000;
    private static final ConcurrentHashMap<Path, Path> REAL_ROOTS = new ConcurrentHashMap<>();
    /** Directory (absolute, normalised) to whether its real path lies outside its root. */
    private static final ConcurrentHashMap<DirectoryKey, Boolean> DIRECTORIES = new ConcurrentHashMap<>();

    private StaticPaths() {
    }

    /** {@code root/path}, absolute and normalised; null if {@code path} cannot name a file here. */
    static Path join(Path root, String path) {
        if (path.indexOf('\0') >= 0) {
            return null;
        }
        try {
            return root.toAbsolutePath().resolve(path).normalize();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** Whether the normalised absolute {@code path} lies outside {@code root} (the root itself is inside). */
    static boolean outside(Path root, Path path) {
        return !path.startsWith(normal(root));
    }

    /**
     * {@code root} made absolute; an absolute root is taken as given, already normalised
     * ({@link StaticFileHandler} normalises its root once; an absolute root with {@code ..} in it
     * only makes every path count as outside).
     */
    private static Path normal(Path root) {
        return root.isAbsolute() ? root : root.toAbsolutePath().normalize();
    }

    /**
     * Whether {@code path} (inside {@code root} by {@link #outside}), with every link resolved, lies
     * outside the root's real path.
     *
     * @param isLink whether {@code path} itself is a symbolic link
     * @throws NoSuchFileException if the file (or a link target) does not exist
     */
    static boolean linksLeadOut(Path root, Path path, boolean isLink) throws IOException {
        if (isLink) {
            return realPathOutside(root, path);
        }
        Path dir = path.getParent();
        if (dir == null || dir.equals(normal(root))) {
            return false; // directly in the root, and not a link itself
        }
        // Resolving the parent resolves every directory above it too: one check covers them all.
        DirectoryKey key = new DirectoryKey(root, dir);
        Boolean out = DIRECTORIES.get(key);
        if (out == null) {
            out = realPathOutside(root, dir);
            if (DIRECTORIES.size() >= MAX_CACHED_DIRECTORIES) {
                DIRECTORIES.clear();
            }
            DIRECTORIES.put(key, out);
        }
        return out;
    }

    private record DirectoryKey(Path root, Path directory) {
    }

    private static boolean realPathOutside(Path root, Path path) throws IOException {
        Path realRoot = REAL_ROOTS.get(root);
        if (realRoot == null) {
            realRoot = root.toRealPath();
            REAL_ROOTS.putIfAbsent(root, realRoot);
        }
        return !path.toRealPath().startsWith(realRoot);
    }
}
