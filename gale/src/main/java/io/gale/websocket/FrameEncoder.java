package io.gale.websocket;

/**
 * Low-level codec, public for benchmarks and custom transports; applications use
 * {@link WebSocketHandler} and {@link WebSocketClient}.
 *
 * <p>Builds frames (RFC 6455 5.2) as one array: header, then payload (masked when a key is given).
 * One array means one buffer in the write queue and no second copy for the mask. Stateless.
 */
final class FrameEncoder {
    private FrameEncoder() {
    }

    /** Header length for a payload of {@code len} bytes. */
    static int headerLength(int len, boolean masked) {
        int h = len < 126 ? 2 : len <= 0xFFFF ? 4 : 10;
        return masked ? h + 4 : h;
    }

    /**
     * Encodes one frame.
     *
     * @param opcode the frame's opcode
     * @param fin true for the last frame of a message
     * @param rsv1 the RSV1 bit (set on compressed messages)
     * @param payload the payload
     * @param off the offset of the first byte
     * @param len the number of bytes
     * @param masked true to mask the payload (a client's frames)
     * @param maskKey used only when {@code masked}
     * @return the encoded bytes
     */
    public static byte[] encode(int opcode, boolean fin, boolean rsv1, byte[] payload, int off, int len,
            boolean masked, int maskKey) {
        byte[] out = new byte[headerLength(len, masked) + len];
        put(out, 0, opcode, fin, rsv1, payload, off, len, masked, maskKey);
        return out;
    }

    /**
     * Encodes a whole message as frames whose payloads hold at most {@code maxFragmentSize} bytes
     * each (RFC 6455 5.4), all in one array so the message is still one write. The first frame
     * carries {@code opcode} and {@code rsv1} (permessage-deflate marks only the first frame), the
     * others are continuations; the last has FIN. An empty payload is one empty frame.
     *
     * @param masks null for unmasked (server) frames; otherwise each frame gets its own key
     * @throws IllegalArgumentException if {@code maxFragmentSize < 1}
     */
    static byte[] encodeFragmented(int opcode, boolean rsv1, byte[] payload, int off, int len, int maxFragmentSize,
            MaskKeySource masks) {
        if (maxFragmentSize < 1) {
            throw new IllegalArgumentException("maxFragmentSize must be positive: " + maxFragmentSize);
        }
        boolean masked = masks != null;
        if (len <= maxFragmentSize) {
            return encode(opcode, true, rsv1, payload, off, len, masked, masked ? masks.nextKey() : 0);
        }
        int full = len / maxFragmentSize;
        int rest = len % maxFragmentSize;
        long size = (long) full * (headerLength(maxFragmentSize, masked) + maxFragmentSize)
                + (rest == 0 ? 0 : headerLength(rest, masked) + rest);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("message too large to frame in one array: " + len + " bytes");
        }
        byte[] out = new byte[(int) size];
        int p = 0;
        for (int done = 0; done < len; ) {
            int n = Math.min(maxFragmentSize, len - done);
            boolean first = done == 0;
            p = put(out, p, first ? opcode : FrameDecoder.CONTINUATION, done + n == len, first && rsv1,
                    payload, off + done, n, masked, masked ? masks.nextKey() : 0);
            done += n;
        }
        return out;
    }

    /** Writes one frame into {@code out} at {@code p}; returns the position after it. */
    private static int put(byte[] out, int p, int opcode, boolean fin, boolean rsv1, byte[] payload, int off, int len,
            boolean masked, int maskKey) {
        out[p] = (byte) ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (len < 126) {
            out[p + 1] = (byte) (maskBit | len);
            p += 2;
        } else if (len <= 0xFFFF) {
            out[p + 1] = (byte) (maskBit | 126);
            out[p + 2] = (byte) (len >>> 8);
            out[p + 3] = (byte) len;
            p += 4;
        } else {
            out[p + 1] = (byte) (maskBit | 127);
            // A Java array holds < 2^31 bytes: the top four length bytes are zero.
            out[p + 2] = 0;
            out[p + 3] = 0;
            out[p + 4] = 0;
            out[p + 5] = 0;
            out[p + 6] = (byte) (len >>> 24);
            out[p + 7] = (byte) (len >>> 16);
            out[p + 8] = (byte) (len >>> 8);
            out[p + 9] = (byte) len;
            p += 10;
        }
        if (masked) {
            out[p] = (byte) (maskKey >>> 24);
            out[p + 1] = (byte) (maskKey >>> 16);
            out[p + 2] = (byte) (maskKey >>> 8);
            out[p + 3] = (byte) maskKey;
            p += 4;
        }
        System.arraycopy(payload, off, out, p, len);
        if (masked) {
            Masking.mask(out, p, len, maskKey, 0);
        }
        return p + len;
    }

    /** A close frame payload: the code (unless {@code code} is 0) and the UTF-8 reason. */
    static byte[] closePayload(int code, byte[] reason) {
        if (code == 0) {
            return new byte[0];
        }
        byte[] p = new byte[2 + reason.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(reason, 0, p, 2, reason.length);
        return p;
    }
}
