package io.gale.bench.echo;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client connection of {@link EchoLoad}: reacts to its selector readiness and counts what it
 * moved. Subclasses define the traffic and check that every byte comes back as sent.
 *
 * <p>Threading: owned by the single selector thread of {@link EchoLoad}.
 */
abstract class LoadConnection {
    final SocketChannel channel;
    SelectionKey key;
    private int interest = -1;

    LoadConnection(SocketChannel channel) {
        this.channel = channel;
    }

    /** Sends the first data; called once after registration. */
    abstract void start() throws IOException;

    /** The socket has data; {@code scratch} is shared by all connections, free to overwrite. */
    abstract void onReadable(ByteBuffer scratch) throws IOException;

    /** The socket can take more data. */
    abstract void onWritable() throws IOException;

    /** Bytes sent so far. */
    abstract long sent();

    /** Bytes received (echoed and checked) so far. */
    abstract long received();

    /** Reads once into {@code scratch} (cleared first, flipped after); fails on end of stream. */
    final int readInto(ByteBuffer scratch) throws IOException {
        scratch.clear();
        int r = channel.read(scratch);
        if (r < 0) {
            throw new EOFException("server closed the connection");
        }
        scratch.flip();
        return r;
    }

    /** Sets the selector interest, skipping the call when unchanged. */
    final void interest(int ops) {
        if (ops != interest) {
            interest = ops;
            key.interestOps(ops);
        }
    }

    final boolean waitingForWritable() {
        return (interest & SelectionKey.OP_WRITE) != 0;
    }
}
