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
 * ServerOptions opts = ServerOptions.defaults().withMaxConnections(10_000).withTls(sslContext);
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
     * A copy with {@code backlog} replaced.
     *
     * @param backlog listen queue length per socket; default {@link NetUtil#DEFAULT_BACKLOG} (1024, capped by the kernel's {@code somaxconn}); Tornado uses 128
     * @return a copy with this value replaced
     */
    public ServerOptions withBacklog(int backlog) {
        return new ServerOptions(backlog, reusePort, maxConnections, streamOptions, noDelay, sslContext, tls, acceptRetryMin, acceptRetryMax);
    }

    /**
     * A copy with {@code reusePort} replaced.
     *
     * @param reusePort set {@code SO_REUSEPORT} on listening sockets, so several servers (or processes) can share a port; default false. {@code SO_REUSEADDR} is always on.
     * @return a copy with this value replaced
     */
    public ServerOptions withReusePort(boolean reusePort) {
        return new ServerOptions(backlog, reusePort, maxConnections, streamOptions, noDelay, sslContext, tls, acceptRetryMin, acceptRetryMax);
    }

    /**
     * A copy with {@code maxConnections} replaced.
     *
     * @param max at most this many live connections; while the server is at the limit it stops accepting (new connections wait in the kernel's backlog, and are refused by the kernel once that is full) and resumes when one closes. 0 (the default) for no limit.
     * @return a copy with this value replaced
     */
    public ServerOptions withMaxConnections(int max) {
        return new ServerOptions(backlog, reusePort, max, streamOptions, noDelay, sslContext, tls, acceptRetryMin, acceptRetryMax);
    }

    /**
     * A copy with {@code streamOptions} replaced.
     *
     * @param options options of each connection's stream (buffer limits)
     * @return a copy with this value replaced
     */
    public ServerOptions withStreamOptions(IOStreamOptions options) {
        return new ServerOptions(backlog, reusePort, maxConnections, options, noDelay, sslContext, tls, acceptRetryMin, acceptRetryMax);
    }

    /**
     * A copy with {@code noDelay} replaced.
     *
     * @param noDelay set {@code TCP_NODELAY} on accepted connections, so small responses go out at once instead of waiting for Nagle's algorithm; default true (as Netty; Tornado leaves it to the HTTP layer)
     * @return a copy with this value replaced
     */
    public ServerOptions withNoDelay(boolean noDelay) {
        return new ServerOptions(backlog, reusePort, maxConnections, streamOptions, noDelay, sslContext, tls, acceptRetryMin, acceptRetryMax);
    }

    /**
     * Shorthand for {@code withStreamOptions(streamOptions().withMaxBufferSize(bytes))}.
     *
     * @param bytes the max buffer size
     * @return a copy with this value replaced
     */
    public ServerOptions withMaxBufferSize(long bytes) {
        return withStreamOptions(streamOptions.withMaxBufferSize(bytes));
    }

    /**
     * Serves TLS with {@code context} and the default server {@link TlsOptions}.
     *
     * @param context server-side TLS options (client auth, ALPN, handshake timeout); default {@link TlsOptions#server()}
     * @return a copy with this value replaced
     */
    public ServerOptions withTls(SSLContext context) {
        return withTls(context, tls);
    }

    /**
     * Serves TLS with {@code context} and {@code tls}; a null context turns TLS off.
     *
     * @param context the context
     * @param tls server-side TLS options (client auth, ALPN, handshake timeout); default {@link TlsOptions#server()}
     * @return a copy with this value replaced
     */
    public ServerOptions withTls(SSLContext context, TlsOptions tls) {
        return new ServerOptions(backlog, reusePort, maxConnections, streamOptions, noDelay, context, tls, acceptRetryMin, acceptRetryMax);
    }

    /**
     * A copy with {@code acceptRetry} replaced.
     *
     * @param min the minimum
     * @param max the maximum
     * @return a copy with this value replaced
     */
    public ServerOptions withAcceptRetry(Duration min, Duration max) {
        return new ServerOptions(backlog, reusePort, maxConnections, streamOptions, noDelay, sslContext, tls, min, max);
    }
}
