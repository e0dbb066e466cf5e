package io.gale.bench.peers;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.Set;

/**
 * Vert.x core 5 peer: a plain {@code HttpServer}, one verticle instance (one event loop) per
 * available processor, all sharing the listening port the way Vert.x recommends.
 *
 * <p>Usage: {@code VertxPeer --port N [--transport nio|epoll] [--instances N] [--static-dir DIR]}.
 * Serves {@code /plaintext} and {@code /json} on 127.0.0.1 until killed. With {@code --static-dir},
 * a vertx-web {@code Router} serves them instead, and {@code /static/*} from DIR with
 * {@code StaticHandler} at its defaults (sendfile on plain TCP, file properties cached), the
 * static-file scenarios' Vert.x entry. With {@code --http2 true}, the plain port also takes h2c
 * with prior knowledge, and {@code --tls-port N --keystore F.p12 [--keystore-password P]} adds an
 * HTTPS server (TLS 1.3 only, the JDK's SSLEngine, ALPN {@code h2} and {@code http/1.1}) with the
 * same handler: the harness's HTTP/2 scenarios.
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
        private final boolean http2;
        private final int tlsPort;
        private final String keyStore;
        private final String keyStorePassword;
        /** TechEmpower's Date header, formatted once a second on this verticle's event loop. */
        private CharSequence date = HttpHeaders.createOptimized(HttpDate.now());

        Server(int port, String staticDir, boolean http2, int tlsPort, String keyStore, String keyStorePassword) {
            this.port = port;
            this.staticDir = staticDir;
            this.http2 = http2;
            this.tlsPort = tlsPort;
            this.keyStore = keyStore;
            this.keyStorePassword = keyStorePassword;
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
            HttpServerOptions plain = new HttpServerOptions().setHost("127.0.0.1").setPort(port).setAcceptBacklog(4096);
            if (http2) {
                plain.setHttp2ClearTextEnabled(true); // Vert.x's default, made explicit: h2c with prior knowledge
            }
            Future<?> started = vertx.createHttpServer(plain).requestHandler(this::handle).listen();
            if (tlsPort > 0) {
                HttpServerOptions tls = new HttpServerOptions().setHost("127.0.0.1").setPort(tlsPort).setAcceptBacklog(4096)
                        .setSsl(true).setUseAlpn(http2)
                        .setKeyCertOptions(new PfxOptions().setPath(keyStore).setPassword(keyStorePassword))
                        .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"));
                started = Future.all(started, vertx.createHttpServer(tls).requestHandler(this::handle).listen());
            }
            return started;
        }

        private void handle(HttpServerRequest req) {
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
        }
    }

    public static void main(String[] args) {
        PeerArgs a = PeerArgs.parse(args, "transport", "instances", "static-dir", "http2", "tls-port", "keystore",
                "keystore-password");
        boolean epoll = a.get("transport", "nio").equals("epoll");
        int instances = Integer.parseInt(a.get("instances", String.valueOf(Runtime.getRuntime().availableProcessors())));
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(epoll).setEventLoopPoolSize(instances));
        String staticDir = a.get("static-dir", null);
        boolean http2 = Boolean.parseBoolean(a.get("http2", "false"));
        int tlsPort = Integer.parseInt(a.get("tls-port", "0"));
        String keyStore = a.get("keystore", null);
        String keyStorePassword = a.get("keystore-password", "changeit");
        vertx.deployVerticle(() -> new Server(a.port(), staticDir, http2, tlsPort, keyStore, keyStorePassword), new DeploymentOptions().setInstances(instances))
                .onSuccess(id -> System.out.println("vertx listening on 127.0.0.1:" + a.port() + " instances=" + instances
                        + " nativeTransport=" + vertx.isNativeTransportEnabled()))
                .onFailure(t -> {
                    t.printStackTrace();
                    System.exit(1);
                });
    }
}
