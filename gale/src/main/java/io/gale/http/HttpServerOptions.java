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
 * HttpServerOptions opts = HttpServerOptions.defaults()
 *         .withXheaders(true).withTrustedDownstream(Set.of("10.0.0.1"))
 *         .withLimits(Http1ParserLimits.builder().maxBodySize(10 << 20).build());
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
     * A copy with {@code limits} replaced.
     *
     * @param v parser limits: start line (414), header size and count (431), body size (413, checked on the decompressed size with {@code decompressRequest}); default {@link Http1ParserLimits#DEFAULTS}
     * @return a copy with this value replaced
     */
    public HttpServerOptions withLimits(Http1ParserLimits v) {
        return new HttpServerOptions(v, idleConnectionTimeout, headerTimeout, bodyTimeout, noKeepAlive, xheaders,
                trustedDownstream, protocol, decompressRequest, chunkSize, tcp, http2);
    }

    /**
     * Shorthand for a change of {@link Http1ParserLimits#maxBodySize()} only: the default body limit of a request.
     *
     * @param bytes the max body size
     * @return a copy with this value replaced
     */
    public HttpServerOptions withMaxBodySize(long bytes) {
        return withLimits(new Http1ParserLimits(limits.maxStartLineLength(), limits.maxHeaderSize(),
                limits.maxHeaderCount(), bytes, limits.maxChunkExtensionSize(), limits.maxTrailerSize()));
    }

    /**
     * A copy with {@code idleConnectionTimeout} replaced.
     *
     * @param v how long a keep-alive connection may wait for the next request before it is closed; default 3600 s (Tornado's {@code idle_connection_timeout})
     * @return a copy with this value replaced
     */
    public HttpServerOptions withIdleConnectionTimeout(Duration v) {
        return new HttpServerOptions(limits, v, headerTimeout, bodyTimeout, noKeepAlive, xheaders,
                trustedDownstream, protocol, decompressRequest, chunkSize, tcp, http2);
    }

    /**
     * A copy with {@code headerTimeout} replaced.
     *
     * @param v longest time from the first byte of a request to the end of its head; a client that is slower (slowloris) gets 408 and is closed. Default 30 s: generous for a real client on a slow link (a head is a few hundred bytes), short enough that a few thousand trickling sockets cannot pin the server for long
     * @return a copy with this value replaced
     */
    public HttpServerOptions withHeaderTimeout(Duration v) {
        return new HttpServerOptions(limits, idleConnectionTimeout, v, bodyTimeout, noKeepAlive, xheaders,
                trustedDownstream, protocol, decompressRequest, chunkSize, tcp, http2);
    }

    /**
     * A copy with {@code bodyTimeout} replaced.
     *
     * @param v longest wait for the next bytes of a request body (time the delegate pauses reading does not count); exceeded: 408 if no response started, then close. Default 60 s
     * @return a copy with this value replaced
     */
    public HttpServerOptions withBodyTimeout(Duration v) {
        return new HttpServerOptions(limits, idleConnectionTimeout, headerTimeout, v, noKeepAlive, xheaders,
                trustedDownstream, protocol, decompressRequest, chunkSize, tcp, http2);
    }

    /**
     * A copy with {@code noKeepAlive} replaced.
     *
     * @param v close every connection after one response; default false
     * @return a copy with this value replaced
     */
    public HttpServerOptions withNoKeepAlive(boolean v) {
        return new HttpServerOptions(limits, idleConnectionTimeout, headerTimeout, bodyTimeout, v, xheaders,
                trustedDownstream, protocol, decompressRequest, chunkSize, tcp, http2);
    }

    /**
     * A copy with {@code xheaders} replaced.
     *
     * @param v take the client address from {@code X-Real-Ip} / {@code X-Forwarded-For} and the scheme from {@code X-Scheme} / {@code X-Forwarded-Proto} (only {@code http} or {@code https}); only for servers behind a reverse proxy. Default false
     * @return a copy with this value replaced
     */
    public HttpServerOptions withXheaders(boolean v) {
        return new HttpServerOptions(limits, idleConnectionTimeout, headerTimeout, bodyTimeout, noKeepAlive, v,
                trustedDownstream, protocol, decompressRequest, chunkSize, tcp, http2);
    }

    /**
     * A copy with {@code trustedDownstream} replaced.
     *
     * @param v with xheaders: proxy addresses skipped from the right of {@code X-Forwarded-For}, so the right-most untrusted address is the client; default empty
     * @return a copy with this value replaced
     */
    public HttpServerOptions withTrustedDownstream(Set<String> v) {
        return new HttpServerOptions(limits, idleConnectionTimeout, headerTimeout, bodyTimeout, noKeepAlive, xheaders,
                v, protocol, decompressRequest, chunkSize, tcp, http2);
    }

    /**
     * A copy with {@code protocol} replaced.
     *
     * @param v force {@link HttpServerRequest#protocol()} to this value (e.g. {@code "https"} behind a TLS-terminating proxy that sends no header); null (default) derives it from the connection and xheaders
     * @return a copy with this value replaced
     */
    public HttpServerOptions withProtocol(String v) {
        return new HttpServerOptions(limits, idleConnectionTimeout, headerTimeout, bodyTimeout, noKeepAlive, xheaders,
                trustedDownstream, v, decompressRequest, chunkSize, tcp, http2);
    }

    /**
     * A copy with {@code decompressRequest} replaced.
     *
     * @param v decode {@code Content-Encoding: gzip} request bodies incrementally before the delegate sees them; default false
     * @return a copy with this value replaced
     */
    public HttpServerOptions withDecompressRequest(boolean v) {
        return new HttpServerOptions(limits, idleConnectionTimeout, headerTimeout, bodyTimeout, noKeepAlive, xheaders,
                trustedDownstream, protocol, v, chunkSize, tcp, http2);
    }

    /**
     * A copy with {@code chunkSize} replaced.
     *
     * @param v the largest piece handed to {@link HttpMessageDelegate#dataReceived}; default 64 KiB (Tornado's {@code chunk_size})
     * @return a copy with this value replaced
     */
    public HttpServerOptions withChunkSize(int v) {
        return new HttpServerOptions(limits, idleConnectionTimeout, headerTimeout, bodyTimeout, noKeepAlive, xheaders,
                trustedDownstream, protocol, decompressRequest, v, tcp, http2);
    }

    /**
     * Turns HTTP/2 on or off (see {@link #http2()}).
     *
     * @param v serve HTTP/2 (RFC 9113) besides HTTP/1.1, with the same delegate: on TLS, ALPN {@code h2} is chosen when the client offers it ({@code http/1.1} otherwise; a {@link io.gale.iostream.TlsOptions#protocolSelector()} of your own takes precedence); on plain connections, h2c with prior knowledge (a connection that starts with the HTTP/2 preface) or an HTTP/1.1 {@code Upgrade: h2c} request without a body and with one valid {@code HTTP2-Settings} field (answered 101, then over HTTP/2 on stream 1; other upgrade requests are served over HTTP/1.1). WebSocket handlers also answer RFC 8441's extended CONNECT over HTTP/2. Default false
     * @return a copy with this value replaced
     */
    public HttpServerOptions withHttp2(boolean v) {
        return new HttpServerOptions(limits, idleConnectionTimeout, headerTimeout, bodyTimeout, noKeepAlive, xheaders,
                trustedDownstream, protocol, decompressRequest, chunkSize, tcp, v);
    }

    /**
     * A copy with {@code tcp} replaced.
     *
     * @param v socket level settings: max concurrent connections, backlog, TLS ({@link ServerOptions#sslContext()}), stream buffer limits; default {@link ServerOptions#defaults()}
     * @return a copy with this value replaced
     */
    public HttpServerOptions withTcp(ServerOptions v) {
        return new HttpServerOptions(limits, idleConnectionTimeout, headerTimeout, bodyTimeout, noKeepAlive, xheaders,
                trustedDownstream, protocol, decompressRequest, chunkSize, v, http2);
    }

    /**
     * At most {@code max} live connections (0: unlimited); see {@link ServerOptions#maxConnections()}.
     *
     * @param max the max connections
     * @return a copy with this value replaced
     */
    public HttpServerOptions withMaxConnections(int max) {
        return withTcp(tcp.withMaxConnections(max));
    }

    /**
     * Serves HTTPS with {@code context}; see {@link ServerOptions#withTls(SSLContext)}.
     *
     * @param context the TLS
     * @return a copy with this value replaced
     */
    public HttpServerOptions withTls(SSLContext context) {
        return withTcp(tcp.withTls(context));
    }
}
