package io.gale.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * The version of each static file, for {@code ?v=} URLs and ETags (Tornado's
 * {@code _static_hashes}): computed by the handler's {@code getContentVersion} hook, remembered
 * per absolute path when {@code staticHashCache} is on (one entry per file asked for, a missing
 * file included, as in Tornado), computed again at every use when it is off.
 *
 * <p>{@link #contentHash} is the default version: the SHA-512 of the content in hex, as Tornado.
 * Files larger than {@link #MAX_HASHED_SIZE} get {@code <size>-<mtime>} in hex instead (as nginx's
 * ETag), so a first request for a multi-gigabyte file does not hold its loop for seconds.
 *
 * <p>Thread-safe: two threads may compute the same version at once (the work is the same, the
 * first one stored wins); the file is hashed outside any lock.
 */
final class StaticVersions {
    /** Largest file whose content is hashed: 64 MiB (about 0.1-0.2 s of SHA-512). */
    static final long MAX_HASHED_SIZE = 64L * 1024 * 1024;

    private final boolean cache;
    private final ConcurrentHashMap<Path, Optional<String>> versions = new ConcurrentHashMap<>();
    /** The quoted form of each cached version: an ETag per request without building the string. */
    private final ConcurrentHashMap<Path, Optional<String>> etags = new ConcurrentHashMap<>();

    StaticVersions(boolean cache) {
        this.cache = cache;
    }

    /** The version of {@code absolutePath}, or null when it cannot be computed (logged once per computation). */
    String version(Path absolutePath, Function<Path, String> compute) {
        if (cache) {
            Optional<String> known = versions.get(absolutePath);
            if (known != null) {
                return known.orElse(null);
            }
        }
        String v;
        try {
            v = compute.apply(absolutePath);
        } catch (java.io.UncheckedIOException e) {
            LoggerFactory.getLogger("gale.general").error("Could not open static file {}: {}", absolutePath,
                    e.getCause().toString());
            v = null;
        } catch (RuntimeException e) {
            LoggerFactory.getLogger("gale.general").error("Could not open static file {}", absolutePath, e);
            v = null;
        }
        if (cache) {
            versions.putIfAbsent(absolutePath, Optional.ofNullable(v));
        }
        return v;
    }

    /** {@link #version} in quotes (a strong ETag), or null. */
    String etag(Path absolutePath, Function<Path, String> compute) {
        if (cache) {
            Optional<String> known = etags.get(absolutePath);
            if (known != null) {
                return known.orElse(null);
            }
        }
        String v = version(absolutePath, compute);
        String tag = v == null ? null : '"' + v + '"';
        if (cache) {
            etags.putIfAbsent(absolutePath, Optional.ofNullable(tag));
        }
        return tag;
    }

    /**
     * SHA-512 of the file in hex (or {@code <size>-<mtime>} past {@link #MAX_HASHED_SIZE}), read
     * in 64 KiB pieces.
     */
    static String contentHash(Path file) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        if (attrs.size() > MAX_HASHED_SIZE) {
            return Long.toHexString(attrs.size()) + "-" + Long.toHexString(attrs.lastModifiedTime().toMillis());
        }
        MessageDigest sha512;
        try {
            sha512 = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has it
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (ch.read(buf) >= 0) {
                buf.flip();
                sha512.update(buf);
                buf.clear();
            }
        }
        return HexFormat.of().formatHex(sha512.digest());
    }
}
