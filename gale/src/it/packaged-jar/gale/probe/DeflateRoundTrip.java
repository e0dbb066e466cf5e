package gale.probe;

import io.gale.http.HttpServer;
import io.gale.ioloop.IOLoop;
import io.gale.net.ConnectOptions;
import io.gale.web.Application;
import io.gale.web.Route;
import io.gale.websocket.CompressionOptions;
import io.gale.websocket.WebSocketClient;
import io.gale.websocket.WebSocketClientConnection;
import io.gale.websocket.WebSocketClientOptions;
import io.gale.websocket.WebSocketHandler;
import io.gale.websocket.WebSocketMessage;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A user's program on the packaged gale jar alone: a Gale WebSocket echo server on 127.0.0.1 and
 * Gale's WebSocket client, permessage-deflate with 9-bit windows both ways, so that both
 * compressors are JZlib's, relocated into the jar as io.gale.internal.jzlib. Exits 0 and prints
 * "round trip ok" when every echo came back equal; anything else (a missing class included)
 * exits non-zero with the reason on stderr. Run by PackagedJarIT, once on the class path and
 * once on the module path.
 */
public final class DeflateRoundTrip {
    private static final int WINDOW_BITS = 9;

    /** Echoes every message; asks the client to compress with a 9-bit window. */
    public static final class Echo extends WebSocketHandler {
        @Override
        protected CompletionStage<?> onMessage(WebSocketMessage message) {
            return writeMessage(message);
        }

        @Override
        protected CompressionOptions getCompressionOptions() {
            return CompressionOptions.builder().clientMaxWindowBits(WINDOW_BITS).build();
        }
    }

    private DeflateRoundTrip() {
    }

    /**
     * The future's value; a step that never completes (an Error on a loop thread, for one, such
     * as a NoClassDefFoundError from a missing JZlib class, is logged there, not passed on) is
     * named in the failure.
     */
    private static <T> T await(String step, CompletableFuture<T> f) throws Exception {
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(step + ": no result in 10 s", e);
        }
    }

    public static void main(String[] args) {
        try {
            run();
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run() throws Exception {
        // JZlib under its own name must be nowhere: the jar has to carry it.
        try {
            Class.forName("com.jcraft.jzlib.Deflater");
            throw new AssertionError("com.jcraft.jzlib.Deflater is loadable: JZlib is on the path");
        } catch (ClassNotFoundException expected) {
            // as it should be
        }

        HttpServer server = new Application(List.of(Route.url("/echo", Echo.class))).listen(0, "127.0.0.1");
        IOLoop clientLoop = new IOLoop();
        clientLoop.startInBackground();
        try {
            int port = server.boundPorts().get(0);
            // Ask the server to compress with a 9-bit window (JZlib on the server side).
            CompressionOptions small = CompressionOptions.builder().serverMaxWindowBits(WINDOW_BITS).build();
            WebSocketClientConnection conn = await("connect", WebSocketClient.connect(
                    URI.create("ws://127.0.0.1:" + port + "/echo"),
                    WebSocketClientOptions.builder().connect(ConnectOptions.builder().loop(clientLoop).build())
                            .compression(small).build()));
            String extensions = conn.headers().get("Sec-WebSocket-Extensions");
            System.out.println("negotiated: " + extensions);
            if (extensions == null || !extensions.contains("permessage-deflate")
                    || !extensions.contains("server_max_window_bits=" + WINDOW_BITS)
                    || !extensions.contains("client_max_window_bits=" + WINDOW_BITS)) {
                throw new AssertionError("small windows not negotiated: " + extensions);
            }
            // Several messages on one connection: context takeover, each message refers back.
            for (int i = 0; i < 5; i++) {
                String text = ("message " + i + " of the packaged-jar round trip; ").repeat(200 + i * 50);
                await("write " + i, conn.writeMessage(text));
                WebSocketMessage echo = await("echo " + i, conn.readMessage());
                if (echo == null || !echo.isText() || !echo.text().equals(text)) {
                    throw new AssertionError("echo " + i + " differs: " + echo);
                }
            }
            conn.close();
            await("close", conn.closeFuture());
            System.out.println("round trip ok");
        } finally {
            server.stop();
            clientLoop.close();
        }
        // Where the compressor came from (PackagedJarIT checks it is the gale jar).
        Class<?> shaded = Class.forName("io.gale.internal.jzlib.Deflater");
        System.out.println("shaded JZlib: " + shaded.getName() + " in " + shaded.getModule()
                + " from " + shaded.getProtectionDomain().getCodeSource().getLocation());
    }
}
