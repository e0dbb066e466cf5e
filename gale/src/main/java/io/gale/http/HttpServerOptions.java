package io.gale.http;

import io.gale.net.ServerOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * Settings of an {@link HttpServer} (Tornado's {@code HTTPServer} arguments). Immutable; start
 * from {@link #defaults()}:
 *
 * <pre>{@code
 * HttpServerOptions opts = HttpServerOptions.builder()
 *         .xheaders(true).trustedDownstream(Set.of("10.0.0.1"))
 *         .limits(Http1ParserLimits.builder().maxBodySize(10 << 20).build()).build();
 * }</pre>
 *
 * @param limits parser limits: start line (414), header size and count (431), chunk extensions
 *     and trailers; and the default body limit of every request (413), which each request's
 *     {@link HttpExchange} enforces (on the decompressed size too, with {@code decompressRequest})
 *     and its delegate may change for that request ({@link HttpExchange#setMaxBodySize}; an
 *     {@code Application} sets its {@code maxBodySize} setting there). Default
 *     {@link Http1ParserLimits#DEFAULTS}
 * @param idleConnectionTimeout how long a keep-alive connection may wait for the next request
 *     before it is closed; default 75 s, nginx's {@code keepalive_timeout} (Tornado's one hour
 *     holds a descriptor per idle client far longer than any browser keeps a connection). A new
 *     connection waits for its first byte at most {@code headerTimeout}
 * @param headerTimeout longest time from the first byte of a request to the end of its head; a
 *     client that is slower (slowloris) gets 408 and is closed. Default 30 s: generous for a real
 *     client on a slow link (a head is a few hundred bytes), short enough that a few thousand
 *     trickling sockets cannot pin the server for long
 * @param bodyTimeout longest wait for the next bytes of a request body (time the delegate pauses
 *     reading does not count); exceeded: 408 if no response started, then close. Default 60 s
 * @param noKeepAlive close every connection after one response; default false
 * @param xheaders take the client address from {@code X-Real-Ip} / {@code X-Forwarded-For} and
 *     the scheme from {@code X-Scheme} / {@code X-Forwarded-Proto} (only {@code http} or
 *     {@code https}); only for servers behind a reverse proxy. Default false
 * @param trustedDownstream with xheaders: proxy addresses skipped from the right of
 *     {@code X-Forwarded-For}, so the right-most untrusted address is the client; default empty
 * @param protocol force {@link HttpServerRequest#protocol()} to this value (e.g. {@code "https"}
 *     behind a TLS-terminating proxy that sends no header); null (default) derives it from the
 *     connection and xheaders
 * @param decompressRequest decode {@code Content-Encoding: gzip} request bodies incrementally
 *     before the delegate sees them; default false
 * @param chunkSize the largest piece handed to {@link HttpMessageDelegate#dataReceived}; default
 *     64 KiB (Tornado's {@code chunk_size})
 * @param tcp socket level settings: max concurrent connections, backlog, TLS
 *     ({@link ServerOptions#sslContext()}), stream buffer limits; default
 *     {@link ServerOptions#defaults()}
 * @param http2 serve HTTP/2 (RFC 9113) besides HTTP/1.1, with the same delegate: on TLS, ALPN
 *     {@code h2} is chosen when the client offers it ({@code http/1.1} otherwise; a
 *     {@link io.gale.iostream.TlsOptions#protocolSelector()} of your own takes precedence); on
 *     plain connections, h2c with prior knowledge (a connection that starts with the HTTP/2
 *     preface) or an HTTP/1.1 {@code Upgrade: h2c} request without a body and with one valid
 *     {@code HTTP2-Settings} field (answered 101, then over HTTP/2 on stream 1; other upgrade
 *     requests are served over HTTP/1.1). WebSocket handlers also answer RFC 8441's extended
 *     CONNECT over HTTP/2. Default false
 */
public record HttpServerOptions(
        Http1ParserLimits limits,
        Duration idleConnectionTimeout,
        Duration headerTimeout,
        Duration bodyTimeout,
        boolean noKeepAlive,
        boolean xheaders,
        Set<String> trustedDownstream,
        String protocol,
        boolean decompressRequest,
        int chunkSize,
        ServerOptions tcp,
        boolean http2) {

    private static final HttpServerOptions DEFAULTS = new HttpServerOptions(Http1ParserLimits.DEFAULTS,
            Duration.ofSeconds(75), Duration.ofSeconds(30), Duration.ofSeconds(60), false, false, Set.of(), null, false,
            64 * 1024, ServerOptions.defaults(), false);

    /** Validates: timeouts positive, chunk size positive, protocol http/https or null. */
    public HttpServerOptions {
        Objects.requireNonNull(limits, "limits");
        positive(idleConnectionTimeout, "idleConnectionTimeout");
        positive(headerTimeout, "headerTimeout");
        positive(bodyTimeout, "bodyTimeout");
        trustedDownstream = Set.copyOf(trustedDownstream);
        if (protocol != null && !protocol.equals("http") && !protocol.equals("https")) {
            throw new IllegalArgumentException("protocol must be http, https or null: " + protocol);
        }
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunkSize must be positive: " + chunkSize);
        }
        Objects.requireNonNull(tcp, "tcp");
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /**
     * The defaults listed on the record components.
     *
     * @return the defaults listed on the record components
     */
    public static HttpServerOptions defaults() {
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
     * Builder of {@link HttpServerOptions}: starts from the defaults ({@link #builder()}) or from existing
     * options ({@link #toBuilder()}); {@link #build()} validates. Not thread-safe.
     */
    public static final class Builder {
        private Http1ParserLimits limits;
        private Duration idleConnectionTimeout;
        private Duration headerTimeout;
        private Duration bodyTimeout;
        private boolean noKeepAlive;
        private boolean xheaders;
        private Set<String> trustedDownstream;
        private String protocol;
        private boolean decompressRequest;
        private int chunkSize;
        private ServerOptions tcp;
        private boolean http2;

        private Builder(HttpServerOptions from) {
            limits = from.limits;
            idleConnectionTimeout = from.idleConnectionTimeout;
            headerTimeout = from.headerTimeout;
            bodyTimeout = from.bodyTimeout;
            noKeepAlive = from.noKeepAlive;
            xheaders = from.xheaders;
            trustedDownstream = from.trustedDownstream;
            protocol = from.protocol;
            decompressRequest = from.decompressRequest;
            chunkSize = from.chunkSize;
            tcp = from.tcp;
            http2 = from.http2;
        }

        /**
         * Sets {@link HttpServerOptions#limits()}.
         *
         * @param v the value (defaults and limits: the table on {@link HttpServerOptions})
         * @return this builder
         */
        public Builder limits(Http1ParserLimits v) {
            this.limits = v;
            return this;
        }

        /**
         * Shorthand for a change of {@link Http1ParserLimits#maxBodySize()} only: the default body limit of a request.
         *
         * @param bytes the max body size
         * @return this builder
         */
        public Builder maxBodySize(long bytes) {
            return limits(limits.toBuilder().maxBodySize(bytes).build());
        }

        /**
         * Sets {@link HttpServerOptions#idleConnectionTimeout()}.
         *
         * @param v the value (defaults and limits: the table on {@link HttpServerOptions})
         * @return this builder
         */
        public Builder idleConnectionTimeout(Duration v) {
            this.idleConnectionTimeout = v;
            return this;
        }

        /**
         * Sets {@link HttpServerOptions#headerTimeout()}.
         *
         * @param v the value (defaults and limits: the table on {@link HttpServerOptions})
         * @return this builder
         */
        public Builder headerTimeout(Duration v) {
            this.headerTimeout = v;
            return this;
        }

        /**
         * Sets {@link HttpServerOptions#bodyTimeout()}.
         *
         * @param v the value (defaults and limits: the table on {@link HttpServerOptions})
         * @return this builder
         */
        public Builder bodyTimeout(Duration v) {
            this.bodyTimeout = v;
            return this;
        }

        /**
         * Sets {@link HttpServerOptions#noKeepAlive()}.
         *
         * @param v the value (defaults and limits: the table on {@link HttpServerOptions})
         * @return this builder
         */
        public Builder noKeepAlive(boolean v) {
            this.noKeepAlive = v;
            return this;
        }

        /**
         * Sets {@link HttpServerOptions#xheaders()}.
         *
         * @param v the value (defaults and limits: the table on {@link HttpServerOptions})
         * @return this builder
         */
        public Builder xheaders(boolean v) {
            this.xheaders = v;
            return this;
        }

        /**
         * Sets {@link HttpServerOptions#trustedDownstream()}.
         *
         * @param v the value (defaults and limits: the table on {@link HttpServerOptions})
         * @return this builder
         */
        public Builder trustedDownstream(Set<String> v) {
            this.trustedDownstream = v;
            return this;
        }

        /**
         * Sets {@link HttpServerOptions#protocol()}.
         *
         * @param v the value (defaults and limits: the table on {@link HttpServerOptions})
         * @return this builder
         */
        public Builder protocol(String v) {
            this.protocol = v;
            return this;
        }

        /**
         * Sets {@link HttpServerOptions#decompressRequest()}.
         *
         * @param v the value (defaults and limits: the table on {@link HttpServerOptions})
         * @return this builder
         */
        public Builder decompressRequest(boolean v) {
            this.decompressRequest = v;
            return this;
        }

        /**
         * Sets {@link HttpServerOptions#chunkSize()}.
         *
         * @param v the value (defaults and limits: the table on {@link HttpServerOptions})
         * @return this builder
         */
        public Builder chunkSize(int v) {
            this.chunkSize = v;
            return this;
        }

        /**
         * Turns HTTP/2 on or off (see {@link #http2()}).
         *
         * @param v serve HTTP/2 (RFC 9113) besides HTTP/1.1, with the same delegate: on TLS, ALPN {@code h2} is chosen when the client offers it ({@code http/1.1} otherwise; a {@link io.gale.iostream.TlsOptions#protocolSelector()} of your own takes precedence); on plain connections, h2c with prior knowledge (a connection that starts with the HTTP/2 preface) or an HTTP/1.1 {@code Upgrade: h2c} request (the table on {@link HttpServerOptions} says which are taken up). Default false
         * @return this builder
         */
        public Builder http2(boolean v) {
            this.http2 = v;
            return this;
        }

        /**
         * Sets {@link HttpServerOptions#tcp()}.
         *
         * @param v the value (defaults and limits: the table on {@link HttpServerOptions})
         * @return this builder
         */
        public Builder tcp(ServerOptions v) {
            this.tcp = v;
            return this;
        }

        /**
         * At most {@code max} live connections (0: unlimited); see {@link ServerOptions#maxConnections()}.
         * A client arriving at the limit is served once the connection idle longest has been closed
         * for it (low resources: see {@link HttpServer}); it waits only while every connection is busy.
         *
         * @param max the max connections
         * @return this builder
         */
        public Builder maxConnections(int max) {
            return tcp(tcp.toBuilder().maxConnections(max).build());
        }

        /**
         * Serves HTTPS with {@code context}; see {@link ServerOptions.Builder#tls(SSLContext)}.
         *
         * @param context the TLS
         * @return this builder
         */
        public Builder tls(SSLContext context) {
            return tcp(tcp.toBuilder().tls(context).build());
        }

        /**
         * Builds the options, validated as the record's constructor says.
         *
         * @return the options
         */
        public HttpServerOptions build() {
            return new HttpServerOptions(limits, idleConnectionTimeout, headerTimeout, bodyTimeout, noKeepAlive, xheaders, trustedDownstream, protocol, decompressRequest, chunkSize, tcp, http2);
        }
    }
}
