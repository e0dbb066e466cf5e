package io.gale.demos;

import io.gale.http.HttpServer;
import io.gale.http.HttpServerOptions;
import io.gale.web.Application;

/**
 * A demo application listening on 127.0.0.1 with an ephemeral port, through
 * {@code Application.listen(0, "127.0.0.1")} as the demos' main methods do, for tests with real
 * clients.
 */
public final class RunningServer implements AutoCloseable {
    private final HttpServer server;

    private RunningServer(HttpServer server) {
        this.server = server;
    }

    public static RunningServer start(Application app) throws Exception {
        return new RunningServer(app.listen(0, "127.0.0.1"));
    }

    /** As {@link #start(Application)}, with the demo's own server options (limits, timeouts). */
    public static RunningServer start(Application app, HttpServerOptions options) throws Exception {
        return new RunningServer(app.listen(0, "127.0.0.1", options));
    }

    /** The port it listens on. */
    public int port() {
        return server.boundPorts().get(0);
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.boundPorts().get(0);
    }

    @Override
    public void close() {
        server.close();
    }
}
