package io.gale.bench.ws;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One WebSocket connection of {@link FanoutLoad}: a subscriber (counted, checked) or a publisher's
 * connection (which is in the room too: what it receives is read and dropped, apart from error
 * replies). Reads server frames (unmasked, unfragmented: both servers send each message as one
 * frame), hands each text payload to {@link #onText}; writes masked client frames.
 *
 * <p>The room's messages carry {@code "body":"RUN PHASE PUBLISHER SEQ NANOS xxx..."} (Gale's chat:
 * {@code {"id", "body", "html"}}; Socket.IO: {@code 42["message",{"id","body","html"}]}).
 *
 * <p>Threading: reading and the per-connection checks belong to one {@link FanoutReceiver}
 * thread; {@link #send} may be called from any thread (publishers, the receiver's pongs), one at a
 * time per connection ({@code synchronized}).
 */
final class FanoutConnection {
    enum Protocol { GALE, SOCKETIO }

    private static final byte[] BODY_KEY = "\"body\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR_KEY = "\"error\"".getBytes(StandardCharsets.US_ASCII);
    private static final long WRITE_TIMEOUT_NANOS = 10_000_000_000L;

    final SocketChannel channel;
    final Protocol protocol;
    final boolean subscriber;
    final int serverIndex;
    private final ByteBuffer in = ByteBuffer.allocate(256 * 1024);
    private final long[] fields = new long[5];
    private final long run;
    private int maskState;

    /** Receiver-confined: the phase this connection is in, the next sequence number expected per publisher. */
    int phase = -1;
    final long[] expect;
    boolean synced;

    FanoutConnection(SocketChannel channel, Protocol protocol, boolean subscriber, int serverIndex, int publishers,
            ByteBuffer early, int seed, long run) {
        this.run = run;
        this.channel = channel;
        this.protocol = protocol;
        this.subscriber = subscriber;
        this.serverIndex = serverIndex;
        this.expect = new long[publishers];
        this.in.put(early);
        this.maskState = seed * 0x9E3779B9 | 1;
    }

    /**
     * Socket.IO only, on the blocking channel right after the handshake: sends CONNECT for the main
     * namespace and reads up to its acknowledgement ({@code 40{"sid":…}}), skipping Engine.IO's open
     * packet; a message sent before it would be refused. What follows the acknowledgement stays
     * in the buffer for {@link #start}.
     */
    void connectSocketIo() throws IOException {
        send("40");
        byte[] a = in.array();
        while (true) {
            in.flip();
            while (in.remaining() >= 2) {
                int p = in.position();
                int len = a[p + 1] & 0x7f;
                if (len >= 126 || (a[p] & 0x0f) != 1) {
                    throw new IOException("unexpected frame before the Socket.IO connect acknowledgement");
                }
                if (in.remaining() < 2 + len) {
                    break;
                }
                in.position(p + 2 + len);
                if (len >= 2 && a[p + 2] == '4' && a[p + 3] == '0') {
                    in.compact();
                    return;
                }
            }
            in.compact();
            if (channel.read(in) < 0) {
                throw new EOFException("server closed before acknowledging the Socket.IO connect");
            }
        }
    }

    /** Handles whatever arrived already with the handshake response. */
    void start(FanoutReceiver r) throws IOException {
        parse(r);
    }

    /** Reads what is there and handles every complete frame. */
    void onReadable(FanoutReceiver r) throws IOException {
        int n = channel.read(in);
        if (n < 0) {
            throw new EOFException("server closed the connection");
        }
        parse(r);
    }

    private void parse(FanoutReceiver r) throws IOException {
        in.flip();
        byte[] a = in.array();
        while (true) {
            int p = in.position(), avail = in.remaining();
            if (avail < 2) {
                break;
            }
            int b0 = a[p] & 0xff, b1 = a[p + 1] & 0xff;
            if ((b1 & 0x80) != 0) {
                throw new IOException("masked frame from the server");
            }
            long len = b1 & 0x7f;
            int head = 2;
            if (len == 126) {
                if (avail < 4) {
                    break;
                }
                len = ((a[p + 2] & 0xff) << 8) | (a[p + 3] & 0xff);
                head = 4;
            } else if (len == 127) {
                if (avail < 10) {
                    break;
                }
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = (len << 8) | (a[p + 2 + i] & 0xff);
                }
                head = 10;
            }
            if (len > in.capacity() - head) {
                throw new IOException("frame of " + len + " bytes");
            }
            if (avail < head + len) {
                break;
            }
            int opcode = b0 & 0x0f;
            int start = p + head, end = (int) (start + len);
            if ((b0 & 0x80) == 0 || opcode == 0) {
                throw new IOException("fragmented frame (opcode " + opcode + ")");
            }
            switch (opcode) {
                case 1 -> onText(r, a, start, end);
                case 8 -> throw new IOException("server sent close");
                case 9 -> sendFrame(0xA, a, start, end - start);
                case 10 -> { }
                default -> throw new IOException("unexpected opcode " + opcode);
            }
            in.position(end);
        }
        in.compact();
    }

    private void onText(FanoutReceiver r, byte[] a, int from, int to) throws IOException {
        if (protocol == Protocol.SOCKETIO) {
            if (to - from == 1 && a[from] == '2') {
                send("3"); // Engine.IO ping → pong
                return;
            }
            if (to - from >= 2 && a[from] == '4' && (a[from + 1] == '1' || a[from + 1] == '4')) {
                throw new IOException("Socket.IO disconnect/error: " + new String(a, from, to - from, StandardCharsets.UTF_8));
            }
            if (to - from < 2 || a[from] != '4' || a[from + 1] != '2') {
                return; // Engine.IO open, Socket.IO connect acknowledgement
            }
        }
        int body = indexOf(a, from, to, BODY_KEY);
        if (body < 0) {
            if (indexOf(a, from, to, ERROR_KEY) >= 0) {
                throw new IOException("server error: " + new String(a, from, to - from, StandardCharsets.UTF_8));
            }
            throw new IOException("message without a body: " + new String(a, from, Math.min(to - from, 200),
                    StandardCharsets.UTF_8));
        }
        int i = body + BODY_KEY.length;
        while (i < to && (a[i] == ':' || a[i] == ' ')) {
            i++;
        }
        if (i >= to || a[i] != '"') {
            throw new IOException("malformed body");
        }
        i++;
        for (int f = 0; f < 5; f++) {
            long v = 0;
            int digits = 0;
            while (i < to && a[i] >= '0' && a[i] <= '9') {
                v = v * 10 + (a[i] - '0');
                i++;
                digits++;
            }
            if (digits == 0) {
                // not one of this run's messages (a chat history line from elsewhere): not counted
                r.foreign++;
                return;
            }
            fields[f] = v;
            i++;
        }
        if (fields[0] != run) {
            r.foreign++; // another run's message, from the chat's history
            return;
        }
        if (subscriber) {
            r.onMessage(this, (int) fields[1], (int) fields[2], fields[3], fields[4]);
        }
    }

    private static int indexOf(byte[] a, int from, int to, byte[] key) {
        outer:
        for (int i = from; i <= to - key.length; i++) {
            for (int j = 0; j < key.length; j++) {
                if (a[i + j] != key[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Sends a masked text frame. */
    void send(String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        sendFrame(0x1, b, 0, b.length);
    }

    synchronized void sendFrame(int opcode, byte[] payload, int off, int len) throws IOException {
        int head = len < 126 ? 2 : len < 65536 ? 4 : 10;
        ByteBuffer out = ByteBuffer.allocate(head + 4 + len);
        out.put((byte) (0x80 | opcode));
        if (len < 126) {
            out.put((byte) (0x80 | len));
        } else if (len < 65536) {
            out.put((byte) (0x80 | 126)).putShort((short) len);
        } else {
            out.put((byte) (0x80 | 127)).putLong(len);
        }
        maskState ^= maskState << 13;
        maskState ^= maskState >>> 17;
        maskState ^= maskState << 5;
        int mask = maskState;
        out.putInt(mask);
        for (int i = 0; i < len; i++) {
            out.put((byte) (payload[off + i] ^ (mask >>> (24 - 8 * (i & 3)))));
        }
        out.flip();
        long deadline = 0;
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                long now = System.nanoTime();
                if (deadline == 0) {
                    deadline = now + WRITE_TIMEOUT_NANOS;
                } else if (now > deadline) {
                    throw new IOException("write stalled for 10 s");
                }
                Thread.onSpinWait();
            }
        }
    }
}
