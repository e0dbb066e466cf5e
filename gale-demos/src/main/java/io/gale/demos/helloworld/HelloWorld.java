package io.gale.demos.helloworld;

import io.gale.ioloop.IOLoop;
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
        int port = port(args);
        Application application = application();
        HttpServer server = application.listen(port);
        System.out.println(io.gale.demos.Demos.listeningLine(server.localAddresses().get(0)));
        System.out.flush();
        IOLoop.instance().start();
    }

    /** {@code --port N} (default 8888); anything else is a usage error. */
    static int port(String[] args) {
        if (args.length == 0) {
            return 8888;
        }
        if (args.length == 2 && args[0].equals("--port") && args[1].matches("[0-9]{1,5}")
                && Integer.parseInt(args[1]) <= 65535) {
            return Integer.parseInt(args[1]);
        }
        System.err.println("usage: helloworld [--port N]");
        System.exit(2);
        return -1;
    }
}
