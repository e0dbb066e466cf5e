package io.gale.ioloop;

/**
 * Receives readiness events for a channel registered with {@link IOLoop#register}. Called on the
 * loop thread only.
 */
@FunctionalInterface
public interface IOHandler {
    /**
     * Handle events.
     *
     * @param readyOps the {@link java.nio.channels.SelectionKey} operations that are ready
     *     ({@code OP_READ}, {@code OP_WRITE}, {@code OP_ACCEPT}, {@code OP_CONNECT})
     */
    void handleEvents(int readyOps);
}
