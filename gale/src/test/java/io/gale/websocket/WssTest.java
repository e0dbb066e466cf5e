package io.gale.websocket;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.http.HttpServer;
import io.gale.http.HttpServerOptions;
import io.gale.ioloop.IOLoop;
import io.gale.net.ConnectOptions;
import io.gale.testing.TestCertificates;
import io.gale.web.Application;
import io.gale.web.Route;
import java.net.URI;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * wss://: Gale's WebSocketClient over TLS to a WebSocketHandler served by the real HttpServer with
 * TLS, certificates from a test CA: echo of text and large binary messages (many TLS records),
 * compression, fragmented echoes, close codes, and a client that does not trust the server.
 */
@Timeout(60)
class WssTest {
    private static final TestCertificates CA = TestCertificates.create();
    private static final IOLoop loop = new IOLoop();
    private static HttpServer server;
    private static int port;

    /** Echoes; {@code close:CODE} closes; frames of at most 1000 bytes at /small. */
    public static class Echo extends WebSocketHandler {
        @Override
        protected CompletionStage<?> onMessage(WebSocketMessage message) {
            if (message.isText() && message.text().startsWith("close:")) {
                close(Integer.parseInt(message.text().substring(6)), "bye");
                return null;
            }
            return writeMessage(message);
        }

        @Override
        protected CompressionOptions getCompressionOptions() {
            return CompressionOptions.defaults();
        }
    }

    /** {@link Echo} in frames of at most 1000 bytes. */
    public static final class Small extends Echo {
        @Override
        protected int maxFragmentSize() {
            return 1000;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        loop.startInBackground();
        Application app = new Application(List.of(Route.url("/echo", Echo.class), Route.url("/small", Small.class)));
        HttpServerOptions tls = HttpServerOptions.builder()
                .tls(CA.issue("localhost", "localhost", "127.0.0.1").sslContext()).build();
        server = new HttpServer(app, tls).bind(0, "127.0.0.1").start(loop);
        port = server.boundPorts().get(0);
    }

    @AfterAll
    static void stop() {
        server.close();
        loop.close();
    }

    private static WebSocketClientConnection connect(String path, CompressionOptions compression) throws Exception {
        WebSocketClientOptions options = WebSocketClientOptions.builder()
                .connect(ConnectOptions.builder().loop(loop).tls(CA.trustingContext()).build())
                .compression(compression).build();
        return WebSocketClient.connect(URI.create("wss://127.0.0.1:" + port + path), options).get(10, SECONDS);
    }

    @Test
    void echoOverTlsWithAndWithoutCompression() throws Exception {
        byte[] data = new byte[1 << 20]; // a megabyte: dozens of TLS records each way
        new Random(11).nextBytes(data);
        for (String path : new String[] {"/echo", "/small"}) {
            for (CompressionOptions compression : new CompressionOptions[] {null, CompressionOptions.defaults()}) {
                String what = path + " compression " + (compression != null);
                WebSocketClientConnection c = connect(path, compression);
                assertThat(c.headers().get("Sec-WebSocket-Extensions")).as(what)
                        .isEqualTo(compression == null ? null : "permessage-deflate");
                c.writeMessage("héllo over TLS ✓");
                assertThat(c.readMessage().get(10, SECONDS).text()).as(what).isEqualTo("héllo over TLS ✓");
                c.writeMessage(data);
                assertThat(c.readMessage().get(10, SECONDS).data()).as(what).isEqualTo(data);
                String text = "repetitive text ".repeat(10_000);
                c.writeMessage(text);
                assertThat(c.readMessage().get(10, SECONDS).text()).as(what).isEqualTo(text);
                c.close(4000, "done");
                c.closeFuture().get(10, SECONDS);
                assertThat(c.closeCode()).as(what).isEqualTo(4000);
            }
        }
    }

    @Test
    void serverCloseCodeReachesTheClient() throws Exception {
        WebSocketClientConnection c = connect("/echo", null);
        c.writeMessage("close:4005");
        assertThat(c.readMessage().get(10, SECONDS)).isNull();
        assertThat(c.closeCode()).isEqualTo(4005);
        assertThat(c.closeReason()).isEqualTo("bye");
    }

    @Test
    void aClientThatDoesNotTrustTheServerFailsTheHandshake() {
        TestCertificates otherCa = TestCertificates.create();
        WebSocketClientOptions options = WebSocketClientOptions.builder()
                .connect(ConnectOptions.builder().loop(loop).tls(otherCa.trustingContext()).build()).build();
        assertThatThrownBy(() -> WebSocketClient.connect(URI.create("wss://127.0.0.1:" + port + "/echo"), options)
                .get(10, SECONDS)).isInstanceOf(ExecutionException.class).cause().isInstanceOf(SSLException.class)
                .hasMessageContaining("PKIX path validation failed");
    }
}
