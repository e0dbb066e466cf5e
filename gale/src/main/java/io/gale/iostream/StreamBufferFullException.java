package io.gale.iostream;

import java.io.IOException;

/**
 * A stream buffer limit was exceeded (Tornado's {@code StreamBufferFullError}): the read buffer
 * passed {@link IOStreamOptions#maxBufferSize()} (the stream is closed with this error), or a
 * write would have passed {@link IOStreamOptions#maxWriteBufferSize()} (that write fails, the
 * stream stays open).
 */
public class StreamBufferFullException extends IOException {
    /**
     * Creates a {@code StreamBufferFullException}.
     *
     * @param message the detail message
     */
    public StreamBufferFullException(String message) {
        super(message);
    }
}
