package ${package};

import static io.gale.options.Options.define;
import static io.gale.web.Route.url;

import io.gale.ioloop.IOLoop;
import io.gale.options.Option;
import io.gale.options.Options;
import io.gale.web.Application;
import io.gale.web.ApplicationSettings;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application: its options, its routes and its settings, and a main that serves it.
 *
 * <pre>
 * mvn compile exec:exec                           dev mode: --debug, restarts when classes change
 * java -cp ... ${package}.App --port=9000         options: --help lists them
 * </pre>
 */
public final class App {
    /** Created before main runs, so Logback reads its configuration now, not on a loop's first request. */
    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    static final Option<Integer> PORT = define("port", 8888, "the port to listen on");
    static final Option<String> ADDRESS = define("address", "127.0.0.1", "the address to listen on (0.0.0.0: all)");
    static final Option<Boolean> DEBUG = define("debug", false,
            "dev mode: templates re-read, tracebacks in error pages, restart when the classes change");
    static final Option<Path> STATIC_PATH = define("static-path", Path.of("static"), "the directory of /static/ files");

    private App() {
    }

    /** The application with the options' current values (tests call it too). */
    static Application makeApp() {
        // Templates come from the class path folder "templates" (src/main/resources/templates).
        return new Application(List.of(
                url("/", HelloHandler.class),
                url("/api/hello", HelloHandler.Api.class)),
            ApplicationSettings.builder()
                .staticPath(STATIC_PATH.get())          // /static/..., versioned URLs through staticUrl()
                .debug(DEBUG.get())
                .build());
    }

    public static void main(String[] args) throws Exception {
        Options.options().envPrefix("APP_");            // APP_PORT=9000 when --port is not given
        Options.parseCommandLine(args);                 // unknown or malformed options: a message, exit 2
        makeApp().listen(PORT.get(), ADDRESS.get());
        LOG.info("listening on http://{}:{}/", ADDRESS.get(), PORT.get());
        IOLoop.instance().start();
    }
}
