package io.gale.demos.fetch;

import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.testing.TestServer;
import io.gale.web.Application;
import io.gale.web.RequestHandler;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./gale-demo fetch} against a local Gale server and raw sockets that misbehave. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FetchTest {
    static final byte[] ALL_BYTES = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            ALL_BYTES[i] = (byte) i;
        }
    }

    public static final class Bytes extends RequestHandler {
        public void get() {
            setHeader("Content-Type", "application/octet-stream");
            write(ALL_BYTES);
        }
    }

    public static final class Gzipped extends RequestHandler {
        public void get() throws Exception {
            ByteArrayOutputStream z = new ByteArrayOutputStream();
            try (GZIPOutputStream g = new GZIPOutputStream(z)) {
                g.write("unzipped text".getBytes(StandardCharsets.UTF_8));
            }
            setHeader("Content-Encoding", "gzip");
            write(z.toByteArray());
        }
    }

    public static final class Echo extends RequestHandler {
        public void get() {
            echo();
        }

        public void post() {
            echo();
        }

        public void delete() {
            echo();
        }

        private void echo() {
            write(request().method() + "|" + request().headers().get("X-Test") + "|" + request().headers().get("X-Other")
                    + "|" + new String(request().body(), StandardCharsets.UTF_8));
        }
    }

    public static final class Missing extends RequestHandler {
        public void get() {
            setStatus(404);
            write("nope");
        }
    }

    public static final class Redirect extends RequestHandler {
        public void get() {
            redirect("/bytes");
        }
    }

    private static TestServer server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(new Application(List.of(url("/bytes", Bytes.class), url("/gzip", Gzipped.class),
                url("/echo", Echo.class), url("/missing", Missing.class), url("/redirect", Redirect.class))));
        base = server.baseUrl();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int fetch(String... args) throws Exception {
        return Fetch.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTheBodyByteForByte() throws Exception {
        assertThat(fetch(base + "/bytes")).isZero();
        assertThat(out.toByteArray()).isEqualTo(ALL_BYTES);
        assertThat(err()).isEmpty();
    }

    @Test
    void decodesTheContentEncodingAndPrintsHeaders() throws Exception {
        assertThat(fetch("--print-headers", base + "/gzip")).isZero();
        assertThat(out()).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nX-Consumed-Content-Encoding: gzip\r\n")
                .endsWith("\r\n\r\nunzipped text");
        out.reset();
        assertThat(fetch("--print-headers", "--print-body=false", base + "/bytes")).isZero();
        assertThat(out()).endsWith("\r\n\r\n").contains("Content-Length: 256\r\n");
    }

    @Test
    void methodBodyAndRepeatedHeaders(@TempDir Path dir) throws Exception {
        assertThat(fetch("--method=POST", "--body", "a=1, b", "--header", "X-Test: one, two", "--header=X-Other:2",
                base + "/echo")).isZero();
        assertThat(out()).isEqualTo("POST|one, two|2|a=1, b");
        out.reset();
        Path file = dir.resolve("body");
        Files.write(file, "from a file".getBytes(StandardCharsets.UTF_8));
        assertThat(fetch("--method", "POST", "--body-file", file.toString(), base + "/echo")).isZero();
        assertThat(out()).isEqualTo("POST|null|null|from a file");
        out.reset();
        assertThat(fetch("--method=DELETE", base + "/echo")).isZero();
        assertThat(out()).isEqualTo("DELETE|null|null|");
    }

    @Test
    void errorStatusPrintsTheBodyAndExitsOne() throws Exception {
        assertThat(fetch(base + "/missing")).isEqualTo(1);
        assertThat(out()).isEqualTo("nope");
        assertThat(err()).isEqualTo("fetch: GET " + base + "/missing: HTTP 404 Not Found\n");
    }

    @Test
    void redirects() throws Exception {
        assertThat(fetch(base + "/redirect")).isZero();
        assertThat(out.toByteArray()).isEqualTo(ALL_BYTES);
        out.reset();
        assertThat(fetch("--follow-redirects=false", "--print-headers", "--print-body=false", base + "/redirect")).isZero();
        assertThat(out()).startsWith("HTTP/1.1 302 Found\r\n").contains("Location: /bytes\r\n");
        out.reset();
        assertThat(fetch("--max-redirects=0", base + "/redirect")).isZero(); // the 302 itself: below 400
        assertThat(out()).isEmpty();
    }

    @Test
    void bodyTooLarge() throws Exception {
        assertThat(fetch("--max-body-size=100", base + "/bytes")).isEqualTo(1);
        assertThat(err()).startsWith("fetch: GET " + base + "/bytes: body too large: response body of 256 bytes exceeds maxBodySize 100");
        assertThat(out()).isEmpty();
    }

    /** A raw server running {@code script} for each connection, on a platform thread. */
    private static ServerSocket raw(Script script) throws Exception {
        ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            while (!ss.isClosed()) {
                try (Socket s = ss.accept()) {
                    script.run(s.getInputStream(), s.getOutputStream());
                } catch (Exception e) {
                    // the test closed the server, or the client left
                }
            }
        });
        return ss;
    }

    interface Script {
        void run(InputStream in, OutputStream out) throws Exception;
    }

    private static void readHead(InputStream in) throws Exception {
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                return;
            }
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
    }

    @Test
    void malformedResponse() throws Exception {
        try (ServerSocket ss = raw((in, o) -> {
            readHead(in);
            o.write("HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n0123456789".getBytes(StandardCharsets.US_ASCII));
            o.flush();
        })) {
            String url = "http://127.0.0.1:" + ss.getLocalPort() + "/";
            assertThat(fetch(url)).isEqualTo(1);
            assertThat(err()).startsWith("fetch: GET " + url + ": malformed response").doesNotContain("\n\t");
            assertThat(err().lines()).hasSize(1);
        }
    }

    @Test
    void timeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ServerSocket ss = raw((in, o) -> {
            readHead(in);
            release.await(30, TimeUnit.SECONDS); // never answers while the client waits
        })) {
            String url = "http://127.0.0.1:" + ss.getLocalPort() + "/";
            assertThat(fetch("--request-timeout=0.3", url)).isEqualTo(1);
            assertThat(err()).startsWith("fetch: GET " + url + ": timed out: Timeout during request");
            assertThat(err().lines()).hasSize(1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void connectionRefused() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThat(fetch("http://127.0.0.1:" + closed + "/")).isEqualTo(1);
        assertThat(err()).startsWith("fetch: GET http://127.0.0.1:" + closed + "/: cannot connect: ");
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        for (String[] args : new String[][] {{}, {"--header", "NoColon", base}, {"--body=x", "--body-file=/etc/hostname", base},
                {"ftp://example.com/"}, {"--request-timeout=0", base}, {"--max-redirects=-1", base}, {"--bogus", base}}) {
            err.reset();
            assertThat(fetch(args)).as(String.join(" ", args)).isEqualTo(2);
            assertThat(err()).as(String.join(" ", args)).startsWith("./gale-demo fetch: ");
        }
        assertThat(out()).isEmpty();
        assertThat(fetch("--help")).isZero();
        assertThat(out()).startsWith("Usage: ./gale-demo fetch [OPTIONS] URL...").contains("--header=NAME:VALUE",
                "--print-headers", "--follow-redirects", "--max-redirects=INT", "--request-timeout=DURATION",
                "--connect-timeout=DURATION", "--max-body-size=INT", "--validate-cert", "--proxy-host=HOST",
                "--proxy-port=INT", "--body-file=PATH", "--method=METHOD");
    }
}
