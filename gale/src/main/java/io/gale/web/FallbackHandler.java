package io.gale.web;

import io.gale.http.HttpServerConnectionDelegate;
import java.util.Map;
import java.util.Objects;

/**
 * Hands the requests of a route to another server-level application: any
 * {@link HttpServerConnectionDelegate} (another {@link Application}, a bare delegate, an adapter
 * for another framework), as Tornado's {@code FallbackHandler} mounts a WSGI container:
 *
 * <pre>{@code
 * HttpServerConnectionDelegate legacy = ...;
 * Application app = new Application(List.of(
 *     Route.url("/", MainHandler.class),
 *     FallbackHandler.route("/legacy/.*", legacy),                        // typed
 *     Route.url("/old/.*", FallbackHandler.class, Map.of("fallback", legacy))));  // Tornado style
 * }</pre>
 *
 * <p>The fallback gets the request as the server would give it: the same connection, head, body
 * pieces with their flow control, end and connection-close events, streamed as they arrive
 * (Tornado hands the WSGI container the buffered request instead). It sees the full path, not
 * the part after the route's prefix, and any method (Tornado would answer 405 to a method
 * outside {@code SUPPORTED_METHODS} first). Nothing of this handler's lifecycle runs
 * ({@code prepare}, HTTP methods, {@code onFinish}), and this application writes no access-log
 * line for the request: the fallback answers it and logs it. A protocol switch (a WebSocket
 * upgrade of a mounted application) works, since the fallback holds the connection.
 *
 * <p>Init argument: {@code fallback}, the {@code HttpServerConnectionDelegate} (required unless
 * constructed with one).
 */
public class FallbackHandler extends RequestHandler {
    private HttpServerConnectionDelegate fallback;

    /** A handler configured by the init argument {@code fallback}. */
    public FallbackHandler() {
    }

    /**
     * A handler for a factory route.
     *
     * @param fallback the fallback
     */
    public FallbackHandler(HttpServerConnectionDelegate fallback) {
        this.fallback = Objects.requireNonNull(fallback, "fallback");
    }

    /**
     * A route mounting {@code fallback} on {@code pattern}.
     *
     * @param pattern the pattern
     * @param fallback the fallback
     * @return a route mounting {@code fallback} on {@code pattern}
     */
    public static Route route(String pattern, HttpServerConnectionDelegate fallback) {
        Objects.requireNonNull(fallback, "fallback");
        return Route.url(pattern, () -> new FallbackHandler(fallback));
    }

    @Override
    protected void initialize(Map<String, Object> initArgs) {
        Object f = initArgs.get("fallback");
        if (f != null) {
            if (!(f instanceof HttpServerConnectionDelegate d)) {
                throw new IllegalStateException("FallbackHandler's init argument \"fallback\" must be an "
                        + "HttpServerConnectionDelegate, not " + f.getClass().getName());
            }
            fallback = d;
        }
        if (fallback == null) {
            throw new IllegalStateException("FallbackHandler needs the init argument \"fallback\"");
        }
    }

    /** The delegate the dispatcher hands the request to. */
    final HttpServerConnectionDelegate fallback() {
        return fallback;
    }
}
