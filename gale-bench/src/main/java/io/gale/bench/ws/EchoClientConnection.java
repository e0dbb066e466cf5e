package io.gale.bench.ws;

import io.gale.bench.echo.LatencyHistogram;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * One echo connection of {@link WsLoad}: keeps {@code window} masked text messages of
 * {@code size} bytes in flight, and checks every echoed frame completely: FIN + text opcode,
 * unmasked, the exact length, and every payload byte (message {@code k} starts with {@code k} as
 * 16 hex digits, so a lost, repeated or reordered message is caught).
 *
 * <p>Threading: owned by WsLoad's single selector thread.
 */
final class EchoClientConnection {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int SEQ_DIGITS = 16;

    final SocketChannel channel;
    SelectionKey key;
    private final int id;
    private final int size;
    private final int window;
    private final byte[] template;
    private final byte[] frame;
    private final byte[] expected;
    private final ByteBuffer out;
    private final ByteBuffer in;
    private final long[] sentAt;
    private final LatencyHistogram latencies;
    private long sent;
    private long received;
    private int interest = -1;

    /**
     * @param template the payload pattern ({@code size} ASCII bytes), shared and never written
     * @param early bytes the server sent right after its handshake response
     */
    EchoClientConnection(SocketChannel channel, int id, byte[] template, int window, LatencyHistogram latencies,
            ByteBuffer early) {
        this.channel = channel;
        this.id = id;
        this.size = template.length;
        this.window = window;
        this.template = template;
        this.frame = new byte[headerLength(size) + 4 + size];
        this.expected = template.clone();
        this.out = ByteBuffer.allocateDirect(window * frame.length).flip();
        this.in = ByteBuffer.allocate(Math.max(64 * 1024, 2 * window * (size + 10)));
        this.in.put(early);
        this.sentAt = new long[window];
        this.latencies = latencies;
    }

    static int headerLength(int payload) {
        return payload < 126 ? 2 : payload < 65536 ? 4 : 10;
    }

    long received() {
        return received;
    }

    /** Fills the window and starts writing; called once after registration. */
    void start() throws IOException {
        if (in.position() > 0) {
            in.flip();
            parse();
            in.compact();
        }
        fill();
    }

    void onWritable() throws IOException {
        flush();
    }

    void onReadable() throws IOException {
        int r = channel.read(in);
        if (r < 0) {
            throw new EOFException("server closed connection " + id + " after " + received + " echoes");
        }
        in.flip();
        parse();
        in.compact();
        fill();
    }

    /** Consumes every complete frame in {@code in} (flipped). */
    private void parse() throws IOException {
        byte[] a = in.array();
        while (in.remaining() >= 2) {
            int p = in.position();
            int b0 = a[p] & 0xff;
            int b1 = a[p + 1] & 0xff;
            if (b0 != 0x81) {
                throw new IOException("connection " + id + ": expected a final text frame, got first byte 0x"
                        + Integer.toHexString(b0));
            }
            if ((b1 & 0x80) != 0) {
                throw new IOException("connection " + id + ": server frame is masked");
            }
            int len7 = b1 & 0x7f;
            int head = len7 < 126 ? 2 : len7 == 126 ? 4 : 10;
            if (in.remaining() < head) {
                return;
            }
            long len = len7 < 126 ? len7 : len7 == 126 ? ((a[p + 2] & 0xff) << 8) | (a[p + 3] & 0xff) : -1;
            if (len != size) {
                throw new IOException("connection " + id + ": echo of " + len + " bytes, sent " + size);
            }
            if (in.remaining() < head + size) {
                return;
            }
            if (received >= sent) {
                throw new IOException("connection " + id + ": echo of a message never sent");
            }
            writeSeq(expected, 0, received);
            int from = p + head;
            if (!Arrays.equals(a, from, from + size, expected, 0, size)) {
                throw new IOException("connection " + id + ": echo of message " + received + " differs");
            }
            latencies.record(System.nanoTime() - sentAt[(int) (received % window)]);
            received++;
            in.position(from + size);
        }
    }

    /** Queues messages until {@code window} are in flight, then writes. */
    private void fill() throws IOException {
        if (sent - received < window) {
            out.compact();
            while (sent - received < window) {
                encode(sent);
                out.put(frame);
                sentAt[(int) (sent % window)] = System.nanoTime();
                sent++;
            }
            out.flip();
        }
        flush();
    }

    private void flush() throws IOException {
        if (out.hasRemaining()) {
            channel.write(out);
        }
        interest(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    /** Builds message {@code seq} as a masked client frame in {@code frame}. */
    private void encode(long seq) {
        int h = headerLength(size);
        frame[0] = (byte) 0x81;
        if (h == 2) {
            frame[1] = (byte) (0x80 | size);
        } else if (h == 4) {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (size >>> 8);
            frame[3] = (byte) size;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) size >>> (56 - 8 * i));
            }
        }
        // A different key per frame (the server must unmask correctly); randomness is not needed here.
        int mask = (int) ((seq + 1) * 0x9E3779B97F4A7C15L >>> 32) ^ (id * 0x85EBCA6B);
        int m = h;
        frame[m] = (byte) (mask >>> 24);
        frame[m + 1] = (byte) (mask >>> 16);
        frame[m + 2] = (byte) (mask >>> 8);
        frame[m + 3] = (byte) mask;
        int p = m + 4;
        System.arraycopy(template, 0, frame, p, size);
        writeSeq(frame, p, seq);
        for (int i = 0; i < size; i++) {
            frame[p + i] ^= frame[m + (i & 3)];
        }
    }

    /** Writes seq as 16 lowercase hex digits at off (the payload's first bytes). */
    static void writeSeq(byte[] dst, int off, long seq) {
        for (int i = SEQ_DIGITS - 1; i >= 0; i--) {
            dst[off + i] = HEX[(int) (seq & 0xf)];
            seq >>>= 4;
        }
    }

    private void interest(int ops) {
        if (ops != interest) {
            interest = ops;
            key.interestOps(ops);
        }
    }
}
