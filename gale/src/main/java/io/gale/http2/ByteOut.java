package io.gale.http2;

import java.util.Arrays;

/**
 * A growable byte array: what the HPACK encoder writes a field block into and the frame writer
 * cuts into HEADERS and CONTINUATION frames. Reused per connection ({@link #reset}), so a steady
 * state encodes without allocating.
 *
 * <p>Not thread-safe.
 */
final class ByteOut {
    private byte[] buf;
    private int len;

    ByteOut(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    /** Forgets the content, keeps the array. */
    void reset() {
        len = 0;
    }

    /** Number of bytes written. */
    int length() {
        return len;
    }

    /** The backing array: bytes 0 to {@link #length()} are valid, until the next write. */
    byte[] array() {
        return buf;
    }

    /** A copy of the content. */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /** Makes room for {@code n} more bytes and returns the write position. */
    int reserve(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
        return len;
    }

    /** Marks {@code n} bytes written after a {@link #reserve}. */
    void advance(int n) {
        len += n;
    }

    /** Appends one byte. */
    void write(int b) {
        if (len == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[len++] = (byte) b;
    }
}
