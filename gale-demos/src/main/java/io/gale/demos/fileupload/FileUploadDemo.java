package io.gale.demos.fileupload;

import io.gale.demos.DemoOptions;
import io.gale.demos.Demos;
import io.gale.http.HttpServer;
import io.gale.http.HttpServerOptions;
import io.gale.ioloop.IOLoop;
import io.gale.options.Option;
import io.gale.web.Application;
import io.gale.web.ApplicationSettings;
import io.gale.web.RequestHandler;
import io.gale.web.Route;
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
        return HttpServerOptions.builder().maxBodySize(Long.MAX_VALUE).build();
    }

    /** Starts the server. */
    public static void main(String[] args) throws Exception {
        DemoOptions demo = DemoOptions.forDemo("file_upload");
        Config config = parseArgs(demo, args);
        UploadDirectory directory = new UploadDirectory(config.uploadDir(), new LogListener());
        HttpServer server = demo.listen(config.port(),
                () -> application(directory, config.limits()).listen(config.port(), null, serverOptions()));
        demo.out().println(Demos.listeningLine(server.localAddresses().get(0)));
        demo.out().flush();
        LOG.info("storing uploads in {}", directory.root());
        IOLoop.instance().start();
    }

    /**
     * {@code [--port N] [--upload-dir DIR] [--max-size BYTES[K|M|G|T]]} (usage errors and
     * {@code --help} exit through {@code demo}). All argument parsing is here.
     */
    static Config parseArgs(DemoOptions demo, String[] args) {
        Option<Integer> port = demo.port(8888);
        Option<Path> dir = demo.parser().option("upload-dir", Path.class).defaultValue(Path.of("uploads"))
                .help("where uploaded files are stored (created when missing)").define();
        Option<String> maxSize = demo.parser().option("max-size", String.class)
                .defaultValue(UploadLimits.DEFAULTS.maxBodySize() + "").metavar("BYTES[K|M|G|T]")
                .help("the largest upload taken; a larger one is answered 413 before its body")
                .check(FileUploadDemo::isSize, "a positive size such as 4G, 100M or 1048576").define();
        demo.parseOptionsOnly(args);
        return new Config(port.get(), dir.get(), UploadLimits.DEFAULTS.withMaxBodySize(Sizes.parse(maxSize.get())));
    }

    private static boolean isSize(String text) {
        try {
            return Sizes.parse(text) > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
