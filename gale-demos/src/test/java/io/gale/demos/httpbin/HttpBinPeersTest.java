package io.gale.demos.httpbin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gale.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The httpbin endpoints that mirror httpbin.org's particular behaviour, over real sockets, with
 * independent clients: curl (its own Digest with MD5 and SHA-256, its Brotli decoder, a CORS
 * preflight) and a Python Digest client on hashlib (SHA-512 and auth-int, which curl lacks). Both
 * peers must be installed ({@code /usr/bin/curl}, {@code /usr/bin/python3}); the test fails
 * without them.
 */
@Timeout(120)
class HttpBinPeersTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static TestServer server;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(HttpBin.application());
        base = server.baseUrl();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text;
    }

    static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "--max-time", "15"));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    @ParameterizedTest
    @CsvSource({"auth,MD5", "auth,SHA-256", "other,MD5"})
    void curlDigest(String qop, String algorithm) throws Exception {
        String url = base + "/digest-auth/" + qop + "/alice/s3cret/" + algorithm;
        JsonNode ok = MAPPER.readTree(curl("--digest", "-u", "alice:s3cret", url));
        assertThat(ok.get("authenticated").asBoolean()).isTrue();
        assertThat(ok.get("user").asText()).isEqualTo("alice");
        assertThat(curl("--digest", "-u", "alice:nope", "-o", "/dev/null", "-w", "%{http_code}", url)).isEqualTo("401");
    }

    @ParameterizedTest
    @CsvSource({"auth,MD5", "auth,SHA-512", "auth-int,SHA-512", "auth-int,MD5", "auth,SHA-256"})
    void pythonDigest(String qop, String algorithm) throws Exception {
        Path script = Path.of(getClass().getResource("/python/digest_client.py").toURI());
        String url = base + "/digest-auth/" + qop + "/bob/pw%20x/" + algorithm + "?a=1";
        String out = run("/usr/bin/python3", script.toString(), url, "bob", "pw x", qop);
        assertThat(out).startsWith("200 ");
        assertThat(MAPPER.readTree(out.substring(4)).get("user").asText()).isEqualTo("bob");
        assertThat(run("/usr/bin/python3", script.toString(), url, "bob", "wrong", qop)).startsWith("401");
    }

    @Test
    void curlDecodesBrotli() throws Exception {
        String headers = curl("-D", "-", "-o", "/dev/null", base + "/brotli");
        assertThat(headers.toLowerCase()).contains("content-encoding: br");
        JsonNode j = MAPPER.readTree(curl("--compressed", base + "/brotli"));
        assertThat(j.get("brotli").asBoolean()).isTrue();
        assertThat(j.get("method").asText()).isEqualTo("GET");
    }

    @Test
    void curlPreflightAndImages() throws Exception {
        String preflight = curl("-i", "-X", "OPTIONS", "-H", "Origin: https://a.example", "-H",
                "Access-Control-Request-Headers: X-Token", base + "/get");
        assertThat(preflight).startsWith("HTTP/1.1 200").contains("Access-Control-Allow-Origin: https://a.example",
                "Access-Control-Allow-Headers: X-Token", "Access-Control-Max-Age: 3600");
        assertThat(curl("-o", "/dev/null", "-w", "%{content_type} %{size_download}", "-H", "Accept: image/webp", base
                + "/image")).startsWith("image/webp ");
        assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", "-H", "Accept: text/plain", base + "/image"))
                .isEqualTo("406");
        assertThat(curl("-i", base + "/range/102401")).startsWith("HTTP/1.1 404")
                .endsWith("number of bytes must be in the range (0, 102400]");
    }
}
