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
