package io.gale.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.ioloop.IOLoop;
import io.gale.net.ConnectOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The protocol engine over real sockets: limits, decompression bombs, flow control, keep-alive,
 * server-initiated close; and the client's handshake checks against a scripted raw server.
 */
@Timeout(30)
class ProtocolEngineTest {

    private static WebSocketProtocol.Settings limit(long max) {
        return new WebSocketProtocol.Settings(max, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(2));
    }

    @Test
    void messagesOverTheLimitClose1009WithoutWaitingForTheirBytes() throws Exception {
        try (ProtocolServerFixture s = new ProtocolServerFixture(limit(1000), null)) {
            try (RawClient c = new RawClient(s.port)) {
                c.send(0x80, 1, new byte[1000]);
                assertThat(c.readFrame().payload()).hasSize(1000); // at the limit: fine
                c.send(0x80, 2, new byte[1001]);
                c.expectFailure(1009);
            }
            try (RawClient c = new RawClient(s.port)) {
                c.send(0x00, 2, new byte[600]);
                c.send(0x80, 0, new byte[600]);
                c.expectFailure(1009);
            }
            try (RawClient c = new RawClient(s.port)) {
                // Only the header of a 1 TiB frame: the verdict comes before any payload.
                c.sendRaw(new byte[] {(byte) 0x82, (byte) 0xFF, 0, 0, 1, 0, 0, 0, 0, 0, 1, 2, 3, 4}, 0);
                c.expectFailure(1009);
            }
            try (RawClient c = new RawClient(s.port)) {
                // A first fragment, then a continuation announcing 2^63-1 bytes: the announced
                // total overflows a long (found by WebSocketFuzzTest#frameDecoder); still 1009 at once.
                c.send(0x00, 2, new byte[3]);
                c.sendRaw(new byte[] {(byte) 0x80, (byte) 0xFF, 0x7F, -1, -1, -1, -1, -1, -1, -1, 1, 2, 3, 4}, 0);
                c.expectFailure(1009);
            }
            assertThat(s.closeCodes.poll(5, SECONDS)).isEqualTo(CloseCodes.ABNORMAL); // no close frame from the client
        }
    }

    @Test
    void decompressionBombIsStoppedByTheMessageSizeLimit() throws Exception {
        DeflateParams deflate = new DeflateParams(6, false, false, "permessage-deflate");
        try (ProtocolServerFixture s = new ProtocolServerFixture(limit(1 << 20), deflate);
                RawClient c = new RawClient(s.port)) {
            Deflater d = new Deflater(9, true);
            byte[] zeros = new byte[64 << 20];
            byte[] z = AutobahnConformanceTest.deflate(d, zeros);
            d.end();
            assertThat(z.length).isLessThan(200_000);
            c.sendRaw(RawClient.frame(0xC0, 2, z), 0);
            RawClient.Frame f = c.readUntilClose();
            assertThat(f.closeCode()).isEqualTo(1009);
            assertThat(new String(f.payload(), 2, f.payload().length - 2, UTF_8)).contains("after decompression");
            c.expectEof();
        }
    }

    @Test
    void corruptCompressedDataCloses1007() throws Exception {
        DeflateParams deflate = new DeflateParams(6, false, false, "permessage-deflate");
        try (ProtocolServerFixture s = new ProtocolServerFixture(limit(1 << 20), deflate);
                RawClient c = new RawClient(s.port)) {
            c.sendRaw(RawClient.frame(0xC0, 2, new byte[] {(byte) 0xFF, (byte) 0xFF, 0x12, 0x34}), 0);
            c.expectFailure(1007);
        }
    }

