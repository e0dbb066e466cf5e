package io.gale.httpclient;

import io.gale.http.HttpVersion;

/**
 * A connection the pool hands out: HTTP/1.1 ({@link Connection}, one exchange at a time, idle
 * ones reused) or HTTP/2 ({@link Http2ClientConnection}, shared by concurrent exchanges up to the
 * server's stream limit). Threading: the client's loop.
 */
interface ClientConnection {
    Address address();

    /** The protocol the connection speaks. */
    HttpVersion version();

    boolean isClosed();

    /** Closes the connection (idempotent); exchanges on it fail. */
    void close(Throwable reason);

    /** Runs once the connection closed (at once if it already is); the pool's bookkeeping. */
    void setCloseHook(Runnable hook);

    /** Starts reading, once the pool took the connection. */
    void start();
}
