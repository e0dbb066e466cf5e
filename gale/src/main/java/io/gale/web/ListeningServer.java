package io.gale.web;

import java.net.InetSocketAddress;

/**
 * A server started by {@link Application#listen(int)}: where it listens, and how to stop it.
 * Thread-safe.
 */
public interface ListeningServer extends AutoCloseable {
    /** The bound address (with the real port when 0 was asked for). */
    InetSocketAddress localAddress();

    /** Stops accepting connections; connections in progress are left to finish. */
    @Override
    void close();
}
