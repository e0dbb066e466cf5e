package io.gale.web;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The pending response body of a handler: a growable byte array that adopts the first array
 * written instead of copying it (a one-write response costs no copy) and hands its contents off
 * without copying. Not thread-safe: owned by the request's thread.
 */
final class ByteSink {
    private static final byte[] EMPTY = new byte[0];

    private byte[] data = EMPTY;
    private int size;
    /** True while {@link #data} is an adopted caller array that must not be written into. */
    private boolean adopted;

    int size() {
        return size;
    }

    byte[] array() {
        return data;
    }

    /** Appends an array nobody else will change (freshly encoded text or JSON): adopted, not copied, when first. */
    void adopt(byte[] b) {
        if (b.length == 0) {
            return;
        }
        if (size == 0) {
            data = b;
            size = b.length;
            adopted = true;
            return;
        }
        append(b, 0, b.length);
    }

    void append(byte[] b, int off, int len) {
        int needed = size + len;
        if (adopted || needed > data.length) {
            data = Arrays.copyOf(data, Math.max(needed, Math.max(256, data.length * 2)));
            adopted = false;
        }
        System.arraycopy(b, off, data, size, len);
        size = needed;
    }

    /** Hands the contents off (the sink starts over with a fresh array). */
    ByteBuffer drain() {
        ByteBuffer out = ByteBuffer.wrap(data, 0, size);
        data = EMPTY;
        size = 0;
        adopted = false;
        return out;
    }

    void clear() {
        data = EMPTY;
        size = 0;
        adopted = false;
    }
}
