package io.gale.http;

import io.gale.iostream.IOStream;

/**
 * An exchange whose connection can be taken over from HTTP after a {@code 101 Switching
 * Protocols} response (Tornado's {@code HTTP1Connection.detach}), for WebSocket and other
 * upgrades. An HTTP/1.1 ability only: HTTP/2 has no 101 (RFC 9113 section 8.6) and carries
 * WebSocket on an extended CONNECT stream instead (RFC 8441), so a caller asks
 * {@code exchange instanceof DetachableExchange d} first.
 *
 * <p>Contract for implementations: from this call on, the connection reads and writes nothing
 * more, sends no further response, does not close the stream, and reports no close to its
 * {@link HttpMessageDelegate}; keep-alive and idle timers are cancelled; the stream's close
 * callback is cleared. Bytes the connection already read past the end of the request (a client
 * may send its first frames right behind the handshake) must be readable from the returned stream
 * by its next read: left in the stream's read buffer rather than in a private parser buffer.
 */
public interface DetachableExchange extends HttpExchange {
    /**
     * Takes the connection over. Call it on the loop thread, after {@link #writeHeaders} sent the
     * 101 response, from a loop callback of its own ({@code loop().addCallback}) rather than from
     * inside the delivery of the request (a delegate method), when the connection may still hold a
     * read on the stream.
     *
     * @return the stream, now owned by the caller (who closes it)
     * @throws IllegalStateException if the response was not a 1xx (101), the connection is closed,
     *     or the request is still being delivered
     */
    IOStream detach();
}
