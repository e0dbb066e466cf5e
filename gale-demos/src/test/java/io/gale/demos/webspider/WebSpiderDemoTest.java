package io.gale.demos.webspider;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.gale.testing.TestServer;
import io.gale.demos.httpbin.HttpBin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** End to end: the spider crawls httpbin-shaped /links/N/offset pages served by the JDK's HTTP server. */
@Timeout(60)
class WebSpiderDemoTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Set<String> served = ConcurrentHashMap.newKeySet();
    private HttpServer server;
    private String base;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/links/", ex -> {
            String[] parts = ex.getRequestURI().getPath().split("/"); // "", links, n, offset
            served.add(ex.getRequestURI().getPath());
            int n = Integer.parseInt(parts[2]);
            int offset = Integer.parseInt(parts[3]);
            StringBuilder html = new StringBuilder("<html><head><title>Links</title></head><body>");
            for (int i = 0; i < n; i++) {
                html.append(i == offset ? i + " " : "<a href='/links/" + n + "/" + i + "'>" + i + "</a> ");
            }
            html.append("<a href=\"http://elsewhere.invalid/\">outside</a></body></html>");
            byte[] b = html.toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private int run(String... args) {
        return WebSpiderDemo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void crawlsEveryLinkedPageUnderTheBaseOnce() {
        assertThat(run("--url", base + "/links/25/0", "--concurrency", "4")).isZero();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).containsPattern("Done in \\d+ seconds, fetched 25 URLs\\.\\R$");
        assertThat(served).hasSize(25);
        assertThat(printed).doesNotContain("elsewhere.invalid");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void defaultConcurrencyCrawlsToo() {
        assertThat(run("--url", base + "/links/10/3")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("fetched 10 URLs.");
    }

    @Test
    void crawlsTheHttpbinDemoServedByGale() throws Exception {
        try (TestServer gale = TestServer.start(HttpBin.application())) {
            assertThat(run("--url", gale.baseUrl() + "/links/10/0", "--concurrency", "3")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("fetched 10 URLs.");
        }
    }

    @Test
    void nothingListeningExitsTwoWithAClearMessage() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        assertThat(run("--url", "http://127.0.0.1:" + port + "/links/10/0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nothing listens at", "httpbin");
    }

    @Test
    void badUsageExitsTwo() {
        assertThat(run("--concurrency", "x")).isEqualTo(2);
        assertThat(run("--url")).isEqualTo(2);
        assertThat(run("--bogus", "1")).isEqualTo(2);
    }
}
