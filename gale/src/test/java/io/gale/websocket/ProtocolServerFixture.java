package io.gale.websocket;

import io.gale.ioloop.IOLoop;
import io.gale.net.TcpServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * A real-socket server for tests: a {@link TcpServer} whose connections run the server-side
 * {@link WebSocketProtocol} directly (no HTTP handshake: the HTTP server is another branch), with
 * an echo listener by default. Records each connection's close code.
 */
final class ProtocolServerFixture implements AutoCloseable {
    final IOLoop loop = new IOLoop();
    final TcpServer server;
    final int port;
    /** Close codes seen by the server (onClose), in order. */
    final LinkedBlockingQueue<Integer> closeCodes = new LinkedBlockingQueue<>();

    ProtocolServerFixture(WebSocketProtocol.Settings settings, DeflateParams deflate) throws Exception {
        this(settings, deflate, null);
    }

    /** @param handler builds each connection's listener from its protocol (null: echo) */
    ProtocolServerFixture(WebSocketProtocol.Settings settings, DeflateParams deflate,
            Function<WebSocketProtocol[], WebSocketProtocol.Listener> handler) throws Exception {
        loop.startInBackground();
        server = new TcpServer((stream, address) -> {
            WebSocketProtocol[] self = new WebSocketProtocol[1];
            WebSocketProtocol.Listener l = handler != null ? handler.apply(self) : new WebSocketProtocol.Listener() {
                @Override
                public CompletionStage<?> onMessage(WebSocketMessage message) {
                    return self[0].write(message);
                }

                @Override
                public void onPing(byte[] data) {
                }

                @Override
                public void onPong(byte[] data) {
                }

                @Override
                public void onClose(int code, String reason) {
                    closeCodes.add(code);
                }
            };
            self[0] = new WebSocketProtocol(stream, true, l, settings, deflate);
            self[0].start(null);
        });
        port = server.bind(0, "127.0.0.1").start(loop).boundPorts().get(0);
    }

    static WebSocketProtocol.Settings settings(long maxMessageSize) {
        return new WebSocketProtocol.Settings(maxMessageSize, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(2));
    }

    @Override
    public void close() {
        server.stop(true);
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.addCallback(() -> done.complete(null));
        done.join();
        loop.stop();
        loop.close();
    }
}
