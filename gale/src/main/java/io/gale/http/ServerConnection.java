package io.gale.http;

import io.gale.ioloop.IOLoop;

/**
 * What {@link HttpServer} needs of a connection, whatever its protocol ({@link Http1ServerConnection},
 * {@link Http2ServerConnection}): its loop, a graceful stop and a hard one (both called on the
 * connection's loop), and whether it is idle, for shedding idle connections under low resources.
 */
interface ServerConnection {
    /** The loop the connection lives on. */
    IOLoop loop();

    /** Graceful stop: no new requests; the connection closes when the ones in flight are done. */
    void drain();

    /** Closes at once. */
    void forceClose();

    /**
     * When this connection last became idle between requests ({@link IOLoop#time()}), 0 while a
     * request is in progress, before the first request, and once closed. Read from any thread
     * ({@link IdleConnections}).
     */
    long idleSince();

    /**
     * Closes the connection if it is still idle between requests (an HTTP/2 connection sends
     * GOAWAY first); never one in the middle of a request. Loop thread.
     *
     * @return whether it closed
     */
    boolean closeIfIdle();
}
