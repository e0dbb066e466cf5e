package io.gale.http2;

/**
 * The error codes of RFC 9113 section 7, carried by RST_STREAM and GOAWAY frames. Codes a peer
 * sends that are not listed here are legal (section 7: they "MUST NOT trigger any special
 * behavior"); {@link #of} returns null for them and callers keep the number. Public (in this
 * non-exported package) so that the client and server packages can reset streams with a code.
 */
public enum Http2ErrorCode {
    NO_ERROR(0x0),
    PROTOCOL_ERROR(0x1),
    INTERNAL_ERROR(0x2),
    FLOW_CONTROL_ERROR(0x3),
    SETTINGS_TIMEOUT(0x4),
    STREAM_CLOSED(0x5),
    FRAME_SIZE_ERROR(0x6),
    REFUSED_STREAM(0x7),
    CANCEL(0x8),
    COMPRESSION_ERROR(0x9),
    CONNECT_ERROR(0xa),
    ENHANCE_YOUR_CALM(0xb),
    INADEQUATE_SECURITY(0xc),
    HTTP_1_1_REQUIRED(0xd);

    /** Indexed by code: the codes are dense from 0. */
    private static final Http2ErrorCode[] BY_CODE = values();

    /** The 32-bit value on the wire. */
    final int code;

    Http2ErrorCode(int code) {
        this.code = code;
    }

    /** The code for a wire value (an unsigned 32-bit number), or null if RFC 9113 defines none. */
    static Http2ErrorCode of(long code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[(int) code] : null;
    }

    /** The RFC name of a wire value, or {@code 0x...} for an unknown one (for logs). */
    static String describe(long code) {
        Http2ErrorCode c = of(code);
        return c != null ? c.name() : "0x" + Long.toHexString(code);
    }
}
