package io.gale.demos.fileupload;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gale.demos.DemoOptions;
import io.gale.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file_upload demo over real sockets: multipart uploads from curl and Gale's uploader, PUTs
 * from the JDK's client, each checked by SHA-256 on disk; the size limit answered 413 before the
 * body (a raw client with {@code Expect: 100-continue} gets no 100); a client that disconnects
 * mid-upload, a malformed body or an oversized chunked body leaves no file; hostile names stay in
 * the directory.
 */
@Timeout(60)
class FileUploadDemoTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Small enough to exceed cheaply, large enough for the ordinary uploads here. */
    private static final long LIMIT = 8L << 20;

    @TempDir
    Path work;
    private Path store;
    private Events events;
    private TestServer server;
    private final HttpClient jdk = HttpClient.newHttpClient();

    /** Records what the upload directory reports, for tests to wait on instead of sleeping. */
    static final class Events implements UploadDirectory.Listener {
        final CompletableFuture<Path> started = new CompletableFuture<>();
        final LinkedBlockingQueue<String> discarded = new LinkedBlockingQueue<>();
        final List<StoredFile> stored = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void started(Path temp, String clientName) {
            started.complete(temp);
        }

        @Override
        public void stored(StoredFile file) {
            stored.add(file);
        }

        @Override
        public void discarded(Path temp, String reason) {
            discarded.add(reason);
        }

        /** The reasons of the next {@code n} discarded files (waits up to 10 s for each). */
        List<String> discards(int n) throws InterruptedException {
            List<String> reasons = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String r = discarded.poll(10, SECONDS);
                assertThat(r).as("discarded file " + (i + 1) + " of " + n).isNotNull();
                reasons.add(r);
            }
            return reasons;
        }
    }

    @BeforeEach
    void start() throws Exception {
        store = work.resolve("store");
        events = new Events();
        UploadDirectory directory = new UploadDirectory(store, events);
        server = TestServer.start(FileUploadDemo.application(directory, new UploadLimits(LIMIT, 10)),
                FileUploadDemo.serverOptions());
    }

    @AfterEach
    void stop() {
        server.close();
        jdk.close();
    }

    // ---------------------------------------------------------------------------- uploads

    @Test
    void curlUploadsSeveralFilesAsMultipart() throws Exception {
        Path a = write("a.bin", random(3 << 20, 1));
        Path empty = write("empty.txt", new byte[0]);
        Path text = write("notes.txt", "hello\r\n--not-a-boundary\r\n".getBytes(StandardCharsets.UTF_8));
        Process curl = new ProcessBuilder("curl", "-sS", "--fail-with-body", "-H", "Expect:",
                "-F", "file=@" + a, "-F", "file=@" + empty, "-F", "comment=just a field", "-F", "file=@" + text,
                server.baseUrl() + "/post").redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(30, SECONDS)).isTrue();
        assertThat(curl.exitValue()).as(out).isZero();
        JsonNode files = JSON.readTree(out).get("files");
        assertThat(files).hasSize(3);
        assertThat(files.get(0).get("name").asText()).isEqualTo("a.bin");
        assertThat(files.get(0).get("size").asLong()).isEqualTo(3 << 20);
        assertThat(files.get(0).get("sha256").asText()).isEqualTo(sha256(a));
        assertThat(files.get(1).get("name").asText()).isEqualTo("empty.txt");
        assertThat(files.get(1).get("size").asLong()).isZero();
        assertThat(files.get(2).get("sha256").asText()).isEqualTo(sha256(text));
        assertThat(storedFiles()).containsExactly(Map.entry("a.bin", sha256(a)),
                Map.entry("empty.txt", sha256(empty)), Map.entry("notes.txt", sha256(text)));
    }

    @Test
    void theJdkClientPutsAFile() throws Exception {
        byte[] data = random(5 << 20, 2);
        HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/put/photo.jpg"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode f = JSON.readTree(r.body()).get("files").get(0);
        assertThat(f.get("name").asText()).isEqualTo("photo.jpg");
        assertThat(f.get("size").asLong()).isEqualTo(data.length);
        assertThat(f.get("sha256").asText()).isEqualTo(sha256(data));
        assertThat(storedFiles()).containsExactly(Map.entry("photo.jpg", sha256(data)));
    }

    @Test
    void theUploaderSendsADirectoryAsMultipartAndFilesAsPuts() throws Exception {
        Path dir = work.resolve("album");
        Files.createDirectories(dir.resolve("sub"));
        Path one = Files.write(dir.resolve("one.bin"), random(700_000, 3));
        Path two = Files.write(dir.resolve("sub/two 🐟.txt"), "two".getBytes(StandardCharsets.UTF_8));
        Path three = write("three.dat", random(65536 * 3, 4)); // a whole number of buffers

        Run post = uploader("--server", server.baseUrl(), dir.toString(), three.toString());
        assertThat(post.status).as(post.err).isZero();
        assertThat(post.out).contains("one.bin  700000 bytes  sha256 " + sha256(one) + "  ok",
                "two 🐟.txt  3 bytes  sha256 " + sha256(two) + "  ok", "three.dat  196608 bytes  sha256 " + sha256(three) + "  ok");
        assertThat(post.out).contains("3 files: 100% (");

        Run put = uploader("--put", "--server", server.baseUrl() + "/", one.toString(), two.toString());
        assertThat(put.status).as(put.err).isZero();
        assertThat(put.out).contains("one-1.bin  700000 bytes  sha256 " + sha256(one) + "  ok",
                "two 🐟-1.txt  3 bytes  sha256 " + sha256(two) + "  ok");
        assertThat(storedFiles()).containsOnlyKeys("one.bin", "two 🐟.txt", "three.dat", "one-1.bin", "two 🐟-1.txt");
    }

    @Test
    void theSameNameTwiceGetsANumber() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(put("report.pdf", ("v" + i).getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        }
        assertThat(storedFiles()).containsOnlyKeys("report.pdf", "report-1.pdf", "report-2.pdf");
        assertThat(Files.readString(store.resolve("report-2.pdf"))).isEqualTo("v2");
    }

    @Test
    void hostileNamesStayInTheDirectory() throws Exception {
        Map<String, String> expected = new TreeMap<>();
        expected.put("..%2F..%2Fescape.txt", "escape.txt");
        expected.put("..", "upload");
        expected.put("a%00b.txt", "a_b.txt");
        expected.put("%E2%80%AEgpj.exe", "_gpj.exe");
        expected.put("r%C3%A9sum%C3%A9%20%E6%97%A5%E6%9C%AC.pdf", "résumé 日本.pdf");
        expected.put("x".repeat(400) + ".txt", "x".repeat(251) + ".txt");
        expected.put(".hidden", "hidden");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            HttpResponse<String> r = put(e.getKey(), e.getKey().getBytes(StandardCharsets.UTF_8));
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).get("files").get(0).get("name").asText()).isEqualTo(e.getValue());
        }
        // multipart names: a path, a NUL and a bidi override through RFC 8187, quotes
        String body = part("../../../etc/cron.d/evil", null) + part("ignored", "UTF-8''a%00%E2%80%AEb.txt")
                + part("C:\\\\temp\\\\\\\"quoted\\\".txt", null) + "--B--\r\n";
        HttpResponse<String> r = post("multipart/form-data; boundary=B", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        JSON.readTree(r.body()).get("files").forEach(f -> names.add(f.get("name").asText()));
        assertThat(names).containsExactly("evil", "a__b.txt", "_quoted_.txt");

        try (Stream<Path> all = Files.walk(work)) {
            assertThat(all.filter(Files::isRegularFile).filter(p -> !p.getParent().equals(store)).toList())
                    .as("files outside the upload directory").isEmpty();
        }
        assertThat(storedFiles()).hasSize(expected.size() + 3);
    }

    private static String part(String filename, String extended) {
        return "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\""
                + (extended != null ? "; filename*=" + extended : "") + "\r\n\r\ncontent\r\n";
    }

    // ---------------------------------------------------------------------------- limits

    @Test
    void anOversizedUploadWithExpectContinueIsRefusedBeforeTheBodyAndGetsNo100() throws Exception {
        try (Socket s = connect()) {
            send(s, "PUT /put/huge.iso HTTP/1.1\r\nHost: x\r\nContent-Length: " + (LIMIT + 1)
                    + "\r\nExpect: 100-continue\r\nAccept: application/json\r\n\r\n");
            String answer = readToEnd(s.getInputStream()); // the server closes: the body was never wanted
            assertThat(answer).doesNotContain("100 Continue").startsWith("HTTP/1.1 413 ");
            assertThat(answer).contains("\"status\":413", "limit " + LIMIT);
        }
        assertThat(events.started).isNotDone();
        assertThat(storedFiles()).isEmpty();
    }

    @Test
    void anOversizedMultipartPostIsRefusedFromItsHeadersAlone() throws Exception {
        try (Socket s = connect()) {
            // no Expect and no body sent: the answer must not wait for one
            send(s, "POST /post HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=B\r\n"
                    + "Content-Length: " + (5L << 30) + "\r\nAccept: text/html\r\n\r\n");
            String head = readHead(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 413 ").contains("text/html");
        }
        assertThat(events.started).isNotDone();
    }

    @Test
    void theUploaderReportsA413WithoutSendingTheFile() throws Exception {
        Path big = write("big.bin", new byte[(int) LIMIT + 1]);
        Run run = uploader("--put", "--server", server.baseUrl(), big.toString());
        assertThat(run.status).isEqualTo(1);
        assertThat(run.err).contains("413", "limit " + LIMIT);
        assertThat(run.out).contains("big.bin: 0% (0 B of 8.0 MiB");
        assertThat(events.started).isNotDone();
    }

    @Test
    void aChunkedBodyOverTheLimitIs413AndLeavesNothing() throws Exception {
        try (Socket s = connect()) {
            send(s, "PUT /put/stream.bin HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            byte[] chunk = random(1 << 20, 5);
            OutputStream out = s.getOutputStream();
            try {
                for (int i = 0; i <= LIMIT >> 20; i++) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // the server may stop reading once it answered: its answer is still there to read
            }
            assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 413 ");
        }
        assertThat(events.discards(1)).containsExactly("request ended with 413");
        assertThat(storedFiles()).isEmpty();
        assertThat(listAll()).isEmpty();
    }

    @Test
    void aClientThatDisconnectsMidPutLeavesNoFile() throws Exception {
        disconnectMidUpload("PUT /put/partial.bin HTTP/1.1\r\nHost: x\r\nContent-Length: " + (4 << 20) + "\r\n\r\n", 1);
    }

    @Test
    void aClientThatDisconnectsMidMultipartLeavesNoFile() throws Exception {
        String parts = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"done.txt\"\r\n\r\ncomplete\r\n"
                + "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"partial.bin\"\r\n\r\n";
        disconnectMidUpload("POST /post HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=B\r\n"
                + "Content-Length: " + (4 << 20) + "\r\n\r\n" + parts, 2);
    }

    /** Sends {@code head} and 1 MiB, then resets the connection: the request's {@code files} go. */
    private void disconnectMidUpload(String head, int files) throws Exception {
        Socket s = connect();
        send(s, head);
        s.getOutputStream().write(random(1 << 20, 6));
        s.getOutputStream().flush();
        Path temp = events.started.get(10, SECONDS);
        assertThat(temp.getFileName().toString()).startsWith(".upload-").endsWith(".part");
        s.setSoLinger(true, 0); // reset, as a killed client or a dropped link would
        s.close();
        assertThat(events.discards(files)).containsOnly("client disconnected");
        assertThat(listAll()).as("nothing left in the upload directory").isEmpty();
        assertThat(events.stored).isEmpty();
    }

    @Test
    void aMalformedMultipartBodyIs400AndStoresNothing() throws Exception {
        String unterminated = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nabc\r\n";
        HttpResponse<String> r = post("multipart/form-data; boundary=B", unterminated.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").get("message").asText()).contains("no final boundary");
        assertThat(events.discards(1)).containsExactly("request ended with 400");
        assertThat(listAll()).isEmpty();

        assertThat(post("multipart/form-data", "x".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
        assertThat(post("multipart/form-data; boundary=\"bad{}\"", "x".getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(400);
        assertThat(post("application/json", "{}".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(415);
        String tooManyParts = part("f.txt", null).repeat(11) + "--B--\r\n";
        HttpResponse<String> many = post("multipart/form-data; boundary=B", tooManyParts.getBytes(StandardCharsets.UTF_8));
        assertThat(many.statusCode()).isEqualTo(400);
        assertThat(many.body()).contains("too many multipart parts");
        assertThat(events.discards(10)).containsOnly("request ended with 400"); // the parts before the 11th
        assertThat(listAll()).isEmpty();
    }

    @Test
    void otherMethodsAre405AndCreateNothing() throws Exception {
        HttpResponse<String> get = jdk.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/put/x.txt")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("PUT");
        HttpResponse<String> put = jdk.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/post"))
                .PUT(HttpRequest.BodyPublishers.ofString("data")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(events.started).isNotDone();
        assertThat(listAll()).isEmpty();
    }

    @Test
    void aFormWithNoFileChosenStoresNothing() throws Exception {
        String body = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n\r\n--B--\r\n";
        HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/post"))
                .header("Content-Type", "multipart/form-data; boundary=B").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("No file was chosen");
        assertThat(listAll()).isEmpty();
    }

    // ---------------------------------------------------------------------------- pages

    @Test
    void thePageHasTheFormAndTheBrowserGetsHtml() throws Exception {
        HttpResponse<String> page = jdk.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form id=\"upload-form\" action=\"/post\" method=\"post\" enctype=\"multipart/form-data\">",
                "<input type=\"file\" id=\"file\" name=\"file\" multiple>", "At most 8.0 MiB per upload",
                "curl -T photo.jpg " + server.baseUrl() + "/put/photo.jpg");

        String body = part("Tom & Jerry's.txt", null) + "--B--\r\n";
        HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/post"))
                .header("Content-Type", "multipart/form-data; boundary=B").header("Accept", "text/html,*/*;q=0.8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.body()).contains("<td class=\"name\">Tom &amp; Jerry&#39;s.txt</td>",
                "<td class=\"sha256\">" + sha256("content".getBytes(StandardCharsets.UTF_8)) + "</td>");
    }

    @Test
    void commandLines() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errs = new PrintStream(err, true, StandardCharsets.UTF_8);
        FileUploadDemo.Config c = serverArgs(errs, "--port", "0", "--upload-dir", "/tmp/x", "--max-size", "10M");
        assertThat(c).isEqualTo(new FileUploadDemo.Config(0, Path.of("/tmp/x"), new UploadLimits(10 << 20, 100)));
        assertThat(serverArgs(errs)).isEqualTo(new FileUploadDemo.Config(8888, Path.of("uploads"), UploadLimits.DEFAULTS));
        for (String[] bad : List.of(new String[] {"--port"}, new String[] {"--port", "70000"},
                new String[] {"--max-size", "0"}, new String[] {"--max-size", "lots"}, new String[] {"--bogus", "1"})) {
            assertThat(serverArgs(errs, bad)).as(String.join(" ", bad)).isNull();
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("file_upload");

        assertThat(uploaderArgs(errs, "--put", "a", "b"))
                .isEqualTo(new FileUploader.Config(true, FileUploader.DEFAULT_SERVER, List.of(Path.of("a"), Path.of("b"))));
        assertThat(uploaderArgs(errs)).isNull();
        assertThat(uploaderArgs(errs, "--server", "ftp://x", "a")).isNull();
        assertThat(uploaderArgs(errs, "--server")).isNull();
        assertThat(uploaderArgs(errs, "--verbose", "a")).isNull();
        Run missing = uploader("--server", "http://127.0.0.1:1", work.resolve("nope").toString());
        assertThat(missing.status).isEqualTo(2);
        assertThat(missing.err).contains("no such file or directory");
    }

    @Test
    void theUploaderSaysWhenNoServerListens() throws Exception {
        Path f = write("f.txt", "x".getBytes(StandardCharsets.UTF_8));
        int port;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Run run = uploader("--server", "http://127.0.0.1:" + port, f.toString());
        assertThat(run.status).isEqualTo(1);
        assertThat(run.err).contains("POST http://127.0.0.1:" + port + "/post failed");
    }

    // ---------------------------------------------------------------------------- helpers

    record Run(int status, String out, String err) {
    }

    /** The server's parsed command line, or null when the options exited (a usage error). */
    private static FileUploadDemo.Config serverArgs(PrintStream err, String... args) throws Exception {
        FileUploadDemo.Config[] config = new FileUploadDemo.Config[1];
        int status = DemoOptions.run("file_upload", new PrintStream(OutputStream.nullOutputStream()), err, demo -> {
            config[0] = FileUploadDemo.parseArgs(demo, args);
            return 0;
        });
        return status == 0 ? config[0] : null;
    }

    /** The uploader's parsed command line, or null when the options exited (a usage error). */
    private static FileUploader.Config uploaderArgs(PrintStream err, String... args) throws Exception {
        FileUploader.Config[] config = new FileUploader.Config[1];
        int status = DemoOptions.run("file_uploader", new PrintStream(OutputStream.nullOutputStream()), err, demo -> {
            config[0] = FileUploader.parseArgs(demo, args);
            return 0;
        });
        return status == 0 ? config[0] : null;
    }

    private static Run uploader(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = FileUploader.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> put(String encodedName, byte[] data) throws Exception {
        return jdk.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/put/" + encodedName))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String contentType, byte[] body) throws Exception {
        return jdk.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/post"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(15_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
    }

    private static String readToEnd(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** The response head and whatever of the body arrived with it. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private Path write(String name, byte[] data) throws IOException {
        Path p = work.resolve("src").resolve(name);
        Files.createDirectories(p.getParent());
        return Files.write(p, data);
    }

    /** Name to SHA-256 of every regular file in the upload directory (temporary files included). */
    private Map<String, String> storedFiles() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> files = Files.list(store)) {
            for (Path p : files.toList()) {
                m.put(p.getFileName().toString(), sha256(p));
            }
        }
        return m;
    }

    private List<String> listAll() throws IOException {
        try (Stream<Path> files = Files.list(store)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(Path p) throws IOException {
        return sha256(Files.readAllBytes(p));
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

}
