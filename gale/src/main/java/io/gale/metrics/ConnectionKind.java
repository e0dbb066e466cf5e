package io.gale.metrics;

/** What an open server connection speaks (the {@code kind} tag of the connection meters). */
public enum ConnectionKind {
    /** An HTTP/1.x connection (until it is upgraded). */
    HTTP1("http1"),
    /** An HTTP/2 connection. */
    HTTP2("http2"),
    /** A WebSocket, counted from its upgrade to its close. */
    WEBSOCKET("websocket");

    private final String tag;

    ConnectionKind(String tag) {
        this.tag = tag;
    }

    /**
     * The tag value: {@code http1}, {@code http2}, {@code websocket}.
     *
     * @return the tag value: {@code http1}, {@code http2}, {@code websocket}
     */
    public String tag() {
        return tag;
    }
}
