package io.gale.web;

/**
 * The body of a handler method as a lambda, for tiny applications:
 * {@code app.get("/", h -> h.write("Hello, world"))}. It receives the request's
 * {@link RequestHandler}, so everything a handler class can do (arguments, headers, cookies,
 * JSON, {@code pathArgs()}) is there; the response finishes when it returns.
 */
@FunctionalInterface
public interface HandlerFunction {
    /**
     * Handles one request.
     *
     * @param handler the request handler
     * @throws Exception any failure; the caller reports it
     */
    void handle(RequestHandler handler) throws Exception;
}