    @Test
    void aPendingMessageStageHoldsBackTheNextMessageAndControlFrames() throws Exception {
        LinkedBlockingQueue<String> delivered = new LinkedBlockingQueue<>();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        try (ProtocolServerFixture s = new ProtocolServerFixture(limit(1 << 20), null, self -> new Listener() {
            @Override
            public CompletionStage<?> onMessage(WebSocketMessage m) {
                delivered.add(m.text());
                CompletableFuture<Void> echoed = self[0].write(m);
                return m.text().equals("first") ? gate.thenCompose(v -> echoed) : echoed;
            }
        }); RawClient c = new RawClient(s.port)) {
            c.sendRaw(concat(RawClient.frame(0x80, 1, "first".getBytes(UTF_8)),
                    RawClient.frame(0x80, 1, "second".getBytes(UTF_8)), RawClient.frame(0x80, 9, "p".getBytes(UTF_8))), 0);
            assertThat(delivered.poll(5, SECONDS)).isEqualTo("first");
            assertThat(c.readFrame().text()).isEqualTo("first"); // the echo itself is not held back
            c.socket.setSoTimeout(300);
            assertThatThrownBy(c::readFrame).as("nothing decoded while the stage is pending")
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(delivered).isEmpty();
            c.socket.setSoTimeout(10_000);
            s.loop.addCallback(() -> gate.complete(null));
            assertThat(delivered.poll(5, SECONDS)).isEqualTo("second");
            assertThat(c.readFrame().text()).isEqualTo("second");
            assertThat(c.readFrame().opcode()).isEqualTo(10);
            c.cleanClose();
        }
    }

    /** A listener with no-op defaults. */
    interface Listener extends WebSocketProtocol.Listener {
        @Override
        default void onPing(byte[] data) {
        }

        @Override
        default void onPong(byte[] data) {
        }

        @Override
        default void onClose(int code, String reason) {
        }
    }

    @Test
    void anUnresponsivePeerIsClosedAfterThePingTimeout() throws Exception {
        WebSocketProtocol.Settings settings = new WebSocketProtocol.Settings(1000, Duration.ofMillis(100),
                Duration.ofMillis(100), Duration.ofMillis(300));
        try (ProtocolServerFixture s = new ProtocolServerFixture(settings, null); RawClient c = new RawClient(s.port)) {
            RawClient.Frame ping = c.readFrame();
            assertThat(ping.opcode()).isEqualTo(9);
            RawClient.Frame close = c.readUntilClose(); // we never answer
            assertThat(close.closeCode()).isEqualTo(1000);
            assertThat(new String(close.payload(), 2, close.payload().length - 2, UTF_8)).isEqualTo("ping timed out");
            c.expectEof(); // the close timeout ends it, since we never echo the close either
        }
    }

    @Test
    void aPeerThatAnswersPingsStaysOpen() throws Exception {
        WebSocketProtocol.Settings settings = new WebSocketProtocol.Settings(1000, Duration.ofMillis(50),
                Duration.ofMillis(200), Duration.ofMillis(300));
        try (ProtocolServerFixture s = new ProtocolServerFixture(settings, null); RawClient c = new RawClient(s.port)) {
            for (int i = 0; i < 5; i++) {
                RawClient.Frame ping = c.readFrame();
                assertThat(ping.opcode()).isEqualTo(9);
                c.send(0x80, 10, ping.payload());
            }
            c.sendText("still here");
            RawClient.Frame f;
            do {
                f = c.readFrame();
            } while (f.opcode() == 9);
            assertThat(f.text()).isEqualTo("still here");
            c.cleanClose();
        }
    }

    @Test
    void serverInitiatedCloseCompletesWhenTheClientEchoes() throws Exception {
        try (ProtocolServerFixture s = new ProtocolServerFixture(limit(1000), null, self -> new Listener() {
            @Override
            public CompletionStage<?> onMessage(WebSocketMessage m) {
                self[0].close(4000, "bye");
                assertThatThrownBy(() -> self[0].write(m).join()).hasCauseInstanceOf(WebSocketClosedException.class);
                return null;
            }

            @Override
            public void onClose(int code, String reason) {
                ProtocolEngineTestHolder.codes.add(code + " " + reason);
            }
        }); RawClient c = new RawClient(s.port)) {
            c.sendText("close please");
            RawClient.Frame f = c.readFrame();
            assertThat(f.closeCode()).isEqualTo(4000);
            c.send(0x80, 8, f.payload());
            c.expectEof();
            assertThat(ProtocolEngineTestHolder.codes.poll(5, SECONDS)).isEqualTo("4000 bye");
        }
    }

    static final class ProtocolEngineTestHolder {
        static final LinkedBlockingQueue<String> codes = new LinkedBlockingQueue<>();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    // ------------------------------------------------------------------ client handshake

