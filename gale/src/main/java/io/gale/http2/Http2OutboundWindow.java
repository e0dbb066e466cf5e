package io.gale.http2;

/**
 * A send flow-control window (RFC 9113 sections 5.2 and 6.9), for a stream or the whole
 * connection: how many DATA bytes the peer allows us to send. It grows by the peer's
 * WINDOW_UPDATE frames and, for streams, moves with changes of the peer's
 * SETTINGS_INITIAL_WINDOW_SIZE (section 6.9.2), which can make it negative: then nothing is sent
 * until enough WINDOW_UPDATEs arrive. It may never exceed 2^31-1 (section 6.9.1).
 *
 * <p>Not thread-safe: the connection's loop.
 */
final class Http2OutboundWindow {
    private long window;

    Http2OutboundWindow(long initial) {
        this.window = initial;
    }

    /**
     * The peer's WINDOW_UPDATE.
     *
     * @return false if the window would exceed 2^31-1: a FLOW_CONTROL_ERROR (window unchanged)
     */
    boolean increment(int increment) {
        if (window + increment > Http2Frames.MAX_WINDOW_SIZE) {
            return false;
        }
        window += increment;
        return true;
    }

    /**
     * The peer changed SETTINGS_INITIAL_WINDOW_SIZE by {@code delta} (section 6.9.2).
     *
     * @return false if the window would exceed 2^31-1: a connection error FLOW_CONTROL_ERROR
     */
    boolean adjust(long delta) {
        if (window + delta > Http2Frames.MAX_WINDOW_SIZE) {
            return false;
        }
        window += delta;
        return true;
    }

    /** Bytes that may be sent now (0 when the window is used up or negative). */
    int available() {
        return (int) Math.max(0, window);
    }

    /** {@code n} bytes were sent (at most {@link #available()}). */
    void consume(int n) {
        window -= n;
    }

    /** The window, possibly negative. */
    long window() {
        return window;
    }
}
