package io.gale.web;

import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServer;
import io.gale.http.HttpServerOptions;
import io.gale.ioloop.IOLoop;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The one body-limit rule over real sockets, with the server's default (20 bytes) below the
 * application's {@code maxBodySize} (1,000): a buffered body is held to the application's limit
 * without anything reconciled at start-up; a streamed one to the server's, unless its handler
 * sets its own in {@code prepare()}; every 413 is the exchange's, before any 100 Continue.
 */
@Timeout(30)
class BodyLimitTest {
    /** Buffered: answers the body's size. */
    public static final class Buffered extends RequestHandler {
        public void post() {
            write("buffered " + request().body().length);
        }
    }

    /** Streamed, at the server's limit. */
    @StreamRequestBody
    public static class Streamed extends RequestHandler {
        long size;

        @Override
        protected CompletionStage<?> dataReceived(ByteBuffer chunk) {
            size += chunk.remaining();
            return null;
        }

        public void post() {
            write("streamed " + size);
        }
    }

    /** Streamed, with its own limit, set as Tornado's handlers do in prepare(). */
    public static final class StreamedRaised extends Streamed {
        @Override
        protected void prepare() {
            request().exchange().setMaxBodySize(5000);
        }
    }

    private IOLoop loop;
    private HttpServer server;
    private int port;

    @BeforeEach
    void start() throws IOException {
        Application app = new Application(List.of(url("/buffered", Buffered.class), url("/streamed", Streamed.class),
                url("/raised", StreamedRaised.class)), ApplicationSettings.builder().maxBodySize(1000).build());
        loop = new IOLoop();
        loop.startInBackground();
        server = new HttpServer(app, HttpServerOptions.builder().maxBodySize(20).build());
        server.bind(0, "127.0.0.1");
        server.start(loop);
        port = server.boundPorts().get(0);
    }

    @AfterEach
    void stop() {
        server.close();
        loop.close();
    }

    @Test
    void aBufferedBodyIsHeldToTheApplicationsLimitNotTheServers() throws IOException {
        assertThat(post("/buffered", 500, false)).startsWith("HTTP/1.1 200 ").endsWith("buffered 500");
        String refused = post("/buffered", 1001, false);
        assertThat(refused).startsWith("HTTP/1.1 413 ").contains("Connection: close")
                .endsWith("<body>413: Content Too Large</body></html>"); // the application's page (ErrorPages)
    }

    @Test
    void aStreamedBodyIsHeldToTheServersLimitUnlessItsHandlerSetsOne() throws IOException {
        assertThat(post("/streamed", 20, false)).endsWith("streamed 20");
        assertThat(post("/streamed", 21, false)).startsWith("HTTP/1.1 413 ");
        assertThat(post("/raised", 4000, false)).endsWith("streamed 4000");
        assertThat(post("/raised", 5001, false)).startsWith("HTTP/1.1 413 ");
    }

    @Test
    void anOversizedBodyIsRefusedBeforeTheContinue() throws IOException {
        String answer = post("/buffered", 1001, true);
        assertThat(answer).startsWith("HTTP/1.1 413 ").doesNotContain("100 Continue");
    }

    /**
     * Sends a POST declaring {@code size} bytes and, unless it expects 100-continue, the body;
     * returns everything the server sends until it closes.
     */
    private String post(String path, int size, boolean expectContinue) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " + size + "\r\n"
                    + (expectContinue ? "Expect: 100-continue\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            if (!expectContinue) {
                try {
                    out.write(new byte[size]);
                } catch (IOException e) {
                    // the server may have answered 413 and closed without reading: its answer is still there
                }
            }
            out.flush();
            if (!expectContinue) {
                s.shutdownOutput(); // all sent: a server closing lingering sees our end at once
            }
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
