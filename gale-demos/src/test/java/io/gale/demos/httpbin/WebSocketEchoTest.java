package io.gale.demos.httpbin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gale.testing.TestServer;
import io.gale.ioloop.IOLoop;
import io.gale.net.ConnectOptions;
import io.gale.websocket.CompressionOptions;
import io.gale.websocket.WebSocketClient;
import io.gale.websocket.WebSocketClientConnection;
import io.gale.websocket.WebSocketClientOptions;
import io.gale.websocket.WebSocketMessage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * httpbin's {@code /websocket/echo} over real sockets: Gale's WebSocketClient (echo, compression,
 * the 1009 close), a raw socket that reads the frames the server fragments, the 400 answers to
 * bad parameters, and Python's {@code websockets} client (skipped when /usr/bin/python3 cannot
 * import it).
 */
@Timeout(60)
class WebSocketEchoTest {
    private static TestServer server;
    private static final IOLoop loop = new IOLoop();
    private static String ws;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(HttpBin.application());
        ws = server.baseUrl().replace("http://", "ws://") + "/websocket/echo";
        loop.startInBackground();
    }

    @AfterAll
    static void stop() {
        server.close();
        loop.close();
    }

    private static WebSocketClientConnection connect(String query, CompressionOptions compression) throws Exception {
        WebSocketClientOptions options = WebSocketClientOptions.builder()
                .connect(ConnectOptions.builder().loop(loop).build()).compression(compression).build();
        return WebSocketClient.connect(URI.create(ws + query), options).get(10, SECONDS);
    }

    @Test
    void echoesTextAndBinaryUnchangedWithAndWithoutCompression() throws Exception {
        byte[] data = new byte[300_000];
        new Random(5).nextBytes(data);
        for (CompressionOptions compression : new CompressionOptions[] {null, CompressionOptions.defaults()}) {
            WebSocketClientConnection c = connect("", compression);
            assertThat(c.headers().get("Sec-WebSocket-Extensions"))
                    .isEqualTo(compression == null ? null : "permessage-deflate");
            c.writeMessage("héllo ✓");
            WebSocketMessage text = c.readMessage().get(10, SECONDS);
            assertThat(text.isText()).isTrue();
            assertThat(text.text()).isEqualTo("héllo ✓");
            c.writeMessage(data);
            WebSocketMessage binary = c.readMessage().get(10, SECONDS);
            assertThat(binary.isText()).isFalse();
            assertThat(binary.data()).isEqualTo(data);
            c.writeMessage("");
            assertThat(c.readMessage().get(10, SECONDS).text()).isEmpty();
            c.close();
            c.closeFuture().get(10, SECONDS);
            assertThat(c.closeCode()).isEqualTo(1000);
        }
    }

    @Test
    void aMessageOverMaxMessageSizeClosesWith1009() throws Exception {
        WebSocketClientConnection c = connect("?max_message_size=100&max_fragment_size=50", null);
        c.writeMessage("a".repeat(100));
        assertThat(c.readMessage().get(10, SECONDS).text()).isEqualTo("a".repeat(100));
        c.writeMessage("b".repeat(101));
        assertThat(c.readMessage().get(10, SECONDS)).isNull();
        assertThat(c.closeCode()).isEqualTo(1009);
    }

    /** A frame as the raw client reads it. */
    private record Frame(int b0, byte[] payload) {
    }

    @Test
    void echoesAreFragmentedIntoFramesOfAtMostMaxFragmentSize() throws Exception {
        try (Socket s = new Socket("127.0.0.1", Integer.parseInt(server.baseUrl().replaceAll(".*:", "")))) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(("GET /websocket/echo?max_fragment_size=8 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(UTF_8));
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(UTF_8).endsWith("\r\n\r\n")) {
                head.write(in.readUnsignedByte());
            }
            assertThat(head.toString(UTF_8)).startsWith("HTTP/1.1 101 ");
            byte[] message = "exactly twenty bytes".getBytes(UTF_8);
            // One masked text frame; a zero mask key leaves the payload as it is.
            out.write(new byte[] {(byte) 0x81, (byte) (0x80 | message.length), 0, 0, 0, 0});
            out.write(message);
            List<Frame> frames = new ArrayList<>();
            do {
                int b0 = in.readUnsignedByte();
                int len = in.readUnsignedByte();
                assertThat(len).isLessThan(126); // unmasked, short
                byte[] p = new byte[len];
                in.readFully(p);
                frames.add(new Frame(b0, p));
            } while ((frames.getLast().b0() & 0x80) == 0);
            assertThat(frames).extracting(f -> f.payload().length).containsExactly(8, 8, 4);
            assertThat(frames).extracting(Frame::b0).containsExactly(0x01, 0x00, 0x80);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            frames.forEach(f -> joined.writeBytes(f.payload()));
            assertThat(joined.toByteArray()).isEqualTo(message);
        }
    }

    @Test
    void badLimitsAreAnswered400WithTheReason() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            String http = server.baseUrl() + "/websocket/echo";
            String[][] cases = {
                    {"?max_fragment_size=0", "max_fragment_size must be an integer in [1, 10485760]"},
                    {"?max_message_size=10485761", "max_message_size must be an integer in [1, 10485760]"},
                    {"?max_message_size=abc", "max_message_size must be an integer in [1, 10485760]"},
                    {"?max_fragment_size=200&max_message_size=100",
                            "max_fragment_size 200 must be less than or equal to max_message_size 100"},
                    {"?max_message_size=100", "max_fragment_size 5242880 must be less than or equal to max_message_size 100"}};
            for (String[] c : cases) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(http + c[0]))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
                assertThat(r.body()).as(c[0]).isEqualTo("{\"error\":\"" + c[1] + "\"}");
            }
            // Valid limits, no upgrade headers: the ordinary WebSocket handshake error.
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(http + "?max_fragment_size=10"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(400);
        }
    }

    @Test
    void pythonWebsocketsClient() throws Exception {
        Process check = new ProcessBuilder("/usr/bin/python3", "-c", "import websockets").start();
        assumeTrue(check.waitFor(20, SECONDS) && check.exitValue() == 0, "websockets not importable by /usr/bin/python3");
        Path script = Path.of(getClass().getResource("/python/ws_echo_client.py").toURI());
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), ws).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(30, SECONDS)).isTrue();
        assertThat(out).as(out).contains("OK compression", "OK text", "OK fragmented", "OK ping", "OK close 1000",
                "OK close 1009");
        assertThat(p.exitValue()).as(out).isZero();
    }
}
