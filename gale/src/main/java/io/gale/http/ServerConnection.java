package io.gale.http;

import io.gale.ioloop.IOLoop;

/**
 * What {@link HttpServer} needs of a connection, whatever its protocol ({@link Http1ServerConnection},
 * {@link Http2ServerConnection}): its loop, a graceful stop and a hard one. Both are called on the
 * connection's loop.
 */
interface ServerConnection {
    /** The loop the connection lives on. */
    IOLoop loop();

    /** Graceful stop: no new requests; the connection closes when the ones in flight are done. */
    void drain();

    /** Closes at once. */
    void forceClose();
}
