package io.gale.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gale.http.HttpHeaders;
import io.gale.net.ConnectOptions;
import io.gale.web.Application;
import io.gale.web.Route;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * WebSocketHandler through the web framework (Application, routing, RequestHandler.detach) on a
 * stand-in HTTP server: handshake answers, open with path arguments, Gale's client, and Python's
 * websockets client against Gale's server.
 */
@Timeout(60)
class WebSocketHandlerTest {
    static final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    private static AppServer server;

    /** Echo handler: upper-cases text, says which room it is in, records its lifecycle. */
    public static final class Echo extends WebSocketHandler {
        private String room;

        @Override
        protected CompletionStage<?> open(String... args) {
            room = args[0];
            events.add("open " + room + " cookie=" + getCookie("user", "-") + " user=" + currentUser());
            return null;
        }

        @Override
        protected Object getCurrentUser() {
            String user = getCookie("user");
            return user == null ? null : "user:" + user;
        }

        @Override
        protected CompletionStage<?> onMessage(String message) {
            return writeMessage(room + ":" + message);
        }

        @Override
        protected CompletionStage<?> onMessage(byte[] message) {
            return writeMessage(message);
        }

        @Override
        protected String selectSubprotocol(List<String> subprotocols) {
            return subprotocols.contains("chat") ? "chat" : null;
        }

        @Override
        protected CompressionOptions getCompressionOptions() {
            return CompressionOptions.defaults();
        }

        @Override
        protected void onClose() {
            events.add("close " + room + " " + closeCode() + " " + closeReason());
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = new AppServer(new Application(List.of(Route.url("/ws/([a-z]+)", Echo.class))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String rawRequest(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(UTF_8));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (!b.toString(UTF_8).contains("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                b.write(c);
            }
            return b.toString(UTF_8);
        }
    }

    private static final String GOOD = "GET /ws/lobby HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

    @Test
    void handshakeAnswers() throws Exception {
        assertThat(rawRequest(GOOD + "\r\n")).startsWith("HTTP/1.1 101 ")
                .contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=").doesNotContain("Content-Type");
        assertThat(rawRequest(GOOD.replace("Version: 13", "Version: 8") + "\r\n")).startsWith("HTTP/1.1 426 ")
                .contains("Sec-WebSocket-Version: 13");
        assertThat(rawRequest(GOOD.replace("Upgrade: websocket", "Upgrade: h2c") + "\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(rawRequest(GOOD.replace("dGhlIHNhbXBsZSBub25jZQ==", "c2hvcnQ=") + "\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(rawRequest(GOOD + "Origin: http://evil.example\r\n\r\n")).startsWith("HTTP/1.1 403 ");
        assertThat(rawRequest(GOOD + "Origin: http://127.0.0.1\r\n\r\n")).startsWith("HTTP/1.1 101 ");
        assertThat(rawRequest(GOOD + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"))
                .contains("Sec-WebSocket-Extensions: permessage-deflate\r\n");
    }

    /** The next event of one room: other tests' connections may still be closing meanwhile. */
    private static String nextEvent(String room) throws InterruptedException {
        for (;;) {
            String e = events.poll(5, SECONDS);
            if (e == null || e.split(" ")[1].equals(room)) {
                return e;
            }
        }
    }

    @Test
    void galeClientTalksToGaleServer() throws Exception {
        events.clear();
        HttpHeaders headers = new HttpHeaders().set("Cookie", "user=ann");
        WebSocketClientOptions options = WebSocketClientOptions.builder()
                .connect(ConnectOptions.builder().loop(server.loop).build()).subprotocols(List.of("chat"))
                .compression(CompressionOptions.defaults()).headers(headers).build();
        WebSocketClientConnection c = WebSocketClient.connect(URI.create("ws://127.0.0.1:" + server.port + "/ws/kitchen"),
                options).get(10, SECONDS);
        assertThat(c.selectedSubprotocol()).isEqualTo("chat");
        assertThat(c.headers().get("Sec-WebSocket-Extensions")).isEqualTo("permessage-deflate");
        assertThat(nextEvent("kitchen")).isEqualTo("open kitchen cookie=ann user=user:ann");
        c.writeMessage("hi ".repeat(1000));
        assertThat(c.readMessage().get(5, SECONDS).text()).isEqualTo("kitchen:" + "hi ".repeat(1000));
        c.writeMessage(new byte[] {1, 2, 3});
        assertThat(c.readMessage().get(5, SECONDS).data()).containsExactly(1, 2, 3);
        c.close(4002, "leaving");
        c.closeFuture().get(10, SECONDS);
        assertThat(c.closeCode()).isEqualTo(4002);
        assertThat(nextEvent("kitchen")).isEqualTo("close kitchen 4002 leaving");
    }

    @Test
    void unknownSubprotocolOnlyIsNotSelected() throws Exception {
        WebSocketClientOptions options = WebSocketClientOptions.builder()
                .connect(ConnectOptions.builder().loop(server.loop).build()).subprotocols(List.of("other")).build();
        WebSocketClientConnection c = WebSocketClient.connect(URI.create("ws://127.0.0.1:" + server.port + "/ws/a"),
                options).get(10, SECONDS);
        assertThat(c.selectedSubprotocol()).isNull();
        c.close();
        c.closeFuture().get(10, SECONDS);
    }

    @Test
    void clientGetsTheStatusOfARefusedUpgrade() {
        WebSocketClientOptions options = WebSocketClientOptions.builder()
                .connect(ConnectOptions.builder().loop(server.loop).build())
                .headers(new HttpHeaders().set("Origin", "http://evil.example")).build();
        CompletableFuture<WebSocketClientConnection> f = WebSocketClient.connect(
                URI.create("ws://127.0.0.1:" + server.port + "/ws/a"), options);
        assertThatThrownBy(() -> f.get(10, SECONDS)).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).status()).isEqualTo(403));
    }

    @Test
    void pythonWebsocketsClientAgainstGaleServer() throws Exception {
        Process check = new ProcessBuilder("/usr/bin/python3", "-c", "import websockets").start();
        assumeTrue(check.waitFor(20, SECONDS) && check.exitValue() == 0, "websockets not importable");
        Path script = Path.of(getClass().getResource("/python/ws_client_check.py").toURI());
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(),
                "ws://127.0.0.1:" + server.port + "/ws/py").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(30, SECONDS)).isTrue();
        assertThat(out).as(out).contains("OK text", "OK binary", "OK fragmented", "OK ping", "OK compression",
                "OK close 1000");
        assertThat(p.exitValue()).as(out).isZero();
    }
}
