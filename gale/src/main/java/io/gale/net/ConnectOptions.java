package io.gale.net;

import io.gale.ioloop.IOLoop;
import io.gale.iostream.IOStreamOptions;
import io.gale.iostream.TlsOptions;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Settings of one {@link TcpClient#connect}. Immutable; start from {@link #defaults()}:
 *
 * <pre>{@code
 * ConnectOptions opts = ConnectOptions.defaults()
 *         .withTimeout(Duration.ofSeconds(5))
 *         .withTls(SSLContext.getDefault());
 * }</pre>
 *
 * @param loop the loop the stream lives on and the future completes on; null for the calling
 *     thread's loop ({@link IOLoop#current()})
 * @param timeout limit for the whole connect: resolving, connecting, TLS handshake; fails with
 *     {@link java.util.concurrent.TimeoutException}. Default 30 s; null for none (Tornado's
 *     default, which leaves a dead host to the kernel's ~2 minute SYN retries).
 * @param sourceAddress local address to connect from; null for any
 * @param sourcePort local port to connect from; 0 for any
 * @param sslContext non-null to connect with TLS
 * @param serverName TLS: name sent as SNI and checked against the certificate; null for the
 *     host passed to {@code connect}
 * @param verifyHostname TLS: check the certificate's host name; default true
 * @param tls TLS: full client options; when non-null, {@code serverName} and
 *     {@code verifyHostname} are ignored
 * @param streamOptions options of the stream (buffer limits)
 * @param resolver resolves the host; null for the client's resolver
 * @param family only addresses of this family ({@link java.net.StandardProtocolFamily#INET} or
 *     {@code INET6}); null for both
 * @param secondaryDelay Happy Eyeballs: how long the first address family gets before the other
 *     family is tried in parallel; default 300 ms (Tornado's)
 */
public record ConnectOptions(
        IOLoop loop,
        Duration timeout,
        InetAddress sourceAddress,
        int sourcePort,
        SSLContext sslContext,
        String serverName,
        boolean verifyHostname,
        TlsOptions tls,
        IOStreamOptions streamOptions,
        Resolver resolver,
        ProtocolFamily family,
        Duration secondaryDelay) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SECONDARY_DELAY = Duration.ofMillis(300);

    private static final ConnectOptions DEFAULTS = new ConnectOptions(null, DEFAULT_TIMEOUT, null, 0, null, null, true,
            null, IOStreamOptions.defaults(), null, null, DEFAULT_SECONDARY_DELAY);

    /**
     * Creates a {@code ConnectOptions}; its components are described in the class comment.
     */
    public ConnectOptions {
        DefaultResolver.checkPort(sourcePort);
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive (or null for none): " + timeout);
        }
        if (streamOptions == null) {
            throw new NullPointerException("streamOptions");
        }
        if (secondaryDelay == null || secondaryDelay.isNegative()) {
            throw new IllegalArgumentException("secondaryDelay must be zero or positive: " + secondaryDelay);
        }
        if (tls != null && !tls.clientMode()) {
            throw new IllegalArgumentException("connect needs client-side TlsOptions (TlsOptions.client(...))");
        }
    }

    /**
     * The defaults.
     *
     * @return the defaults
     */
    public static ConnectOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A copy with {@code loop} replaced.
     *
     * @param loop the loop the stream lives on and the future completes on; null for the calling thread's loop ({@link IOLoop#current()})
     * @return a copy with this value replaced
     */
    public ConnectOptions withLoop(IOLoop loop) {
        return new ConnectOptions(loop, timeout, sourceAddress, sourcePort, sslContext, serverName, verifyHostname, tls,
                streamOptions, resolver, family, secondaryDelay);
    }

    /**
     * A copy with {@code timeout} replaced.
     *
     * @param timeout limit for the whole connect: resolving, connecting, TLS handshake; fails with {@link java.util.concurrent.TimeoutException}. Default 30 s; null for none (Tornado's default, which leaves a dead host to the kernel's ~2 minute SYN retries).
     * @return a copy with this value replaced
     */
    public ConnectOptions withTimeout(Duration timeout) {
        return new ConnectOptions(loop, timeout, sourceAddress, sourcePort, sslContext, serverName, verifyHostname, tls,
                streamOptions, resolver, family, secondaryDelay);
    }

    /**
     * A copy with {@code source} replaced.
     *
     * @param address the address
     * @param port the port
     * @return a copy with this value replaced
     */
    public ConnectOptions withSource(InetAddress address, int port) {
        return new ConnectOptions(loop, timeout, address, port, sslContext, serverName, verifyHostname, tls,
                streamOptions, resolver, family, secondaryDelay);
    }

    /**
     * Connects with TLS, verifying the server's certificate for the connected host name.
     *
     * @param context TLS: full client options; when non-null, {@code serverName} and {@code verifyHostname} are ignored
     * @return a copy with this value replaced
     */
    public ConnectOptions withTls(SSLContext context) {
        return new ConnectOptions(loop, timeout, sourceAddress, sourcePort, context, serverName, verifyHostname, tls,
                streamOptions, resolver, family, secondaryDelay);
    }

    /**
     * Connects with TLS using exactly {@code tls} (SNI, ALPN, verification, handshake timeout).
     *
     * @param context the context
     * @param tls TLS: full client options; when non-null, {@code serverName} and {@code verifyHostname} are ignored
     * @return a copy with this value replaced
     */
    public ConnectOptions withTls(SSLContext context, TlsOptions tls) {
        return new ConnectOptions(loop, timeout, sourceAddress, sourcePort, context, serverName, verifyHostname, tls,
                streamOptions, resolver, family, secondaryDelay);
    }

    /**
     * A copy with {@code serverName} replaced.
     *
     * @param serverName TLS: name sent as SNI and checked against the certificate; null for the host passed to {@code connect}
     * @return a copy with this value replaced
     */
    public ConnectOptions withServerName(String serverName) {
        return new ConnectOptions(loop, timeout, sourceAddress, sourcePort, sslContext, serverName, verifyHostname, tls,
                streamOptions, resolver, family, secondaryDelay);
    }

    /**
     * A copy with {@code verifyHostname} replaced.
     *
     * @param verify TLS: check the certificate's host name; default true
     * @return a copy with this value replaced
     */
    public ConnectOptions withVerifyHostname(boolean verify) {
        return new ConnectOptions(loop, timeout, sourceAddress, sourcePort, sslContext, serverName, verify, tls,
                streamOptions, resolver, family, secondaryDelay);
    }

    /**
     * A copy with {@code streamOptions} replaced.
     *
     * @param options options of the stream (buffer limits)
     * @return a copy with this value replaced
     */
    public ConnectOptions withStreamOptions(IOStreamOptions options) {
        return new ConnectOptions(loop, timeout, sourceAddress, sourcePort, sslContext, serverName, verifyHostname, tls,
                options, resolver, family, secondaryDelay);
    }

    /**
     * Shorthand for {@code withStreamOptions(streamOptions().withMaxBufferSize(bytes))}.
     *
     * @param bytes the max buffer size
     * @return a copy with this value replaced
     */
    public ConnectOptions withMaxBufferSize(long bytes) {
        return withStreamOptions(streamOptions.withMaxBufferSize(bytes));
    }

    /**
     * A copy with {@code resolver} replaced.
     *
     * @param resolver resolves the host; null for the client's resolver
     * @return a copy with this value replaced
     */
    public ConnectOptions withResolver(Resolver resolver) {
        return new ConnectOptions(loop, timeout, sourceAddress, sourcePort, sslContext, serverName, verifyHostname, tls,
                streamOptions, resolver, family, secondaryDelay);
    }

    /**
     * A copy with {@code family} replaced.
     *
     * @param family only addresses of this family ({@link java.net.StandardProtocolFamily#INET} or {@code INET6}); null for both
     * @return a copy with this value replaced
     */
    public ConnectOptions withFamily(ProtocolFamily family) {
        return new ConnectOptions(loop, timeout, sourceAddress, sourcePort, sslContext, serverName, verifyHostname, tls,
                streamOptions, resolver, family, secondaryDelay);
    }

    /**
     * A copy with {@code secondaryDelay} replaced.
     *
     * @param delay Happy Eyeballs: how long the first address family gets before the other family is tried in parallel; default 300 ms (Tornado's)
     * @return a copy with this value replaced
     */
    public ConnectOptions withSecondaryDelay(Duration delay) {
        return new ConnectOptions(loop, timeout, sourceAddress, sourcePort, sslContext, serverName, verifyHostname, tls,
                streamOptions, resolver, family, delay);
    }

    /** The client TLS options for {@code host}. */
    TlsOptions tlsFor(String host) {
        if (tls != null) {
            return tls;
        }
        return TlsOptions.client(serverName != null ? serverName : NetUtil.stripBrackets(host)).withVerifyHostname(verifyHostname);
    }
}
