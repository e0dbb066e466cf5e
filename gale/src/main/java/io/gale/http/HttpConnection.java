package io.gale.http;

import io.gale.ioloop.IOLoop;
import io.gale.iostream.IOStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
 * Lifecycle: {@link #writeHeaders} once, then any number of {@link #write} and
 * {@link #writeFile}, then {@link #finish}.
 */
public interface HttpConnection {
    /**
     * The loop this connection lives on.
     *
     * @return the loop this connection lives on
     */
    IOLoop loop();

    /**
     * Sends the status line and headers, and {@code firstChunk} if not null.
     *
     * @param status the status code
     * @param reason the reason phrase
     * @param headers the headers
     * @param firstChunk the first chunk
     * @return completes when the bytes are handed to the kernel (or are below the stream's
     *     write high-water mark), fails if the connection closed first
     * @throws IllegalStateException if headers were already written
     */
    CompletableFuture<Void> writeHeaders(int status, String reason, HttpHeaders headers, ByteBuffer firstChunk);

    /**
     * Sends a piece of the body.
     *
     * @param chunk the data to write
     * @return a future that completes when it is done, or fails with the error
     * @throws IllegalStateException if headers were not written yet, the response was finished, or
     *     more bytes are written than a declared Content-Length allows
     */
    CompletableFuture<Void> write(ByteBuffer chunk);

    /**
     * Sends {@code count} bytes of {@code file} from {@code position} as a piece of the body, framed
     * like {@link #write} (one chunk when chunked). The caller keeps the file open until the
     * returned future completes or fails; the connection never closes it.
     *
     * <p>Implementations send it without copying it through the heap where the transport allows
     * (Gale's HTTP/1.1 server on plain TCP: {@code sendfile(2)}, a slice at a time as the socket
     * drains; on TLS, through one bounded buffer). This default, for connections that have no
     * such path, reads the region in pieces of 64 KiB and writes each after the
     * previous one's future completed: at most one piece is held at a time. Reads happen on the
     * loop thread.
     *
     * @param file the file
     * @param position the file offset of the first byte
     * @param count the count
     * @return completes when the region is handed over as {@link #write}'s future does; fails if
     *     the connection closed, or (closing it) if the file could not be read or ended early
     * @throws IllegalStateException as {@link #write}, checked before anything is sent
     */
    default CompletableFuture<Void> writeFile(FileChannel file, long position, long count) {
        if (count == 0) {
            return write(ByteBuffer.allocate(0));
        }
        return FilePieces.write(this, file, position, count);
    }

    /**
     * Ends the response (the last chunk of a chunked body). Completes when everything is sent.
     *
     * @return the finish
     * @throws IllegalStateException if a declared Content-Length was not reached
     */
    CompletableFuture<Void> finish();

    /**
     * Whether {@link #writeHeaders} has been called.
     *
     * @return whether {@link #writeHeaders} has been called
     */
    boolean headersWritten();

    /**
     * True once the underlying connection is closed (the client went away).
     *
     * @return true once the underlying connection is closed (the client went away)
     */
    boolean isClosed();

    /** Closes the underlying connection at once (an aborted response). */
    void close();

    /**
     * Takes the connection over from HTTP (Tornado's {@code HTTP1Connection.detach}), for a protocol
     * that follows a {@code 101 Switching Protocols} answer, such as WebSocket. Call it on the loop
     * thread, after {@link #writeHeaders} sent the 101 response, from a loop callback of its own
     * ({@code loop().addCallback}) rather than from inside the delivery of the request (a
     * delegate method), when the connection may still hold a read on the stream.
     *
     * <p>Contract for implementations: from this call on, the connection reads and writes nothing
     * more, sends no further response, does not close the stream, and reports no close to its
     * {@link HttpMessageDelegate}; keep-alive and idle timers are cancelled; the stream's close
     * callback is cleared. Bytes the connection already read past the end of the request (a client
     * may send its first frames right behind the handshake) must be readable from the returned
     * stream by its next read: leave them in the stream's read buffer rather than in a private
     * parser buffer.
     *
     * @return the stream, now owned by the caller (who closes it)
     * @throws UnsupportedOperationException if this connection cannot be detached (HTTP/2, test doubles)
     * @throws IllegalStateException if the response was not a 101, the connection is closed, or
     *     the request is still being delivered
     */
    default IOStream detach() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot be detached from HTTP");
    }
}
