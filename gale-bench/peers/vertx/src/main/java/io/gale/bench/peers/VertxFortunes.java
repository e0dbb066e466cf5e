package io.gale.bench.peers;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.templ.pebble.PebbleTemplateEngine;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * TechEmpower's Fortunes test on Vert.x 5, the way its users write it: vertx-pg-client (the
 * reactive PostgreSQL client, prepared statements cached) for the query, vertx-web's Pebble
 * template engine for the page (autoescaped, as Gale's). One verticle per available processor,
 * each with its own pool of {@code --pool / instances} connections (TechEmpower's Vert.x entry
 * also keeps a pool per verticle, so a connection stays on its event loop).
 *
 * <p>Usage: {@code VertxFortunes --port N --db postgresql://USER:PASS@HOST:PORT/DB [--pool 16]
 * [--instances N]}. Serves {@code /fortunes} on 127.0.0.1 until killed.
 */
public final class VertxFortunes {
    static final String QUERY = "SELECT id, message FROM fortune";
    private static final CharSequence HTML = HttpHeaders.createOptimized("text/html; charset=UTF-8");
    private static final CharSequence SERVER = HttpHeaders.createOptimized("vert.x");

    private VertxFortunes() {}

    /** A fortune with getters, as Pebble 3 reads beans. */
    public static final class Fortune {
        private final int id;
        private final String message;

        Fortune(int id, String message) {
            this.id = id;
            this.message = message;
        }

        public int getId() {
            return id;
        }

        public String getMessage() {
            return message;
        }
    }

    private static final Comparator<Fortune> BY_MESSAGE = Comparator.comparing(Fortune::getMessage);

    static final class Server extends VerticleBase {
        private final int port;
        private final String db;
        private final int poolSize;
        private Pool pool;
        private PebbleTemplateEngine engine;
        private CharSequence date = HttpHeaders.createOptimized(HttpDate.now());

        Server(int port, String db, int poolSize) {
            this.port = port;
            this.db = db;
            this.poolSize = poolSize;
        }

        @Override
        public Future<?> start() {
            vertx.setPeriodic(1000, id -> date = HttpHeaders.createOptimized(HttpDate.now()));
            PgConnectOptions connect = PgConnectOptions.fromUri(db).setCachePreparedStatements(true);
            pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(poolSize)).connectingTo(connect).using(vertx).build();
            engine = PebbleTemplateEngine.create(vertx);
            return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setAcceptBacklog(4096))
                    .requestHandler(this::handle)
                    .listen();
        }

        private void handle(HttpServerRequest req) {
            var resp = req.response();
            resp.headers().add(HttpHeaders.SERVER, SERVER).add(HttpHeaders.DATE, date);
            if (!req.path().equals("/fortunes")) {
                resp.setStatusCode(404).end();
                return;
            }
            pool.preparedQuery(QUERY).execute().compose(rows -> {
                List<Fortune> fortunes = new ArrayList<>(rows.size() + 1);
                for (Row row : rows) {
                    fortunes.add(new Fortune(row.getInteger(0), row.getString(1)));
                }
                fortunes.add(new Fortune(0, "Additional fortune added at request time."));
                fortunes.sort(BY_MESSAGE);
                return engine.render(Map.of("fortunes", fortunes), "templates/fortunes.peb");
            }).onComplete(ar -> {
                if (ar.succeeded()) {
                    resp.headers().add(HttpHeaders.CONTENT_TYPE, HTML);
                    resp.end(ar.result());
                } else {
                    resp.setStatusCode(500).end(String.valueOf(ar.cause()));
                }
            });
        }
    }

    public static void main(String[] args) {
        PeerArgs a = PeerArgs.parse(args, "db", "pool", "instances");
        int instances = Integer.parseInt(a.get("instances", String.valueOf(Runtime.getRuntime().availableProcessors())));
        int poolSize = Math.max(1, Integer.parseInt(a.get("pool", "16")) / instances);
        String db = a.get("db", null);
        if (db == null) {
            System.err.println("usage: VertxFortunes --port N --db postgresql://USER:PASS@HOST:PORT/DB [--pool N] [--instances N]");
            System.exit(2);
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(instances));
        vertx.deployVerticle(() -> new Server(a.port(), db, poolSize), new DeploymentOptions().setInstances(instances))
                .onSuccess(id -> System.out.println("vertx fortunes listening on 127.0.0.1:" + a.port() + " instances="
                        + instances + " pool=" + poolSize + " per instance"))
                .onFailure(t -> {
                    t.printStackTrace();
                    System.exit(1);
                });
    }
}
