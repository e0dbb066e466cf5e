package io.gale.web;

import io.gale.http.HttpServerListener;
import io.gale.ioloop.IOLoop;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * What an {@link Application} tells each of its servers to report to: connections to the
 * metrics' listener (when the {@code metrics} setting is on), the start of a shutdown to the
 * application's {@link GracefulDrain}. Several servers may share one application: the drain
 * begins with the first server's shutdown, and each server waits for it.
 */
final class ApplicationServerListener implements HttpServerListener {
    private final HttpServerListener metrics;
    private final GracefulDrain drain;

    ApplicationServerListener(HttpServerListener metrics, GracefulDrain drain) {
        this.metrics = metrics;
        this.drain = drain;
    }

    @Override
    public void connectionOpened(IOLoop loop) {
        metrics.connectionOpened(loop);
    }

    @Override
    public void connectionClosed(IOLoop loop) {
        metrics.connectionClosed(loop);
    }

    @Override
    public CompletionStage<Void> shutdownStarted(Duration deadline) {
        return drain.drain(deadline);
    }
}
