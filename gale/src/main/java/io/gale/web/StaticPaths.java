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
 * <li>{@link #realPathOutside}: the same check on the path with every symbolic link resolved, so a
 *     link inside the root that points out of it is refused too (Tornado follows such links).</li>
 * </ul>
 *
 * <p>Thread-safe: the roots' resolved real paths are cached (one entry per root directory; a
 * root that is itself replaced by another link while serving keeps its first resolution).
 */
final class StaticPaths {
    private static final ConcurrentHashMap<Path, Path> REAL_ROOTS = new ConcurrentHashMap<>();

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
        return !path.startsWith(root.toAbsolutePath().normalize());
    }

    /**
     * Whether {@code path}, with every link resolved, lies outside the root's real path.
     *
     * @throws NoSuchFileException if the file (or a link target) does not exist
     */
    static boolean realPathOutside(Path root, Path path) throws IOException {
        Path realRoot = REAL_ROOTS.get(root);
        if (realRoot == null) {
            realRoot = root.toRealPath();
            REAL_ROOTS.putIfAbsent(root, realRoot);
        }
        return !path.toRealPath().startsWith(realRoot);
    }
}
