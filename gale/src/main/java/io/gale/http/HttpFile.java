package io.gale.http;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A file uploaded in a {@code multipart/form-data} body (Tornado's {@code HTTPFile}).
 * Immutable by contract: {@link #body()} returns the parsed array itself, without a copy,
 * so callers must not modify it.
 */
public final class HttpFile {
    private final String filename;
    private final String contentType;
    private final byte[] body;
    private final PartHeaders headers;

    /**
     * Creates a file without part headers (for tests and synthetic uploads).
     *
     * @param filename the filename
     * @param contentType the media type
     * @param body the body
     */
    public HttpFile(String filename, String contentType, byte[] body) {
        this(filename, contentType, body, PartHeaders.EMPTY);
    }

    /**
     * Creates a file.
     *
     * @param filename    the client's file name, as sent (never trust it as a path)
     * @param contentType the part's {@code Content-Type}, {@code application/unknown} when absent
     * @param body        the file's bytes, not copied
     * @param headers     all headers of the part
     */
    public HttpFile(String filename, String contentType, byte[] body, PartHeaders headers) {
        this.filename = Objects.requireNonNull(filename, "filename");
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.body = Objects.requireNonNull(body, "body");
        this.headers = Objects.requireNonNull(headers, "headers");
    }

    /**
     * The client's file name, as sent: may contain path separators; never use it as a path unchecked.
     *
     * @return the client's file name, as sent: may contain path separators; never use it as a path unchecked
     */
    public String filename() {
        return filename;
    }

    /**
     * The part's {@code Content-Type}, {@code application/unknown} when the part had none.
     *
     * @return the part's {@code Content-Type}, {@code application/unknown} when the part had none
     */
    public String contentType() {
        return contentType;
    }

    /**
     * The file's bytes (not a copy: do not modify).
     *
     * @return the file's bytes (not a copy: do not modify)
     */
    public byte[] body() {
        return body;
    }

    /**
     * The first value of the part header {@code name} (case-insensitive), or {@code null}.
     *
     * @param name the name
     * @return the first value of the part header {@code name} (case-insensitive), or {@code null}
     */
    public String header(String name) {
        return headers.get(name);
    }

    /**
     * All headers of the part, keyed by lower-case name.
     *
     * @return all headers of the part, keyed by lower-case name
     */
    public Map<String, List<String>> headers() {
        return headers.asMap();
    }

    @Override
    public String toString() {
        return "HttpFile[" + filename + ", " + contentType + ", " + body.length + " bytes]";
    }
}
