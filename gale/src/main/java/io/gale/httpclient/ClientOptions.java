package io.gale.httpclient;

import io.gale.net.Resolver;
import java.time.Duration;

/**
 * Settings of one {@link AsyncHttpClient} (Tornado's {@code SimpleAsyncHTTPClient.initialize}
 * arguments plus the connection pool). Immutable; start from {@link #defaults()}:
 *
 * <pre>{@code
 * ClientOptions opts = ClientOptions.defaults().withMaxClients(64).withIdleTimeout(Duration.ofSeconds(10));
 * }</pre>
 *
 * @param maxClients connections open at once (busy, idle or connecting) over all hosts; requests
 *     beyond that wait in a queue. Default 10, as Tornado.
 * @param maxClientsPerHost connections open at once to one (scheme, host, port, proxy, TLS
 *     settings). Default 10.
 * @param idleTimeout an idle pooled connection is closed after this long. Default 30 s.
 * @param maxHeaderSize bytes of a response head's field lines. Default 64 KiB.
 * @param maxBodySize bytes of a response body after decompression, unless the request sets its
 *     own. Default 100 MiB, as Tornado.
 * @param userAgent {@code User-Agent} sent when the request sets none.
 * @param resolver name resolution; null for the system resolver on a thread pool
 * @param readBufferSize bytes read from a connection at a time. Default 32 KiB.
 */
public record ClientOptions(int maxClients, int maxClientsPerHost, Duration idleTimeout, int maxHeaderSize,
                            long maxBodySize, String userAgent, Resolver resolver, int readBufferSize) {

    /** {@code User-Agent} sent by default. */
    public static final String DEFAULT_USER_AGENT = "Gale/0.1";

    private static final ClientOptions DEFAULTS = new ClientOptions(10, 10, Duration.ofSeconds(30), 64 * 1024,
            100L * 1024 * 1024, DEFAULT_USER_AGENT, null, 32 * 1024);

    /** Validates the options. */
    public ClientOptions {
        if (maxClients < 1 || maxClientsPerHost < 1) {
            throw new IllegalArgumentException("maxClients and maxClientsPerHost must be positive");
        }
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
        }
        if (maxHeaderSize < 64 || maxBodySize < 0 || readBufferSize < 512) {
            throw new IllegalArgumentException("maxHeaderSize >= 64, maxBodySize >= 0, readBufferSize >= 512");
        }
    }

    /**
     * The defaults listed on the record components.
     *
     * @return the defaults listed on the record components
     */
    public static ClientOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Sets {@code maxClients}; {@code maxClientsPerHost} follows it while the two were equal.
     *
     * @param n connections open at once (busy, idle or connecting) over all hosts; requests beyond that wait in a queue. Default 10, as Tornado.
     * @return a copy with this value replaced
     */
    public ClientOptions withMaxClients(int n) {
        return new ClientOptions(n, maxClientsPerHost == maxClients ? n : Math.min(maxClientsPerHost, n), idleTimeout, maxHeaderSize, maxBodySize, userAgent, resolver, readBufferSize);
    }

    /**
     * A copy with {@code maxClientsPerHost} replaced.
     *
     * @param n connections open at once to one (scheme, host, port, proxy, TLS settings). Default 10.
     * @return a copy with this value replaced
     */
    public ClientOptions withMaxClientsPerHost(int n) {
        return new ClientOptions(maxClients, n, idleTimeout, maxHeaderSize, maxBodySize, userAgent, resolver,
                readBufferSize);
    }

    /**
     * A copy with {@code idleTimeout} replaced.
     *
     * @param d an idle pooled connection is closed after this long. Default 30 s.
     * @return a copy with this value replaced
     */
    public ClientOptions withIdleTimeout(Duration d) {
        return new ClientOptions(maxClients, maxClientsPerHost, d, maxHeaderSize, maxBodySize, userAgent, resolver,
                readBufferSize);
    }

    /**
     * A copy with {@code maxHeaderSize} replaced.
     *
     * @param bytes bytes of a response head's field lines. Default 64 KiB.
     * @return a copy with this value replaced
     */
    public ClientOptions withMaxHeaderSize(int bytes) {
        return new ClientOptions(maxClients, maxClientsPerHost, idleTimeout, bytes, maxBodySize, userAgent, resolver,
                readBufferSize);
    }

    /**
     * A copy with {@code maxBodySize} replaced.
     *
     * @param bytes bytes of a response body after decompression, unless the request sets its own. Default 100 MiB, as Tornado.
     * @return a copy with this value replaced
     */
    public ClientOptions withMaxBodySize(long bytes) {
        return new ClientOptions(maxClients, maxClientsPerHost, idleTimeout, maxHeaderSize, bytes, userAgent, resolver,
                readBufferSize);
    }

    /**
     * A copy with {@code userAgent} replaced.
     *
     * @param ua {@code User-Agent} sent when the request sets none.
     * @return a copy with this value replaced
     */
    public ClientOptions withUserAgent(String ua) {
        return new ClientOptions(maxClients, maxClientsPerHost, idleTimeout, maxHeaderSize, maxBodySize, ua, resolver,
                readBufferSize);
    }

    /**
     * A copy with {@code resolver} replaced.
     *
     * @param r name resolution; null for the system resolver on a thread pool
     * @return a copy with this value replaced
     */
    public ClientOptions withResolver(Resolver r) {
        return new ClientOptions(maxClients, maxClientsPerHost, idleTimeout, maxHeaderSize, maxBodySize, userAgent, r,
                readBufferSize);
    }

    /**
     * A copy with {@code readBufferSize} replaced.
     *
     * @param bytes bytes read from a connection at a time. Default 32 KiB.
     * @return a copy with this value replaced
     */
    public ClientOptions withReadBufferSize(int bytes) {
        return new ClientOptions(maxClients, maxClientsPerHost, idleTimeout, maxHeaderSize, maxBodySize, userAgent,
                resolver, bytes);
    }
}
