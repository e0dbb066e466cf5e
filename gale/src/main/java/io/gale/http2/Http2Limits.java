package io.gale.http2;

/**
 * Limits of the HTTP/2 codec (frame parser and HPACK), in one table. Each one says what Gale
 * advertises (if anything), where the default comes from, and how exceeding it is answered.
 * The connection's own settings (concurrent streams, windows, flood counters) join this table
 * when the connection exists.
 *
 * <pre>{@code
 * Http2Limits limits = Http2Limits.builder().maxHeaderListSize(32 * 1024).build();
 * }</pre>
 *
 * @param headerTableSize bytes of the dynamic table our HPACK decoder keeps: advertised as
 *     SETTINGS_HEADER_TABLE_SIZE (default 4096, the RFC 7541 initial value, so it need not be sent).
 *     A dynamic table size update above it is a connection error COMPRESSION_ERROR
 *     (RFC 7541 section 6.3)
 * @param maxFrameSize largest frame payload accepted: advertised as SETTINGS_MAX_FRAME_SIZE
 *     (default 16384, the RFC 9113 initial value; 16384 to 16777215). A larger DATA frame is a
 *     stream error FRAME_SIZE_ERROR, any other larger frame a connection error FRAME_SIZE_ERROR
 *     (RFC 9113 section 4.2)
 * @param maxHeaderListSize decoded size of one field block, counted as RFC 9113 section 6.5.2 does
 *     (name + value + 32 per field): advertised as SETTINGS_MAX_HEADER_LIST_SIZE (default 64 KiB,
 *     the same as {@code Http1ParserLimits.maxHeaderSize}, so a request accepted over HTTP/1.1 is
 *     accepted over HTTP/2). Exceeded: the block is still decoded to keep the HPACK context in
 *     sync, fields past the limit are dropped and the block is flagged; the server answers 431
 *     (RFC 9113 section 10.5.1). It also bounds one string literal: a longer one is a connection
 *     error COMPRESSION_ERROR (an implementation limit, RFC 7541 section 5.1's rule for integers)
 * @param maxHeaderBlockSize hard cap on one field block, counted both encoded (HEADERS or
 *     PUSH_PROMISE plus CONTINUATION payloads, each frame also counting its 9-byte header, so empty
 *     CONTINUATION frames add up) and decoded: exceeding either is a connection error
 *     ENHANCE_YOUR_CALM. This bounds the CONTINUATION flood (CVE-2024-27316) and the HPACK bomb
 *     (default 256 KiB, four times {@code maxHeaderListSize}; at least {@code maxHeaderListSize})
 * @param encoderTableSize bytes of the dynamic table our HPACK encoder uses at most, whatever
 *     larger SETTINGS_HEADER_TABLE_SIZE the peer offers (default 4096): memory per connection
 */
record Http2Limits(int headerTableSize, int maxFrameSize, int maxHeaderListSize, int maxHeaderBlockSize,
                   int encoderTableSize) {

    /** The defaults listed on the record components. */
    static final Http2Limits DEFAULTS = builder().build();

    /** Validates the limits against the ranges the protocol allows. */
    Http2Limits {
        if (headerTableSize < 0 || encoderTableSize < 0) {
            throw new IllegalArgumentException("table sizes must be >= 0: " + headerTableSize + ", "
                + encoderTableSize);
        }
        if (maxFrameSize < Http2Frames.DEFAULT_MAX_FRAME_SIZE || maxFrameSize > Http2Frames.MAX_FRAME_SIZE_LIMIT) {
            throw new IllegalArgumentException("maxFrameSize must be 16384..16777215: " + maxFrameSize);
        }
        if (maxHeaderListSize < 32 || maxHeaderBlockSize < maxHeaderListSize) {
            throw new IllegalArgumentException("need 32 <= maxHeaderListSize <= maxHeaderBlockSize: "
                + maxHeaderListSize + ", " + maxHeaderBlockSize);
        }
    }

    /** A builder starting from the defaults. */
    static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link Http2Limits}; not thread-safe. */
    static final class Builder {
        private int headerTableSize = 4096;
        private int maxFrameSize = Http2Frames.DEFAULT_MAX_FRAME_SIZE;
        private int maxHeaderListSize = 64 * 1024;
        private int maxHeaderBlockSize = 256 * 1024;
        private int encoderTableSize = 4096;

        private Builder() {
        }

        /** See {@link Http2Limits#headerTableSize()}. */
        Builder headerTableSize(int v) {
            headerTableSize = v;
            return this;
        }

        /** See {@link Http2Limits#maxFrameSize()}. */
        Builder maxFrameSize(int v) {
            maxFrameSize = v;
            return this;
        }

        /** See {@link Http2Limits#maxHeaderListSize()}. */
        Builder maxHeaderListSize(int v) {
            maxHeaderListSize = v;
            return this;
        }

        /** See {@link Http2Limits#maxHeaderBlockSize()}. */
        Builder maxHeaderBlockSize(int v) {
            maxHeaderBlockSize = v;
            return this;
        }

        /** See {@link Http2Limits#encoderTableSize()}. */
        Builder encoderTableSize(int v) {
            encoderTableSize = v;
            return this;
        }

        /** Builds the limits. */
        Http2Limits build() {
            return new Http2Limits(headerTableSize, maxFrameSize, maxHeaderListSize, maxHeaderBlockSize,
                encoderTableSize);
        }
    }
}
