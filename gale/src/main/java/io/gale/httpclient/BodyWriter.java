package io.gale.httpclient;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Where a {@link BodyProducer} writes a request body. Safe from any thread (writes hop to the
 * client's loop); the futures complete on that loop.
 */
public interface BodyWriter {
    /**
     * Queues {@code data} (its remaining bytes; not copied: do not modify it until the future
     * completes). Completes when the data was handed to the kernel; fails if the request failed.
     *
     * @param data the bytes
     * @return a future that completes when it is done, or fails with the error
     */
    CompletableFuture<Void> write(ByteBuffer data);

    /**
     * Writes a whole array; see {@link #write(ByteBuffer)}.
     *
     * @param data the bytes
     * @return a future that completes when it is done, or fails with the error
     */
    default CompletableFuture<Void> write(byte[] data) {
        return write(ByteBuffer.wrap(data));
    }
}
