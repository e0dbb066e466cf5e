package io.gale.web;

/**
 * A registration of work that a graceful shutdown must end before it completes: a WebSocket, a
 * long poll (see {@link RequestHandler#onDrain}). Cancel it when the work ends by itself; the
 * shutdown waits for every hook still registered when it began (up to its deadline).
 *
 * <p>Threading: {@link #cancel()} from any thread, idempotent.
 */
public interface DrainHook {
    /** The work ended: the drain no longer waits for it, and its callback will not run. */
    void cancel();
}
