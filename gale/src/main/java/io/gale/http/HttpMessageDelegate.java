package io.gale.http;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * Receives one request from its {@link HttpExchange} (Tornado's {@code HTTPMessageDelegate}):
 * first its head, then its body in pieces, then the end, or a close of the connection (the reset
 * of the stream, in HTTP/2) in between. It answers through the exchange it was made for.
 *
 * <p>Flow control: a method that returns a non-null stage pauses reading from the socket until
 * the stage completes, so a handler that consumes a body slower than it arrives (or a 10 GB
 * upload) holds bounded memory. {@code Expect: 100-continue} is answered only when the body is
 * actually read, i.e. after {@link #headersReceived} returned (or its stage completed) without the
 * response having started. The body is held to {@link HttpExchange#maxBodySize()}, which
 * {@link #headersReceived} may change for its request.
 *
 * <p>Threading: every method is called on the connection's loop thread.
 */
public interface HttpMessageDelegate {
    /**
     * The request line and headers arrived.
     *
     * @param request the request
     * @return null to go on reading the body at once, or a stage to wait for first
     */
    CompletionStage<?> headersReceived(HttpServerRequest request);

    /**
     * A piece of the body (already de-chunked and, with {@code decompressRequest}, decompressed).
     * The buffer is only valid during the call: copy what must be kept.
     *
     * @param chunk the data to write
     * @return null to go on at once, or a stage to wait for before reading more
     */
    CompletionStage<?> dataReceived(ByteBuffer chunk);

    /** The whole request has been received. */
    void finish();

    /**
     * The connection closed (or, in HTTP/2, the stream was reset) before the request was
     * finished, or before the response was; also after the server answered a protocol error in
     * the delegate's place (a body over its limit, a stalled body).
     */
    void onConnectionClose();
}