    /** Accepts one connection, reads the request head, answers with {@code answer(key)}. */
    private static CompletableFuture<String> scriptedServer(ServerSocket ss, java.util.function.Function<String, byte[]> answer) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = ss.accept()) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(UTF_8).endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    head.write(b);
                }
                String request = head.toString(UTF_8);
                String key = request.lines().filter(l -> l.startsWith("Sec-WebSocket-Key:")).findFirst().orElseThrow()
                        .substring(18).trim();
                OutputStream out = s.getOutputStream();
                out.write(answer.apply(key));
                out.flush();
                // Read the client's first frame (if any) to check masking, then close.
                int b0 = in.read();
                int b1 = in.read();
                return request + (b0 < 0 ? "" : "\nFRAME masked=" + ((b1 & 0x80) != 0));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static WebSocketClientOptions options(IOLoop loop) {
        return WebSocketClientOptions.builder().connect(ConnectOptions.builder().loop(loop).build()).build();
    }

    private static byte[] response101(String accept, String extra) {
        return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n" + extra + "\r\n").getBytes(UTF_8);
    }

    @Test
    void clientReadsFramesThatArriveWithThe101AndMasksItsFrames() throws Exception {
        IOLoop loop = new IOLoop();
        loop.startInBackground();
        try (ServerSocket ss = new ServerSocket(0)) {
            CompletableFuture<String> server = scriptedServer(ss, key -> concat(
                    response101(Handshake.acceptValue(key), "Sec-WebSocket-Protocol: chat\r\n"),
                    RawClient.frame(0x80, 1, "right behind".getBytes(UTF_8), false)));
            WebSocketClientConnection c = WebSocketClient.connect(URI.create("ws://127.0.0.1:" + ss.getLocalPort()
                    + "/path?q=1"), options(loop).toBuilder().subprotocols(List.of("chat", "other")).build()).get(10, SECONDS);
            assertThat(c.selectedSubprotocol()).isEqualTo("chat");
            assertThat(c.readMessage().get(5, SECONDS).text()).isEqualTo("right behind");
            c.writeMessage("hello");
            String request = server.get(10, SECONDS);
            assertThat(request).startsWith("GET /path?q=1 HTTP/1.1\r\n").contains("Sec-WebSocket-Version: 13\r\n")
                    .contains("Sec-WebSocket-Protocol: chat, other\r\n").endsWith("FRAME masked=true");
            assertThat(c.readMessage().get(5, SECONDS)).isNull(); // server closed: null, like Tornado
            assertThat(c.closeCode()).isEqualTo(CloseCodes.ABNORMAL);
        } finally {
            loop.stop();
            loop.close();
        }
    }

    @Test
    void clientRejectsBadHandshakeAnswers() throws Exception {
        IOLoop loop = new IOLoop();
        loop.startInBackground();
        try {
            assertHandshakeFails(loop, key -> "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".getBytes(UTF_8), 403,
                    "Non-websocket");
            assertHandshakeFails(loop, key -> response101("AAAAAAAAAAAAAAAAAAAAAAAAAAA=", ""), 101, "Accept");
            assertHandshakeFails(loop, key -> response101(Handshake.acceptValue(key), "Sec-WebSocket-Protocol: x\r\n"),
                    101, "subprotocol");
            assertHandshakeFails(loop, key -> response101(Handshake.acceptValue(key),
                    "Sec-WebSocket-Extensions: permessage-deflate\r\n"), 101, "not offered");
            assertHandshakeFails(loop, key -> "garbage\r\n\r\n".getBytes(UTF_8), 0, "malformed");
        } finally {
            loop.stop();
            loop.close();
        }
    }

    private static void assertHandshakeFails(IOLoop loop, java.util.function.Function<String, byte[]> answer, int status,
            String message) throws Exception {
        try (ServerSocket ss = new ServerSocket(0)) {
            scriptedServer(ss, answer);
            CompletableFuture<WebSocketClientConnection> f = WebSocketClient.connect(
                    URI.create("ws://127.0.0.1:" + ss.getLocalPort() + "/"), options(loop));
            assertThatThrownBy(() -> f.get(10, SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(WebSocketHandshakeException.class).hasMessageContaining(message)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e).status()).isEqualTo(status));
        }
    }

    @Test
    void clientRejectsUrlsThatAreNotWebSocketUrls() {
        assertThatThrownBy(() -> WebSocketClient.connect(URI.create("http://x/"), WebSocketClientOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
