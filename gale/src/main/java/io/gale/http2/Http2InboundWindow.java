package io.gale.http2;

/**
 * A receive flow-control window (RFC 9113 sections 5.2 and 6.9), for a stream or the whole
 * connection: how many DATA bytes the peer may still send, and the policy for giving them back.
 *
 * <p>Bytes are returned when the application <em>consumes</em> them ({@link #consume}), not when
 * they arrive ({@link #receive}): a slow consumer thus stops the peer after one window instead of
 * making us buffer without bound (section 5.2.2's point). Returns are batched: a WINDOW_UPDATE is
 * due once half the target window is consumed and unreturned, so a steady download costs one
 * WINDOW_UPDATE per half window, not one per DATA frame.
 *
 * <p>Not thread-safe: the connection's loop.
 */
final class Http2InboundWindow {
    /** The window every stream and connection starts with before SETTINGS (section 6.9.2). */
    static final int DEFAULT_SIZE = 65535;

    private final int target;
    private long window;
    private long unreturned;

    /**
     * A window that starts at {@code initial} bytes (what the peer believes) and is kept at
     * {@code target} (what we advertise, possibly raised later by a WINDOW_UPDATE).
     */
    Http2InboundWindow(int initial, int target) {
        this.window = initial;
        this.target = target;
    }

    /**
     * DATA of {@code n} bytes arrived (padding included, section 6.9.1).
     *
     * @return false if it exceeds the window: a FLOW_CONTROL_ERROR (the window is left unchanged)
     */
    boolean receive(int n) {
        if (n > window) {
            return false;
        }
        window -= n;
        return true;
    }

    /**
     * The application consumed {@code n} received bytes.
     *
     * @return the WINDOW_UPDATE increment to send now (the window grows by it), or 0
     */
    int consume(int n) {
        unreturned += n;
        if (unreturned < Math.max(1, target / 2)) {
            return 0;
        }
        int inc = (int) Math.min(unreturned, Http2Frames.MAX_WINDOW_SIZE - window);
        window += inc;
        unreturned -= inc;
        return inc;
    }

    /**
     * Opens the window from its initial size to the target at once (the connection window, whose
     * initial size SETTINGS cannot change); returns the WINDOW_UPDATE increment, 0 if none.
     */
    int openToTarget() {
        long inc = target - window;
        if (inc <= 0) {
            return 0;
        }
        window = target;
        return (int) inc;
    }

    /** Bytes the peer may still send. */
    long window() {
        return window;
    }

    /** Consumed bytes not given back yet. */
    long unreturned() {
        return unreturned;
    }

    int target() {
        return target;
    }
}
