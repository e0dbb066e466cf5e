package io.gale.net;

import io.gale.iostream.IOStream;
import java.net.InetSocketAddress;

/**
 * Serves one accepted connection of a {@link TcpServer} (Tornado's {@code handle_stream}).
 *
 * <p>Called on the connection's own loop thread, once per connection, right after accepting. For
 * a TLS server the stream is an {@link io.gale.iostream.SslIOStream} whose handshake may still be
 * running: reads and writes wait for it, and {@code ((SslIOStream) stream).handshake()} completes
 * when it is done. An exception thrown here is logged and closes this connection only.
 */
@FunctionalInterface
public interface StreamHandler {
    /**
     * Handle stream.
     *
     * @param stream the connection; the handler owns it from now on (and closes it when done)
     * @param address the peer's address
     * @throws Exception any failure; the caller reports it
     */
    void handleStream(IOStream stream, InetSocketAddress address) throws Exception;
}
