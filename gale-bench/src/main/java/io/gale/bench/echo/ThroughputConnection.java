package io.gale.bench.echo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * Streams {@code chunk}-byte writes as fast as the socket takes them while reading the echo,
 * keeping at most {@code window} bytes sent and not yet echoed (so the figure is throughput, not
 * how much the kernels can buffer). The byte at stream offset {@code o} is {@code o % 251}; each
 * read is checked at its first, middle and last byte, which catches lost, duplicated and
 * reordered data without costing the client a pass over every byte.
 *
 * <p>Threading: as {@link LoadConnection}.
 */
final class ThroughputConnection extends LoadConnection {
    static final int PERIOD = 251;

    private final ByteBuffer source;
    private final int chunk;
    private final long window;
    private long sent;
    private long received;

    /**
     * @param pattern shared, read-only: {@code chunk + PERIOD} bytes, byte {@code i} = {@code i % PERIOD}
     */
    ThroughputConnection(SocketChannel channel, ByteBuffer pattern, int chunk, long window) {
        super(channel);
        this.source = pattern.duplicate();
        this.source.limit(0);
        this.chunk = chunk;
        this.window = window;
    }

    static ByteBuffer pattern(int chunk) {
        ByteBuffer p = ByteBuffer.allocateDirect(chunk + PERIOD);
        for (int i = 0; i < p.capacity(); i++) {
            p.put(i, (byte) (i % PERIOD));
        }
        return p;
    }

    @Override
    void start() throws IOException {
        pump();
    }

    @Override
    void onWritable() throws IOException {
        pump();
    }

    @Override
    void onReadable(ByteBuffer scratch) throws IOException {
        while (true) {
            int r = readInto(scratch);
            if (r == 0) {
                break;
            }
            check(scratch, 0, r);
            check(scratch, r / 2, r);
            check(scratch, r - 1, r);
            received += r;
            if (sent < received) {
                throw new IOException("received " + received + " bytes but sent only " + sent);
            }
            if (r < scratch.capacity()) {
                break; // a short read: the socket is most likely drained; skip the extra syscall
            }
        }
        if (!waitingForWritable()) {
            pump(); // the window may have opened
        }
    }

    private void check(ByteBuffer b, int i, int r) throws IOException {
        byte want = (byte) ((received + i) % PERIOD);
        if (b.get(i) != want) {
            throw new IOException("echo mismatch at stream offset " + (received + i) + ": got " + b.get(i)
                    + ", want " + want + " (read of " + r + " bytes)");
        }
    }

    /** Writes until the window is full (then waits for echo) or the socket is (then waits for writability). */
    private void pump() throws IOException {
        while (true) {
            long room = window - (sent - received);
            if (room <= 0) {
                interest(SelectionKey.OP_READ);
                return;
            }
            if (!source.hasRemaining()) {
                int start = (int) (sent % PERIOD);
                source.limit(source.capacity()).position(start);
                source.limit(start + chunk);
            }
            int limit = source.limit();
            if (source.remaining() > room) {
                source.limit(source.position() + (int) room);
            }
            int w = channel.write(source);
            source.limit(limit);
            sent += w;
            if (w == 0) {
                interest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
        }
    }

    @Override
    long sent() {
        return sent;
    }

    @Override
    long received() {
        return received;
    }
}
