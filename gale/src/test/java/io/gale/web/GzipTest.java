package io.gale.web;

import io.gale.testing.InMemoryClient;
import io.gale.testing.TestRequest;
import io.gale.testing.TestResponse;

import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class GzipTest {
    static final String BIG = "All work and no play makes Jack a dull boy. ".repeat(100);

    public static final class Text extends RequestHandler {
        public void get(String kind) {
            switch (kind) {
                case "big" -> write(BIG);
                case "small" -> write("tiny");
                case "png" -> {
                    setHeader("Content-Type", "image/png");
                    write(BIG);
                }
                case "json" -> write(List.of(BIG));
                case "stream" -> {
                    write("first piece;");
                    flush();
                    write("second piece;");
                    flush();
                    write("last");
                }
                default -> {
                    setHeader("Content-Encoding", "br");
                    write(BIG);
                }
            }
        }
    }

    private static InMemoryClient client(boolean compress) {
        return new InMemoryClient(new Application(List.of(url("/(\\w+)", Text.class)),
                ApplicationSettings.builder().compressResponse(compress).build()));
    }

    private static TestRequest gz(String uri) {
        return TestRequest.get(uri).header("Accept-Encoding", "br;q=1.0, gzip;q=0.8");
    }

    static String gunzip(byte[] body) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void compressesLargeCompressibleResponsesForClientsThatAcceptGzip() {
        try (InMemoryClient c = client(true)) {
            TestResponse r = c.fetch(gz("/big"));
            assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
            assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(r.body().length));
            assertThat(r.body().length).isLessThan(BIG.length() / 10);
            assertThat(gunzip(r.body())).isEqualTo(BIG);
            assertThat(r.violations()).isEmpty();

            assertThat(gunzip(c.fetch(gz("/json")).body())).startsWith("[\"All work");
        }
    }

    @Test
    void leavesAloneWhatShouldNotBeCompressed() {
        try (InMemoryClient c = client(true)) {
            TestResponse small = c.fetch(gz("/small"));
            assertThat(small.header("Content-Encoding")).isNull();
            assertThat(small.header("Vary")).isEqualTo("Accept-Encoding");
            assertThat(small.text()).isEqualTo("tiny");

            assertThat(c.fetch("/big").header("Content-Encoding")).as("no Accept-Encoding").isNull();
            assertThat(c.fetch(TestRequest.get("/big").header("Accept-Encoding", "gzip;q=0")).header("Content-Encoding"))
                    .isNull();
            assertThat(c.fetch(gz("/png")).header("Content-Encoding")).isNull();
            assertThat(c.fetch(gz("/encoded")).header("Content-Encoding")).isEqualTo("br");
        }
        try (InMemoryClient c = client(false)) {
            TestResponse r = c.fetch(gz("/big"));
            assertThat(r.header("Content-Encoding")).isNull();
            assertThat(r.header("Vary")).isNull();
            assertThat(r.text()).isEqualTo(BIG);
        }
    }

    @Test
    void streamedResponsesAreCompressedPieceByPiece() {
        try (InMemoryClient c = client(true)) {
            TestResponse r = c.fetch(gz("/stream"));
            assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(r.header("Content-Length")).isNull();
            assertThat(r.pieces()).hasSize(3);
            assertThat(gunzip(r.body())).isEqualTo("first piece;second piece;last");
            assertThat(r.violations()).isEmpty();
        }
    }

    @Test
    void acceptEncodingParsing() {
        assertThat(GzipEncoder.acceptsGzip(new io.gale.http.HttpHeaders().add("Accept-Encoding", "GZIP"))).isTrue();
        assertThat(GzipEncoder.acceptsGzip(new io.gale.http.HttpHeaders().add("Accept-Encoding", "*"))).isTrue();
        assertThat(GzipEncoder.acceptsGzip(new io.gale.http.HttpHeaders().add("Accept-Encoding", "gzip;q=0.0"))).isFalse();
        assertThat(GzipEncoder.acceptsGzip(new io.gale.http.HttpHeaders().add("Accept-Encoding", "gzip;q=x"))).isFalse();
        assertThat(GzipEncoder.acceptsGzip(new io.gale.http.HttpHeaders().add("Accept-Encoding", "deflate, br"))).isFalse();
        assertThat(GzipEncoder.acceptsGzip(new io.gale.http.HttpHeaders().add("Accept-Encoding", ",;,"))).isFalse();
        assertThat(GzipEncoder.compressibleType("application/problem+json")).isTrue();
        assertThat(GzipEncoder.compressibleType("image/svg+xml; charset=utf-8")).isTrue();
        assertThat(GzipEncoder.compressibleType("application/octet-stream")).isFalse();
    }
}
