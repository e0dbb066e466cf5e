package io.gale.bench.echo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * Sends one message, waits until all of it has come back (every byte checked), records the round
 * trip, sends the next. Message {@code k} holds bytes {@code (k * 7 + i)}, so a stale or
 * misplaced echo is caught.
 *
 * <p>Threading: as {@link LoadConnection}.
 */
final class PingPongConnection extends LoadConnection {
    private final ByteBuffer message;
    private final LatencyHistogram latencies;
    private long seq;
    private int got;
    private long sentAt;

    PingPongConnection(SocketChannel channel, int size, LatencyHistogram latencies) {
        super(channel);
        this.message = ByteBuffer.allocateDirect(size);
        this.latencies = latencies;
    }

    @Override
    void start() throws IOException {
        send();
    }

    private void send() throws IOException {
        message.clear();
        for (int i = 0; i < message.capacity(); i++) {
            message.put(i, expected(i));
        }
        got = 0;
        sentAt = System.nanoTime();
        channel.write(message);
        interest(message.hasRemaining() ? SelectionKey.OP_WRITE | SelectionKey.OP_READ : SelectionKey.OP_READ);
    }

    private byte expected(int i) {
        return (byte) (seq * 7 + i);
    }

    @Override
    void onWritable() throws IOException {
        channel.write(message);
        if (!message.hasRemaining()) {
            interest(SelectionKey.OP_READ);
        }
    }

    @Override
    void onReadable(ByteBuffer scratch) throws IOException {
        int r = readInto(scratch);
        if (got + r > message.capacity()) {
            throw new IOException("echo longer than the message: " + (got + r) + " > " + message.capacity());
        }
        for (int i = 0; i < r; i++) {
            if (scratch.get(i) != expected(got + i)) {
                throw new IOException("echo mismatch in message " + seq + " at byte " + (got + i));
            }
        }
        got += r;
        if (got == message.capacity()) {
            latencies.record(System.nanoTime() - sentAt);
            seq++;
            send();
        }
    }

    @Override
    long sent() {
        return seq * message.capacity() + (message.position());
    }

    @Override
    long received() {
        return seq * message.capacity() + got;
    }
}
