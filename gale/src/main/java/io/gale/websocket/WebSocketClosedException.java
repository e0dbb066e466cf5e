package io.gale.websocket;

/** An operation on a WebSocket connection that is closing or closed (Tornado's {@code WebSocketClosedError}). */
public final class WebSocketClosedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * With a message saying what was attempted.
     *
     * @param message the detail message
     */
    public WebSocketClosedException(String message) {
        super(message);
    }

    /**
     * With the cause of the failed write.
     *
     * @param message the detail message
     * @param cause the cause
     */
    public WebSocketClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
