package io.gale.http;

/**
 * What an {@code HttpServer} serves (Tornado's {@code HTTPServerConnectionDelegate}): for each
 * request on any connection (each stream, in HTTP/2) it hands out a {@link HttpMessageDelegate}.
 * The web framework's {@code Application} is one; a bare function of requests is another.
 *
 * <p>Threading: called on the loop thread of the connection the request arrived on; different
 * connections may be on different loops at the same time, so implementations must be
 * thread-safe (typically they are immutable routing tables).
 */
@FunctionalInterface
public interface HttpServerConnectionDelegate {
    /**
     * A new request begins.
     *
     * @param exchange the request's exchange: where the response goes
     * @return the receiver of the request's head, body and end
     */
    HttpMessageDelegate startRequest(HttpExchange exchange);

    /**
     * The body of an error the connection answers by itself, before or instead of the
     * delegate's response (400 for a malformed request, 413, 431, 500 when the delegate threw).
     * Called on the loop; a failure here falls back to the default. Default: {@code STATUS
     * REASON\n} as text/plain.
     *
     * @param status the status code
     * @param reason the reason phrase
     * @return the body of an error the connection answers by itself, before or instead of the delegate's response (400 for a malformed request, 413, 431, 500 when the delegate threw)
     */
    default ErrorBody errorBody(int status, String reason) {
        return ErrorBody.plainText(status, reason);
    }

    /**
     * The listener {@code server} reports connections and its shutdown to (see
     * {@link HttpServerListener}); called once, when the server is created with this delegate.
     * Default: {@link HttpServerListener#NONE}.
     *
     * @param server the server
     * @return the listener {@code server} reports connections and its shutdown to (see {@link HttpServerListener}); called once, when the server is created with this delegate
     */
    default HttpServerListener serverListener(HttpServer server) {
        return HttpServerListener.NONE;
    }
}
