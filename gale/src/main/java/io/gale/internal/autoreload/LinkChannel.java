package io.gale.internal.autoreload;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A blocking connection that carries {@link LinkMessage}s, one per line, between the supervisor
 * and a child over a Unix domain socket (in a directory only the user can enter, so no other
 * user can talk to the supervisor).
 *
 * <p>Threading: {@link #send} may be called from any thread (whole lines, serialised);
 * {@link #receive} from one reading thread at a time. Limits: a line holds at most
 * {@link #MAX_LINE} bytes; a longer one is an {@link IOException} and the connection is useless
 * afterwards.
 */
public final class LinkChannel implements AutoCloseable {
    /** Longest line read: 64 KiB (a class list of a large change is the longest message). */
    public static final int MAX_LINE = 64 * 1024;

    private final SocketChannel channel;
    private final Object writeLock = new Object();
    private final ByteBuffer in = ByteBuffer.allocate(MAX_LINE + 1);

    /**
     * Wraps a connected, blocking channel.
     *
     * @param channel the channel
     */
    public LinkChannel(SocketChannel channel) {
        this.channel = channel;
        in.flip();
    }

    /**
     * Connects to the supervisor's socket.
     *
     * @param socket the socket file
     * @return the connection
     * @throws IOException if the connection fails
     */
    public static LinkChannel connect(Path socket) throws IOException {
        return new LinkChannel(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
    }

    /**
     * Sends a message.
     *
     * @param message the message
     * @throws IOException if the peer is gone
     */
    public void send(LinkMessage message) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(message.encode().getBytes(StandardCharsets.UTF_8));
        synchronized (writeLock) {
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }
    }

    /**
     * Waits for the next message.
     *
     * @return the message, or null at the end of the stream
     * @throws IOException if reading fails, or a line is too long or malformed
     */
    public LinkMessage receive() throws IOException {
        while (true) {
            for (int i = in.position(); i < in.limit(); i++) {
                if (in.get(i) == '\n') {
                    byte[] line = new byte[i - in.position()];
                    in.get(line);
                    in.get(); // the LF
                    try {
                        return LinkMessage.decode(new String(line, StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException e) {
                        throw new IOException("malformed link message: " + e.getMessage(), e);
                    }
                }
            }
            in.compact();
            if (!in.hasRemaining()) {
                throw new IOException("link message longer than " + MAX_LINE + " bytes");
            }
            int n = channel.read(in);
            in.flip();
            if (n < 0) {
                return null;
            }
        }
    }

    /** Closes the connection; a blocked {@link #receive} returns or throws. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}
