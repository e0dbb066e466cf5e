package io.gale.httpclient;

import java.util.concurrent.CompletionStage;

/**
 * Streams a request body (Tornado's {@code body_producer}). Called once, on the client's loop, after
 * the request head is written; the body is chunked unless the request sets {@code Content-Length}.
 * The body ends when the returned stage completes; a failed stage aborts the request.
 *
 * <pre>{@code
 * BodyProducer producer = writer -> writer.write(part1).thenCompose(v -> writer.write(part2));
 * }</pre>
 *
 * <p>Backpressure: each {@link BodyWriter#write} future completes only when the data was handed
 * to the kernel, so a producer that waits for it never buffers more than one piece.
 */
@FunctionalInterface
public interface BodyProducer {
    /**
     * Writes the body through {@code writer}; completes when the body is done.
     *
     * @param writer the writer
     * @return a future that completes when it is done, or fails with the error
     */
    CompletionStage<?> produce(BodyWriter writer);
}
