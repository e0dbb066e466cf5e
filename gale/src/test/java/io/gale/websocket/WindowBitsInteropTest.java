package io.gale.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.net.ConnectOptions;
import io.gale.web.Application;
import io.gale.web.Route;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * permessage-deflate with every window size, 8 to 15 bits, both directions, against Python's
 * {@code websockets} (Debian python3-websockets under /usr/bin/python3; the test fails when it is
 * missing). The peer's zlib decompresses with exactly the negotiated window, so a match of ours
 * that reaches back further than the window fails the exchange ("invalid distance too far back"),
 * and our inflater reads the peer's small-window output. zlib cannot compress with 8 bits, so
 * the Python side never compresses with 8; Gale does (with 9, see {@link MessageDeflater}), and
 * Python's 8-bit decompressor checks it.
 */
@Timeout(120)
class WindowBitsInteropTest {
    private static final Path SCRIPT = script();
    private static AppServer server;

    /** Echoes every message, compressed with the default options (accepting any window). */
    public static final class Echo extends WebSocketHandler {
        @Override
        protected CompletionStage<?> onMessage(String message) {
            return writeMessage(message);
        }

        @Override
        protected CompletionStage<?> onMessage(byte[] message) {
            return writeMessage(message);
        }

        @Override
        protected CompressionOptions getCompressionOptions() {
            return CompressionOptions.defaults();
        }
    }

    private static Path script() {
        try {
            return Path.of(WindowBitsInteropTest.class.getResource("/python/ws_window_bits.py").toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = new AppServer(new Application(List.of(Route.url("/echo", Echo.class))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Python offers server_max_window_bits=bits (and client_max_window_bits=bits where it can compress so). */
    @ParameterizedTest
    @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15})
    void pythonClientAgainstGaleServer(int bits) throws Exception {
        int clientBits = bits == 8 ? 0 : bits;
        Process p = new ProcessBuilder("/usr/bin/python3", SCRIPT.toString(), "client",
                "ws://127.0.0.1:" + server.port + "/echo", String.valueOf(bits), String.valueOf(clientBits))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(60, SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as(out).contains("OK ").contains("remote_max_window_bits=" + bits);
        if (clientBits > 0) {
            assertThat(out).as(out).contains("local_max_window_bits=" + clientBits);
        }
    }

    /**
     * The Python server requires client_max_window_bits=bits of us; we ask it for
     * server_max_window_bits=max(bits, 9) (Python cannot compress with 8).
     */
    @ParameterizedTest
    @ValueSource(ints = {8, 9, 10, 11, 12, 13, 14, 15})
    void galeClientAgainstPythonServer(int bits) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", SCRIPT.toString(), "server", String.valueOf(bits))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8));
            String first = lines.readLine();
            assertThat(first).as("python3-websockets must be installed for /usr/bin/python3").startsWith("PORT ");
            int port = Integer.parseInt(first.substring(5).trim());
            int serverBits = Math.max(9, bits);
            WebSocketClientOptions options = WebSocketClientOptions.builder()
                    .connect(ConnectOptions.builder().loop(server.loop).build())
                    .compression(CompressionOptions.builder().serverMaxWindowBits(serverBits).build()).build();
            WebSocketClientConnection c = WebSocketClient.connect(URI.create("ws://127.0.0.1:" + port + "/"), options)
                    .get(10, SECONDS);
            assertThat(c.headers().get("Sec-WebSocket-Extensions"))
                    .contains("client_max_window_bits=" + bits);
            if (serverBits < 15) {
                assertThat(c.headers().get("Sec-WebSocket-Extensions")).contains("server_max_window_bits=" + serverBits);
            }
            Random random = new Random(bits);
            for (int i = 0; i < 6; i++) {
                byte[] data = repetitive(random, 1000 + 20_000 * i);
                c.writeMessage(data);
                assertThat(c.readMessage().get(10, SECONDS).data()).isEqualTo(data);
                String text = new String(repetitive(random, 5000 + 9000 * i), UTF_8);
                c.writeMessage(text);
                assertThat(c.readMessage().get(10, SECONDS).text()).isEqualTo(text);
            }
            c.close(1000, "done");
            c.closeFuture().get(10, SECONDS);
            assertThat(c.closeCode()).isEqualTo(1000);
        } finally {
            p.getOutputStream().close();
            if (!p.waitFor(10, SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** Lower-case ASCII with repeats at distances from 64 bytes to 32 KiB. */
    static byte[] repetitive(Random random, int size) {
        byte[] out = new byte[size];
        int n = 0;
        while (n < size) {
            int back = 1 << (6 + random.nextInt(10));
            if (n > back && random.nextInt(10) < 7) {
                int len = Math.min(4 + random.nextInt(37), size - n);
                for (int i = 0; i < len; i++, n++) {
                    out[n] = out[n - back];
                }
            } else {
                int len = Math.min(1 + random.nextInt(8), size - n);
                for (int i = 0; i < len; i++) {
                    out[n++] = (byte) ('a' + random.nextInt(26));
                }
            }
        }
        return out;
    }
}
