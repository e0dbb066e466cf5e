package io.gale.demos.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** End to end: the bench demo on an ephemeral port, asked by the JDK client. */
@Timeout(30)
class BenchDemoTest {
    @Test
    void plaintextAndJson() throws Exception {
        BenchDemo demo = BenchDemo.start("127.0.0.1", 0, 1);
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            assertThat(demo.listeningLine()).isEqualTo("listening on 127.0.0.1:" + demo.port());
            String base = "http://127.0.0.1:" + demo.port();
            HttpResponse<String> p = client.send(HttpRequest.newBuilder(URI.create(base + "/plaintext")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(p.statusCode()).isEqualTo(200);
            assertThat(p.body()).isEqualTo("Hello, World!");
            assertThat(p.headers().firstValue("content-type")).hasValue("text/plain");
            assertThat(p.headers().firstValue("server")).hasValue("Gale");
            assertThat(p.headers().firstValue("date")).hasValueSatisfying(d -> assertThat(d).endsWith(" GMT"));
            assertThat(p.headers().firstValue("content-length")).hasValue("13");

            HttpResponse<String> j = client.send(HttpRequest.newBuilder(URI.create(base + "/json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(j.statusCode()).isEqualTo(200);
            assertThat(j.body()).isEqualTo("{\"message\":\"Hello, World!\"}");
            assertThat(j.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(j.headers().firstValue("server")).hasValue("Gale");
            assertThat(j.headers().firstValue("date")).isPresent();

            HttpResponse<String> n = client.send(HttpRequest.newBuilder(URI.create(base + "/nope")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(n.statusCode()).isEqualTo(404);
        } finally {
            demo.stop();
        }
    }

    /**
     * The HTTP/2 benchmark's mode: h2c with prior knowledge on the plain port (curl), HTTPS with
     * ALPN h2 and http/1.1 on the TLS port (the JDK client), the key read from a PKCS#12 file.
     */
    @Test
    void http2AndHttps(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        io.gale.testing.TestCertificates ca = io.gale.testing.TestCertificates.create();
        io.gale.testing.TestCertificates.Identity id = ca.issue("localhost", "localhost", "127.0.0.1");
        java.nio.file.Path p12 = dir.resolve("bench.p12");
        char[] pw = "pw".toCharArray();
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("bench", id.privateKey(), pw, id.chain());
        try (var out = java.nio.file.Files.newOutputStream(p12)) {
            ks.store(out, pw);
        }
        BenchDemo demo = BenchDemo.start("127.0.0.1", 0, 1, true, 0, BenchDemo.tlsContext(p12, pw));
        try (HttpClient client = HttpClient.newBuilder().sslContext(ca.trustingContext()).build()) {
            for (HttpClient.Version v : new HttpClient.Version[] {HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1}) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + demo.tlsPort() + "/plaintext")).version(v).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.version()).isEqualTo(v);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("Hello, World!");
                assertThat(r.headers().firstValue("server")).hasValue("Gale");
                assertThat(r.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isEqualTo("TLSv1.3"));
            }
            Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "10", "--http2-prior-knowledge",
                    "-o", "/dev/null", "-w", "%{http_version} %{http_code}",
                    "http://127.0.0.1:" + demo.port() + "/plaintext").redirectErrorStream(true).start();
            String got = new String(curl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(curl.waitFor()).as(got).isZero();
            assertThat(got).isEqualTo("2 200");
        } finally {
            demo.stop();
        }
    }

    @Test
    void jsonEscapes() {
        String text = "a\"b\\c\n";
        byte[] json = BenchDemo.Json.message(text);
        try {
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("message").asText()).isEqualTo(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
