package io.gale.websocket;

import io.gale.http.HttpServer;
import io.gale.http.HttpServerConnectionDelegate;
import io.gale.ioloop.IOLoop;

/** An application served by Gale's real {@link HttpServer} on one loop of its own, on 127.0.0.1. */
final class AppServer implements AutoCloseable {
    final IOLoop loop = new IOLoop();
    final HttpServer server;
    final int port;

    AppServer(HttpServerConnectionDelegate app) throws Exception {
        loop.startInBackground();
        server = new HttpServer(app).bind(0, "127.0.0.1").start(loop);
        port = server.boundPorts().get(0);
    }

    @Override
    public void close() {
        server.close();
        loop.close();
    }
}
