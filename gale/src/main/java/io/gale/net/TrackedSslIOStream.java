package io.gale.net;

import io.gale.ioloop.IOLoop;
import io.gale.iostream.IOStreamOptions;
import io.gale.iostream.SslIOStream;
import io.gale.iostream.TlsOptions;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;

/**
 * A server connection's TLS stream that tells its {@link TcpServer} when it closes; see
 * {@link TrackedIOStream}. A close during construction (a handshake that fails at once) is not
 * reported: the server sees {@link #isClosed()} and never counts the stream.
 *
 * <p>Threading: as {@link SslIOStream}.
 */
final class TrackedSslIOStream extends SslIOStream {
    private final ConnectionTracker tracker;

    TrackedSslIOStream(IOLoop loop, SocketChannel channel, SSLContext context, TlsOptions tls,
            IOStreamOptions options, ConnectionTracker tracker) {
        super(loop, channel, context, tls, options);
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
}
