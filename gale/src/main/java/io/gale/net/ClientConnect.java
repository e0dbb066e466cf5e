package io.gale.net;

import io.gale.concurrent.Futures;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import io.gale.iostream.IOStream;
import io.gale.iostream.SslIOStream;
import io.gale.iostream.StreamClosedException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * One {@link TcpClient#connect}: resolve, Happy Eyeballs connect, optional TLS handshake, under
 * one overall timeout. Whichever comes first (success, failure, timeout) settles the result;
 * everything opened for a result nobody gets is closed.
 *
 * <p>Threading: loop thread only, from {@link #start()}; {@link #result()} completes there.
 */
final class ClientConnect {
    private enum Stage {
        RESOLVING("resolving"), CONNECTING("connecting"), TLS("the TLS handshake");

        final String text;

        Stage(String text) {
            this.text = text;
        }
    }

    private final IOLoop loop;
    private final String host;
    private final int port;
    private final String target;
    private final ConnectOptions options;
    private final Resolver resolver;
    private final CompletableFuture<IOStream> result = new CompletableFuture<>();
    private Stage stage = Stage.RESOLVING;
    private Timeout timer;
    private HappyEyeballsConnector connector;
    private IOStream stream;

    ClientConnect(IOLoop loop, String host, int port, ConnectOptions options, Resolver resolver) {
        this.loop = loop;
        this.host = host;
        this.port = port;
        this.target = NetUtil.format(NetUtil.stripBrackets(host), port);
        this.options = options;
        this.resolver = resolver;
    }

    CompletableFuture<IOStream> result() {
        return result;
    }

    void start() {
        if (options.timeout() != null) {
            timer = loop.callLater(options.timeout(), this::onTimeout);
        }
        CompletableFuture<List<InetSocketAddress>> resolved;
        try {
            resolved = resolver.resolve(NetUtil.stripBrackets(host), port);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        // The resolver completes on this loop; hop anyway if a custom one does not.
        resolved.whenComplete((addresses, error) -> loop.runOrSubmit(() -> onResolved(addresses, error)));
    }

    private void onResolved(List<InetSocketAddress> addresses, Throwable error) {
        if (result.isDone()) {
            return;
        }
        if (error != null) {
            Throwable cause = Futures.unwrap(error);
            Exception e = cause instanceof UnknownHostException
                    ? new UnknownHostException("cannot resolve " + NetUtil.stripBrackets(host) + " (connecting to " + target + "): " + cause.getMessage())
                    : new ConnectException("cannot resolve " + NetUtil.stripBrackets(host) + " (connecting to " + target + "): " + cause);
            e.initCause(cause);
            fail(e);
            return;
        }
        List<InetSocketAddress> usable = addresses == null ? List.of() : addresses.stream()
                .filter(a -> a.getAddress() != null && familyMatches(a))
                .toList();
        if (usable.isEmpty()) {
            fail(new UnknownHostException("no " + (options.family() != null ? options.family() + " " : "")
                    + "address for " + NetUtil.stripBrackets(host) + " (connecting to " + target + ")"));
            return;
        }
        stage = Stage.CONNECTING;
        connector = new HappyEyeballsConnector(loop, target, usable, options.secondaryDelay(),
                options.sourceAddress(), options.sourcePort());
        connector.start().whenComplete((channel, e) -> {
            if (e != null) {
                if (!(e instanceof CancellationException)) {
                    fail(Futures.unwrap(e));
                }
            } else {
                onConnected(channel);
            }
        });
    }

    private boolean familyMatches(InetSocketAddress a) {
        if (options.family() == null) {
            return true;
        }
        boolean v4 = a.getAddress() instanceof Inet4Address;
        return options.family() == (v4 ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
    }

    private void onConnected(SocketChannel channel) {
        if (result.isDone()) {
            NetUtil.closeQuietly(channel);
            return;
        }
        try {
            if (options.sslContext() == null) {
                stream = new IOStream(loop, channel, options.streamOptions());
                succeed();
                return;
            }
            stage = Stage.TLS;
            SslIOStream tls = new SslIOStream(loop, channel, options.sslContext(), options.tlsFor(host), options.streamOptions());
            stream = tls;
            tls.handshake().whenComplete((v, e) -> {
                if (e == null) {
                    succeed();
                } else {
                    Throwable cause = Futures.unwrap(e);
                    if (cause instanceof StreamClosedException && cause.getCause() != null) {
                        cause = cause.getCause(); // the TLS alert or handshake timeout itself
                    }
                    if (cause instanceof TimeoutException) {
                        fail(timeoutException("TLS handshake did not finish within " + options.tlsFor(host).handshakeTimeout(), cause));
                    } else {
                        SSLException ssl = new SSLException("TLS handshake with " + target + " failed: " + cause.getMessage(), cause);
                        fail(ssl);
                    }
                }
            });
        } catch (RuntimeException e) {
            NetUtil.closeQuietly(channel);
            fail(e);
        }
    }

    private void succeed() {
        if (timer != null) {
            timer.cancel();
        }
        if (!result.complete(stream)) {
            stream.close();
        }
    }

    private void onTimeout() {
        if (!result.isDone()) {
            fail(timeoutException("connect to " + target + " timed out after " + options.timeout().toMillis()
                    + " ms while " + stage.text, null));
        }
    }

    private TimeoutException timeoutException(String message, Throwable cause) {
        TimeoutException t = new TimeoutException(message);
        if (cause != null) {
            t.initCause(cause);
        }
        return t;
    }

    private void fail(Throwable error) {
        if (timer != null) {
            timer.cancel();
        }
        if (!result.completeExceptionally(error)) {
            return;
        }
        if (connector != null) {
            connector.close();
        }
        if (stream != null) {
            stream.close();
        }
    }
}
