package io.gale.iostream;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pending read of an {@link IOStream}: knows when the buffered bytes satisfy it and takes
 * its result out of the buffer.
 *
 * <p>Threading: loop thread only.
 */
abstract class Read<T> {
    final CompletableFuture<T> future = new CompletableFuture<>();

    /**
     * The result if {@code buf} now satisfies this read (consuming it), else null.
     *
     * @param closedCleanly the stream has closed and the peer closed cleanly (EOF), so no more
     *     bytes will come
     * @throws UnsatisfiableReadException if this read can never be satisfied within its limit
     */
    abstract T poll(ReadBuffer buf, boolean closedCleanly) throws UnsatisfiableReadException;

    /** Up to and including a delimiter (Tornado's {@code read_until}). */
    static final class Delimiter extends Read<byte[]> {
        private final byte[] delimiter;
        private final int maxBytes;
        /** Where the next search starts: earlier positions are known not to start a match. */
        private int scanFrom;

        Delimiter(byte[] delimiter, int maxBytes) {
            this.delimiter = delimiter;
            this.maxBytes = maxBytes;
        }

        @Override
        byte[] poll(ReadBuffer buf, boolean closedCleanly) throws UnsatisfiableReadException {
            int at = buf.indexOf(delimiter, scanFrom);
            if (at < 0) {
                scanFrom = Math.max(0, buf.size() - delimiter.length + 1);
                if (buf.size() >= maxBytes) {
                    throw new UnsatisfiableReadException("delimiter not found within " + maxBytes + " bytes");
                }
                return null;
            }
            int end = at + delimiter.length;
            if (end > maxBytes) {
                throw new UnsatisfiableReadException("delimiter not found within " + maxBytes + " bytes");
            }
            return buf.take(end);
        }
    }

    /** Up to and including the first match of a pattern (Tornado's {@code read_until_regex}). */
    static final class Regex extends Read<byte[]> {
        private final Pattern pattern;
        private final int maxBytes;

        Regex(Pattern pattern, int maxBytes) {
            this.pattern = pattern;
            this.maxBytes = maxBytes;
        }

        @Override
        byte[] poll(ReadBuffer buf, boolean closedCleanly) throws UnsatisfiableReadException {
            if (buf.isEmpty()) {
                return null;
            }
            Matcher m = pattern.matcher(buf.latin1View());
            if (!m.find()) {
                if (buf.size() >= maxBytes) {
                    throw new UnsatisfiableReadException("pattern " + pattern + " not found within " + maxBytes + " bytes");
                }
                return null;
            }
            if (m.end() > maxBytes) {
                throw new UnsatisfiableReadException("pattern " + pattern + " not found within " + maxBytes + " bytes");
            }
            return buf.take(m.end());
        }
    }

    /** Exactly {@code n} bytes, or with {@code partial} 1 to n bytes (Tornado's {@code read_bytes}). */
    static final class Bytes extends Read<byte[]> {
        private final int n;
        private final boolean partial;

        Bytes(int n, boolean partial) {
            this.n = n;
            this.partial = partial;
        }

        @Override
        byte[] poll(ReadBuffer buf, boolean closedCleanly) {
            int size = buf.size();
            if (size >= n || (partial && size > 0) || n == 0) {
                return buf.take(Math.min(n, size));
            }
            return null;
        }
    }

    /**
     * Into a caller's buffer until it is full, or with {@code partial} as soon as any bytes
     * arrived (Tornado's {@code read_into}); the result is the number of bytes stored.
     */
    static final class Into extends Read<Integer> {
        final ByteBuffer dst;
        private final boolean partial;
        private final int startPosition;

        Into(ByteBuffer dst, boolean partial) {
            this.dst = dst;
            this.partial = partial;
            this.startPosition = dst.position();
        }

        @Override
        Integer poll(ReadBuffer buf, boolean closedCleanly) {
            buf.drainTo(dst);
            int copied = dst.position() - startPosition;
            if (!dst.hasRemaining() || (partial && copied > 0)) {
                return copied;
            }
            return null;
        }
    }

    /**
     * A streaming read ({@link IOStream#readStreaming}): hands buffered bytes to a receiver and
     * stays pending until the receiver declines more. Driven by the stream, not by {@link #poll}.
     */
    static final class Streaming extends Read<Void> {
        final StreamReceiver receiver;

        Streaming(StreamReceiver receiver) {
            this.receiver = receiver;
        }

        @Override
        Void poll(ReadBuffer buf, boolean closedCleanly) {
            return null; // IOStream.streamNow delivers; a streaming read never completes by polling
        }
    }

    /** Everything until the peer closes (Tornado's {@code read_until_close}). */
    static final class UntilClose extends Read<byte[]> {
        @Override
        byte[] poll(ReadBuffer buf, boolean closedCleanly) {
            return closedCleanly ? buf.takeAll() : null;
        }
    }
}
