package io.gale.iostream;

import java.io.IOException;

/**
 * An operation on a closed {@link IOStream} (Tornado's {@code StreamClosedError}). The
 * {@linkplain #getCause() cause} is the real reason the stream closed (a connection reset, an
 * {@link java.io.EOFException} for a clean close by the peer, a TLS failure, a timeout passed to
 * {@link IOStream#close(Throwable)}), or null when the stream was closed locally without a reason.
 */
public class StreamClosedException extends IOException {
    /**
     * Creates a {@code StreamClosedException}.
     *
     * @param realError the real error
     */
    public StreamClosedException(Throwable realError) {
        super(realError == null ? "Stream is closed" : "Stream is closed: " + realError, realError);
    }
}
