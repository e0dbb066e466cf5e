package io.gale.bench.ws;

import io.gale.http.HttpServer;
import io.gale.http.HttpServerOptions;
import io.gale.ioloop.LoopGroup;
import io.gale.net.ServerOptions;
import io.gale.web.Application;
import io.gale.web.Route;
import io.gale.websocket.WebSocketHandler;
import io.gale.websocket.WebSocketMessage;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Gale's WebSocket echo server for the WebSocket benchmark ({@code gale-bench/run-ws}): an
 * {@link Application} with one {@link WebSocketHandler} route, {@code /ws}, that writes every
 * message back as it came (text stays text), without compression.
 *
 * <pre>
 * java -cp gale-bench/target/benchmarks.jar io.gale.bench.ws.GaleWsEchoServer --port 28095 [--loops 1]
 * </pre>
 *
 * <p>{@code --loops} (default 1, like-for-like with the one-event-loop peers) is the size of the
 * {@link LoopGroup} the {@link HttpServer} runs on. Listens on 127.0.0.1 only, prints
 * {@code gale ws listening on 127.0.0.1:PORT loops=N} once accepting, and runs until killed.
 */
public final class GaleWsEchoServer {
    private GaleWsEchoServer() {}

    /**
     * Echoes each message. The message object goes back unchanged, so a text message is neither
     * decoded to a String nor re-encoded (as Netty's and Vert.x's frame echoes); returning the
     * write's stage makes the next message wait until this one is written (backpressure).
     */
    public static final class EchoHandler extends WebSocketHandler {
        @Override
        protected CompletionStage<?> onMessage(WebSocketMessage message) {
            return writeMessage(message);
        }
    }

    public static void main(String[] args) throws Exception {
        int port = -1;
        int loops = 1;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + args[i]);
            }
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--loops" -> loops = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (allowed: --port --loops)");
            }
        }
        if (port < 0 || loops < 1) {
            throw new IllegalArgumentException("usage: GaleWsEchoServer --port N [--loops N]");
        }
        Application app = new Application(List.of(Route.url("/ws", EchoHandler.class)));
        HttpServerOptions options = HttpServerOptions.builder().tcp(ServerOptions.builder().backlog(4096).build()).build();
        LoopGroup group = new LoopGroup(loops).start();
        HttpServer server = new HttpServer(app, options).bind(port, "127.0.0.1").start(group);
        System.out.println("gale ws listening on 127.0.0.1:" + server.boundPorts().get(0) + " loops=" + loops);
        System.out.flush();
    }
}
