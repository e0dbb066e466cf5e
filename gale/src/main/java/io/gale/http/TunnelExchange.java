package io.gale.http;

/**
 * An exchange whose stream can carry another protocol after a 2xx answer: an HTTP/2 extended
 * CONNECT (RFC 8441), by which a client opens a WebSocket on one stream of a shared connection.
 * The HTTP/2 counterpart of {@link DetachableExchange}; a caller asks
 * {@code exchange instanceof TunnelExchange t && t.tunnelProtocol() != null}.
 *
 * <p>The request of an extended CONNECT reaches the delegate as a {@code GET} of {@code :path}
 * without a body (RFC 8441 section 5 maps it onto HTTP/1.1's {@code GET} with {@code Upgrade}),
 * so routing, {@code prepare()} and the origin check run as for an HTTP/1.1 upgrade; what the
 * client sends on the stream afterwards is the tunnel's, not a request body.
 */
public interface TunnelExchange extends HttpExchange {
    /**
     * The protocol the client asked for ({@code :protocol}, e.g. {@code websocket}), or null for
     * an ordinary request.
     *
     * @return the protocol, or null
     */
    String tunnelProtocol();

    /**
     * Takes the stream over after a 2xx head was written (without ending the stream: no
     * {@link #finish}): the exchange is done as HTTP, the stream belongs to the returned tunnel.
     * Loop thread.
     *
     * @return the tunnel, owned by the caller (who closes it)
     * @throws IllegalStateException if this is not an extended CONNECT, no 2xx head was written,
     *     the response was finished, the stream is closed, or it was called before
     */
    ByteTunnel openTunnel();
}
