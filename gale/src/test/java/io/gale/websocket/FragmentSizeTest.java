package io.gale.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.net.ConnectOptions;
import io.gale.web.Application;
import io.gale.web.Route;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Outgoing fragmentation ({@link WebSocketHandler#maxFragmentSize()}): the encoder's frame layout
 * for every boundary case, and a handler on the real HTTP server whose echoes arrive as frames of
 * at most N bytes, plain and compressed, reassembled by Gale's client.
 */
@Timeout(60)
class FragmentSizeTest {
    private static AppServer server;

    /** Echoes every message in frames of at most 10 bytes. */
    public static final class SmallFrames extends WebSocketHandler {
        @Override
        protected CompletionStage<?> onMessage(WebSocketMessage message) {
            return writeMessage(message);
        }

        @Override
        protected int maxFragmentSize() {
            return 10;
        }

        @Override
        protected CompressionOptions getCompressionOptions() {
            return CompressionOptions.defaults();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = new AppServer(new Application(List.of(Route.url("/small", SmallFrames.class))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** One decoded frame. */
    private record Frame(int opcode, boolean fin, boolean rsv1, byte[] payload) {
    }

    private static List<Frame> decode(boolean server, byte[] wire) {
        List<Frame> frames = new ArrayList<>();
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        int[] op = new int[1];
        boolean[] rsv = new boolean[1];
        FrameDecoder d = new FrameDecoder(server);
        d.setDeflateNegotiated(true);
        int n = d.decode(wire, 0, wire.length, new FrameDecoder.Sink() {
            @Override
            public boolean dataFrameStart(int opcode, boolean fin, boolean rsv1, long length) {
                op[0] = opcode;
                rsv[0] = rsv1;
                return true;
            }

            @Override
            public boolean dataPayload(byte[] a, int off, int len) {
                payload.write(a, off, len);
                return true;
            }

            @Override
            public boolean dataFrameEnd(boolean fin) {
                frames.add(new Frame(op[0], fin, rsv[0], payload.toByteArray()));
                payload.reset();
                return true;
            }

            @Override
            public boolean control(int opcode, byte[] p) {
                throw new AssertionError("control frame " + opcode);
            }

            @Override
            public void protocolError(int closeCode, String reason) {
                throw new AssertionError(closeCode + " " + reason);
            }
        });
        assertThat(n).isEqualTo(wire.length);
        return frames;
    }

    @Test
    void encoderSplitsAtEveryBoundary() {
        byte[] data = new byte[70_003];
        new Random(7).nextBytes(data);
        // len, max → expected frame count (header sizes change at 126 and 65536 bytes)
        int[][] cases = {{0, 10, 1}, {1, 10, 1}, {10, 10, 1}, {11, 10, 2}, {20, 10, 2}, {21, 10, 3},
                {300, 125, 3}, {300, 126, 3}, {70_000, 65_536, 2}, {70_000, 1, 70_000}, {70_000, Integer.MAX_VALUE, 1}};
        for (int[] c : cases) {
            for (boolean masked : new boolean[] {false, true}) {
                byte[] wire = FrameEncoder.encodeFragmented(FrameDecoder.BINARY, true, data, 3, c[0], c[1], masked ? new MaskKeySource() : null);
                List<Frame> frames = decode(masked, wire);
                String what = "len " + c[0] + " max " + c[1] + " masked " + masked;
                assertThat(frames).as(what).hasSize(c[2]);
                ByteArrayOutputStream joined = new ByteArrayOutputStream();
                for (int i = 0; i < frames.size(); i++) {
                    Frame f = frames.get(i);
                    assertThat(f.opcode()).as(what).isEqualTo(i == 0 ? FrameDecoder.BINARY : FrameDecoder.CONTINUATION);
                    assertThat(f.rsv1()).as(what).isEqualTo(i == 0); // RSV1 only on the first frame
                    assertThat(f.fin()).as(what).isEqualTo(i == frames.size() - 1);
                    assertThat(f.payload().length).as(what).isLessThanOrEqualTo(c[1]);
                    joined.writeBytes(f.payload());
                }
                byte[] expected = new byte[c[0]];
                System.arraycopy(data, 3, expected, 0, c[0]);
                assertThat(joined.toByteArray()).as(what).isEqualTo(expected);
            }
        }
    }

    @Test
    void nonPositiveSizesAreRejected() {
        assertThatThrownBy(() -> FrameEncoder.encodeFragmented(1, false, new byte[1], 0, 1, 0, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebSocketProtocol.Settings(1, Duration.ZERO, Duration.ZERO, Duration.ZERO, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static RawClient upgrade() throws Exception {
        RawClient c = new RawClient(server.port);
        c.socket.getOutputStream().write(("GET /small HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(UTF_8));
        InputStream in = c.socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(UTF_8).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).isNotNegative();
            head.write(b);
        }
        assertThat(head.toString(UTF_8)).startsWith("HTTP/1.1 101 ");
        return c;
    }

    @Test
    void serverEchoArrivesInFramesOfAtMostTenBytes() throws Exception {
        try (RawClient c = upgrade()) {
            String text = "twenty-five bytes of text";
            c.sendText(text);
            List<RawClient.Frame> frames = new ArrayList<>();
            StringBuilder joined = new StringBuilder();
            do {
                frames.add(c.readFrame());
                joined.append(frames.getLast().text());
            } while (!frames.getLast().fin());
            assertThat(frames).extracting(f -> f.payload().length).containsExactly(10, 10, 5);
            assertThat(frames).extracting(RawClient.Frame::opcode).containsExactly(1, 0, 0);
            assertThat(joined.toString()).isEqualTo(text);
            c.sendText("short");
            RawClient.Frame one = c.readFrame();
            assertThat(one.fin()).isTrue();
            assertThat(one.text()).isEqualTo("short");
            c.cleanClose();
        }
    }

    @Test
    void compressedEchoIsSplitAfterCompressionAndReassembled() throws Exception {
        WebSocketClientOptions options = WebSocketClientOptions.builder()
                .connect(ConnectOptions.builder().loop(server.loop).build())
                .compression(CompressionOptions.defaults()).build();
        WebSocketClientConnection c = WebSocketClient.connect(URI.create("ws://127.0.0.1:" + server.port + "/small"),
                options).get(10, SECONDS);
        assertThat(c.headers().get("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
        byte[] random = new byte[5_000];
        new Random(3).nextBytes(random);
        for (int i = 0; i < 3; i++) { // context takeover across fragmented messages
            String text = ("message " + i + " ").repeat(400);
            c.writeMessage(text);
            assertThat(c.readMessage().get(10, SECONDS).text()).isEqualTo(text);
            c.writeMessage(random);
            assertThat(c.readMessage().get(10, SECONDS).data()).isEqualTo(random);
        }
        c.close();
        c.closeFuture().get(10, SECONDS);
    }
}
