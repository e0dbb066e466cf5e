package io.gale.http2;

/**
 * The stream states of RFC 9113 section 5.1 and their transitions, in one place for both sides.
 * "Local" is this endpoint, "remote" the peer. The reserved states exist only for server push,
 * which Gale neither sends nor accepts (a client advertises SETTINGS_ENABLE_PUSH 0 and treats
 * PUSH_PROMISE as a connection error), so they are left out.
 *
 * <pre>
 *                     send/recv HEADERS
 *           IDLE ------------------------&gt; OPEN
 *            |                          /        \
 *            | HEADERS + END_STREAM    / send ES  \ recv ES
 *            v                        v            v
 *     HALF_CLOSED_LOCAL / HALF_CLOSED_REMOTE  --- the other ES, or RST_STREAM either way ---&gt; CLOSED
 * </pre>
 *
 * Transitions for what this endpoint sends throw {@link IllegalStateException}: sending in the
 * wrong state is a bug of ours. Transitions for what it receives return null when the frame is
 * not allowed, and the connection answers with the error section 5.1 prescribes
 * ({@link #receiveError}).
 */
enum Http2StreamState {
    IDLE,
    OPEN,
    HALF_CLOSED_LOCAL,
    HALF_CLOSED_REMOTE,
    CLOSED;

    /** This endpoint sends a HEADERS block (opening the stream, or trailers); {@code endStream}: with END_STREAM. */
    Http2StreamState sendHeaders(boolean endStream) {
        return switch (this) {
            case IDLE, OPEN -> endStream ? HALF_CLOSED_LOCAL : OPEN;
            case HALF_CLOSED_REMOTE -> endStream ? CLOSED : HALF_CLOSED_REMOTE;
            default -> throw new IllegalStateException("cannot send HEADERS on a stream that is " + this);
        };
    }

    /** This endpoint sends END_STREAM on a DATA frame. */
    Http2StreamState sendEndStream() {
        return switch (this) {
            case OPEN -> HALF_CLOSED_LOCAL;
            case HALF_CLOSED_REMOTE -> CLOSED;
            default -> throw new IllegalStateException("cannot end a stream that is " + this);
        };
    }

    /** The peer's HEADERS block arrived; null if this state does not accept it. */
    Http2StreamState receiveHeaders(boolean endStream) {
        return switch (this) {
            case IDLE, OPEN -> endStream ? HALF_CLOSED_REMOTE : OPEN;
            case HALF_CLOSED_LOCAL -> endStream ? CLOSED : HALF_CLOSED_LOCAL;
            default -> null;
        };
    }

    /** The peer's DATA arrived ({@code endStream}: with END_STREAM); null if this state does not accept it. */
    Http2StreamState receiveData(boolean endStream) {
        return switch (this) {
            case OPEN -> endStream ? HALF_CLOSED_REMOTE : OPEN;
            case HALF_CLOSED_LOCAL -> endStream ? CLOSED : HALF_CLOSED_LOCAL;
            default -> null;
        };
    }

    /** Whether this endpoint may still send DATA or trailers on the opened stream. */
    boolean canSend() {
        return this == OPEN || this == HALF_CLOSED_REMOTE;
    }

    /** Whether the peer may still send HEADERS or DATA. */
    boolean canReceive() {
        return this == OPEN || this == HALF_CLOSED_LOCAL;
    }

    /** Whether the stream counts against SETTINGS_MAX_CONCURRENT_STREAMS (open or half-closed, section 5.1.2). */
    boolean isActive() {
        return this == OPEN || this == HALF_CLOSED_LOCAL || this == HALF_CLOSED_REMOTE;
    }

    /**
     * The error for a peer's DATA or HEADERS that {@link #receiveData}/{@link #receiveHeaders}
     * refused: STREAM_CLOSED as a stream error (section 5.1, half-closed (remote) and closed).
     */
    static Http2Error receiveError(int streamId, Http2StreamState state, int frameType) {
        return Http2Error.stream(streamId, Http2ErrorCode.STREAM_CLOSED,
            Http2Frames.typeName(frameType) + " on a stream that is " + state.name().toLowerCase(java.util.Locale.ROOT));
    }
}
