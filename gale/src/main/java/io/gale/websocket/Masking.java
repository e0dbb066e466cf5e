package io.gale.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * XOR masking of frame payloads (RFC 6455 5.3), eight bytes per step through a long view of the
 * array instead of one byte at a time. Stateless; safe from any thread.
 */
final class Masking {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Masking() {
    }

    /**
     * Masks (or unmasks: XOR is its own inverse) {@code a[off, off+len)} in place.
     *
     * @param a the bytes
     * @param off the offset of the first byte
     * @param len the number of bytes
     * @param key the four mask bytes as a big-endian int (byte 0 is the most significant)
     * @param keyIndex which mask byte applies to {@code a[off]} (0..3): payloads that arrive in
     *     pieces continue where the previous piece stopped
     * @return the key index for the byte after this range
     */
    public static int mask(byte[] a, int off, int len, int key, int keyIndex) {
        // Rotate so that the mask byte for a[off] is the most significant byte.
        int k = Integer.rotateLeft(key, keyIndex << 3);
        int i = off;
        int end = off + len;
        if (len >= 8) {
            long k8 = ((long) k << 32) | (k & 0xFFFFFFFFL);
            int longEnd = end - 7;
            for (; i < longEnd; i += 8) {
                LONGS.set(a, i, (long) LONGS.get(a, i) ^ k8);
            }
        }
        // Each 8-byte step is a whole number of mask periods, so the rotation still lines up.
        for (int j = 0; i < end; i++, j++) {
            a[i] ^= (byte) (k >>> (24 - ((j & 3) << 3)));
        }
        return (keyIndex + len) & 3;
    }
}
