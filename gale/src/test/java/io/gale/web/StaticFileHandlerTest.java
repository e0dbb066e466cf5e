package io.gale.web;

import static io.gale.web.StaticTesting.curl;
import static io.gale.web.StaticTesting.curlText;
import static io.gale.web.StaticTesting.rawGet;
import static io.gale.web.StaticTesting.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpUtil;
import io.gale.web.StaticTesting.Served;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * StaticFileHandler over real sockets, with curl and the JDK HttpClient as clients (raw sockets
 * for the paths clients normalise away): whole files and validators, ranges, conditional
 * requests, HEAD, versioned URLs, the automatic routes, default files, gzip, and every traversal
 * attempt refused.
 */
@Timeout(120)
class StaticFileHandlerTest {
    private static final String SECRET = "top secret, outside the root";
    private static final String CSS = "body { color: #333; margin: 0 auto; }\n".repeat(80);

    @TempDir
    static Path dir;
    static Path root;
    static byte[] big;
    static Served served;
    static Served gzipServed;
    static HttpClient client;

    /** Writes the URL staticUrl makes for the query argument {@code f} (and variants). */
    public static final class UrlHandler extends RequestHandler {
        public void get() {
            String f = getArgument("f");
            write(staticUrl(f) + "\n" + staticUrl(f, true, true) + "\n" + staticUrl(f, false, false));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
        Files.writeString(root.resolve("hello.txt"), "Hello, static world!\n");
        big = new byte[300_000];
        new Random(7).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Files.writeString(root.resolve("style.css"), CSS);
        Files.writeString(root.resolve("robots.txt"), "User-agent: *\nDisallow:\n");
        Files.write(root.resolve("favicon.ico"), new byte[] {0, 0, 1, 0});
        Path sub = Files.createDirectories(root.resolve("sub"));
        Files.writeString(sub.resolve("index.html"), "<p>index</p>");
        Files.writeString(dir.resolve("secret.txt"), SECRET);
        Path outsideDir = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outsideDir.resolve("secret.txt"), SECRET);
        Files.createSymbolicLink(root.resolve("link-out.txt"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("dirlink"), outsideDir);
        Files.createSymbolicLink(root.resolve("link-in.txt"), root.resolve("hello.txt"));

        ApplicationSettings settings = ApplicationSettings.builder().staticPath(root).build();
        served = StaticTesting.serve(new Application(List.of(
                Route.url("/url", UrlHandler.class),
                Route.url("/pages/(.*)", StaticFileHandler.class, Map.of("path", root, "defaultFilename", "index.html")),
                Route.url("/+(.*)", StaticFileHandler.class, Map.of("path", root.toString(), "defaultFilename",
                        "index.html"))), settings));
        gzipServed = StaticTesting.serve(new Application(List.of(),
                ApplicationSettings.builder().staticPath(root).compressResponse(true).build()));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        served.close();
        gzipServed.close();
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(served.base() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String sha512(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(data));
    }

    // --------------------------------------------------------------------------- whole files

    @Test
    void wholeFileCarriesValidatorsAndType() throws Exception {
        HttpResponse<byte[]> r = get("/static/big.bin");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(big);
        assertThat(r.headers().firstValue("Content-Length")).hasValue(String.valueOf(big.length));
        assertThat(r.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(r.headers().firstValue("Etag")).hasValue('"' + sha512(big) + '"');
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        Instant mtime = Files.getLastModifiedTime(root.resolve("big.bin")).toInstant();
        assertThat(r.headers().firstValue("Last-Modified"))
                .hasValue(HttpUtil.formatTimestamp(Instant.ofEpochSecond(mtime.getEpochSecond())));
        assertThat(r.headers().firstValue("Cache-Control")).isEmpty(); // not a versioned URL

        HttpResponse<byte[]> text = get("/static/hello.txt");
        assertThat(new String(text.body(), StandardCharsets.UTF_8)).isEqualTo("Hello, static world!\n");
        assertThat(text.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(get("/static/style.css").headers().firstValue("Content-Type")).hasValue("text/css");
        // a link to a file inside the root is served
        assertThat(get("/static/link-in.txt").statusCode()).isEqualTo(200);
    }

    @Test
    void curlDownloadsTheSameBytes() throws Exception {
        assertThat(curl("-sS", served.base() + "/static/big.bin")).isEqualTo(big);
        // several files on one keep-alive connection, each whole
        byte[] both = curl("-sS", served.base() + "/static/hello.txt", served.base() + "/static/big.bin");
        byte[] hello = "Hello, static world!\n".getBytes(StandardCharsets.UTF_8);
        assertThat(Arrays.copyOf(both, hello.length)).isEqualTo(hello);
        assertThat(Arrays.copyOfRange(both, hello.length, both.length)).isEqualTo(big);
    }

    @Test
    void headHasTheHeadersWithoutABody() throws Exception {
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(served.base() + "/static/big.bin"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("Content-Length")).hasValue(String.valueOf(big.length));
        assertThat(r.headers().firstValue("Etag")).hasValue('"' + sha512(big) + '"');
        String head = curlText("-sS", "-I", served.base() + "/static/hello.txt");
        assertThat(head).startsWith("HTTP/1.1 200 OK").contains("Content-Length: 21").contains("Accept-Ranges: bytes");
    }

    @Test
    void automaticRoutesServeRobotsAndFavicon() throws Exception {
        assertThat(new String(get("/robots.txt").body(), StandardCharsets.UTF_8)).startsWith("User-agent: *");
        HttpResponse<byte[]> icon = get("/favicon.ico");
        assertThat(icon.body()).containsExactly(0, 0, 1, 0);
        assertThat(icon.headers().firstValue("Content-Type")).hasValue("image/vnd.microsoft.icon");
    }

    // --------------------------------------------------------------------------------- ranges

    @Test
    void rangesFirstMiddleSuffixAndOpenEnded() throws Exception {
        int n = big.length;
        HttpResponse<byte[]> first = get("/static/big.bin", "Range", "bytes=0-99");
        assertThat(first.statusCode()).isEqualTo(206);
        assertThat(first.headers().firstValue("Content-Range")).hasValue("bytes 0-99/" + n);
        assertThat(first.headers().firstValue("Content-Length")).hasValue("100");
        assertThat(first.body()).isEqualTo(Arrays.copyOfRange(big, 0, 100));

        HttpResponse<byte[]> middle = get("/static/big.bin", "Range", "bytes=1000-149999");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 1000-149999/" + n);
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(big, 1000, 150_000));
        // the ETag of a part is the whole file's
        assertThat(middle.headers().firstValue("Etag")).hasValue('"' + sha512(big) + '"');

        HttpResponse<byte[]> suffix = get("/static/big.bin", "Range", "bytes=-500");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.headers().firstValue("Content-Range")).hasValue("bytes " + (n - 500) + "-" + (n - 1) + "/" + n);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(big, n - 500, n));

        HttpResponse<byte[]> open = get("/static/big.bin", "Range", "bytes=299000-");
        assertThat(open.statusCode()).isEqualTo(206);
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(big, 299_000, n));

