package io.gale.http2;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The client connection preface (RFC 9113 section 3.4): the 24 octets
 * {@code "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"} a client sends first, followed by a SETTINGS frame.
 * {@link #match} lets a plain-text listener tell h2c with prior knowledge (section 3.3) from
 * HTTP/1.1 on the first bytes without consuming them; the server-side frame parser consumes and
 * checks the preface itself.
 *
 * <p>Public (in this non-exported package) for the server's protocol choice in {@code io.gale.http}.
 *
 * <p>The preface was chosen so that an HTTP/1.1 server rejects it ("PRI" with version 2.0), and no
 * valid HTTP/1.1 request starts with it: the first differing byte decides.
 */
public final class Http2Preface {
    private Http2Preface() {
    }

    /** The 24 preface octets. */
    private static final byte[] CLIENT = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Number of preface octets. */
    static final int LENGTH = CLIENT.length;

    /** What {@link #match} found. */
    public enum Match {
        /** The buffer starts with the whole preface. */
        PREFACE,
        /** The buffer holds a proper prefix of the preface (possibly nothing): read more. */
        PARTIAL,
        /** The bytes differ from the preface: not HTTP/2 with prior knowledge. */
        OTHER
    }

    /** Compares the bytes from {@code buf}'s position with the preface; does not move the position. */
    public static Match match(ByteBuffer buf) {
        int p = buf.position();
        int n = Math.min(buf.remaining(), LENGTH);
        for (int i = 0; i < n; i++) {
            if (buf.get(p + i) != CLIENT[i]) {
                return Match.OTHER;
            }
        }
        return n == LENGTH ? Match.PREFACE : Match.PARTIAL;
    }

    /** Preface octet {@code i}. */
    static byte byteAt(int i) {
        return CLIENT[i];
    }

    /** A copy of the preface octets (what a client writes). */
    static byte[] bytes() {
        return CLIENT.clone();
    }
}
