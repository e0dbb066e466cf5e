package io.gale.httpclient;

import io.gale.concurrent.Futures;
import io.gale.internal.http.Http1Parser;
import io.gale.http.Http1ParserLimits;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import io.gale.http2.Http2Limits;
import io.gale.iostream.IOStream;
import io.gale.iostream.SslIOStream;
import io.gale.iostream.TlsOptions;
import io.gale.net.ConnectOptions;
import io.gale.net.DefaultResolver;
import io.gale.net.Resolver;
import io.gale.net.TcpClient;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Opens a connection for an {@link Address} (OkHttp's route planner and connect step): resolve
 * and connect with {@link TcpClient} (Happy Eyeballs) to the origin or the proxy, open a CONNECT
 * tunnel for https through a proxy, then the TLS handshake, offering {@code h2} and
 * {@code http/1.1} by ALPN unless {@link ClientOptions#http2()} is off. The protocol follows:
 * an {@link Http2ClientConnection} when ALPN chose {@code h2} or the address asks for h2c with
 * prior knowledge (its connect completes once the server's SETTINGS arrived, so a server that
 * does not speak HTTP/2 fails the connect), else an HTTP/1.1 {@link Connection}. The stages are
 * timed for {@link HttpTiming}, and the whole connect, the HTTP/2 preface exchange included, is
 * bounded by the request's connect timeout ("Timeout while connecting"). Whatever was opened is
 * closed on failure.
 *
 * <p>Threading: used on the client's loop only.
 */
final class Connector {
    private final IOLoop loop;
    private final ClientOptions options;
    private final TcpClient tcp;
    private final Resolver resolver;
    private final Http1ParserLimits limits;
    private final Http2Limits http2Limits;

    Connector(IOLoop loop, ClientOptions options, Http2Limits http2Limits) {
        this.loop = loop;
        this.options = options;
        this.http2Limits = http2Limits;
        this.resolver = options.resolver() != null ? options.resolver() : DefaultResolver.instance();
        this.tcp = new TcpClient(resolver);
        // body limits are enforced per request by the exchange (on the decompressed size)
        this.limits = Http1ParserLimits.builder().maxHeaderSize(options.maxHeaderSize()).maxBodySize(Long.MAX_VALUE)
                .build();
    }

    /** ALPN protocols offered on TLS connections, in preference order. */
    private List<String> alpn() {
        return options.http2() ? List.of("h2", "http/1.1") : List.of();
    }

    CompletableFuture<ClientConnection> connect(Address a, Duration timeout, ConnectTiming timing) {
        CompletableFuture<ClientConnection> result = new CompletableFuture<>();
        IOStream[] opened = new IOStream[1];
        long start = System.nanoTime();
        Timeout timer = loop.callLater(timeout, () -> {
            if (result.completeExceptionally(new TimeoutException("Timeout while connecting to " + a + " (after "
                    + timeout.toMillis() + " ms)")) && opened[0] != null) {
                opened[0].close();
            }
        });
        Resolver timed = (host, port) -> {
            long t0 = System.nanoTime();
            return resolver.resolve(host, port).whenComplete((r, e) -> timing.dnsNanos = System.nanoTime() - t0);
        };
        ConnectOptions co = ConnectOptions.builder().loop(loop).timeout(timeout).resolver(timed).build();
        if (a.source() != null) {
            co = co.toBuilder().source(a.source(), 0).build();
        }
        if (a.ipv4Only()) {
            co = co.toBuilder().family(StandardProtocolFamily.INET).build();
        }
        String host = a.viaProxy() ? a.proxyHost() : a.host();
        int port = a.viaProxy() ? a.proxyPort() : a.port();
        tcp.connect(host, port, co).thenCompose(stream -> {
            opened[0] = stream;
            if (result.isDone()) {
                stream.close();
                return CompletableFuture.failedFuture(new TimeoutException("connect timed out"));
            }
            stream.setNoDelay(true);
            return a.viaProxy() && a.tls() ? ProxyTunnel.open(stream, a, options.maxHeaderSize())
                    : CompletableFuture.completedFuture(stream);
        }).thenCompose(stream -> {
            long connected = System.nanoTime();
            timing.connectNanos = connected - start - timing.dnsNanos;
            if (!a.tls() || result.isDone()) {
                return CompletableFuture.completedFuture(stream);
            }
            long left = Math.max(1, timeout.toNanos() - (connected - start));
            TlsOptions tls = TlsOptions.client(stripBrackets(a.host())).toBuilder().verifyHostname(a.verifyHostname())
                    .handshakeTimeout(Duration.ofNanos(left)).applicationProtocols(alpn()).build();
            return stream.startTls(a.sslContext(), tls).<IOStream>thenApply(s -> {
                opened[0] = s;
                timing.tlsNanos = System.nanoTime() - connected;
                return s;
            });
        }).thenCompose(stream -> {
            if (result.isDone()) {
                return CompletableFuture.completedFuture(null);
            }
            boolean h2 = a.tls() ? "h2".equals(((SslIOStream) stream).applicationProtocol()) : a.http2PriorKnowledge();
            if (!h2) {
                return CompletableFuture.completedFuture(
                        new Connection(a, stream, Http1Parser.forResponses(limits), options.readBufferSize()));
            }
            Http2ClientConnection c = new Http2ClientConnection(a, stream, http2Limits, options.idleTimeout());
            return c.handshake().<ClientConnection>thenApply(x -> x).exceptionallyCompose(e -> {
                Throwable cause = unwrap(e);
                return CompletableFuture.failedFuture(a.http2PriorKnowledge() ? new IOException(
                        "h2c with prior knowledge failed (does the server speak HTTP/2 without TLS?): "
                                + cause.getMessage(), cause) : cause);
            });
        }).whenComplete((conn, err) -> {
            timer.cancel();
            if (err != null) {
                if (opened[0] != null) {
                    opened[0].close();
                }
                result.completeExceptionally(unwrap(err));
            } else if (result.isDone()) {
                if (conn != null) {
                    conn.close(null);
                } else if (opened[0] != null) {
                    opened[0].close();
                }
            } else {
                result.complete(conn);
            }
        });
        return result;
    }

    /**
     * The client's one unwrap of an error: without future wrappers ({@link Futures#unwrap}), and the
     * reason a stream closed (the cause a {@link io.gale.iostream.StreamClosedException} carries)
     * rather than the closing.
     */
    static Throwable unwrap(Throwable t) {
        t = Futures.unwrap(t);
        while (t instanceof io.gale.iostream.StreamClosedException && t.getCause() != null) {
            t = Futures.unwrap(t.getCause());
        }
        return t;
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
