package io.gale.iostream;

/**
 * Settings of an {@link IOStream}. Immutable; start from {@link #defaults()}:
 *
 * <pre>{@code
 * IOStreamOptions opts = IOStreamOptions.builder().writeHighWaterMark(64 * 1024).build();
 * }</pre>
 *
 * @param maxBufferSize the read buffer may hold at most this many bytes; more closes the stream
 *     with {@link StreamBufferFullException}. Default 100 MiB, as Tornado.
 * @param readAheadLimit with no read pending (but a close callback set, so the stream watches
 *     for the peer closing), data is read ahead into the buffer up to this many bytes, then
 *     reading pauses until a read asks for more. Default 64 KiB.
 * @param writeHighWaterMark a write's future completes once at most this many bytes of that
 *     write and the writes before it are still queued (not yet handed to the kernel). 0 (the
 *     default, Tornado's rule) completes a write's future only when all of its bytes are handed
 *     over. A producer that awaits each future before writing again therefore never has more
 *     than {@code writeHighWaterMark} plus one write queued.
 * @param maxWriteBufferSize a write that would make more than this many bytes queued fails
 *     with {@link StreamBufferFullException} (the stream stays open). Default unlimited.
 */
public record IOStreamOptions(long maxBufferSize, int readAheadLimit, long writeHighWaterMark, long maxWriteBufferSize) {
    public static final long DEFAULT_MAX_BUFFER_SIZE = 100L * 1024 * 1024;
    public static final int DEFAULT_READ_AHEAD_LIMIT = 64 * 1024;

    private static final IOStreamOptions DEFAULTS =
            new IOStreamOptions(DEFAULT_MAX_BUFFER_SIZE, DEFAULT_READ_AHEAD_LIMIT, 0, Long.MAX_VALUE);

    /**
     * Creates an {@code IOStreamOptions}; its components are described in the class comment.
     */
    public IOStreamOptions {
        if (maxBufferSize <= 0 || maxBufferSize > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxBufferSize must be in 1.." + (Integer.MAX_VALUE - 16) + ": " + maxBufferSize);
        }
        if (readAheadLimit < 0) {
            throw new IllegalArgumentException("readAheadLimit must not be negative: " + readAheadLimit);
        }
        if (writeHighWaterMark < 0) {
            throw new IllegalArgumentException("writeHighWaterMark must not be negative: " + writeHighWaterMark);
        }
        if (maxWriteBufferSize <= 0) {
            throw new IllegalArgumentException("maxWriteBufferSize must be positive: " + maxWriteBufferSize);
        }
    }

    /**
     * The defaults.
     *
     * @return the defaults
     */
    public static IOStreamOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from the defaults ({@link #defaults()}).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder(defaults());
    }

    /**
     * A builder starting from these options, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builder of {@link IOStreamOptions}: starts from the defaults ({@link #builder()}) or from existing
     * options ({@link #toBuilder()}); {@link #build()} validates. Not thread-safe.
     */
    public static final class Builder {
        private long maxBufferSize;
        private int readAheadLimit;
        private long writeHighWaterMark;
        private long maxWriteBufferSize;

        private Builder(IOStreamOptions from) {
            maxBufferSize = from.maxBufferSize;
            readAheadLimit = from.readAheadLimit;
            writeHighWaterMark = from.writeHighWaterMark;
            maxWriteBufferSize = from.maxWriteBufferSize;
        }

        /**
         * Sets {@link IOStreamOptions#maxBufferSize()}.
         *
         * @param bytes the value (defaults and limits: the table on {@link IOStreamOptions})
         * @return this builder
         */
        public Builder maxBufferSize(long bytes) {
            this.maxBufferSize = bytes;
            return this;
        }

        /**
         * Sets {@link IOStreamOptions#readAheadLimit()}.
         *
         * @param bytes the value (defaults and limits: the table on {@link IOStreamOptions})
         * @return this builder
         */
        public Builder readAheadLimit(int bytes) {
            this.readAheadLimit = bytes;
            return this;
        }

        /**
         * Sets {@link IOStreamOptions#writeHighWaterMark()}.
         *
         * @param bytes the value (defaults and limits: the table on {@link IOStreamOptions})
         * @return this builder
         */
        public Builder writeHighWaterMark(long bytes) {
            this.writeHighWaterMark = bytes;
            return this;
        }

        /**
         * Sets {@link IOStreamOptions#maxWriteBufferSize()}.
         *
         * @param bytes the value (defaults and limits: the table on {@link IOStreamOptions})
         * @return this builder
         */
        public Builder maxWriteBufferSize(long bytes) {
            this.maxWriteBufferSize = bytes;
            return this;
        }

        /**
         * Builds the options, validated as the record's constructor says.
         *
         * @return the options
         */
        public IOStreamOptions build() {
            return new IOStreamOptions(maxBufferSize, readAheadLimit, writeHighWaterMark, maxWriteBufferSize);
        }
    }
}
