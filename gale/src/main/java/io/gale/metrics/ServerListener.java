package io.gale.metrics;

import io.gale.http.HttpServerListener;
import io.gale.ioloop.IOLoop;

/**
 * Feeds a {@link GaleMetrics} from an HTTP server: HTTP/1.x connections open and opened, and the
 * lag probe of each loop that serves a connection. Two adder increments and one map read per
 * connection; nothing per request.
 */
final class ServerListener implements HttpServerListener {
    private final GaleMetrics metrics;

    ServerListener(GaleMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void connectionOpened(IOLoop loop) {
        metrics.connectionOpened(ConnectionKind.HTTP1);
        metrics.monitorLoop(loop);
    }

    @Override
    public void connectionClosed(IOLoop loop) {
        metrics.connectionClosed(ConnectionKind.HTTP1);
    }
}
