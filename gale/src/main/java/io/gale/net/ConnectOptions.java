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
 * ConnectOptions opts = ConnectOptions.builder()
 *         .timeout(Duration.ofSeconds(5))
 *         .tls(SSLContext.getDefault()).build();
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

    /** The client TLS options for {@code host}. */
    TlsOptions tlsFor(String host) {
        if (tls != null) {
            return tls;
        }
        return TlsOptions.client(serverName != null ? serverName : NetUtil.stripBrackets(host)).toBuilder().verifyHostname(verifyHostname).build();
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
     * Builder of {@link ConnectOptions}: starts from the defaults ({@link #builder()}) or from existing
     * options ({@link #toBuilder()}); {@link #build()} validates. Not thread-safe.
     */
    public static final class Builder {
        private IOLoop loop;
        private Duration timeout;
        private InetAddress sourceAddress;
        private int sourcePort;
        private SSLContext sslContext;
        private String serverName;
        private boolean verifyHostname;
        private TlsOptions tls;
        private IOStreamOptions streamOptions;
        private Resolver resolver;
        private ProtocolFamily family;
        private Duration secondaryDelay;

        private Builder(ConnectOptions from) {
            loop = from.loop;
            timeout = from.timeout;
            sourceAddress = from.sourceAddress;
            sourcePort = from.sourcePort;
            sslContext = from.sslContext;
            serverName = from.serverName;
            verifyHostname = from.verifyHostname;
            tls = from.tls;
            streamOptions = from.streamOptions;
            resolver = from.resolver;
            family = from.family;
            secondaryDelay = from.secondaryDelay;
        }

        /**
         * Sets {@link ConnectOptions#loop()}.
         *
         * @param loop the value (defaults and limits: the table on {@link ConnectOptions})
         * @return this builder
         */
        public Builder loop(IOLoop loop) {
            this.loop = loop;
            return this;
        }

        /**
         * Sets {@link ConnectOptions#timeout()}.
         *
         * @param timeout the value (defaults and limits: the table on {@link ConnectOptions})
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * Sets {@link ConnectOptions#sourceAddress()} and {@link ConnectOptions#sourcePort()}
         * together (Tornado's {@code source_ip}/{@code source_port}).
         *
         * @param address the local address to bind (defaults and limits: the table on {@link ConnectOptions})
         * @param port the local port
         * @return this builder
         */
        public Builder source(InetAddress address, int port) {
            this.sourceAddress = address;
            this.sourcePort = port;
            return this;
        }

        /**
         * Connects with TLS, verifying the server's certificate for the connected host name.
         *
         * @param context TLS: full client options; when non-null, {@code serverName} and {@code verifyHostname} are ignored
         * @return this builder
         */
        public Builder tls(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /**
         * Connects with TLS using exactly {@code tls} (SNI, ALPN, verification, handshake timeout).
         *
         * @param context the context
         * @param tls TLS: full client options; when non-null, {@code serverName} and {@code verifyHostname} are ignored
         * @return this builder
         */
        public Builder tls(SSLContext context, TlsOptions tls) {
            this.sslContext = context;
            this.tls = tls;
            return this;
        }

        /**
         * Sets {@link ConnectOptions#serverName()}.
         *
         * @param serverName the value (defaults and limits: the table on {@link ConnectOptions})
         * @return this builder
         */
        public Builder serverName(String serverName) {
            this.serverName = serverName;
            return this;
        }

        /**
         * Sets {@link ConnectOptions#verifyHostname()}.
         *
         * @param verify the value (defaults and limits: the table on {@link ConnectOptions})
         * @return this builder
         */
        public Builder verifyHostname(boolean verify) {
            this.verifyHostname = verify;
            return this;
        }

        /**
         * Sets {@link ConnectOptions#streamOptions()}.
         *
         * @param options the value (defaults and limits: the table on {@link ConnectOptions})
         * @return this builder
         */
        public Builder streamOptions(IOStreamOptions options) {
            this.streamOptions = options;
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
         * Sets {@link ConnectOptions#resolver()}.
         *
         * @param resolver the value (defaults and limits: the table on {@link ConnectOptions})
         * @return this builder
         */
        public Builder resolver(Resolver resolver) {
            this.resolver = resolver;
            return this;
        }

        /**
         * Sets {@link ConnectOptions#family()}.
         *
         * @param family the value (defaults and limits: the table on {@link ConnectOptions})
         * @return this builder
         */
        public Builder family(ProtocolFamily family) {
            this.family = family;
            return this;
        }

        /**
         * Sets {@link ConnectOptions#secondaryDelay()}.
         *
         * @param delay the value (defaults and limits: the table on {@link ConnectOptions})
         * @return this builder
         */
        public Builder secondaryDelay(Duration delay) {
            this.secondaryDelay = delay;
            return this;
        }

        /**
         * Builds the options, validated as the record's constructor says.
         *
         * @return the options
         */
        public ConnectOptions build() {
            return new ConnectOptions(loop, timeout, sourceAddress, sourcePort, sslContext, serverName, verifyHostname, tls, streamOptions, resolver, family, secondaryDelay);
        }
    }
}
