package io.gale.demos.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.gale.demos.DemoOptions;
import io.gale.demos.Demos;
import io.gale.http.HttpServer;
import io.gale.ioloop.LoopGroup;
import io.gale.options.Option;
import io.gale.template.PebbleTemplateEngine;
import io.gale.web.Application;
import io.gale.web.ApplicationSettings;
import io.gale.web.RequestHandler;
import io.gale.web.Route;
import io.gale.web.RunOnVirtualThread;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import javax.sql.DataSource;

/**
 * TechEmpower's Fortunes test on Gale, the way an application is written with it: an
 * {@link Application} with a {@code @RunOnVirtualThread} handler that reads the {@code fortune}
 * table through JDBC (HikariCP, PostgreSQL's driver), adds one fortune in memory, sorts by
 * message and renders a Pebble template with {@code render} (autoescaped). Also {@code /plaintext}
 * and {@code /json}, for the benchmark harness's readiness checks.
 *
 * <pre>
 * ./gale-demo fortunes --db postgresql://benchmarkdbuser:benchmarkdbpass@127.0.0.1:5432/hello_world [--port 8080] [--pool 16]
 * </pre>
 *
 * <p>As TechEmpower's rules allow and its entries do: no access log, no ETag (the test's
 * responses are never revalidated).
 */
public final class FortunesDemo {
    static final String QUERY = "SELECT id, message FROM fortune";
    static final String EXTRA = "Additional fortune added at request time.";

    private FortunesDemo() {
    }

    /** {@code GET /fortunes}. */
    @RunOnVirtualThread
    static final class FortunesHandler extends RequestHandler {
        private static final Comparator<Fortune> BY_MESSAGE = Comparator.comparing(Fortune::message);
        private final DataSource db;
        private final Semaphore gate;

        FortunesHandler(DataSource db, Semaphore gate) {
            this.db = db;
            this.gate = gate;
        }

        public void get() throws SQLException {
            List<Fortune> fortunes = new ArrayList<>(16);
            gate.acquireUninterruptibly();
            try (Connection c = db.getConnection();
                 PreparedStatement s = c.prepareStatement(QUERY);
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    fortunes.add(new Fortune(r.getInt(1), r.getString(2)));
                }
            } finally {
                gate.release();
            }
            fortunes.add(new Fortune(0, EXTRA));
            fortunes.sort(BY_MESSAGE);
            render("fortunes.html", Map.of("fortunes", fortunes));
        }

        @Override
        protected String computeEtag() {
            return null;
        }
    }

    /** {@code /plaintext} and {@code /json} (the harness checks them before it loads a server). */
    static final class HelloHandler extends RequestHandler {
        public void get() {
            if (request().path().equals("/json")) {
                write(Map.of("message", "Hello, World!"));
            } else {
                setHeader("Content-Type", "text/plain");
                write("Hello, World!");
            }
        }

        @Override
        protected String computeEtag() {
            return null;
        }
    }

    /**
     * The application over {@code db}. Requests wait for one of the pool's connections in a FIFO
     * {@link Semaphore} of the pool's size before they ask HikariCP: a virtual thread that finds
     * no idle connection inside HikariCP parks with a timeout (its {@code connectionTimeout}),
     * and every timed park of a virtual thread schedules and cancels a wake-up on the JDK's timer
     * thread; an untimed park costs no other thread anything. HikariCP then always has a
     * connection idle and its own timeout still bounds a connection that cannot be made.
     */
    public static Application application(DataSource db) {
        int permits = db instanceof HikariDataSource h ? h.getMaximumPoolSize() : Integer.MAX_VALUE;
        Semaphore gate = new Semaphore(permits, true);
        ApplicationSettings settings = ApplicationSettings.builder()
                .templateEngine(PebbleTemplateEngine.builder()
                        .classpath("io/gale/demos/bench/templates")
                        .classLoader(FortunesDemo.class.getClassLoader())
                        .build())
                .logFunction(handler -> { })
                .build();
        return new Application(List.of(
                Route.url("/fortunes", () -> new FortunesHandler(db, gate)),
                Route.url("/(?:plaintext|json)", HelloHandler::new)), settings);
    }

    /** A pool of {@code size} connections on a {@code postgresql://} or {@code jdbc:} URL. */
    public static HikariDataSource pool(String url, int size) {
        HikariConfig config = new HikariConfig();
        if (url.startsWith("postgresql://")) {
            java.net.URI uri = java.net.URI.create(url);
            String[] user = uri.getUserInfo() == null ? new String[0] : uri.getUserInfo().split(":", 2);
            url = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getPath();
            if (user.length > 0) {
                config.setUsername(user[0]);
            }
            if (user.length > 1) {
                config.setPassword(user[1]);
            }
        }
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setPoolName("fortunes");
        config.setInitializationFailTimeout(1);
        return new HikariDataSource(config);
    }

    public static void main(String[] args) throws Exception {
        DemoOptions demo = DemoOptions.forDemo("fortunes");
        Option<Integer> port = demo.port(8080);
        Option<String> db = demo.parser().option("db", String.class).metavar("postgresql://USER:PASSWORD@HOST:PORT/DB")
                .help("the database holding TechEmpower's fortune table").define();
        Option<Integer> size = demo.parser().option("pool", Integer.class).defaultValue(16)
                .help("database connections").check(n -> n > 0, "a positive number").define();
        Option<Integer> loops = demo.parser().option("loops", Integer.class)
                .defaultValue(Runtime.getRuntime().availableProcessors()).help("event loops").define();
        demo.parseOptionsOnly(args);
        if (db.get() == null) {
            throw demo.parser().usageError("--db is required");
        }
        HikariDataSource pool = pool(db.get(), size.get());
        Application app = application(pool);
        LoopGroup group = new LoopGroup(loops.get()).start();
        HttpServer server = demo.listen(port.get(), () -> {
            HttpServer s = new HttpServer(app);
            s.bind(port.get(), "127.0.0.1");
            s.start(group);
            return s;
        });
        demo.out().println(Demos.listeningLine(server.localAddresses().get(0)));
        demo.out().flush();
    }
}
