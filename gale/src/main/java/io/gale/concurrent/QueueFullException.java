package io.gale.concurrent;

/** Thrown by {@link Queue#putNow} when the queue is full (Tornado's {@code QueueFull}). */
public final class QueueFullException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a {@code QueueFullException}.
     *
     * @param message the detail message
     */
    public QueueFullException(String message) {
        super(message);
    }
}
