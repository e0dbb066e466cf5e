package io.gale.net;

/**
 * What a {@link TcpServer} asks of the protocol layer above it when resources run low (see
 * {@link TcpServer}'s "Low resources" section): close some of the connections that are idle
 * between requests, the ones idle longest first, so a waiting client can be served. Only that
 * layer knows which connections are idle: the TCP layer sees bytes, not requests.
 *
 * <p>Threading: called on the server's accept loop; an implementation hands each close to the
 * connection's own loop and returns at once. Closing fewer than asked (nothing is idle) is fine:
 * the server then waits for a connection to end as it would without this.
 */
@FunctionalInterface
public interface IdleConnectionCloser {
    /**
     * Closes up to {@code count} idle connections, those idle longest first.
     *
     * @param count how many, at least 1
     */
    void closeOldestIdle(int count);
}
