package io.gale.httpclient;

import io.gale.net.Resolver;
import java.time.Duration;

/**
 * Settings of one {@link AsyncHttpClient} (Tornado's {@code SimpleAsyncHTTPClient.initialize}
 * arguments plus the connection pool and HTTP/2). Immutable; start from {@link #defaults()} or
 * {@link #builder()}:
 *
 * <pre>{@code
 * ClientOptions opts = ClientOptions.builder().maxClients(64).idleTimeout(Duration.ofSeconds(10)).build();
 * ClientOptions h1 = ClientOptions.builder().http2(false).build();
 * }</pre>
 *
 * @param maxClients connections open at once (busy, idle or connecting) over all hosts; requests
 *     beyond that wait in a queue. Default 10, as Tornado. An HTTP/2 connection counts once
 *     however many requests share it.
 * @param maxClientsPerHost connections open at once to one (scheme, host, port, proxy, TLS
 *     settings). Default 10.
 * @param idleTimeout an idle pooled connection (an HTTP/2 one: without streams) is closed after
 *     this long. Default 30 s.
 * @param maxHeaderSize bytes of a response head's field lines; over HTTP/2 the decoded header list
 *     as SETTINGS_MAX_HEADER_LIST_SIZE counts it, advertised to the server. Default 64 KiB.
 * @param maxBodySize bytes of a response body after decompression, unless the request sets its
 *     own. Default 100 MiB, as Tornado.
 * @param userAgent {@code User-Agent} sent when the request sets none.
 * @param resolver name resolution; null for the system resolver on a thread pool
 * @param readBufferSize bytes read from an HTTP/1.1 connection at a time. Default 32 KiB.
 * @param http2 offer {@code h2} before {@code http/1.1} by ALPN on TLS connections, and speak
 *     HTTP/2 when the server chooses it: one connection per origin, requests multiplexed on it.
 *     Default true; false keeps every connection HTTP/1.1. (Plain-text HTTP/2, h2c, is asked for
 *     per request: {@link HttpRequest.Builder#http2PriorKnowledge}.)
 */
public record ClientOptions(int maxClients, int maxClientsPerHost, Duration idleTimeout, int maxHeaderSize,
                            long maxBodySize, String userAgent, Resolver resolver, int readBufferSize,
                            boolean http2) {

    /** {@code User-Agent} sent by default. */
    public static final String DEFAULT_USER_AGENT = "Gale/0.1";

    private static final ClientOptions DEFAULTS = builder().build();

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
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from these options.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxClients = maxClients;
        b.maxClientsPerHost = maxClientsPerHost;
        b.idleTimeout = idleTimeout;
        b.maxHeaderSize = maxHeaderSize;
        b.maxBodySize = maxBodySize;
        b.userAgent = userAgent;
        b.resolver = resolver;
        b.readBufferSize = readBufferSize;
        b.http2 = http2;
        return b;
    }

    /** Builder of {@link ClientOptions}, starting from the defaults; not thread-safe. */
    public static final class Builder {
        private int maxClients = 10;
        private int maxClientsPerHost = 10;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private int maxHeaderSize = 64 * 1024;
        private long maxBodySize = 100L * 1024 * 1024;
        private String userAgent = DEFAULT_USER_AGENT;
        private Resolver resolver;
        private int readBufferSize = 32 * 1024;
        private boolean http2 = true;

        private Builder() {
        }

        /**
         * See {@link ClientOptions#maxClients()}.
         *
         * @param n connections open at once (busy, idle or connecting) over all hosts; requests beyond that wait in a queue. Default 10, as Tornado. An HTTP/2 connection counts once however many requests share it.
         *     A per-host limit still equal to the previous total follows it; a lower one is kept (capped at {@code n}).
         * @return this builder
         */
        public Builder maxClients(int n) {
            // a per-host limit still equal to the old total follows it; a lower one is kept (capped at n)
            maxClientsPerHost = maxClientsPerHost == maxClients ? n : Math.min(maxClientsPerHost, n);
            maxClients = n;
            return this;
        }

        /**
         * See {@link ClientOptions#maxClientsPerHost()}.
         *
         * @param n connections open at once to one (scheme, host, port, proxy, TLS settings). Default 10.
         * @return this builder
         */
        public Builder maxClientsPerHost(int n) {
            maxClientsPerHost = n;
            return this;
        }

        /**
         * See {@link ClientOptions#idleTimeout()}.
         *
         * @param d an idle pooled connection (an HTTP/2 one: without streams) is closed after this long. Default 30 s.
         * @return this builder
         */
        public Builder idleTimeout(Duration d) {
            idleTimeout = d;
            return this;
        }

        /**
         * See {@link ClientOptions#maxHeaderSize()}.
         *
         * @param bytes bytes of a response head's field lines; over HTTP/2 the decoded header list as SETTINGS_MAX_HEADER_LIST_SIZE counts it, advertised to the server. Default 64 KiB.
         * @return this builder
         */
        public Builder maxHeaderSize(int bytes) {
            maxHeaderSize = bytes;
            return this;
        }

        /**
         * See {@link ClientOptions#maxBodySize()}.
         *
         * @param bytes bytes of a response body after decompression, unless the request sets its own. Default 100 MiB, as Tornado.
         * @return this builder
         */
        public Builder maxBodySize(long bytes) {
            maxBodySize = bytes;
            return this;
        }

        /**
         * See {@link ClientOptions#userAgent()}.
         *
         * @param ua {@code User-Agent} sent when the request sets none.
         * @return this builder
         */
        public Builder userAgent(String ua) {
            userAgent = ua;
            return this;
        }

        /**
         * See {@link ClientOptions#resolver()}.
         *
         * @param r name resolution; null for the system resolver on a thread pool
         * @return this builder
         */
        public Builder resolver(Resolver r) {
            resolver = r;
            return this;
        }

        /**
         * See {@link ClientOptions#readBufferSize()}.
         *
         * @param bytes bytes read from an HTTP/1.1 connection at a time. Default 32 KiB.
         * @return this builder
         */
        public Builder readBufferSize(int bytes) {
            readBufferSize = bytes;
            return this;
        }

        /**
         * See {@link ClientOptions#http2()}.
         *
         * @param enabled offer {@code h2} before {@code http/1.1} by ALPN on TLS connections, and speak HTTP/2 when the server chooses it: one connection per origin, requests multiplexed on it. Default true; false keeps every connection HTTP/1.1. (Plain-text HTTP/2, h2c, is asked for per request: {@link HttpRequest.Builder#http2PriorKnowledge}.)
         * @return this builder
         */
        public Builder http2(boolean enabled) {
            http2 = enabled;
            return this;
        }

        /**
         * Builds the options (validated).
         *
         * @return the client options
         */
        public ClientOptions build() {
            return new ClientOptions(maxClients, maxClientsPerHost, idleTimeout, maxHeaderSize, maxBodySize, userAgent,
                    resolver, readBufferSize, http2);
        }
    }
}
