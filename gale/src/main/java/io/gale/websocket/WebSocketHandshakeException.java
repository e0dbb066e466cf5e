package io.gale.websocket;

/**
 * The server did not accept the WebSocket upgrade, or its answer breaks RFC 6455 (wrong
 * Sec-WebSocket-Accept, unoffered subprotocol or extension). {@link #status()} is the HTTP status
 * received, or 0 if the failure is not about the status.
 */
public final class WebSocketHandshakeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /**
     * The status code.
     */
    private final int status;

    /**
     * With the status the server answered (0 if not applicable).
     *
     * @param status the status code
     * @param message the detail message
     */
    public WebSocketHandshakeException(int status, String message) {
        super(message);
        this.status = status;
    }

    /**
     * The HTTP status of the response, or 0.
     *
     * @return the HTTP status of the response, or 0
     */
    public int status() {
        return status;
    }
}
