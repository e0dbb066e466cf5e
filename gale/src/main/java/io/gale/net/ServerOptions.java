package io.gale.net;

import io.gale.iostream.IOStreamOptions;
import io.gale.iostream.TlsOptions;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Settings of a {@link TcpServer}. Immutable; start from {@link #defaults()}:
 *
 * <pre>{@code
 * ServerOptions opts = ServerOptions.builder().maxConnections(10_000).tls(sslContext).build();
 * }</pre>
 *
 * @param backlog listen queue length per socket; default {@link NetUtil#DEFAULT_BACKLOG} (1024,
 *     capped by the kernel's {@code somaxconn}); Tornado uses 128
 * @param reusePort set {@code SO_REUSEPORT} on listening sockets, so several servers (or
 *     processes) can share a port; default false. {@code SO_REUSEADDR} is always on.
 * @param maxConnections at most this many live connections; while the server is at the limit
 *     it stops accepting (new connections wait in the kernel's backlog, and are refused by the
 *     kernel once that is full) and resumes when one closes. 0 (the default) for no limit. An
 *     {@code HttpServer} closes its longest idle keep-alive connection for each client waiting at
 *     the limit, and sheds idle connections near 90 % of the process's descriptor limit too
 *     ({@link TcpServer}, "Low resources")
 * @param streamOptions options of each connection's stream (buffer limits)
 * @param noDelay set {@code TCP_NODELAY} on accepted connections, so small responses go out at
 *     once instead of waiting for Nagle's algorithm; default true (as Netty; Tornado leaves it
 *     to the HTTP layer)
 * @param sslContext non-null to serve TLS: each connection is an
 *     {@link io.gale.iostream.SslIOStream} in server mode
 * @param tls server-side TLS options (client auth, ALPN, handshake timeout); default
 *     {@link TlsOptions#server()}
 * @param acceptRetryMin first delay before accepting again after {@code accept} failed (e.g.
 *     "Too many open files"); doubles per failure. Default 10 ms.
 * @param acceptRetryMax the longest such delay; default 1 s
 */
public record ServerOptions(
        int backlog,
        boolean reusePort,
        int maxConnections,
        IOStreamOptions streamOptions,
        boolean noDelay,
        SSLContext sslContext,
        TlsOptions tls,
        Duration acceptRetryMin,
        Duration acceptRetryMax) {

    private static final ServerOptions DEFAULTS = new ServerOptions(NetUtil.DEFAULT_BACKLOG, false, 0,
            IOStreamOptions.defaults(), true, null, TlsOptions.server(), Duration.ofMillis(10), Duration.ofSeconds(1));

    /**
     * Creates a {@code ServerOptions}; its components are described in the class comment.
     */
    public ServerOptions {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be positive: " + backlog);
        }
        if (maxConnections < 0) {
            throw new IllegalArgumentException("maxConnections must not be negative (0 = unlimited): " + maxConnections);
        }
        Objects.requireNonNull(streamOptions, "streamOptions");
        Objects.requireNonNull(tls, "tls");
        if (tls.clientMode()) {
            throw new IllegalArgumentException("a server needs server-side TlsOptions (TlsOptions.server())");
        }
        if (acceptRetryMin.isNegative() || acceptRetryMin.isZero() || acceptRetryMax.compareTo(acceptRetryMin) < 0) {
            throw new IllegalArgumentException("need 0 < acceptRetryMin <= acceptRetryMax");
        }
    }

    /**
     * The defaults.
     *
     * @return the defaults
     */
    public static ServerOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from the defaults ({@link #defaults()}).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder(defaults());
    }

    /**
     * A builder starting from these options, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builder of {@link ServerOptions}: starts from the defaults ({@link #builder()}) or from existing
     * options ({@link #toBuilder()}); {@link #build()} validates. Not thread-safe.
     */
    public static final class Builder {
        private int backlog;
        private boolean reusePort;
        private int maxConnections;
        private IOStreamOptions streamOptions;
        private boolean noDelay;
        private SSLContext sslContext;
        private TlsOptions tls;
        private Duration acceptRetryMin;
        private Duration acceptRetryMax;

        private Builder(ServerOptions from) {
            backlog = from.backlog;
            reusePort = from.reusePort;
            maxConnections = from.maxConnections;
            streamOptions = from.streamOptions;
            noDelay = from.noDelay;
            sslContext = from.sslContext;
            tls = from.tls;
            acceptRetryMin = from.acceptRetryMin;
            acceptRetryMax = from.acceptRetryMax;
        }

        /**
         * Sets {@link ServerOptions#backlog()}.
         *
         * @param backlog the value (defaults and limits: the table on {@link ServerOptions})
         * @return this builder
         */
        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        /**
         * Sets {@link ServerOptions#reusePort()}.
         *
         * @param reusePort the value (defaults and limits: the table on {@link ServerOptions})
         * @return this builder
         */
        public Builder reusePort(boolean reusePort) {
            this.reusePort = reusePort;
            return this;
        }

        /**
         * Sets {@link ServerOptions#maxConnections()}.
         *
         * @param max the value (defaults and limits: the table on {@link ServerOptions})
         * @return this builder
         */
        public Builder maxConnections(int max) {
            this.maxConnections = max;
            return this;
        }

        /**
         * Sets {@link ServerOptions#streamOptions()}.
         *
         * @param options the value (defaults and limits: the table on {@link ServerOptions})
         * @return this builder
         */
        public Builder streamOptions(IOStreamOptions options) {
            this.streamOptions = options;
            return this;
        }

        /**
         * Sets {@link ServerOptions#noDelay()}.
         *
         * @param noDelay the value (defaults and limits: the table on {@link ServerOptions})
         * @return this builder
         */
        public Builder noDelay(boolean noDelay) {
            this.noDelay = noDelay;
            return this;
        }

        /**
         * Shorthand for {@code streamOptions(streamOptions.toBuilder().maxBufferSize(bytes).build())}.
         *
         * @param bytes the max buffer size
         * @return this builder
         */
        public Builder maxBufferSize(long bytes) {
            return streamOptions(streamOptions.toBuilder().maxBufferSize(bytes).build());
        }

        /**
         * Serves TLS with {@code context} and the default server {@link TlsOptions}.
         *
         * @param context server-side TLS options (client auth, ALPN, handshake timeout); default {@link TlsOptions#server()}
         * @return this builder
         */
        public Builder tls(SSLContext context) {
            return tls(context, tls);
        }

        /**
         * Serves TLS with {@code context} and {@code tls}; a null context turns TLS off.
         *
         * @param context the context
         * @param tls server-side TLS options (client auth, ALPN, handshake timeout); default {@link TlsOptions#server()}
         * @return this builder
         */
        public Builder tls(SSLContext context, TlsOptions tls) {
            this.sslContext = context;
            this.tls = tls;
            return this;
        }

        /**
         * Sets {@link ServerOptions#acceptRetryMin()} and {@link ServerOptions#acceptRetryMax()} together.
         *
         * @param min the value (defaults and limits: the table on {@link ServerOptions})
         * @param max the maximum
         * @return this builder
         */
        public Builder acceptRetry(Duration min, Duration max) {
            this.acceptRetryMin = min;
            this.acceptRetryMax = max;
            return this;
        }

        /**
         * Builds the options, validated as the record's constructor says.
         *
         * @return the options
         */
        public ServerOptions build() {
            return new ServerOptions(backlog, reusePort, maxConnections, streamOptions, noDelay, sslContext, tls, acceptRetryMin, acceptRetryMax);
        }
    }
}
