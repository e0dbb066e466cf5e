package io.gale.iostream;

/**
 * Settings of an {@link IOStream}. Immutable; start from {@link #defaults()}:
 *
 * <pre>{@code
 * IOStreamOptions opts = IOStreamOptions.defaults().withWriteHighWaterMark(64 * 1024);
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
     * A copy with {@code maxBufferSize} replaced.
     *
     * @param bytes the read buffer may hold at most this many bytes; more closes the stream with {@link StreamBufferFullException}. Default 100 MiB, as Tornado.
     * @return a copy with this value replaced
     */
    public IOStreamOptions withMaxBufferSize(long bytes) {
        return new IOStreamOptions(bytes, readAheadLimit, writeHighWaterMark, maxWriteBufferSize);
    }

    /**
     * A copy with {@code readAheadLimit} replaced.
     *
     * @param bytes with no read pending (but a close callback set, so the stream watches for the peer closing), data is read ahead into the buffer up to this many bytes, then reading pauses until a read asks for more. Default 64 KiB.
     * @return a copy with this value replaced
     */
    public IOStreamOptions withReadAheadLimit(int bytes) {
        return new IOStreamOptions(maxBufferSize, bytes, writeHighWaterMark, maxWriteBufferSize);
    }

    /**
     * A copy with {@code writeHighWaterMark} replaced.
     *
     * @param bytes a write's future completes once at most this many bytes of that write and the writes before it are still queued (not yet handed to the kernel). 0 (the default, Tornado's rule) completes a write's future only when all of its bytes are handed over. A producer that awaits each future before writing again therefore never has more than {@code writeHighWaterMark} plus one write queued.
     * @return a copy with this value replaced
     */
    public IOStreamOptions withWriteHighWaterMark(long bytes) {
        return new IOStreamOptions(maxBufferSize, readAheadLimit, bytes, maxWriteBufferSize);
    }

    /**
     * A copy with {@code maxWriteBufferSize} replaced.
     *
     * @param bytes a write that would make more than this many bytes queued fails with {@link StreamBufferFullException} (the stream stays open). Default unlimited.
     * @return a copy with this value replaced
     */
    public IOStreamOptions withMaxWriteBufferSize(long bytes) {
        return new IOStreamOptions(maxBufferSize, readAheadLimit, writeHighWaterMark, bytes);
    }
}
