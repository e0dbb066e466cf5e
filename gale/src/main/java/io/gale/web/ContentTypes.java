package io.gale.web;

import java.util.Locale;
import java.util.Map;

/**
 * The {@code Content-Type} of a static file from its extension (Tornado uses Python's
 * {@code mimetypes}): a fixed table of the types web sites serve, the same on every machine
 * (unlike {@link java.nio.file.Files#probeContentType}, which reads the system's tables). A file
 * compressed with gzip ({@code .gz}) is {@code application/gzip} (RFC 6713) whatever it holds, as
 * in Tornado; anything unknown is {@code application/octet-stream}. Stateless, thread-safe.
 */
final class ContentTypes {
    static final String DEFAULT = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("html", "text/html"), Map.entry("htm", "text/html"), Map.entry("css", "text/css"),
            Map.entry("js", "text/javascript"), Map.entry("mjs", "text/javascript"),
            Map.entry("json", "application/json"), Map.entry("map", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"), Map.entry("txt", "text/plain"),
            Map.entry("csv", "text/csv"), Map.entry("md", "text/markdown"), Map.entry("xml", "application/xml"),
            Map.entry("xhtml", "application/xhtml+xml"), Map.entry("rss", "application/rss+xml"),
            Map.entry("atom", "application/atom+xml"), Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("avif", "image/avif"),
            Map.entry("ico", "image/vnd.microsoft.icon"), Map.entry("bmp", "image/bmp"),
            Map.entry("tif", "image/tiff"), Map.entry("tiff", "image/tiff"),
            Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"), Map.entry("eot", "application/vnd.ms-fontobject"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("ogg", "audio/ogg"), Map.entry("oga", "audio/ogg"),
            Map.entry("wav", "audio/wav"), Map.entry("flac", "audio/flac"), Map.entry("m4a", "audio/mp4"),
            Map.entry("mp4", "video/mp4"), Map.entry("m4v", "video/mp4"), Map.entry("webm", "video/webm"),
            Map.entry("ogv", "video/ogg"), Map.entry("mov", "video/quicktime"), Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"),
            Map.entry("tgz", "application/gzip"), Map.entry("tar", "application/x-tar"),
            Map.entry("wasm", "application/wasm"), Map.entry("bin", DEFAULT));

    private ContentTypes() {
    }

    /** The type for {@code fileName} (only its extension counts, case-insensitively). */
    static String forFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return DEFAULT;
        }
        return BY_EXTENSION.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT);
    }
}
