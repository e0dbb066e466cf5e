package io.gale.demos;

import io.gale.http.HttpServerOptions;
import io.gale.testing.TestServer;
import io.gale.web.Application;

/**
 * Kept only so that demo branches written against it (chat, blog) merge and compile: it is
 * gale-testing's {@link TestServer} under its old name. New tests use {@code TestServer} (or
 * {@code @GaleTest}); switch the remaining users and delete this class.
 */
public final class RunningServer implements AutoCloseable {
    private final TestServer server;

    private RunningServer(TestServer server) {
        this.server = server;
    }

    public static RunningServer start(Application app) {
        return new RunningServer(TestServer.start(app));
    }

    public static RunningServer start(Application app, HttpServerOptions options) {
        return new RunningServer(TestServer.start(app, options));
    }

    public int port() {
        return server.port();
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    @Override
    public void close() {
        server.close();
    }
}
