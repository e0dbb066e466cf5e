package io.gale.demos.helloworld;

import io.gale.demos.DemoOptions;
import io.gale.demos.Demos;
import io.gale.ioloop.IOLoop;
import io.gale.options.Option;
import java.io.IOException;
import io.gale.web.Application;
import io.gale.http.HttpServer;
import io.gale.web.RequestHandler;
import io.gale.web.Route;
import java.util.List;

/**
 * The seed's hello world, line for line: an {@link Application} maps {@code /} to
 * {@link MainHandler}, whose {@code get()} writes "Hello, world"; {@code listen} opens the socket
 * without blocking and {@code IOLoop.instance().start()} runs the loop that serves it.
 *
 * <pre>
 * ./gale-demo helloworld [--port 8888]
 * curl http://localhost:8888/        # Hello, world
 * </pre>
 *
 * <p>Prints {@code listening on HOST:PORT} once the socket is bound (port 0 picks a free one).
 */
public final class HelloWorld {
    private HelloWorld() {
    }

    /** Answers every GET of {@code /} with "Hello, world". */
    public static final class MainHandler extends RequestHandler {
        public void get() {
            write("Hello, world");
        }
    }

    /** The application: one route. */
    public static Application application() {
        return new Application(List.of(Route.url("/", MainHandler.class)));
    }

    public static void main(String[] args) throws Exception {
        serve(DemoOptions.forDemo("helloworld"), args);
        IOLoop.instance().start();
    }

    /**
     * Parses {@code [--port N]} (usage errors exit 2, a taken port exits 1) and starts listening;
     * prints {@code listening on HOST:PORT}.
     */
    public static HttpServer serve(DemoOptions demo, String[] args) throws IOException {
        Option<Integer> port = demo.port(8888);
        demo.parseOptionsOnly(args);
        HttpServer server = demo.listen(port.get(), () -> application().listen(port.get()));
        demo.out().println(Demos.listeningLine(server.localAddresses().get(0)));
        demo.out().flush();
        return server;
    }
}
