package io.gale.http;

import io.gale.ioloop.IOLoop;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;

/**
 * One request and its response on a server connection: what a {@link HttpMessageDelegate} (the web
 * framework, or any other application) answers through. Tornado calls it the request's
 * {@code HTTPConnection}; the JDK's server and OkHttp call it an exchange. An HTTP/1.1 connection
 * makes one per request, in turn; an HTTP/2 connection makes one per stream, several at a time.
 * Nothing here is specific to one protocol: abilities that are ({@link DetachableExchange}) are
 * separate interfaces, asked for with {@code instanceof}.
 *
 * <p><b>Response framing</b> is decided once, by the exchange, from typed values, when the head is
 * written ({@link #writeHeaders(int, String, HttpHeaders, long, ByteBuffer)}):
 * <ul>
 *   <li>HEAD responses and 1xx, 204 and 304 have no body ({@link HttpStatus#responseHasBody}):
 *       whatever is written is dropped;</li>
 *   <li>a known length (the {@code contentLength} argument; else a {@code Content-Length} field the
 *       caller put in the headers, read once) is sent as {@code Content-Length}, and the body is
 *       held to it: more is refused, less at {@link #finish} is an error;</li>
 *   <li>otherwise the body is streamed: chunked in HTTP/1.1, delimited by closing the connection
 *       in HTTP/1.0, DATA frames in HTTP/2.</li>
 * </ul>
 * The exchange adds {@code Date}, and the framing and {@code Connection} fields its protocol
 * needs; the headers given are never modified, so a constant set may be shared by every response.
 *
 * <p><b>Request body.</b> The delegate receives it with flow control ({@link HttpMessageDelegate}),
 * held to one limit, {@link #maxBodySize()}: a declared length above it is answered 413 before
 * the body is read (and before {@code 100 Continue}); a streamed body (or, with
 * {@code decompressRequest}, the decompressed one) is answered 413 as soon as it passes the
 * limit. The limit starts at the server's ({@link Http1ParserLimits#maxBodySize()} of
 * {@link HttpServerOptions#limits()}); the delegate may set another for its request with
 * {@link #setMaxBodySize} before the body is read (Tornado's {@code set_max_body_size}).
 *
 * <p><b>Threading</b>: loop thread only ({@link #loop()}); every returned future completes there.
 * <b>Lifecycle</b>: {@link #writeHeaders} once, then any number of {@link #write} and
 * {@link #writeFile}, then {@link #finish}. The exchange is over once its request was received
 * and its response finished, or its connection (or stream) closed; it must not be used after
 * that.
 */
public interface HttpExchange {
    /** {@code contentLength} of a response whose length is not known up front: it is streamed. */
    long UNKNOWN_LENGTH = -1;

    /**
     * The loop this exchange lives on.
     *
     * @return the loop this exchange lives on
     */
    IOLoop loop();

    /**
     * The body limit of this request, in bytes: the server's default unless
     * {@link #setMaxBodySize} changed it.
     *
     * @return the body limit of this request, in bytes: the server's default unless {@link #setMaxBodySize} changed it
     */
    long maxBodySize();

    /**
     * Sets the body limit of this request (Tornado's {@code set_max_body_size}), raising or
     * lowering the server's default for this request alone. Call it before the body is read: in
     * {@link HttpMessageDelegate#headersReceived}, or before the stage it returned completes.
     *
     * @param bytes the number of bytes
     * @throws IllegalArgumentException if {@code bytes} is negative
     * @throws IllegalStateException if the body is already being read
     */
    void setMaxBodySize(long bytes);

