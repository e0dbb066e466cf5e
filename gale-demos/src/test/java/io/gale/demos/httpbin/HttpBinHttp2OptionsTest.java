package io.gale.demos.httpbin;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.testing.TestCertificates;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The httpbin demo's own command line, in a JVM of its own: {@code --http2} is on by default (curl
 * {@code --http2-prior-knowledge} and curl {@code --http2}'s {@code Upgrade: h2c} both get HTTP/2),
 * {@code --http2=false} serves HTTP/1.1 only, and {@code --certfile}/{@code --keyfile} (PEM written
 * by the test CA) serve HTTPS with h2 chosen by ALPN (the JDK HttpClient, trusting the CA), where
 * chromium opens {@code /websocket/echo} over the h2 connection with RFC 8441's extended CONNECT.
 */
@Timeout(120)
class HttpBinHttp2OptionsTest {
    private static final Pattern LISTENING = Pattern.compile("listening on .*:(\\d+)");

    @TempDir
    Path dir;

    record Demo(Process process, int port) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static Demo start(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                HttpBin.class.getName(), "--port", "0", "--address", "127.0.0.1"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                return new Demo(p, Integer.parseInt(m.group(1)));
            }
        }
        p.destroyForcibly();
        throw new AssertionError("the demo ended without listening: exit " + p.waitFor());
    }

    static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "--max-time", "15"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void http2IsOnByDefaultOverPlainConnections() throws Exception {
        try (Demo d = start()) {
            String url = "http://127.0.0.1:" + d.port() + "/get";
            assertThat(curl("--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_version}", url)).isEqualTo("2");
            assertThat(curl("--http2", "-o", "/dev/null", "-w", "%{http_version}", url)).isEqualTo("2");
            assertThat(curl("--http1.1", "-o", "/dev/null", "-w", "%{http_version}", url)).isEqualTo("1.1");
        }
        try (Demo d = start("--http2=false")) {
            String url = "http://127.0.0.1:" + d.port() + "/get";
            assertThat(curl("--http2", "-o", "/dev/null", "-w", "%{http_version}", url)).isEqualTo("1.1");
        }
    }

    @Test
    void certfileAndKeyfileServeHttpsWithH2ByAlpn() throws Exception {
        TestCertificates ca = TestCertificates.create();
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        ca.issue("localhost", "localhost", "127.0.0.1").writePem(cert, key);
        try (Demo d = start("--certfile", cert.toString(), "--keyfile", key.toString());
                HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                        .sslContext(ca.trustingContext()).build()) {
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("https://localhost:" + d.port()
                    + "/get?tls=1")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.body()).contains("\"url\":\"https://localhost:" + d.port() + "/get?tls=1\"");
            chromiumOpensTheWebSocketOnAStream(d.port());
        }
    }

    /**
     * Debian's chromium (headless) loads a page from the demo over h2 and opens
     * {@code wss://.../websocket/echo}: with the demo's SETTINGS_ENABLE_CONNECT_PROTOCOL it sends
     * RFC 8441's extended CONNECT on the same connection (seen in its net log), and the echo comes
     * back. The page is served by httpbin's own {@code /base64/} endpoint, so it is same-origin.
     */
    private void chromiumOpensTheWebSocketOnAStream(int port) throws Exception {
        String page = "<!doctype html><title>t</title><body>wait<script>"
                + "const ws = new WebSocket('wss://localhost:" + port + "/websocket/echo');"
                + "ws.onopen = () => ws.send('hello from chrome');"
                + "ws.onmessage = e => { document.body.textContent = 'ECHO ' + e.data; ws.close(); };"
                + "ws.onerror = () => { document.body.textContent = 'ERROR'; };"
                + "</script>"
                // holds the load event (after which chromium dumps the DOM) for 2 s: the echo needs milliseconds
                + "<img src='/delay/2'></body>";
        String b64 = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(page.getBytes(StandardCharsets.UTF_8));
        Path netlog = dir.resolve("netlog.json");
        Process p = new ProcessBuilder("/usr/bin/chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                "--ignore-certificate-errors", "--user-data-dir=" + dir.resolve("profile"),
                "--log-net-log=" + netlog, "--virtual-time-budget=10000", "--dump-dom",
                "https://localhost:" + port + "/base64/" + b64).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(dom).contains("ECHO hello from chrome");
        com.fasterxml.jackson.databind.JsonNode log = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(netlog.toFile());
        boolean extendedConnect = false;
        for (com.fasterxml.jackson.databind.JsonNode e : log.get("events")) {
            com.fasterxml.jackson.databind.JsonNode headers = e.path("params").path("headers");
            if (headers.isArray() && headers.toString().contains("\":method: CONNECT\"")
                    && headers.toString().contains("\":protocol: websocket\"")
                    && headers.toString().contains("\":path: /websocket/echo\"")) {
                extendedConnect = true;
            }
        }
        assertThat(extendedConnect).as("chromium sent an extended CONNECT (RFC 8441)").isTrue();
    }
}
