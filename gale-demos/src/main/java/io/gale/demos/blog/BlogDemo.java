package io.gale.demos.blog;

import io.gale.demos.DemoOptions;
import io.gale.demos.Demos;
import io.gale.http.HttpServer;
import io.gale.ioloop.IOLoop;
import io.gale.options.Option;
import io.gale.template.PebbleTemplateEngine;
import io.gale.template.TemplateArgs;
import io.gale.template.UIMethod;
import io.gale.web.Application;
import io.gale.web.ApplicationSettings;
import io.gale.web.Route;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tornado's blog demo ({@code demos/blog}) in Gale: entries written in Markdown by logged-in
 * authors, stored in a database through JDBC, shown on a home page, an archive, their own pages
 * and an Atom feed. Tornado's URLs and form fields:
 *
 * <table>
 * <caption>URLs</caption>
 * <tr><td>{@code /}</td><td>the five newest entries (with none yet: {@code /compose})</td></tr>
 * <tr><td>{@code /archive}</td><td>every entry's title and date</td></tr>
 * <tr><td>{@code /feed}</td><td>Atom 1.0, the ten newest entries</td></tr>
 * <tr><td>{@code /entry/SLUG}</td><td>one entry</td></tr>
 * <tr><td>{@code /compose}</td><td>new entry, or {@code ?id=N} to edit; fields {@code title},
 *     {@code markdown}, {@code id}; authors only</td></tr>
 * <tr><td>{@code /auth/create}</td><td>the first author: {@code email}, {@code name}, {@code password}</td></tr>
 * <tr><td>{@code /auth/login}</td><td>{@code email}, {@code password}, {@code next}</td></tr>
 * <tr><td>{@code /auth/logout}</td><td>POST (a form); GET shows the button</td></tr>
 * </table>
 *
 * <pre>
 * ./gale-demo blog [--port 8888] [--db h2:blog-data/blog | postgresql://user@host:port/db]
 *                  [--author-email E --author-name N] (password: GALE_AUTHOR_PASSWORD or --author-password)
 * </pre>
 *
 * <p>Pieces: {@link Database} (HikariCP, the schema), {@link BlogStore} (queries),
 * {@link Markdown} (commonmark, rendering decision there), {@link Passwords} (PBKDF2),
 * {@link Slugs}, the handlers (one class each, over {@link BaseHandler}), {@link EntryModule}
 * (Tornado's UI module), templates and {@code blog.css} under this package's resources folder
 * ({@code templates/}, {@code static/}). Limits: {@link BlogLimits}.
 *
 * <p>Threading: every handler runs on a virtual thread ({@link BaseHandler}), so the JDBC calls
 * and password hashing block no event loop; the pool bounds the connections (10).
 */
public final class BlogDemo {
    private static final Logger LOG = LoggerFactory.getLogger("gale.demos.blog");
    /** Where the templates and the style sheet are, on the class path. */
    static final String RESOURCES = "io/gale/demos/blog/";

    private BlogDemo() {
    }

    /** The command line. */
    record Config(int port, String db, String title, String authorEmail, String authorName, String authorPassword,
                  String cookieSecret, boolean debug) {
    }

    /** The blog's application: routes, templates, UI module, static files, XSRF, login. */
    static Application application(Blog blog, String cookieSecret, boolean debug) {
        ApplicationSettings settings = ApplicationSettings.builder()
                .templateEngine(PebbleTemplateEngine.builder()
                        .classpath(RESOURCES + "templates")
                        .classLoader(BlogDemo.class.getClassLoader())
                        .cache(!debug)
                        .build())
                .staticPath(staticPath())
                .uiModules(Map.of("Entry", EntryModule.class))
                .uiMethods(Map.of("formatDate", BlogDemo::formatDate, "atomDate", BlogDemo::atomDate))
                .xsrfCookies(true)
                .cookieSecret(cookieSecret)
                .loginUrl("/auth/login")
                .maxBodySize(blog.limits().maxBodySize())
                .debug(debug)
                .build();
        return new Application(List.of(
                Route.url("/", () -> new HomeHandler(blog)),
                Route.url("/archive", () -> new ArchiveHandler(blog)),
                Route.url("/feed", () -> new FeedHandler(blog)),
                Route.url("/entry/([^/]+)", () -> new EntryHandler(blog)),
                Route.url("/compose", () -> new ComposeHandler(blog)),
                Route.url("/auth/create", () -> new AuthCreateHandler(blog)),
                Route.url("/auth/login", () -> new AuthLoginHandler(blog)),
                Route.url("/auth/logout", () -> new AuthLogoutHandler(blog)),
                Route.url(".*", () -> new NotFoundHandler(blog))), settings);
    }

    /** {@code formatDate(instant)}: Tornado's {@code locale.format_date(d, full_format=True, shorter=True)}, in the request's locale. */
    private static Object formatDate(io.gale.web.RequestHandler handler, TemplateArgs args) {
        return handler.locale().formatDate((Instant) args.get(0), 0, false, true, true);
    }

    /** {@code atomDate(instant)}: RFC 3339 in UTC, whole seconds (Atom's date construct). */
    private static Object atomDate(io.gale.web.RequestHandler handler, TemplateArgs args) {
        return ((Instant) args.get(0)).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * The {@code static} folder of this package's resources as a path: a directory when the
     * classes are files (tests, an IDE), the folder inside the jar otherwise (a zip file system,
     * opened once; {@code StaticFileHandler} reads it like any directory).
     */
    static Path staticPath() {
        URL url = BlogDemo.class.getClassLoader().getResource(RESOURCES + "static/blog.css");
        if (url == null) {
            throw new IllegalStateException("missing resource " + RESOURCES + "static/blog.css");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                FileSystem zip;
                try {
                    zip = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    zip = FileSystems.getFileSystem(uri);
                }
                return zip.provider().getPath(uri).getParent();
            }
            return Path.of(uri).getParent();
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot open " + url + ": " + e, e);
        }
    }

    /**
     * Opens the database and makes the blog: schema, cookie secret (from the command line, else
     * kept in the database), the first author from the command line when given and none exists.
     */
    static Blog open(Database db, Config config, Passwords passwords) throws SQLException {
        BlogStore store = new BlogStore(db);
        Blog blog = new Blog(store, config.title(), passwords, BlogLimits.DEFAULTS);
        if (config.authorEmail() != null) {
            String problem = Credentials.newAuthorProblem(config.authorEmail(), nonNull(config.authorName()),
                    nonNull(config.authorPassword()), blog.limits());
            if (problem != null) {
                throw new IllegalArgumentException("--author-*: " + problem);
            }
            if (store.createFirstAuthor(config.authorEmail(), config.authorName(),
                    passwords.hash(config.authorPassword())).isPresent()) {
                LOG.info("created the author {}", config.authorEmail());
            } else {
                LOG.info("an author exists already: --author-email ignored");
            }
        }
        return blog;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    /** Starts the blog. */
    public static void main(String[] args) throws Exception {
        DemoOptions demo = DemoOptions.forDemo("blog");
        Config config = parseArgs(demo, args);
        Database db;
        try {
            db = Database.open(config.db());
        } catch (SQLException | IllegalArgumentException e) {
            demo.err().println("blog: " + e.getMessage());
            System.exit(1);
            return;
        }
        Blog blog;
        String secret;
        try {
            blog = open(db, config, new Passwords(Passwords.DEFAULT_ITERATIONS));
            secret = config.cookieSecret() != null ? config.cookieSecret() : blog.store().cookieSecret();
        } catch (IllegalArgumentException e) {
            demo.err().println("blog: " + e.getMessage());
            System.exit(2);
            return;
        }
        Application app;
        try {
            app = application(blog, secret, config.debug());
        } catch (IllegalArgumentException e) {
            demo.err().println("blog: " + e.getMessage()); // a --cookie-secret too short, say
            System.exit(2);
            return;
        }
        HttpServer server = demo.listen(config.port(), () -> app.listen(config.port()));
        demo.out().println(Demos.listeningLine(server.localAddresses().get(0)));
        demo.out().flush();
        LOG.info("entries in the {}", db.description());
        if (!blog.store().anyAuthor()) {
            LOG.info("no author yet: create the first one at /auth/create (or start with --author-email)");
        }
        IOLoop.instance().start();
    }

    /** The options; usage errors and {@code --help} exit through {@code demo}. */
    static Config parseArgs(DemoOptions demo, String[] args) {
        Option<Integer> port = demo.port(8888);
        Option<String> db = demo.parser().option("db", String.class).defaultValue(Database.DEFAULT)
                .metavar("postgresql://USER@HOST:PORT/DB | h2:PATH | jdbc:URL")
                .help("the database (default: embedded H2 in blog-data/ under the working directory)").define();
        Option<String> title = demo.parser().option("title", String.class).defaultValue("Gale Blog")
                .help("the blog's title").define();
        Option<String> email = demo.parser().option("author-email", String.class)
                .help("create this first author on start, if the blog has none").define();
        Option<String> name = demo.parser().option("author-name", String.class)
                .help("the first author's name (with --author-email)").define();
        Option<String> password = demo.parser().option("author-password", String.class)
                .help("the first author's password (better: the environment variable GALE_AUTHOR_PASSWORD)").define();
        Option<String> secret = demo.parser().option("cookie-secret", String.class)
                .help("the login cookies' signing secret (default: made once, kept in the database)").define();
        Option<Boolean> debug = demo.parser().option("debug", Boolean.class).defaultValue(false)
                .help("re-read templates on every request, tracebacks on error pages").define();
        demo.parseOptionsOnly(args);
        return new Config(port.get(), db.get(), title.get(), email.get(), name.get(), password.get(), secret.get(),
                debug.get());
    }
}
