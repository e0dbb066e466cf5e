package io.gale.pubsub;

/**
 * A publish that could not be handed to the broker (not connected, the connection lost before
 * the broker acknowledged it, the broker answered an error, too many publishes in flight, the
 * message too large, or the PubSub closed). Publish futures fail with this exception; each such
 * failure is counted in {@link PubSubStats#failedPublishes()}.
 */
public class PubSubException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a {@code PubSubException}.
     *
     * @param message the detail message
     */
    public PubSubException(String message) {
        super(message);
    }

    /**
     * Creates a {@code PubSubException}.
     *
     * @param message the detail message
     * @param cause the cause
     */
    public PubSubException(String message, Throwable cause) {
        super(message, cause);
    }
}