        // a last-byte-pos past the end is clamped
        HttpResponse<byte[]> clamped = get("/static/big.bin", "Range", "bytes=299990-999999999");
        assertThat(clamped.headers().firstValue("Content-Range")).hasValue("bytes 299990-" + (n - 1) + "/" + n);
        assertThat(clamped.body()).isEqualTo(Arrays.copyOfRange(big, 299_990, n));

        // curl's own --range
        assertThat(curl("-sS", "-r", "5000-5999", served.base() + "/static/big.bin"))
                .isEqualTo(Arrays.copyOfRange(big, 5000, 6000));
        String headers = curlText("-sS", "-D", "-", "-o", "/dev/null", "-r", "0-0", served.base() + "/static/big.bin");
        assertThat(headers).startsWith("HTTP/1.1 206 Partial Content").contains("Content-Range: bytes 0-0/" + n);
    }

    @Test
    void theWholeFileAsARangeIs200() throws Exception {
        HttpResponse<byte[]> r = get("/static/big.bin", "Range", "bytes=0-");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Range")).isEmpty();
        assertThat(r.body()).isEqualTo(big);
    }

    @Test
    void unsatisfiableRangeIs416() throws Exception {
        for (String range : List.of("bytes=300000-", "bytes=400000-500000", "bytes=-0", "bytes=999999-,1000000-")) {
            HttpResponse<byte[]> r = get("/static/big.bin", "Range", range);
            assertThat(r.statusCode()).as(range).isEqualTo(416);
            assertThat(r.headers().firstValue("Content-Range")).as(range).hasValue("bytes */" + big.length);
            assertThat(r.body()).as(range).isEmpty();
        }
        String viaCurl = curlText("-sS", "-D", "-", "-o", "/dev/null", "-r", "400000-", served.base() + "/static/big.bin");
        assertThat(viaCurl).startsWith("HTTP/1.1 416");
    }

