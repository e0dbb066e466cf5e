package io.gale.web;

/**
 * Answers {@code OPTIONS *}, a question about the server rather than a resource (RFC 9110
 * section 9.3.7): 200 with the methods Gale dispatches in {@code Allow} and no body. It is chosen
 * before routing, so that {@code *} never reaches a route pattern (a catch-all {@code .*} route
 * would otherwise take it as a path). The parser lets {@code *} through for OPTIONS only.
 */
final class ServerWideOptions extends RequestHandler {
    static final String ALLOW = String.join(", ", HandlerInfo.HTTP_METHODS);

    static boolean isAsked(String method, String uri) {
        return "*".equals(uri) && "OPTIONS".equals(method);
    }

    public void options() {
        setHeader("Allow", ALLOW);
    }
}
