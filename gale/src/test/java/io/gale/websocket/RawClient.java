package io.gale.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A blocking raw-socket WebSocket peer for tests, written independently of the codec under test:
 * builds frames byte by byte (masked like a client), sends them whole, in chops or octet-wise,
 * and parses the server's frames.
 */
final class RawClient implements Closeable {
    record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF) : 1005;
        }
    }

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Frame bytes: {@code flags} holds FIN (0x80) and RSV bits (0x70), masked with a random key. */
    static byte[] frame(int flags, int opcode, byte[] payload, boolean masked) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(flags | opcode);
        int m = masked ? 0x80 : 0;
        int n = payload.length;
        if (n < 126) {
            b.write(m | n);
        } else if (n < 65536) {
            b.write(m | 126);
            b.write(n >> 8);
            b.write(n);
        } else {
            b.write(m | 127);
            for (int s = 56; s >= 0; s -= 8) {
                b.write((int) ((long) n >> s));
            }
        }
        byte[] key = new byte[4];
        ThreadLocalRandom.current().nextBytes(key);
        if (masked) {
            b.writeBytes(key);
        }
        for (int i = 0; i < n; i++) {
            b.write(masked ? payload[i] ^ key[i % 4] : payload[i]);
        }
        return b.toByteArray();
    }

    static byte[] frame(int flags, int opcode, byte[] payload) {
        return frame(flags, opcode, payload, true);
    }

    void send(int flags, int opcode, byte[] payload) throws IOException {
        sendRaw(frame(flags, opcode, payload), 0);
    }

    void sendText(String s) throws IOException {
        send(0x80, 1, s.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends bytes in pieces of {@code chop} bytes (0: all at once). Ignores a peer that already closed. */
    void sendRaw(byte[] bytes, int chop) throws IOException {
        try {
            if (chop <= 0) {
                out.write(bytes);
            } else {
                for (int i = 0; i < bytes.length; i += chop) {
                    out.write(bytes, i, Math.min(chop, bytes.length - i));
                    out.flush();
                }
            }
            out.flush();
        } catch (SocketException e) {
            // the server failed the connection already; the reads will tell
        }
    }

    void sendClose(int code, String reason) throws IOException {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        send(0x80, 8, p);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    Frame readFrame() throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        assertThat(b1 & 0x80).as("server frames are unmasked").isZero();
        long n = b1 & 0x7F;
        if (n == 126) {
            n = (readByte() << 8) | readByte();
        } else if (n == 127) {
            n = 0;
            for (int i = 0; i < 8; i++) {
                n = (n << 8) | readByte();
            }
        }
        byte[] p = in.readNBytes((int) n);
        if (p.length != n) {
            throw new EOFException();
        }
        return new Frame((b0 & 0x80) != 0, (b0 >> 4) & 7, b0 & 0x0F, p);
    }

    /** Reads frames until a close frame, returning it; data frames before it are ignored. */
    Frame readUntilClose() throws IOException {
        while (true) {
            Frame f = readFrame();
            if (f.opcode() == 8) {
                return f;
            }
        }
    }

    /** Expects the server to close TCP (after any remaining bytes). */
    void expectEof() throws IOException {
        try {
            assertThat(in.read()).as("server closes TCP").isEqualTo(-1);
        } catch (SocketException e) {
            // connection reset: closed as well
        }
    }

    /** The server's close frame carries {@code code}, then TCP is closed. */
    void expectFailure(int code) throws IOException {
        Frame f = readUntilClose();
        assertThat(f.closeCode()).as("close code").isEqualTo(code);
        expectEof();
    }

    /** Client-initiated clean close: 1000 echoed, TCP closed by the server. */
    void cleanClose() throws IOException {
        sendClose(1000, "");
        Frame f = readFrame();
        assertThat(f.opcode()).as("close frame").isEqualTo(8);
        assertThat(f.closeCode()).isEqualTo(1000);
        expectEof();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