    @Test
    void multipleRangesGiveTheWholeFile() throws Exception {
        HttpResponse<byte[]> r = get("/static/big.bin", "Range", "bytes=0-9,100-199");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Range")).isEmpty();
        assertThat(r.body()).isEqualTo(big);
        assertThat(curl("-sS", "-r", "0-9,-10", served.base() + "/static/big.bin")).isEqualTo(big);
        // overlapping ranges merge into one: served as that range
        HttpResponse<byte[]> merged = get("/static/big.bin", "Range", "bytes=0-99,50-149");
        assertThat(merged.statusCode()).isEqualTo(206);
        assertThat(merged.body()).isEqualTo(Arrays.copyOfRange(big, 0, 150));
        // malformed: ignored
        assertThat(get("/static/big.bin", "Range", "bytes=9-1").statusCode()).isEqualTo(200);
        assertThat(get("/static/big.bin", "Range", "lines=1-2").statusCode()).isEqualTo(200);
    }

    @Test
    void ifRangeUsesTheRangeOnlyForTheCurrentVersion() throws Exception {
        String etag = '"' + sha512(big) + '"';
        assertThat(get("/static/big.bin", "Range", "bytes=0-9", "If-Range", etag).statusCode()).isEqualTo(206);
        HttpResponse<byte[]> stale = get("/static/big.bin", "Range", "bytes=0-9", "If-Range", "\"other\"");
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(big);
        String lastModified = get("/static/big.bin").headers().firstValue("Last-Modified").orElseThrow();
        assertThat(get("/static/big.bin", "Range", "bytes=0-9", "If-Range", lastModified).statusCode()).isEqualTo(206);
        assertThat(get("/static/big.bin", "Range", "bytes=0-9", "If-Range", "Sat, 01 Jan 2000 00:00:00 GMT")
                .statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------------------ conditional

    @Test
    void conditionalRequestsGet304() throws Exception {
        HttpResponse<byte[]> full = get("/static/hello.txt");
        String etag = full.headers().firstValue("Etag").orElseThrow();
        String lastModified = full.headers().firstValue("Last-Modified").orElseThrow();

        HttpResponse<byte[]> byTag = get("/static/hello.txt", "If-None-Match", etag);
        assertThat(byTag.statusCode()).isEqualTo(304);
        assertThat(byTag.body()).isEmpty();
        assertThat(byTag.headers().firstValue("Etag")).hasValue(etag);
        assertThat(byTag.headers().firstValue("Content-Type")).isEmpty();
        assertThat(get("/static/hello.txt", "If-None-Match", "\"a\", " + etag).statusCode()).isEqualTo(304);
        assertThat(get("/static/hello.txt", "If-None-Match", "*").statusCode()).isEqualTo(304);
        assertThat(get("/static/hello.txt", "If-None-Match", "W/" + etag).statusCode()).isEqualTo(304);
        assertThat(get("/static/hello.txt", "If-None-Match", "\"stale\"").statusCode()).isEqualTo(200);

        assertThat(get("/static/hello.txt", "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
        assertThat(get("/static/hello.txt", "If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT").statusCode())
                .isEqualTo(200);
        assertThat(get("/static/hello.txt", "If-Modified-Since", "not a date").statusCode()).isEqualTo(200);
        // If-None-Match wins over If-Modified-Since, both ways
        assertThat(get("/static/hello.txt", "If-None-Match", "\"stale\"", "If-Modified-Since", lastModified)
                .statusCode()).isEqualTo(200);
        assertThat(get("/static/hello.txt", "If-None-Match", etag, "If-Modified-Since",
                "Sat, 01 Jan 2000 00:00:00 GMT").statusCode()).isEqualTo(304);

        String viaCurl = curlText("-sS", "-D", "-", "-o", "/dev/null", "-H", "If-None-Match: " + etag,
                served.base() + "/static/hello.txt");
        assertThat(viaCurl).startsWith("HTTP/1.1 304");
        // a conditional HEAD too
        assertThat(client.send(HttpRequest.newBuilder(URI.create(served.base() + "/static/hello.txt"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(304);
    }

    // ------------------------------------------------------------------------------ versioned URLs

    @Test
    void staticUrlCarriesTheContentHashAndVersionedUrlsAreCachedForever() throws Exception {
        String[] urls = new String(get("/url?f=big.bin").body(), StandardCharsets.UTF_8).split("\n");
        assertThat(urls[0]).isEqualTo("/static/big.bin?v=" + sha512(big));
        assertThat(urls[1]).isEqualTo(served.base().replace("127.0.0.1", "127.0.0.1") + "/static/big.bin?v=" + sha512(big));
        assertThat(urls[2]).isEqualTo("/static/big.bin");
        // a missing file has no version
        assertThat(new String(get("/url?f=nope.js").body(), StandardCharsets.UTF_8)).startsWith("/static/nope.js\n");

        HttpResponse<byte[]> r = get(urls[0]);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(big);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("max-age=" + StaticFileHandler.CACHE_MAX_AGE);
        Instant expires = HttpUtil.parseHttpDate(r.headers().firstValue("Expires").orElseThrow()).orElseThrow();
        assertThat(expires).isAfter(Instant.now().plusSeconds(StaticFileHandler.CACHE_MAX_AGE - 86400));
        String viaCurl = curlText("-sS", "-D", "-", "-o", "/dev/null", served.base() + urls[0]);
        assertThat(viaCurl).contains("Cache-Control: max-age=315360000");
    }

    @Test
    void hashCacheOnKeepsTheVersionAndOffRecomputesIt(@TempDir Path other) throws Exception {
        Path file = other.resolve("app.js");
        for (boolean debug : new boolean[] {false, true}) {
            Files.writeString(file, "var version = 1;");
            Application app = new Application(List.of(Route.url("/url", UrlHandler.class)),
                    ApplicationSettings.builder().staticPath(other).debug(debug).build());
            assertThat(app.settings().staticHashCache()).isEqualTo(!debug);
            try (Served s = StaticTesting.serve(app)) {
                String before = curlText("-sS", s.base() + "/url?f=app.js").split("\n")[0];
                assertThat(before).isEqualTo("/static/app.js?v=" + sha512("var version = 1;".getBytes()));
                String tagBefore = curlText("-sS", "-D", "-", "-o", "/dev/null", s.base() + "/static/app.js");
                Files.writeString(file, "var version = 2;");
                String after = curlText("-sS", s.base() + "/url?f=app.js").split("\n")[0];
                String tagAfter = curlText("-sS", "-D", "-", "-o", "/dev/null", s.base() + "/static/app.js");
                if (debug) {
                    assertThat(after).isEqualTo("/static/app.js?v=" + sha512("var version = 2;".getBytes()));
                    assertThat(etagOf(tagAfter)).isNotEqualTo(etagOf(tagBefore));
                } else {
                    assertThat(after).isEqualTo(before);
                    assertThat(etagOf(tagAfter)).isEqualTo(etagOf(tagBefore));
                }
            }
        }
    }

    private static String etagOf(String head) {
        return head.lines().filter(l -> l.regionMatches(true, 0, "Etag:", 0, 5)).findFirst().orElseThrow();
    }

    @Test
    void staticUrlWithoutStaticPathIsAnError() throws Exception {
        Application app = new Application(List.of(Route.url("/url", UrlHandler.class)));
        try (Served s = StaticTesting.serve(app)) {
            assertThat(status(rawGet(s.port, "/url?f=x.js"))).isEqualTo(500);
        }
    }

    // ------------------------------------------------------------------------ default filename

    @Test
    void directoriesNeedADefaultFilename() throws Exception {
        assertThat(get("/static/sub").statusCode()).isEqualTo(403);
        assertThat(get("/static/sub/").statusCode()).isEqualTo(403);
        HttpResponse<byte[]> index = get("/pages/sub/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(new String(index.body(), StandardCharsets.UTF_8)).isEqualTo("<p>index</p>");
        assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html");
        String redirect = rawGet(served.port, "/pages/sub");
        assertThat(status(redirect)).isEqualTo(301);
        assertThat(redirect).contains("Location: /pages/sub/\r\n");
    }

    @Test
    void doubleSlashDirectoryPathIsNotRedirected() throws Exception {
        // Tornado 6.3.2's fix: "//sub" would redirect to "//sub/", a protocol-relative URL (host "sub")
        String r = rawGet(served.port, "//sub");
        assertThat(status(r)).isEqualTo(403);
        assertThat(r).doesNotContain("Location:");
        assertThat(status(rawGet(served.port, "/sub"))).isEqualTo(301);
    }

    // -------------------------------------------------------------------------------- traversal

    @Test
    void everyTraversalAttemptIsRefused() throws Exception {
        List<String> attempts = List.of(
                "/static/../secret.txt",
                "/static/sub/../../secret.txt",
                "/static/%2e%2e/secret.txt",
                "/static/%2E%2E/secret.txt",
                "/static/..%2fsecret.txt",
                "/static/..%2Fsecret.txt",
                "/static/%2e%2e%2fsecret.txt",
                "/static/sub%2f..%2f..%2fsecret.txt",
                "/static/..%5csecret.txt",
                "/static/%2fetc%2fpasswd",
                "/static//etc/passwd",
                "/static/" + dir.resolve("secret.txt"),
                "/static/link-out.txt",
                "/static/dirlink/secret.txt",
                "/static/hello.txt%00.png",
                "/static/%00",
                "/static/sub",
                "/static/",
                "/static/missing.txt",
                "/pages/..%2fsecret.txt",
                "/pages/dirlink/",
                "/%2e%2e/secret.txt",
                "/..%2f..%2f..%2f..%2fetc%2fpasswd");
        for (String target : attempts) {
            String r = rawGet(served.port, target);
            assertThat(status(r)).as(target).isIn(400, 403, 404);
            assertThat(r).as(target).doesNotContain(SECRET).doesNotContain("root:");
        }
        // the same through curl, with --path-as-is so it sends the dots
        for (String target : List.of("/static/../secret.txt", "/static/sub/../../secret.txt")) {
            String r = curlText("-sS", "--path-as-is", "-D", "-", served.base() + target);
            assertThat(status(r)).as(target).isEqualTo(403);
            assertThat(r).doesNotContain(SECRET);
        }
        // and through the JDK client, which sends encoded dots as they are
        assertThat(get("/static/%2e%2e/secret.txt").statusCode()).isEqualTo(403);
        assertThat(get("/static/..%2fsecret.txt").statusCode()).isEqualTo(403);
        assertThat(get("/static/link-out.txt").statusCode()).isEqualTo(403);
    }

    @Test
    void refusalsHaveTheirStatus() throws Exception {
        assertThat(status(rawGet(served.port, "/static/../secret.txt"))).isEqualTo(403);
        assertThat(status(rawGet(served.port, "/static/link-out.txt"))).isEqualTo(403);
        assertThat(status(rawGet(served.port, "/static/dirlink/secret.txt"))).isEqualTo(403);
        assertThat(status(rawGet(served.port, "/static/%2fetc%2fpasswd"))).isEqualTo(403);
        assertThat(status(rawGet(served.port, "/static/hello.txt%00"))).isEqualTo(404);
        assertThat(status(rawGet(served.port, "/static/missing.txt"))).isEqualTo(404);
        assertThat(status(rawGet(served.port, "/static/sub"))).isEqualTo(403);
        assertThat(status(rawGet(served.port, "/static/%zz"))).isEqualTo(400);
    }

    @Test
    void handlersOnVirtualThreadsServeFilesToo() throws Exception {
        Application app = new Application(List.of(),
                ApplicationSettings.builder().staticPath(root).virtualThreads(true).build());
        try (Served s = StaticTesting.serve(app)) {
            assertThat(curl("-sS", s.base() + "/static/big.bin")).isEqualTo(big);
            assertThat(curl("-sS", "-r", "10-19", s.base() + "/static/big.bin"))
                    .isEqualTo(Arrays.copyOfRange(big, 10, 20));
        }
    }

    // ------------------------------------------------------------------------------------- TLS

    @Test
    void overTlsTheFileGoesThroughTheBoundedBuffer() throws Exception {
        io.gale.testing.TestCertificates ca = io.gale.testing.TestCertificates.create();
        javax.net.ssl.SSLContext serverContext = ca.issue("localhost", "localhost", "127.0.0.1").sslContext();
        Application app = new Application(List.of(), ApplicationSettings.builder().staticPath(root).build());
        try (Served s = new Served(app, io.gale.http.HttpServerOptions.builder().tls(serverContext).build());
             HttpClient tls = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                     .sslContext(ca.trustingContext()).build()) {
            String base = "https://127.0.0.1:" + s.port;
            HttpResponse<byte[]> r = tls.send(HttpRequest.newBuilder(URI.create(base + "/static/big.bin")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(big);
            HttpResponse<byte[]> part = tls.send(HttpRequest.newBuilder(URI.create(base + "/static/big.bin"))
                    .header("Range", "bytes=100000-199999").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.body()).isEqualTo(Arrays.copyOfRange(big, 100_000, 200_000));
        }
    }

    // ------------------------------------------------------------------------------------ gzip

    @Test
    void compressibleFilesAreGzippedWhenAskedNeverForRanges() throws Exception {
        String base = gzipServed.base();
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(base + "/static/style.css"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(r.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(r.body().length).isLessThan(CSS.length() / 4);
        assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes(),
                StandardCharsets.UTF_8)).isEqualTo(CSS);
        assertThat(new String(curl("-sS", "--compressed", base + "/static/style.css"), StandardCharsets.UTF_8))
                .isEqualTo(CSS);

        HttpResponse<byte[]> range = client.send(HttpRequest.newBuilder(URI.create(base + "/static/style.css"))
                .header("Accept-Encoding", "gzip").header("Range", "bytes=0-9").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(new String(range.body(), StandardCharsets.UTF_8)).isEqualTo(CSS.substring(0, 10));

        // not compressible, or too small, or not accepted: as is
        for (String[] c : new String[][] {{"/static/big.bin", "gzip"}, {"/static/hello.txt", "gzip"},
                {"/static/style.css", "identity"}}) {
            HttpResponse<byte[]> plain = client.send(HttpRequest.newBuilder(URI.create(base + c[0]))
                    .header("Accept-Encoding", c[1]).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(plain.headers().firstValue("Content-Encoding")).as(c[0]).isEmpty();
            assertThat(plain.body()).as(c[0]).isEqualTo(Files.readAllBytes(root.resolve(c[0].substring(8))));
        }
    }
}
