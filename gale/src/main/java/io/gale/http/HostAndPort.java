package io.gale.http;

/**
 * A host and an optional port, as split from a {@code Host} header or URL authority by
 * {@link HttpUtil#splitHostAndPort(String)}.
 *
 * @param host the host as written (an IPv6 literal keeps its brackets: {@code [::1]})
 * @param port the port, or {@code -1} when none was given
 */
public record HostAndPort(String host, int port) {
    /**
     * Returns whether a port was given.
     *
     * @return whether a port was given
     */
    public boolean hasPort() {
        return port >= 0;
    }
}
