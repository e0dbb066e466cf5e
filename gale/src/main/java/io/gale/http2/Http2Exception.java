package io.gale.http2;

import java.io.IOException;

/**
 * Why an HTTP/2 stream ended without completing: the peer reset it (RST_STREAM), the connection
 * went away (GOAWAY, a connection error either side detected, the socket closing), or we reset it
 * because the peer broke a rule. Handed to {@link Http2Stream.Listener#onError}; never thrown out
 * of the connection's loop.
 *
 * <p>{@link #unprocessed()} is the retry signal of RFC 9113 section 8.7: the peer guarantees it
 * did not process the stream (RST_STREAM with REFUSED_STREAM, or a stream above the last stream
 * id of the peer's GOAWAY), so a client may send the request again, on a new connection if this
 * one is going away, whatever its method.
 */
public final class Http2Exception extends IOException {
    private static final long serialVersionUID = 1L;

    private final long errorCode;
    private final boolean unprocessed;
    private final boolean connectionError;

    Http2Exception(String message, long errorCode, boolean unprocessed, boolean connectionError) {
        super(message);
        this.errorCode = errorCode;
        this.unprocessed = unprocessed;
        this.connectionError = connectionError;
    }

    Http2Exception(String message, long errorCode, boolean connectionError, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.unprocessed = false;
        this.connectionError = connectionError;
    }

    /** The RFC 9113 error code involved (unsigned 32-bit), {@code 0} (NO_ERROR) for a plain close. */
    public long errorCode() {
        return errorCode;
    }

    /** The RFC 9113 name of {@link #errorCode()}, e.g. {@code "REFUSED_STREAM"}, or its hex value. */
    public String errorName() {
        return Http2ErrorCode.describe(errorCode);
    }

    /** The peer did not process the stream: safe to send again (RFC 9113 section 8.7). */
    public boolean unprocessed() {
        return unprocessed;
    }

    /** The whole connection ended, not just this stream. */
    public boolean isConnectionError() {
        return connectionError;
    }
}
