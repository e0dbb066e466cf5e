package io.gale.bench.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.bench.echo.LatencyHistogram;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client's framing against a hand-driven fake server on a loopback socket. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EchoClientConnectionTest {
    private static final int SIZE = 300; // > 125: the 16-bit length form, as the benchmark's 1 KB

    private ServerSocketChannel listener;
    private SocketChannel server;
    private SocketChannel client;
    private Selector selector;
    private EchoClientConnection conn;

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(listener.getLocalAddress());
        server = listener.accept();
        client.configureBlocking(false);
        selector = Selector.open();
        conn = new EchoClientConnection(client, 7, WsLoad.template(SIZE), 1, new LatencyHistogram(),
                ByteBuffer.allocate(0));
        conn.key = client.register(selector, 0, conn);
    }

    @AfterEach
    void close() throws IOException {
        selector.close();
        client.close();
        server.close();
        listener.close();
    }

    /** Reads one client frame, checks it is masked text, returns its unmasked payload. */
    private byte[] readClientFrame() throws IOException {
        ByteBuffer head = read(8);
        assertThat(head.get(0) & 0xff).isEqualTo(0x81);
        assertThat(head.get(1) & 0xff).isEqualTo(0x80 | 126);
        assertThat(((head.get(2) & 0xff) << 8) | (head.get(3) & 0xff)).isEqualTo(SIZE);
        ByteBuffer body = read(SIZE);
        byte[] payload = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) {
            payload[i] = (byte) (body.get(i) ^ head.get(4 + (i & 3)));
        }
        return payload;
    }

    private ByteBuffer read(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (server.read(b) < 0) {
                throw new IOException("client closed");
            }
        }
        return b.flip();
    }

    private static byte[] serverFrame(int b0, byte[] payload) {
        ByteBuffer f = ByteBuffer.allocate(4 + payload.length);
        f.put((byte) b0).put((byte) 126).putShort((short) payload.length).put(payload);
        return f.array();
    }

    /** Sends the client's first message back through {@code edit}, then lets the client read. */
    private void echoFirst(UnaryOperator<byte[]> edit) throws IOException {
        conn.start();
        byte[] payload = readClientFrame();
        server.write(ByteBuffer.wrap(edit.apply(serverFrame(0x81, payload))));
        for (int i = 0; i < 100 && conn.received() == 0; i++) {
            if (selector.select(100) > 0) {
                for (SelectionKey k : selector.selectedKeys()) {
                    if (k.isReadable()) {
                        conn.onReadable();
                    }
                }
                selector.selectedKeys().clear();
            }
        }
    }

    @Test
    void countsACorrectEchoAndSendsTheNextMessage() throws IOException {
        echoFirst(f -> f);
        assertThat(conn.received()).isEqualTo(1);
        byte[] second = readClientFrame();
        assertThat(new String(second, 0, 16, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("0000000000000001");
    }

    @Test
    void failsOnAChangedPayloadByte() {
        assertThatThrownBy(() -> echoFirst(f -> {
            f[f.length - 1] ^= 1;
            return f;
        })).isInstanceOf(IOException.class).hasMessageContaining("differs");
    }

    @Test
    void failsOnABinaryOrUnfinishedFrame() {
        assertThatThrownBy(() -> echoFirst(f -> {
            f[0] = (byte) 0x82;
            return f;
        })).hasMessageContaining("final text frame");
    }

    @Test
    void failsOnAMaskedServerFrame() {
        assertThatThrownBy(() -> echoFirst(f -> {
            f[1] |= (byte) 0x80;
            return f;
        })).hasMessageContaining("masked");
    }

    @Test
    void failsOnAWrongLength() {
        assertThatThrownBy(() -> echoFirst(f -> {
            f[3] = (byte) (f[3] - 1);
            return f;
        })).hasMessageContaining("echo of 299 bytes");
    }

    @Test
    void failsWhenTheServerCloses() {
        assertThatThrownBy(() -> {
            conn.start();
            readClientFrame();
            server.close();
            for (int i = 0; i < 100; i++) {
                if (selector.select(100) > 0) {
                    conn.onReadable();
                }
            }
        }).hasMessageContaining("server closed");
    }
}
