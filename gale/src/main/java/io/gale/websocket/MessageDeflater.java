package io.gale.websocket;

import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses whole messages for permessage-deflate (RFC 7692 7.2.1): raw deflate, a sync flush at
 * the end of each message, and the trailing 00 00 FF FF removed. With no context takeover the
 * compressor is reset after every message, so equal messages compress to equal bytes (which is
 * what lets a broadcast share one compressed frame).
 *
 * <p>Not thread-safe; owned by one connection (or used under the caller's confinement).
 * {@link #close()} frees the native zlib memory.
 */
final class MessageDeflater {
    private final Deflater deflater;
    private final boolean noContextTakeover;

    MessageDeflater(int level, boolean noContextTakeover) {
        this.deflater = new Deflater(level, true);
        this.noContextTakeover = noContextTakeover;
    }

    /** Compresses {@code a[off, off+len)} as one message. */
    byte[] compress(byte[] a, int off, int len) {
        deflater.setInput(a, off, len);
        byte[] out = new byte[Math.max(64, len / 2 + 64)];
        int n = 0;
        while (true) {
            n += deflater.deflate(out, n, out.length - n, Deflater.SYNC_FLUSH);
            if (n < out.length) {
                break; // the sync flush completed with room to spare: all output is out
            }
            out = Arrays.copyOf(out, out.length * 2);
        }
        if (noContextTakeover) {
            deflater.reset();
        }
        // A sync flush ends in an empty stored block 00 00 FF FF, which the receiver re-adds.
        if (n >= 4 && out[n - 4] == 0 && out[n - 3] == 0 && out[n - 2] == (byte) 0xFF && out[n - 1] == (byte) 0xFF) {
            n -= 4;
        }
        return Arrays.copyOf(out, n);
    }

    void close() {
        deflater.end();
    }
}
