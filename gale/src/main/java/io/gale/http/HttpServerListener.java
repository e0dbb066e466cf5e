package io.gale.http;

import io.gale.ioloop.IOLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What an {@link HttpServer} tells about itself beyond requests: connections opening and closing
 * (for metrics) and the start of a graceful shutdown (for readiness and for draining
 * long-lived work the server does not see: WebSockets, which left HTTP at their upgrade, and
 * long polls). The server gets its listener from its delegate
 * ({@link HttpServerConnectionDelegate#serverListener}); the web framework's {@code Application}
 * supplies one that feeds its metrics and runs its drain.
 *
 * <p>Threading: {@link #connectionOpened} and {@link #connectionClosed} run on the connection's
 * loop, for every connection, and must be cheap; {@link #shutdownStarted} runs on the thread that
 * called {@link HttpServer#shutdown}. A listener that throws from {@code shutdownStarted} is
 * logged and the shutdown goes on as if it had returned a completed stage.
 */
public interface HttpServerListener {
    /** A listener that does nothing. */
    HttpServerListener NONE = new HttpServerListener() {
    };

    /**
     * An HTTP/1.x connection was accepted and is being served on {@code loop}.
     *
     * @param loop the loop
     */
    default void connectionOpened(IOLoop loop) {
    }

    /**
     * An HTTP/1.x connection closed, or left HTTP (a WebSocket upgrade detached its stream).
     *
     * @param loop the loop
     */
    default void connectionClosed(IOLoop loop) {
    }

    /**
     * {@link HttpServer#shutdown(Duration)} began; called first, before the server stops
     * accepting. Start draining what the server cannot see, and return a stage that completes
     * when it is done: the server's shutdown completes when this stage and its own connections
     * are done, or at {@code deadline}, when everything still open is closed.
     *
     * @param deadline the deadline
     * @return a future that completes when it is done, or fails with the error
     */
    default CompletionStage<Void> shutdownStarted(Duration deadline) {
        return CompletableFuture.completedFuture(null);
    }
}
