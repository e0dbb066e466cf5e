package io.gale.http;

/**
 * Size limits of the HTTP/1.1 parser. Every limit maps to a status answered when exceeded.
 *
 * <pre>{@code
 * Http1ParserLimits limits = Http1ParserLimits.builder().maxBodySize(10 << 20).build();
 * }</pre>
 *
 * @param maxStartLineLength bytes of the request-line or status-line without CRLF (default 8 KiB);
 *     exceeded by a request-target: 414, otherwise 400
 * @param maxHeaderSize bytes of all field lines of the head including their CRLFs (default 64 KiB, as
 *     Tornado's {@code max_header_size}): 431
 * @param maxHeaderCount number of field lines (default 100, as Apache's {@code LimitRequestFields}): 431
 * @param maxBodySize body bytes, checked on Content-Length up front and cumulatively for chunked
 *     bodies (default 100 MiB, as Tornado's {@code max_body_size}): 413. In a server this is the
 *     default limit of each request, enforced by its {@link HttpExchange} rather than the parser,
 *     so that a delegate can change it per request
 * @param maxChunkExtensionSize total bytes of chunk extensions in one message (default 4 KiB): 400
 * @param maxTrailerSize bytes of the trailer section of a chunked message (default 16 KiB): 431
 */
public record Http1ParserLimits(int maxStartLineLength, int maxHeaderSize, int maxHeaderCount, long maxBodySize,
                                int maxChunkExtensionSize, int maxTrailerSize) {

    /** The defaults listed on the record components. */
    public static final Http1ParserLimits DEFAULTS = builder().build();

    /**
     * The defaults listed on the record components ({@link #DEFAULTS}).
     *
     * @return the defaults
     */
    public static Http1ParserLimits defaults() {
        return DEFAULTS;
    }

    /** Validates the limits: sizes are non-negative, counts and head sizes positive. */
    public Http1ParserLimits {
        if (maxStartLineLength < 16 || maxHeaderSize < 1 || maxHeaderCount < 1 || maxBodySize < 0
            || maxChunkExtensionSize < 0 || maxTrailerSize < 0) {
            throw new IllegalArgumentException("limits must be positive (start line at least 16): " + maxStartLineLength
                + ", " + maxHeaderSize + ", " + maxHeaderCount + ", " + maxBodySize + ", " + maxChunkExtensionSize + ", "
                + maxTrailerSize);
        }
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from these values, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxStartLineLength = maxStartLineLength;
        b.maxHeaderSize = maxHeaderSize;
        b.maxHeaderCount = maxHeaderCount;
        b.maxBodySize = maxBodySize;
        b.maxChunkExtensionSize = maxChunkExtensionSize;
        b.maxTrailerSize = maxTrailerSize;
        return b;
    }

    /** Builder of {@link Http1ParserLimits}; not thread-safe. */
    public static final class Builder {
        private int maxStartLineLength = 8 * 1024;
        private int maxHeaderSize = 64 * 1024;
        private int maxHeaderCount = 100;
        private long maxBodySize = 100L * 1024 * 1024;
        private int maxChunkExtensionSize = 4 * 1024;
        private int maxTrailerSize = 16 * 1024;

        private Builder() {
        }

        /**
         * See {@link Http1ParserLimits#maxStartLineLength()}.
         *
         * @param v bytes of the request-line or status-line without CRLF (default 8 KiB); exceeded by a request-target: 414, otherwise 400
         * @return this builder
         */
        public Builder maxStartLineLength(int v) {
            maxStartLineLength = v;
            return this;
        }

        /**
         * See {@link Http1ParserLimits#maxHeaderSize()}.
         *
         * @param v bytes of all field lines of the head including their CRLFs (default 64 KiB, as Tornado's {@code max_header_size}): 431
         * @return this builder
         */
        public Builder maxHeaderSize(int v) {
            maxHeaderSize = v;
            return this;
        }

        /**
         * See {@link Http1ParserLimits#maxHeaderCount()}.
         *
         * @param v number of field lines (default 100, as Apache's {@code LimitRequestFields}): 431
         * @return this builder
         */
        public Builder maxHeaderCount(int v) {
            maxHeaderCount = v;
            return this;
        }

        /**
         * See {@link Http1ParserLimits#maxBodySize()}.
         *
         * @param v body bytes, checked on Content-Length up front and cumulatively for chunked bodies (default 100 MiB, as Tornado's {@code max_body_size}): 413
         * @return this builder
         */
        public Builder maxBodySize(long v) {
            maxBodySize = v;
            return this;
        }

        /**
         * See {@link Http1ParserLimits#maxChunkExtensionSize()}.
         *
         * @param v total bytes of chunk extensions in one message (default 4 KiB): 400
         * @return this builder
         */
        public Builder maxChunkExtensionSize(int v) {
            maxChunkExtensionSize = v;
            return this;
        }

        /**
         * See {@link Http1ParserLimits#maxTrailerSize()}.
         *
         * @param v bytes of the trailer section of a chunked message (default 16 KiB): 431
         * @return this builder
         */
        public Builder maxTrailerSize(int v) {
            maxTrailerSize = v;
            return this;
        }

        /**
         * Builds the limits.
         *
         * @return the http1 parser limits
         */
        public Http1ParserLimits build() {
            return new Http1ParserLimits(maxStartLineLength, maxHeaderSize, maxHeaderCount, maxBodySize,
                maxChunkExtensionSize, maxTrailerSize);
        }
    }
}
