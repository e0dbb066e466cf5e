package io.gale.web;

import io.gale.http.HttpExchange;
import io.gale.http.HttpServerRequest;

/**
 * Lets a benchmark use a handler without a server: attaches it to a request as the dispatcher
 * would (this class shares Gale's package on the benchmark's class path). Benchmark use only.
 */
public final class BenchHandlers {
    private BenchHandlers() {
    }

    /** {@code handler}, attached to {@code request} on {@code exchange} of {@code app}. */
    public static <H extends RequestHandler> H attach(H handler, Application app, HttpServerRequest request,
            HttpExchange exchange) {
        handler.attach(app, request, exchange, new RequestDispatcher(app, exchange));
        return handler;
    }
}
