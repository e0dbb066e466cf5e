package io.gale.iostream;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes a stream has received but not yet handed to a read. Kept compact on purpose: the
 * socket is read into a big per-loop scratch buffer and only the leftover is appended here, and
 * the array is dropped as soon as it is empty, so an idle connection holds no buffer at all.
 *
 * <p>Threading: owned by one stream, loop thread only.
 */
final class ReadBuffer {
    private static final byte[] EMPTY = new byte[0];

    private byte[] buf = EMPTY;
    private int start;
    private int end;

    int size() {
        return end - start;
    }

    boolean isEmpty() {
        return end == start;
    }

    /** Capacity currently held (for memory accounting in tests). */
    int capacity() {
        return buf.length;
    }

    /** Appends all remaining bytes of {@code src}. */
    void append(ByteBuffer src) {
        int n = src.remaining();
        if (n == 0) {
            return;
        }
        if (buf.length - end < n) {
            makeRoom(n);
        }
        src.get(buf, end, n);
        end += n;
    }

    /** Appends {@code src[off, off+len)}. */
    void append(byte[] src, int off, int len) {
        if (len == 0) {
            return;
        }
        if (buf.length - end < len) {
            makeRoom(len);
        }
        System.arraycopy(src, off, buf, end, len);
        end += len;
    }

    private void makeRoom(int n) {
        int size = size();
        int needed = size + n;
        if (needed < 0) {
            throw new OutOfMemoryError("read buffer too large");
        }
        if (buf.length >= needed && start > 0) {
            // Enough room once compacted; avoid growing.
            System.arraycopy(buf, start, buf, 0, size);
        } else {
            // The first chunk on an empty buffer is sized exactly (small requests stay small);
            // later growth doubles so that accumulating large reads stays linear.
            int cap = size == 0 ? needed : Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 16, 2L * buf.length));
            byte[] b = new byte[cap];
            System.arraycopy(buf, start, b, 0, size);
            buf = b;
        }
        start = 0;
        end = size;
    }

    /** Byte at {@code i} (relative to the first unread byte). */
    byte get(int i) {
        return buf[start + i];
    }

    /**
     * Index (relative to the first unread byte) of the first occurrence of {@code delim} at or
     * after {@code from}, or -1.
     */
    int indexOf(byte[] delim, int from) {
        int last = end - delim.length;
        byte first = delim[0];
        outer:
        for (int i = start + Math.max(0, from); i <= last; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int j = 1; j < delim.length; j++) {
                if (buf[i + j] != delim[j]) {
                    continue outer;
                }
            }
            return i - start;
        }
        return -1;
    }

    /** The unread bytes as ISO-8859-1 characters, without copying; valid until the next change. */
    CharSequence latin1View() {
        return new Latin1View(buf, start, end - start);
    }

    /** The unread bytes as a heap buffer over this buffer's array (position = first unread byte); valid until the next change. */
    java.nio.ByteBuffer view() {
        return java.nio.ByteBuffer.wrap(buf, start, end - start);
    }

    /** Removes and returns the first {@code n} bytes. */
    byte[] take(int n) {
        if (n == 0) {
            return EMPTY;
        }
        byte[] out;
        if (start == 0 && n == buf.length && end == n) {
            out = buf; // the whole array is exactly the answer: hand it over instead of copying
        } else {
            out = Arrays.copyOfRange(buf, start, start + n);
        }
        skip(n);
        return out;
    }

    /** Moves up to {@code dst.remaining()} bytes into {@code dst}; returns how many. */
    int drainTo(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), size());
        dst.put(buf, start, n);
        skip(n);
        return n;
    }

    /** Removes and returns everything, leaving this buffer empty and holding no array. */
    byte[] takeAll() {
        return take(size());
    }

    void skip(int n) {
        start += n;
        if (start == end) {
            // Drop the array rather than keeping it for later: idle streams must stay small.
            buf = EMPTY;
            start = 0;
            end = 0;
        }
    }

    /** A CharSequence over bytes as ISO-8859-1, for regex matching without decoding. */
    private record Latin1View(byte[] bytes, int offset, int length) implements CharSequence {
        @Override
        public char charAt(int index) {
            if (index < 0 || index >= length) {
                throw new IndexOutOfBoundsException(index);
            }
            return (char) (bytes[offset + index] & 0xff);
        }

        @Override
        public CharSequence subSequence(int s, int e) {
            if (s < 0 || e > length || s > e) {
                throw new IndexOutOfBoundsException("[" + s + ", " + e + ") of " + length);
            }
            return new Latin1View(bytes, offset + s, e - s);
        }

        @Override
        public String toString() {
            return new String(bytes, offset, length, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }
}
