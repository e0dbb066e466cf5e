package io.gale.websocket;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gale.ioloop.IOLoop;
import io.gale.net.ConnectOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * Gale's client against independent servers: Python's {@code websockets} and Tornado's
 * {@code WebSocketHandler} (Debian python3-websockets / python3-tornado, run with /usr/bin/python3;
 * skipped when not importable). Text, binary, fragmented, ping/pong, close codes, compression
 * both ways.
 */
@Timeout(60)
class PythonInteropTest {
    private static final IOLoop loop = new IOLoop();

    @BeforeAll
    static void start() {
        loop.startInBackground();
    }

    @AfterAll
    static void stop() {
        loop.stop();
        loop.close();
    }

    /** A running Python server; closing its stdin ends it. */
    private record Server(Process process, int port) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(5, SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static Server server(String kind) throws Exception {
        String module = kind.equals("websockets") ? "websockets" : "tornado.websocket";
        Process check = new ProcessBuilder("/usr/bin/python3", "-c", "import " + module).start();
        assumeTrue(check.waitFor(20, SECONDS) && check.exitValue() == 0, module + " is not importable by /usr/bin/python3");
        Path script = Path.of(PythonInteropTest.class.getResource("/python/ws_echo_server.py").toURI());
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), kind)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).startsWith("PORT ");
        return new Server(p, Integer.parseInt(line.substring(5).trim()));
    }

    private static WebSocketClientConnection connect(Server s, CompressionOptions compression) throws Exception {
        WebSocketClientOptions options = WebSocketClientOptions.builder()
                .connect(ConnectOptions.builder().loop(loop).build())
                .compression(compression).build();
        return WebSocketClient.connect(URI.create("ws://127.0.0.1:" + s.port() + "/echo"), options).get(10, SECONDS);
    }

    private static WebSocketMessage read(WebSocketClientConnection c) throws Exception {
        return c.readMessage().get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"websockets", "tornado"})
    void textBinaryAndClientClose(String kind) throws Exception {
        try (Server s = server(kind)) {
            WebSocketClientConnection c = connect(s, null);
            assertThat(c.headers().get("Sec-WebSocket-Extensions")).isNull();
            c.writeMessage("héllo wörld ✓").get(5, SECONDS);
            WebSocketMessage m = read(c);
            assertThat(m.isText()).isTrue();
            assertThat(m.text()).isEqualTo("héllo wörld ✓");
            byte[] data = new byte[200_000];
            new Random(1).nextBytes(data);
            c.writeMessage(data);
            WebSocketMessage b = read(c);
            assertThat(b.isText()).isFalse();
            assertThat(b.data()).isEqualTo(data);
            c.close(1000, "done");
            c.closeFuture().get(10, SECONDS);
            assertThat(c.closeCode()).isEqualTo(1000);
            assertThat(read(c)).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"websockets", "tornado"})
    void compressionBothWays(String kind) throws Exception {
        try (Server s = server(kind)) {
            WebSocketClientConnection c = connect(s, CompressionOptions.defaults());
            assertThat(c.headers().get("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
            c.writeMessage("extensions");
            assertThat(read(c).text()).isEqualTo("permessage-deflate");
            String big = "compress me please, ".repeat(5000);
            for (int i = 0; i < 5; i++) { // context takeover across messages, both directions
                c.writeMessage(big + i);
                assertThat(read(c).text()).isEqualTo(big + i);
                c.writeMessage(("bin" + i).getBytes(StandardCharsets.UTF_8));
                assertThat(read(c).data()).isEqualTo(("bin" + i).getBytes(StandardCharsets.UTF_8));
            }
            c.close();
            c.closeFuture().get(10, SECONDS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"websockets", "tornado"})
    void fragmentedPingPongAndServerCloseCode(String kind) throws Exception {
        try (Server s = server(kind)) {
            WebSocketClientConnection c = connect(s, null);
            // Our fragmented message, with a ping in the middle, is reassembled by the server.
            c.writeFragment(true, true, "one ".getBytes(StandardCharsets.UTF_8), false);
            c.ping("mid".getBytes(StandardCharsets.UTF_8));
            c.writeFragment(false, true, "two ".getBytes(StandardCharsets.UTF_8), false);
            c.writeFragment(false, true, "three".getBytes(StandardCharsets.UTF_8), true);
            assertThat(read(c).text()).isEqualTo("one two three");
            if (kind.equals("websockets")) {
                c.writeMessage("fragments:5");
                assertThat(read(c).text()).isEqualTo("part0;part1;part2;part3;part4;");
            }
            // The server pings; our automatic pong makes it answer.
            c.writeMessage("ping:abc");
            assertThat(read(c).text()).isEqualTo("pong:abc");
            c.writeMessage("close:4001:going now");
            assertThat(read(c)).isNull();
            assertThat(c.closeCode()).isEqualTo(4001);
            assertThat(c.closeReason()).isEqualTo("going now");
        }
    }
}
