package io.gale.websocket;

import com.jcraft.jzlib.GZIPException;
import com.jcraft.jzlib.JZlib;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses whole messages for permessage-deflate (RFC 7692 7.2.1): raw deflate, a sync flush at
 * the end of each message, and the trailing 00 00 FF FF removed. With no context takeover the
 * compressor forgets each message once it is out, so a message never refers back to an earlier
 * one (and, with the JDK compressor, equal messages compress to equal bytes, which is what lets a
 * broadcast share one compressed frame).
 *
 * <p>Two compressors behind one contract. A 15-bit (32 KiB) window, the default, uses the JDK's
 * native {@link Deflater}: the fastest, but its window cannot be limited. A smaller window, when
 * the peer negotiated {@code server_max_window_bits} (server side) or {@code client_max_window_bits}
 * (client side) below 15, uses JZlib, a pure-Java port of zlib that takes window bits. zlib cannot
 * compress with an 8-bit window; for 8 we use 9 bits, whose matches never reach back more than
 * 250 bytes (zlib keeps 262 bytes of look-ahead out of the window), so the output is valid for a
 * peer decompressing with a 256-byte window. This is what zlib itself did before 1.2.9 and what
 * Node's zlib binding does.
 *
 * <p>Not thread-safe; owned by one connection (or used under the caller's confinement).
 * {@link #close()} frees the native zlib memory of the JDK compressor.
 */
final class MessageDeflater {
    /** Smallest window zlib compresses with; 8 is served by it (see the class comment). */
    static final int MIN_ZLIB_WINDOW_BITS = 9;

    private final Deflater jdk;
    private final com.jcraft.jzlib.Deflater small;
    private final boolean noContextTakeover;

    /** A compressor with a 32 KiB window. */
    MessageDeflater(int level, boolean noContextTakeover) {
        this(level, noContextTakeover, 15);
    }

    /**
     * @param windowBits the largest window the peer accepts, 8-15
     */
    MessageDeflater(int level, boolean noContextTakeover, int windowBits) {
        if (windowBits < 8 || windowBits > 15) {
            throw new IllegalArgumentException("window bits must be 8-15: " + windowBits);
        }
        this.noContextTakeover = noContextTakeover;
        if (windowBits == 15) {
            this.jdk = new Deflater(level, true);
            this.small = null;
        } else {
            this.jdk = null;
            try {
                // nowrap: raw deflate, no zlib header or checksum (RFC 7692 7.2.1).
                this.small = new com.jcraft.jzlib.Deflater(level, Math.max(MIN_ZLIB_WINDOW_BITS, windowBits), true);
            } catch (GZIPException e) {
                throw new IllegalStateException("JZlib refused level " + level + ", window " + windowBits, e);
            }
        }
    }

    /** Compresses {@code a[off, off+len)} as one message. */
    byte[] compress(byte[] a, int off, int len) {
        byte[] out = new byte[Math.max(64, len / 2 + 64)];
        return jdk != null ? compressJdk(a, off, len, out) : compressSmall(a, off, len, out);
    }

    private byte[] compressJdk(byte[] a, int off, int len, byte[] out) {
        jdk.setInput(a, off, len);
        int n = 0;
        while (true) {
            n += jdk.deflate(out, n, out.length - n, Deflater.SYNC_FLUSH);
            if (n < out.length) {
                break; // the sync flush completed with room to spare: all output is out
            }
            out = Arrays.copyOf(out, out.length * 2);
        }
        if (noContextTakeover) {
            jdk.reset();
        }
        return withoutTail(out, n);
    }

    private byte[] compressSmall(byte[] a, int off, int len, byte[] out) {
        small.setInput(a, off, len, false);
        // A full flush is a sync flush that also empties the match history: the next message
        // cannot refer back to this one, which is all no_context_takeover asks (RFC 7692 7.1.1).
        int flush = noContextTakeover ? JZlib.Z_FULL_FLUSH : JZlib.Z_SYNC_FLUSH;
        int n = 0;
        while (true) {
            small.setOutput(out, n, out.length - n);
            int rc = small.deflate(flush);
            n = small.getNextOutIndex();
            if (rc != JZlib.Z_OK && rc != JZlib.Z_BUF_ERROR) {
                throw new IllegalStateException("JZlib deflate failed: " + rc + " " + small.msg);
            }
            if (small.getAvailOut() > 0) {
                break; // zlib's contract: the flush is complete once it leaves output space unused
            }
            out = Arrays.copyOf(out, out.length * 2);
        }
        small.setInput(new byte[0], 0, 0, false); // drop the reference to the caller's array
        return withoutTail(out, n);
    }

    /**
     * A sync flush ends in an empty stored block 00 00 FF FF, which the receiver re-adds. zlib
     * writes nothing at all for an empty message that follows a flush (nothing new to flush), and
     * an empty payload plus the re-added 00 00 FF FF does not decode; RFC 7692 7.2.3.6 sends a
     * single 00 byte then, which with the tail makes an empty stored block.
     */
    private static byte[] withoutTail(byte[] out, int n) {
        if (n == 0) {
            return new byte[] {0};
        }
        if (n >= 4 && out[n - 4] == 0 && out[n - 3] == 0 && out[n - 2] == (byte) 0xFF && out[n - 1] == (byte) 0xFF) {
            n -= 4;
        }
        return Arrays.copyOf(out, n);
    }

    void close() {
        if (jdk != null) {
            jdk.end();
        } else {
            small.end();
        }
    }
}
