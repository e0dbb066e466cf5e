package io.gale.demos.fileupload;

import com.fasterxml.jackson.databind.JsonNode;
import io.gale.demos.DemoOptions;
import io.gale.http.HttpUtil;
import io.gale.httpclient.AsyncHttpClient;
import io.gale.httpclient.HttpRequest;
import io.gale.httpclient.HttpResponse;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.IOLoopOptions;
import io.gale.options.Option;
import io.gale.options.OptionParser;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Tornado's {@code demos/file_upload/file_uploader.py} in Gale: uploads files, or every file
 * under a directory, to the {@link FileUploadDemo} server with {@link AsyncHttpClient} and a
 * body producer, so a file of any size is streamed from disk and never held in memory.
 *
 * <pre>
 * ./gale-demo file_uploader [--put] [--server http://127.0.0.1:8888] FILE_OR_DIR...
 * </pre>
 *
 * <p>By default all files go in one {@code multipart/form-data} POST to {@code /post}; with
 * {@code --put} each file is a PUT of its raw bytes to {@code /put/NAME}, one after another.
 * Requests say {@code Expect: 100-continue}, so a server that refuses the size answers 413 before
 * a byte of the body is sent. A progress bar (bytes, rate, time left) is drawn on a terminal;
 * when the output is not a terminal, plain lines report every tenth. At the end each file's name
 * on the server, size and SHA-256 are printed, and the SHA-256 is compared with the one of the
 * bytes sent.
 *
 * <p>Exit status: 0 when every file arrived intact, 1 when an upload failed or a checksum
 * differs, 2 for bad usage or a file that cannot be read.
 */
public final class FileUploader {
    static final String DEFAULT_SERVER = "http://127.0.0.1:8888";
    /** An upload may take long (gigabytes over a slow link); the client's 20 s default is for pages. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofHours(24);

    private FileUploader() {
    }

    /** The command line. */
    record Config(boolean put, String server, List<Path> paths) {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, onTerminal()));
    }

    /**
     * Whether the output is a terminal. Up to JDK 21 {@code System.console()} is null unless both
     * standard streams are; from JDK 22 it may be a console on redirected streams too, and
     * {@code Console.isTerminal()} (absent from release 21, hence the reflection) says which.
     */
    static boolean onTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only on a terminal
        }
    }

    /**
     * Uploads; returns the exit status.
     *
     * @param terminal whether {@code out} is a terminal (a progress bar) or not (plain lines)
     */
    static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
        try {
            return DemoOptions.run("file_uploader", out, err, demo -> upload(parseArgs(demo, args), out, err, terminal));
        } catch (Exception e) {
            throw new IllegalStateException(e); // upload reports its own failures; nothing else throws
        }
    }

    private static int upload(Config config, PrintStream out, PrintStream err, boolean terminal) {
        List<UploadBody.LocalFile> files;
        try {
            files = collect(config.paths());
        } catch (IOException e) {
            err.println("cannot read " + e.getMessage());
            return 2;
        }
        if (files.isEmpty()) {
            err.println("no files to upload");
            return 2;
        }
        IOLoop loop = new IOLoop(IOLoopOptions.builder().name("file_uploader").daemon(true).build());
        loop.startInBackground();
        try (AsyncHttpClient client = new AsyncHttpClient(loop)) {
            Uploads uploads = new Uploads(client, config.server(), out, err, terminal);
            if (config.put()) {
                boolean ok = true;
                for (UploadBody.LocalFile f : files) {
                    ok &= uploads.send("/put/" + HttpUtil.urlEncode(f.name()), "PUT", UploadBody.raw(f), f.name());
                }
                return ok ? 0 : 1;
            }
            String label = files.size() == 1 ? files.get(0).name() : files.size() + " files";
            return uploads.send("/post", "POST", UploadBody.multipart(files, newBoundary()), label) ? 0 : 1;
        } finally {
            loop.close();
        }
    }

    /**
     * {@code [--put] [--server URL] FILE_OR_DIR...} (usage errors and {@code --help} exit through
     * {@code demo}). All argument parsing is here.
     */
    static Config parseArgs(DemoOptions demo, String[] args) {
        OptionParser parser = demo.parser().usageArguments("FILE_OR_DIR...");
        Option<Boolean> put = parser.option("put", Boolean.class).defaultValue(false)
                .help("one PUT per file instead of one multipart POST").define();
        Option<String> server = parser.option("server", String.class).defaultValue(DEFAULT_SERVER).metavar("URL")
                .help("the file_upload server").check(FileUploader::isHttpUrl, "an http:// or https:// URL").define();
        List<String> rest = demo.parse(args);
        if (rest.isEmpty()) {
            throw parser.usageError("name the files or directories to upload");
        }
        for (String arg : rest) {
            if (arg.startsWith("--")) {
                throw parser.usageError("unknown option " + arg);
            }
        }
        return new Config(put.get(), server.get().replaceAll("/+$", ""), rest.stream().map(Path::of).toList());
    }

    private static boolean isHttpUrl(String url) {
        try {
            String scheme = URI.create(url).getScheme();
            return "http".equals(scheme) || "https".equals(scheme);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The files named, and every regular file under the directories named, in name order. */
    static List<UploadBody.LocalFile> collect(List<Path> paths) throws IOException {
        List<UploadBody.LocalFile> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> tree = Files.walk(p)) {
                    for (Path f : tree.filter(Files::isRegularFile).sorted().toList()) {
                        files.add(new UploadBody.LocalFile(f));
                    }
                }
            } else if (Files.isRegularFile(p)) {
                files.add(new UploadBody.LocalFile(p));
            } else {
                throw new IOException(p + ": no such file or directory");
            }
        }
        return files;
    }

    /** A random multipart boundary (as Tornado's demo: a UUID's hex). */
    static String newBoundary() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Sends bodies to one server and reports the answers. */
    private record Uploads(AsyncHttpClient client, String server, PrintStream out, PrintStream err, boolean terminal) {
        /** One request; true when it succeeded and every checksum matches. */
        boolean send(String path, String method, UploadBody body, String label) {
            Progress progress = new Progress(out, terminal, label, body.length(), System::nanoTime);
            HttpRequest request = HttpRequest.newBuilder(server + path)
                    .method(method)
                    .header("Content-Type", body.contentType())
                    .header("Content-Length", Long.toString(body.length()))
                    .header("Accept", "application/json")
                    .bodyProducer(body.producer(progress))
                    .expect100Continue(true)
                    .requestTimeout(REQUEST_TIMEOUT)
                    .raiseError(false)
                    .build();
            HttpResponse response;
            try {
                response = client.fetch(request).join();
            } catch (RuntimeException e) {
                progress.finish();
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                err.println(method + " " + server + path + " failed: " + cause.getMessage());
                return false;
            }
            progress.finish();
            return report(method + " " + server + path, response, body.files());
        }

        private boolean report(String what, HttpResponse response, List<UploadBody.LocalFile> sent) {
            JsonNode json;
            try {
                json = response.json();
            } catch (RuntimeException e) {
                json = null;
            }
            if (response.code() != 200 || json == null || !json.path("files").isArray()) {
                String message = json != null ? json.path("error").path("message").asText(response.text())
                        : response.text();
                err.println(what + ": " + response.code() + " " + response.reason() + ": " + message);
                return false;
            }
            JsonNode stored = json.get("files");
            boolean ok = stored.size() == sent.size();
            for (int i = 0; i < stored.size(); i++) {
                JsonNode f = stored.get(i);
                String sha = f.path("sha256").asText();
                String check = i < sent.size() && sha.equals(sent.get(i).sha256()) ? "ok" : "CHECKSUM MISMATCH";
                ok &= check.equals("ok");
                out.println(f.path("name").asText() + "  " + f.path("size").asLong() + " bytes  sha256 " + sha
                        + "  " + check);
            }
            if (stored.size() != sent.size()) {
                err.println(what + ": sent " + sent.size() + " files, the server stored " + stored.size());
            }
            return ok;
        }
    }
}
