package io.gale.websocket;

/**
 * Low-level codec, public for benchmarks and custom transports; applications use
 * {@link WebSocketHandler} and {@link WebSocketClient}.
 *
 * <p>Builds frames (RFC 6455 5.2) as one array: header, then payload (masked when a key is given).
 * One array means one buffer in the write queue and no second copy for the mask. Stateless.
 */
public final class FrameEncoder {
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
     * @param maskKey used only when {@code masked}
     */
    public static byte[] encode(int opcode, boolean fin, boolean rsv1, byte[] payload, int off, int len,
            boolean masked, int maskKey) {
        int h = headerLength(len, masked);
        byte[] out = new byte[h + len];
        out[0] = (byte) ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
        int maskBit = masked ? 0x80 : 0;
        int p;
        if (len < 126) {
            out[1] = (byte) (maskBit | len);
            p = 2;
        } else if (len <= 0xFFFF) {
            out[1] = (byte) (maskBit | 126);
            out[2] = (byte) (len >>> 8);
            out[3] = (byte) len;
            p = 4;
        } else {
            out[1] = (byte) (maskBit | 127);
            // A Java array holds < 2^31 bytes: the top four length bytes are zero.
            out[6] = (byte) (len >>> 24);
            out[7] = (byte) (len >>> 16);
            out[8] = (byte) (len >>> 8);
            out[9] = (byte) len;
            p = 10;
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
        return out;
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
