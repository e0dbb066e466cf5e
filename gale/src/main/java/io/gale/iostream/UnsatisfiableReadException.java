package io.gale.iostream;

import java.io.IOException;

/**
 * A delimited read could not be satisfied within its {@code maxBytes} (Tornado's
 * {@code UnsatisfiableReadError}); the stream is closed with this as its {@link IOStream#error()}.
 */
public class UnsatisfiableReadException extends IOException {
    /**
     * Creates a {@code UnsatisfiableReadException}.
     *
     * @param message the detail message
     */
    public UnsatisfiableReadException(String message) {
        super(message);
    }
}