    /**
     * Sends the status line (or HTTP/2 HEADERS) and headers, and {@code firstChunk} if not null.
     * The framing is decided here, once (see the class comment).
     *
     * @param status the status code
     * @param reason the reason phrase, or null for the standard one (HTTP/2 sends none)
     * @param headers the response's fields; not modified, and not to be changed by the caller
     *     until the returned future completes
     * @param contentLength the body's length in bytes, sent as {@code Content-Length}; or
     *     {@link #UNKNOWN_LENGTH}: a {@code Content-Length} field in {@code headers} is used if
     *     present, else the body is streamed. Ignored for 1xx, 204 and 304, which have no content
     * @param firstChunk the first chunk
     * @return completes when the bytes are handed to the kernel (or are below the stream's
     *     write high-water mark), fails if the connection closed first
     * @throws IllegalStateException if headers were already written
     * @throws IllegalArgumentException for a length given twice (argument and field), a
     *     {@code Content-Length} field that is not a number, or a reason phrase a status line
     *     cannot carry
     */
    CompletableFuture<Void> writeHeaders(int status, String reason, HttpHeaders headers, long contentLength,
            ByteBuffer firstChunk);

    /**
     * {@link #writeHeaders(int, String, HttpHeaders, long, ByteBuffer)} with the length left to a
     * {@code Content-Length} field in {@code headers}, if any ({@link #UNKNOWN_LENGTH}).
     *
     * @param status the status code
     * @param reason the reason phrase
     * @param headers the headers
     * @param firstChunk the first chunk
     * @return a future that completes when it is done, or fails with the error
     */
    default CompletableFuture<Void> writeHeaders(int status, String reason, HttpHeaders headers,
            ByteBuffer firstChunk) {
        return writeHeaders(status, reason, headers, UNKNOWN_LENGTH, firstChunk);
    }

    /**
     * Sends a piece of the body.
     *
     * @param chunk the data to write
     * @return a future that completes when it is done, or fails with the error
     * @throws IllegalStateException if headers were not written yet, the response was finished, or
     *     more bytes are written than the declared length allows
     */
    CompletableFuture<Void> write(ByteBuffer chunk);

    /**
     * Sends {@code count} bytes of {@code file} from {@code position} as a piece of the body, framed
     * like {@link #write} (one chunk when chunked). The caller keeps the file open until the
     * returned future completes or fails; the exchange never closes it.
     *
     * <p>Implementations send it without copying it through the heap where the transport allows
     * (Gale's HTTP/1.1 server on plain TCP: {@code sendfile(2)}, a slice at a time as the socket
     * drains; on TLS, through one bounded buffer). This default, for exchanges that have no such
     * path, reads the region in pieces of 64 KiB and writes each after the previous one's future
     * completed: at most one piece is held at a time. Reads happen on the loop thread.
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
     * Ends the response, with {@code trailers} (may be null) after a streamed body: the last chunk
     * of a chunked HTTP/1.1 body carries them, HTTP/2 sends them as a last HEADERS frame. A
     * response framed by a length, closed by the connection, or without a body has no place for
     * trailers: they are dropped (RFC 9110 section 6.5 lets a recipient drop them anyway, so
     * nothing a client needs may be sent only as a trailer). Completes when everything is sent.
     *
     * @param trailers the trailers
     * @return a future that completes when it is done, or fails with the error
     * @throws IllegalStateException if headers were not written, the response was finished, or a
     *     declared length was not reached (the connection is then closed: the message cannot be
     *     completed)
     * @throws IllegalArgumentException if {@code trailers} hold a field a trailer must not carry
     *     (framing, routing or connection fields: RFC 9110 section 6.5.1)
     */
    CompletableFuture<Void> finish(HttpHeaders trailers);

    /**
     * Ends the response ({@link #finish(HttpHeaders)} without trailers).
     *
     * @return the finish
     */
    default CompletableFuture<Void> finish() {
        return finish(null);
    }

    /**
     * Whether {@link #writeHeaders} has been called.
     *
     * @return whether {@link #writeHeaders} has been called
     */
    boolean headersWritten();

    /**
     * True once the underlying connection (or stream) is closed: the client went away.
     *
     * @return true once the underlying connection (or stream) is closed: the client went away
     */
    boolean isClosed();

    /**
     * Aborts: closes the connection at once in HTTP/1.1 (the response cannot be completed), resets
     * the stream in HTTP/2.
     */
    void close();
}
