package io.gale.net;

import io.gale.ioloop.IOLoop;
import io.gale.iostream.IOStream;
import io.gale.iostream.IOStreamOptions;
import io.gale.iostream.SslIOStream;
import io.gale.iostream.TlsOptions;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

/**
 * A server connection's plain stream that tells its {@link TcpServer} when it closes, however it
 * closes (every close goes through {@link #close(Throwable)}), without using the single close
 * callback, which belongs to the application. A stream converted with {@link #startTls} counts as
 * closed: the TLS stream that replaces it is not tracked.
 *
 * <p>Threading: as {@link IOStream}.
 */
final class TrackedIOStream extends IOStream {
    private final ConnectionTracker tracker;

    TrackedIOStream(IOLoop loop, SocketChannel channel, IOStreamOptions options, ConnectionTracker tracker) {
        super(loop, channel, options);
        this.tracker = tracker;
    }

    @Override
    public void close(Throwable reason) {
        boolean wasOpen = loop().inLoop() && !isClosed();
        super.close(reason);
        if (wasOpen && isClosed() && tracker != null) {
            tracker.closed(this);
        }
    }

    @Override
    public CompletableFuture<SslIOStream> startTls(SSLContext context, TlsOptions tls) {
        boolean wasOpen = !isClosed();
        CompletableFuture<SslIOStream> f = super.startTls(context, tls);
        if (wasOpen && isClosed()) {
            tracker.closed(this);
        }
        return f;
    }
}
