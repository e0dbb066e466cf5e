package io.gale.demos.staticfiles;

import io.gale.http.HttpServer;
import io.gale.ioloop.LoopGroup;
import io.gale.web.Application;
import io.gale.web.ApplicationSettings;
import io.gale.web.RequestHandler;
import io.gale.web.Route;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Serves a directory with {@link io.gale.web.StaticFileHandler} through the {@code staticPath}
 * setting: {@code /static/<file>}, {@code /robots.txt} and {@code /favicon.ico} come from
 * {@code --dir}, and {@code /} is a page linking {@code /static/index.html} by its versioned URL
 * ({@code staticUrl}). The benchmark harness's static-file family runs it.
 *
 * <pre>
 * ./gale-demo staticfiles --dir ./public [--port 8080] [--loops N] [--host 127.0.0.1] [--gzip] [--no-access-log]
 * </pre>
 *
 * <p>{@code --no-access-log} replaces the access log with nothing (the {@code logFunction}
 * setting), as the benchmark's nginx runs with {@code access_log off}.
 */
public final class StaticFilesDemo {
    private StaticFilesDemo() {
    }

    /** {@code /}: links the static files by their versioned URLs. */
    public static final class IndexHandler extends RequestHandler {
        public void get() {
            write("<!doctype html><link rel=stylesheet href=\"" + staticUrl("style.css") + "\">"
                    + "<a href=\"" + staticUrl("index.html") + "\">files</a>");
        }
    }

    public static void main(String[] args) throws IOException {
        int port = 8080;
        int loops = Runtime.getRuntime().availableProcessors();
        String host = "127.0.0.1";
        Path dir = null;
        boolean gzip = false;
        boolean accessLog = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--loops" -> loops = Integer.parseInt(args[++i]);
                case "--host" -> host = args[++i];
                case "--dir" -> dir = Path.of(args[++i]);
                case "--gzip" -> gzip = true;
                case "--no-access-log" -> accessLog = false;
                default -> usage();
            }
        }
        if (dir == null || !Files.isDirectory(dir)) {
            usage();
        }
        Application app = application(dir, gzip, accessLog);
        LoopGroup group = new LoopGroup(loops).start();
        HttpServer server = new HttpServer(app);
        server.bind(port, host);
        server.start(group);
        System.out.println(io.gale.demos.Demos.listeningLine(server.localAddresses().get(0)));
        System.out.flush();
    }

    /** The demo's application: {@code dir} as {@code staticPath}, {@code /} linking into it. */
    public static Application application(Path dir, boolean gzip, boolean accessLog) {
        ApplicationSettings.Builder settings = ApplicationSettings.builder()
                .staticPath(dir.toAbsolutePath()).compressResponse(gzip);
        if (!accessLog) {
            settings.logFunction(handler -> { });
        }
        return new Application(List.of(Route.url("/", IndexHandler.class)), settings.build());
    }

    private static void usage() {
        System.err.println("usage: staticfiles --dir DIR [--port N] [--loops N] [--host H] [--gzip] [--no-access-log]");
        System.exit(2);
    }
}
