package io.gale.http2;

import java.util.Objects;

/**
 * Why the peer's input was refused, in the shape RFC 9113 section 5.4 wants it answered. Parsers
 * and decoders return these as values and never throw for peer input; the connection answers each
 * in one place:
 * <ul>
 * <li>a <b>connection error</b> ({@code streamId == 0}): send GOAWAY with {@link #code} and the last
 *     processed stream, then close (section 5.4.1). The codec that reported it stays in its error
 *     state: the byte stream (and HPACK context) can no longer be trusted;</li>
 * <li>a <b>stream error</b> ({@code streamId > 0}): send RST_STREAM on that stream with
 *     {@link #code} (section 5.4.2); the connection and the codec carry on.</li>
 * </ul>
 *
 * @param code the RFC 9113 error code to send
 * @param streamId 0 for a connection error, else the stream to reset
 * @param reason a short cause for logs and GOAWAY debug data (never echoes raw input)
 */
record Http2Error(Http2ErrorCode code, int streamId, String reason) {

    /** Validates the components: a code and reason are required, the stream id is 31-bit. */
    Http2Error {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(reason, "reason");
        if (streamId < 0) {
            throw new IllegalArgumentException("stream id " + streamId);
        }
    }

    /** A connection error (RFC 9113 section 5.4.1). */
    static Http2Error connection(Http2ErrorCode code, String reason) {
        return new Http2Error(code, 0, reason);
    }

    /** A stream error on {@code streamId} (RFC 9113 section 5.4.2); the id must be positive. */
    static Http2Error stream(int streamId, Http2ErrorCode code, String reason) {
        if (streamId <= 0) {
            throw new IllegalArgumentException("a stream error needs a stream, got " + streamId);
        }
        return new Http2Error(code, streamId, reason);
    }

    /** Whether the whole connection must end (GOAWAY), rather than one stream (RST_STREAM). */
    boolean isConnectionError() {
        return streamId == 0;
    }

    @Override
    public String toString() {
        return (isConnectionError() ? "connection error " : "stream " + streamId + " error ") + code + ": " + reason;
    }
}
