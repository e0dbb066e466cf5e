package io.gale.bench.peers;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Vert.x core 5 peer: a plain {@code HttpServer}, one verticle instance (one event loop) per
 * available processor, all sharing the listening port the way Vert.x recommends.
 *
 * <p>Usage: {@code VertxPeer --port N [--transport nio|epoll] [--instances N] [--static-dir DIR]}.
 * Serves {@code /plaintext} and {@code /json} on 127.0.0.1 until killed. With {@code --static-dir},
 * a vertx-web {@code Router} serves them instead, and {@code /static/*} from DIR with
 * {@code StaticHandler} at its defaults (sendfile on plain TCP, file properties cached), the
 * static-file scenarios' Vert.x entry.
 */
public final class VertxPeer {
    private static final Buffer HELLO = Buffer.buffer("Hello, World!");
    private static final CharSequence TEXT = HttpHeaders.createOptimized("text/plain");
    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence SERVER = HttpHeaders.createOptimized("vert.x");

    private VertxPeer() {}

    /** One HTTP server verticle; Vert.x runs each instance on its own event loop. */
    static final class Server extends VerticleBase {
        private final int port;
        private final String staticDir;
        /** TechEmpower's Date header, formatted once a second on this verticle's event loop. */
        private CharSequence date = HttpHeaders.createOptimized(HttpDate.now());

        Server(int port, String staticDir) {
            this.port = port;
            this.staticDir = staticDir;
        }

        /** The static-file server: plaintext/json for the harness's checks, StaticHandler on /static/*. */
        private Future<?> startStatic() {
            Router router = Router.router(vertx);
            router.route().handler(ctx -> {
                ctx.response().headers().add(HttpHeaders.SERVER, SERVER).add(HttpHeaders.DATE, date);
                ctx.next();
            });
            router.get("/plaintext").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, TEXT).end(HELLO));
            router.get("/json").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                    .end(new JsonObject().put("message", "Hello, World!").toBuffer()));
            router.route("/static/*").handler(StaticHandler.create(FileSystemAccess.ROOT, staticDir));
            return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setAcceptBacklog(4096))
                    .requestHandler(router)
                    .listen();
        }

        @Override
        public Future<?> start() {
            vertx.setPeriodic(1000, id -> date = HttpHeaders.createOptimized(HttpDate.now()));
            if (staticDir != null) {
                return startStatic();
            }
            return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setAcceptBacklog(4096))
                    .requestHandler(req -> {
                        HttpServerResponse resp = req.response();
                        resp.headers().add(HttpHeaders.SERVER, SERVER).add(HttpHeaders.DATE, date);
                        switch (req.path()) {
                            case "/plaintext" -> {
                                resp.headers().add(HttpHeaders.CONTENT_TYPE, TEXT);
                                resp.end(HELLO);
                            }
                            case "/json" -> {
                                resp.headers().add(HttpHeaders.CONTENT_TYPE, JSON);
                                resp.end(new JsonObject().put("message", "Hello, World!").toBuffer());
                            }
                            default -> resp.setStatusCode(404).end();
                        }
                    })
                    .listen();
        }
    }

    public static void main(String[] args) {
        PeerArgs a = PeerArgs.parse(args, "transport", "instances", "static-dir");
        boolean epoll = a.get("transport", "nio").equals("epoll");
        int instances = Integer.parseInt(a.get("instances", String.valueOf(Runtime.getRuntime().availableProcessors())));
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(epoll).setEventLoopPoolSize(instances));
        String staticDir = a.get("static-dir", null);
        vertx.deployVerticle(() -> new Server(a.port(), staticDir), new DeploymentOptions().setInstances(instances))
                .onSuccess(id -> System.out.println("vertx listening on 127.0.0.1:" + a.port() + " instances=" + instances
                        + " nativeTransport=" + vertx.isNativeTransportEnabled()))
                .onFailure(t -> {
                    t.printStackTrace();
                    System.exit(1);
                });
    }
}
