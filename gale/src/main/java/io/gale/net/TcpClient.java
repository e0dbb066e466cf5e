package io.gale.net;

import io.gale.ioloop.IOLoop;
import io.gale.iostream.IOStream;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Opens TCP (and TLS) connections (Tornado's {@code TCPClient}): resolves the host, connects
 * dual-stack with Happy Eyeballs (the first address family first, the other after 300 ms or as
 * soon as the first fails; the first connection wins), optionally runs the TLS handshake, and
 * completes with the connected {@link IOStream}.
 *
 * <pre>{@code
 * TcpClient client = new TcpClient();
 * // on a loop thread:
 * client.connect("example.com", 443, ConnectOptions.builder().tls(SSLContext.getDefault()).build())
 *       .thenCompose(stream -> stream.write(request))
 *       ...
 * }</pre>
 *
 * <p>Errors: a host that does not resolve fails with {@link java.net.UnknownHostException}; when
 * no address accepts, with a {@link java.net.ConnectException} naming {@code host:port} and the
 * last cause (every attempt's failure attached as suppressed); a TLS failure with
 * {@link javax.net.ssl.SSLException}; the overall {@link ConnectOptions#timeout()} with a
 * {@link java.util.concurrent.TimeoutException} saying which stage was running. Whatever was
 * opened is closed on failure.
 *
 * <p>Threading: stateless apart from its resolver; safe from any thread. The future completes on
 * the connect's loop ({@link ConnectOptions#loop()}, else the caller's {@link IOLoop#current()}).
 */
public final class TcpClient {
    private final Resolver resolver;

    /** A client using {@link DefaultResolver}. */
    public TcpClient() {
        this(DefaultResolver.instance());
    }

    /**
     * Creates a {@code TcpClient}.
     *
     * @param resolver the resolver
     */
    public TcpClient(Resolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * The resolver.
     *
     * @return the resolver
     */
    public Resolver resolver() {
        return resolver;
    }

    /**
     * {@link #connect(String, int, ConnectOptions)} with default options.
     *
     * @param host the host name
     * @param port the port
     * @return a future of the I/O stream
     */
    public CompletableFuture<IOStream> connect(String host, int port) {
        return connect(host, port, ConnectOptions.defaults());
    }

    /**
     * Connects to {@code host:port}.
     *
     * @param host a host name or an IPv4/IPv6 literal (brackets allowed)
     * @param port the port
     * @param options the options
     * @return a future of the I/O stream
     * @throws IllegalStateException if {@code options} names no loop and the caller is not on one
     */
    public CompletableFuture<IOStream> connect(String host, int port, ConnectOptions options) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(options, "options");
        DefaultResolver.checkPort(port);
        IOLoop loop = options.loop() != null ? options.loop() : IOLoop.current();
        if (loop == null) {
            throw new IllegalStateException(
                    "TcpClient.connect needs a loop: call it on an IOLoop thread or set ConnectOptions.builder().loop(loop).build()");
        }
        Resolver r = options.resolver() != null ? options.resolver() : resolver;
        ClientConnect op = new ClientConnect(loop, host, port, options, r);
        loop.runOrSubmit(op::start);
        return op.result();
    }
}
