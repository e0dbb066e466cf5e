package io.gale.http2;

/**
 * Stream identifiers of one connection (RFC 9113 section 5.1.1): which side owns an id (clients
 * odd, servers even), the next id this endpoint opens, the highest id the peer opened, and whether
 * an id not among the active streams is idle (never used) or closed. Also remembers the last
 * {@value #RECENT} streams that closed, and whether this endpoint reset them: late frames on a
 * stream we reset must be ignored, on one that closed otherwise answered with STREAM_CLOSED, and
 * a HEADERS frame on a lower id that was never used is a PROTOCOL_ERROR (sections 5.1, 5.1.1).
 *
 * <p>Ids only grow, so "idle" needs no per-stream memory: an id above the highest one used of its
 * parity. Not thread-safe: the connection's loop.
 */
final class Http2StreamIds {
    /** Closed streams remembered; frames on older ones are treated as on a closed stream not reset by us. */
    static final int RECENT = 128;

    /** What {@link #closed} knows of an id that is neither active nor idle. */
    enum Closed {
        /** Closed recently, by a RST_STREAM this endpoint sent: ignore its late frames. */
        RESET_BY_US,
        /** Closed recently otherwise (both ends finished, or the peer reset it). */
        CLOSED,
        /** Not among the recent ones: closed long ago, or an id the peer skipped. */
        UNKNOWN
    }

    private final boolean client;
    private int nextLocal;
    private int highestPeer;
    private final int[] recent = new int[RECENT];
    private final boolean[] recentReset = new boolean[RECENT];
    /** Next slot of the ring; {@code recentFull} once it wrapped. */
    private int recentNext;
    private boolean recentFull;

    Http2StreamIds(boolean client) {
        this(client, client ? 1 : 2);
    }

    /** Ids starting at {@code nextLocal} (tests reach the end of the id space this way). */
    Http2StreamIds(boolean client, int nextLocal) {
        this.client = client;
        this.nextLocal = nextLocal;
    }

    /** Whether {@code id} belongs to streams this endpoint opens (odd for a client, even for a server). */
    boolean isLocal(int id) {
        return (id & 1) == (client ? 1 : 0);
    }

    /** Whether another local stream can be opened (ids are not exhausted, section 5.1.1). */
    boolean hasLocalIds() {
        return nextLocal > 0 && nextLocal <= Http2Frames.MAX_STREAM_ID;
    }

    /** The id of a new local stream; call only when {@link #hasLocalIds()}. */
    int nextLocal() {
        if (!hasLocalIds()) {
            throw new IllegalStateException("stream ids exhausted");
        }
        int id = nextLocal;
        nextLocal += 2; // overflows past 2^31-1 to a negative value: hasLocalIds() is false then
        return id;
    }

    /** The highest stream id the peer opened (0 if none): the last-stream-id of our GOAWAY. */
    int highestPeer() {
        return highestPeer;
    }

    /**
     * A peer's HEADERS on an id this endpoint does not know: accepted as a new stream if it is the
     * peer's parity and above every id the peer used before (section 5.1.1); recorded then.
     */
    boolean acceptPeer(int id) {
        if (id <= 0 || isLocal(id) || id <= highestPeer) {
            return false;
        }
        highestPeer = id;
        return true;
    }

    /** Whether {@code id} was never used by either side (section 5.1, "idle"). */
    boolean isIdle(int id) {
        // nextLocal turns negative once every local id was used: none is idle then
        return isLocal(id) ? nextLocal > 0 && id >= nextLocal : id > highestPeer;
    }

    /** Remembers that stream {@code id} closed; {@code resetByUs}: by a RST_STREAM we sent. */
    void markClosed(int id, boolean resetByUs) {
        recent[recentNext] = id;
        recentReset[recentNext] = resetByUs;
        if (++recentNext == RECENT) {
            recentNext = 0;
            recentFull = true;
        }
    }

    /** How stream {@code id}, neither active nor idle, closed (if it is among the recent ones). */
    Closed closed(int id) {
        int n = recentFull ? RECENT : recentNext;
        for (int i = 0; i < n; i++) {
            if (recent[i] == id) {
                return recentReset[i] ? Closed.RESET_BY_US : Closed.CLOSED;
            }
        }
        return Closed.UNKNOWN;
    }
}
