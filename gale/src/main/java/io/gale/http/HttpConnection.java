package io.gale.http;

import io.gale.ioloop.IOLoop;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * The response side of one request on a server connection (Tornado's {@code HTTPConnection}):
 * what a {@link HttpMessageDelegate} (the web framework, or any other application) uses to answer.
 *
 * <p>Framing is the connection's job: a response whose headers carry {@code Content-Length} is sent
 * with it; otherwise an HTTP/1.1 response is sent chunked and an HTTP/1.0 one is delimited by
 * closing the connection. HEAD responses and 1xx/204/304 get no body whatever is written.
 *
 * <p>Threading: loop thread only ({@link #loop()}); every returned future completes there.
 * Lifecycle: {@link #writeHeaders} once, then any number of {@link #write}, then {@link #finish}.
 */
public interface HttpConnection {
    /** The loop this connection lives on. */
    IOLoop loop();

    /**
     * Sends the status line and headers, and {@code firstChunk} if not null.
     *
     * @return completes when the bytes are handed to the kernel (or are below the stream's
     *     write high-water mark), fails if the connection closed first
     * @throws IllegalStateException if headers were already written
     */
    CompletableFuture<Void> writeHeaders(int status, String reason, HttpHeaders headers, ByteBuffer firstChunk);

    /**
     * Sends a piece of the body.
     *
     * @throws IllegalStateException if headers were not written yet, the response was finished, or
     *     more bytes are written than a declared Content-Length allows
     */
    CompletableFuture<Void> write(ByteBuffer chunk);

    /**
     * Ends the response (the last chunk of a chunked body). Completes when everything is sent.
     *
     * @throws IllegalStateException if a declared Content-Length was not reached
     */
    CompletableFuture<Void> finish();

    /** Whether {@link #writeHeaders} has been called. */
    boolean headersWritten();

    /** True once the underlying connection is closed (the client went away). */
    boolean isClosed();

    /** Closes the underlying connection at once (an aborted response). */
    void close();
}
