package io.gale.concurrent;

import java.util.NoSuchElementException;

/** Thrown by {@link Queue#getNow} when the queue is empty (Tornado's {@code QueueEmpty}). */
public final class QueueEmptyException extends NoSuchElementException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a {@code QueueEmptyException}.
     *
     * @param message the detail message
     */
    public QueueEmptyException(String message) {
        super(message);
    }
}
