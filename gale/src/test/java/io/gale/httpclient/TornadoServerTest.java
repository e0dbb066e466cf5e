package io.gale.httpclient;

import static io.gale.httpclient.ClientTesting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gale.ioloop.IOLoop;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client against Python's own Tornado (Debian's python3-tornado), the server Gale's client is
 * modelled on. Skipped when /usr/bin/python3 cannot import tornado.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TornadoServerTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static Process process;
    private static String base;
    private static IOLoop loop;
    private static AsyncHttpClient client;

    @BeforeAll
    static void startTornado() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import tornado").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0, "python3-tornado is not installed");
        Path script = Path.of(TornadoServerTest.class.getResource("/python/tornado_app.py").toURI());
        process = new ProcessBuilder(PYTHON.toString(), script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String first = line.get(30, TimeUnit.SECONDS);
        assertThat(first).startsWith("listening ");
        base = "http://127.0.0.1:" + first.substring("listening ".length()).trim();
        loop = ClientTesting.startLoop("tornado-test");
        client = new AsyncHttpClient(loop);
    }

    @AfterAll
    static void stopTornado() throws Exception {
        if (client != null) {
            client.close();
            loop.close();
        }
        if (process != null) {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static HttpRequest.Builder req(String path) {
        return HttpRequest.newBuilder(base + path);
    }

    @Test
    void getJsonAndReuseOneConnection() {
        int before = Integer.parseInt(await(client.fetch(base + "/connections")).text());
        for (int i = 0; i < 10; i++) {
            assertThat(await(client.fetch(base + "/hello")).text()).isEqualTo("hello from tornado");
        }
        assertThat(await(client.fetch(base + "/json")).json().get("server").asText()).isEqualTo("tornado");
        int after = Integer.parseInt(await(client.fetch(base + "/connections")).text());
        assertThat(after).isEqualTo(before); // every request went over the already open connection
    }

    @Test
    void gzipFromTornado() {
        HttpResponse r = await(client.fetch(base + "/big"));
        assertThat(r.headers().get("X-Consumed-Content-Encoding")).isEqualTo("gzip");
        assertThat(r.text()).hasSize(8 * 20000).startsWith("tornado tornado");
    }

    @Test
    void chunkedFromTornado() {
        String[] lines = await(client.fetch(base + "/chunked")).text().split("\n");
        assertThat(lines).hasSize(50);
        assertThat(lines[49]).isEqualTo("line 49");
    }

    @Test
    void redirectsFromTornado() {
        for (int code : new int[] {301, 302, 303}) {
            HttpResponse r = await(client.fetch(req("/redirect?code=" + code + "&to=/echo").method("POST").body("b").build()));
            assertThat(r.headers().get("X-Method")).isEqualTo("GET");
            assertThat(r.effectiveUrl()).isEqualTo(base + "/echo");
        }
        for (int code : new int[] {307, 308}) {
            HttpResponse r = await(client.fetch(req("/redirect?code=" + code + "&to=/echo").method("POST").body("kept").build()));
            assertThat(r.headers().get("X-Method")).isEqualTo("POST");
            assertThat(r.text()).isEqualTo("kept");
        }
    }

    @Test
    void bodyProducerAndExpectContinueToTornado() {
        HttpResponse r = await(client.fetch(req("/echo").method("PUT")
                .bodyProducer(w -> w.write("streamed ".getBytes()).thenCompose(v -> w.write("body".getBytes()))).build()));
        assertThat(r.text()).isEqualTo("streamed body");
        HttpResponse c = await(client.fetch(req("/echo").method("POST").body("after continue").expect100Continue(true).build()));
        assertThat(c.text()).isEqualTo("after continue");
    }
}
