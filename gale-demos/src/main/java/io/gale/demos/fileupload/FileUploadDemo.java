package io.gale.demos.fileupload;

import io.gale.demos.Demos;
import io.gale.http.HttpServer;
import io.gale.http.HttpServerOptions;
import io.gale.ioloop.IOLoop;
import io.gale.web.Application;
import io.gale.web.ApplicationSettings;
import io.gale.web.RequestHandler;
import io.gale.web.Route;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tornado's file upload demo ({@code demos/file_upload/file_receiver.py}) in Gale: a server that
 * takes files as {@code multipart/form-data} ({@code POST /post}, what a browser's form sends) or
 * as a raw body ({@code PUT /put/NAME}), streams them to an upload directory without holding them
 * in memory, and answers each file's name, size and SHA-256. The page at {@code /} has a form to
 * try it from a browser; {@link FileUploader} is the command-line client.
 *
 * <pre>
 * ./gale-demo file_upload [--port 8888] [--upload-dir uploads] [--max-size 4G]
 * curl -F file=@photo.jpg http://localhost:8888/post
 * ./gale-demo file_uploader --put big.iso
 * </pre>
 *
 * <p>Prints {@code listening on HOST:PORT} once the socket is bound. Files go to
 * {@code --upload-dir} (default {@code uploads} under the working directory, created when
 * missing), with sanitised names ({@link FileNames}); a file shows up there only when complete
 * ({@link UploadDirectory}). Limits: {@link UploadLimits}.
 *
 * <p>Threading: the upload handlers run on virtual threads ({@code @RunOnVirtualThread}), so
 * writing to disk blocks no event loop; the body is still read by the loop, one piece at a time,
 * and reading waits while a piece is being written (flow control), so memory per upload stays at
 * one piece (64 KiB) whatever the file's size.
 */
public final class FileUploadDemo {
    private static final Logger LOG = LoggerFactory.getLogger("gale.demos.file_upload");
    private static final String USAGE = "usage: file_upload [--port N] [--upload-dir DIR] [--max-size BYTES[K|M|G]]";

    private FileUploadDemo() {
    }

    /** The command line: where to listen and store, and how much to take. */
    record Config(int port, Path uploadDir, UploadLimits limits) {
    }

    /** Serves the upload form. */
    static final class MainHandler extends RequestHandler {
        private final UploadLimits limits;

        MainHandler(UploadLimits limits) {
            this.limits = limits;
        }

        public void get() {
            setHeader("Content-Type", "text/html; charset=utf-8");
            String host = request().headers().get("Host");
            write(Pages.index(limits, request().protocol() + "://" + (host == null ? "localhost:8888" : host)));
        }
    }

    /** Logs what happens to uploads, as Tornado's demo logs each file it receives. */
    static final class LogListener implements UploadDirectory.Listener {
        @Override
        public void stored(StoredFile file) {
            LOG.info("stored \"{}\" {} bytes sha256 {}", file.name(), file.size(), file.sha256());
        }

        @Override
        public void discarded(Path temp, String reason) {
            LOG.info("discarded an unfinished upload: {}", reason);
        }
    }

    /** The application: the form, and the two upload endpoints storing into {@code directory}. */
    static Application application(UploadDirectory directory, UploadLimits limits) {
        // Only the streaming upload handlers take bodies; anything buffered (a POST to "/") is small.
        ApplicationSettings settings = ApplicationSettings.builder().maxBodySize(64 * 1024).build();
        return new Application(List.of(
                Route.url("/", () -> new MainHandler(limits)),
                Route.url("/post", () -> new PostHandler(directory, limits)),
                Route.url("/put/(.+)", () -> new PutHandler(directory, limits))), settings);
    }

    /**
     * The server's options: the connection's own body limit is lifted, because the upload
     * handlers enforce {@link UploadLimits#maxBodySize()} themselves (and the application's
     * {@code maxBodySize} still bounds buffered bodies).
     */
    static HttpServerOptions serverOptions() {
        return HttpServerOptions.defaults().withMaxBodySize(Long.MAX_VALUE);
    }

    /** Starts the server. */
    public static void main(String[] args) throws Exception {
        Config config = parseArgs(args, System.err);
        if (config == null) {
            System.exit(2);
        }
        UploadDirectory directory = new UploadDirectory(config.uploadDir(), new LogListener());
        HttpServer server = application(directory, config.limits()).listen(config.port(), null, serverOptions());
        System.out.println(Demos.listeningLine(server.localAddresses().get(0)));
        System.out.flush();
        LOG.info("storing uploads in {}", directory.root());
        IOLoop.instance().start();
    }

    /**
     * {@code [--port N] [--upload-dir DIR] [--max-size SIZE]}; null (after printing the usage to
     * {@code err}) when they are wrong. All argument parsing is here.
     */
    static Config parseArgs(String[] args, PrintStream err) {
        int port = 8888;
        Path dir = Path.of("uploads");
        UploadLimits limits = UploadLimits.DEFAULTS;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + args[i]);
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--port" -> {
                        if (!value.matches("[0-9]{1,5}") || Integer.parseInt(value) > 65535) {
                            throw new IllegalArgumentException("bad port " + value);
                        }
                        port = Integer.parseInt(value);
                    }
                    case "--upload-dir" -> dir = Path.of(value);
                    case "--max-size" -> limits = limits.withMaxBodySize(Sizes.parse(value));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "\n" + USAGE);
            return null;
        }
        return new Config(port, dir, limits);
    }
}
