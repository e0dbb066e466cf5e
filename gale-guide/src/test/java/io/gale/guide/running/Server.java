package io.gale.guide.running;

import static io.gale.options.Options.define;
import static io.gale.web.Route.url;

import io.gale.http.HttpServer;
import io.gale.http.HttpServerOptions;
import io.gale.ioloop.IOLoop;
import io.gale.options.Option;
import io.gale.options.Options;
import io.gale.web.Application;
import io.gale.web.ApplicationSettings;
import io.gale.web.RequestHandler;
import java.time.Duration;
import java.util.List;

/** The running chapter: options, one process on every core, a proxy in front, a graceful stop. */
public final class Server {
    private Server() {
    }

    public static final class MainHandler extends RequestHandler {
        public void get() {
            write("Hello from " + request().remoteIp());
        }
    }

    // tag::options[]
    static final Option<Integer> PORT = define("port", 8888, "the port to listen on");
    static final Option<String> ADDRESS = define("address", "127.0.0.1", "the address to listen on");
    static final Option<Boolean> DEBUG = define("debug", false, "templates re-read, tracebacks in error pages");
    static final Option<Boolean> BEHIND_PROXY = define("behind-proxy", false,
            "trust X-Real-IP / X-Forwarded-For and X-Scheme from the proxy in front");
    // end::options[]

    // tag::start[]
    static HttpServer start(String... args) throws Exception {
        Options.options().envPrefix("MYAPP_");      // MYAPP_PORT=9000 when --port is not given
        Options.parseCommandLine(args);             // --port=9000 or --port 9000; --help; errors exit 2
        Application app = new Application(List.of(url("/", MainHandler.class)),
                ApplicationSettings.builder().debug(DEBUG.get()).build());
        HttpServerOptions http = HttpServerOptions.builder().xheaders(BEHIND_PROXY.get()).build();
        HttpServer server = app.listen(PORT.get(), ADDRESS.get(), http);   // every core's loop accepts
        Runtime.getRuntime().addShutdownHook(new Thread(() ->               // SIGTERM, Ctrl-C
                server.shutdown(Duration.ofSeconds(10)).join()));          // in-flight requests finish
        return server;
    }

    public static void main(String[] args) throws Exception {
        start(args);
        IOLoop.instance().start();
    }
    // end::start[]
}
