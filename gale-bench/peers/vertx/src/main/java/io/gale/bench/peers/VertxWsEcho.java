package io.gale.bench.peers;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;

/**
 * Vert.x core 5 WebSocket echo peer of {@code gale-bench/run-ws}: an {@code HttpServer} whose
 * WebSocket handler accepts every upgrade (the harness asks for {@code /ws}) and writes every received frame back as it came
 * ({@code frameHandler} + {@code writeFrame}: text stays text, nothing is decoded to a String),
 * with permessage-deflate switched off.
 *
 * <p>Usage: {@code VertxWsEcho --port N [--instances 1] [--transport nio|epoll]}: one verticle
 * (event loop) per instance. Listens on 127.0.0.1 until killed.
 */
public final class VertxWsEcho {
    private VertxWsEcho() {}

    /** One WebSocket server verticle; Vert.x runs each instance on its own event loop. */
    static final class Server extends VerticleBase {
        private final int port;

        Server(int port) {
            this.port = port;
        }

        @Override
        public Future<?> start() {
            HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(port)
                    .setAcceptBacklog(4096).setPerMessageWebSocketCompressionSupported(false)
                    .setPerFrameWebSocketCompressionSupported(false);
            return vertx.createHttpServer(options)
                    .webSocketHandler(Server::accept)
                    .listen();
        }

        private static void accept(ServerWebSocket ws) {
            ws.frameHandler(ws::writeFrame);
        }
    }

    public static void main(String[] args) {
        PeerArgs a = PeerArgs.parse(args, "transport", "instances");
        boolean epoll = a.get("transport", "nio").equals("epoll");
        int instances = Integer.parseInt(a.get("instances", "1"));
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(epoll).setEventLoopPoolSize(instances));
        vertx.deployVerticle(() -> new Server(a.port()), new DeploymentOptions().setInstances(instances))
                .onSuccess(id -> System.out.println("vertx ws listening on 127.0.0.1:" + a.port() + " instances="
                        + instances + " nativeTransport=" + vertx.isNativeTransportEnabled()))
                .onFailure(t -> {
                    t.printStackTrace();
                    System.exit(1);
                });
    }
}
