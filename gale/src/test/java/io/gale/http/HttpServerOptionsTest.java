package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.http.HttpServerTesting.RawClient;
import io.gale.http.HttpServerTesting.Running;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Options: defaults, validation, copies; Date caching; misuse of the response API. */
@Timeout(30)
class HttpServerOptionsTest {
    @Test
    void defaultsAndWithers() {
        HttpServerOptions d = HttpServerOptions.defaults();
        assertThat(d.idleConnectionTimeout()).isEqualTo(Duration.ofSeconds(75));
        assertThat(d.headerTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.bodyTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.chunkSize()).isEqualTo(64 * 1024);
        assertThat(d.limits()).isEqualTo(Http1ParserLimits.DEFAULTS);
        assertThat(d.noKeepAlive() || d.xheaders() || d.decompressRequest()).isFalse();
        assertThat(d.protocol()).isNull();
        assertThat(d.tcp().maxConnections()).isZero();
        HttpServerOptions o = d.toBuilder().maxBodySize(10).maxConnections(5).trustedDownstream(Set.of("1.1.1.1")).build();
        assertThat(o.limits().maxBodySize()).isEqualTo(10);
        assertThat(o.limits().maxHeaderSize()).isEqualTo(d.limits().maxHeaderSize());
        assertThat(o.tcp().maxConnections()).isEqualTo(5);
        assertThat(o.trustedDownstream()).containsExactly("1.1.1.1");
        assertThat(d.limits().maxBodySize()).as("defaults unchanged").isEqualTo(100L << 20);
    }

    @Test
    void invalidSettingsAreRejected() {
        HttpServerOptions d = HttpServerOptions.defaults();
        assertThatThrownBy(() -> d.toBuilder().headerTimeout(Duration.ZERO).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.toBuilder().idleConnectionTimeout(Duration.ofSeconds(-1)).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.toBuilder().chunkSize(0).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.toBuilder().protocol("ftp").build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dateLineIsFormattedOncePerSecond() {
        byte[] a = DateCache.dateLine();
        byte[] b = DateCache.dateLine();
        if (a != b) {
            b = DateCache.dateLine(); // a second boundary passed between the calls
            a = DateCache.dateLine();
        }
        assertThat(a).isSameAs(b);
        assertThat(new String(a, java.nio.charset.StandardCharsets.ISO_8859_1))
                .matches("Date: [A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT\r\n");
    }

    @Test
    void responseApiMisuseIsRejectedAndTheConnectionClosed() throws Exception {
        HttpServerConnectionDelegate app = HttpServerTesting.buffering((req, body, c) -> {
            switch (req.path()) {
                case "/short" -> {
                    c.writeHeaders(200, null, new HttpHeaders().set("Content-Length", "10"), ByteBuffer.wrap(new byte[3]));
                    c.finish(); // 7 bytes short: throws, the connection closes
                }
                case "/long" -> c.writeHeaders(200, null, new HttpHeaders().set("Content-Length", "1"),
                        ByteBuffer.wrap(new byte[3]));
                case "/twice" -> {
                    c.writeHeaders(200, null, new HttpHeaders().set("Content-Length", "0"), null);
                    c.writeHeaders(200, null, new HttpHeaders(), null);
                }
                case "/badreason" -> c.writeHeaders(200, "bad\r\nreason", new HttpHeaders(), null);
                default -> HttpServerTesting.respond(c, 200, "ok");
            }
        });
        try (Running s = HttpServerTesting.start(app)) {
            for (String path : new String[] {"/short", "/long"}) {
                try (RawClient c = s.client()) {
                    c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                    String all = c.readUntilClose();
                    // the head may have gone out (short) or not (long); never a second, forged message
                    assertThat(all.split("HTTP/1.1 ", -1).length).as(path).isLessThanOrEqualTo(2);
                }
            }
            try (RawClient c = s.client()) {
                c.send("GET /badreason HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(c.readResponse().status()).isEqualTo(500); // nothing was sent, so a 500 can be
            }
            try (RawClient c = s.client()) {
                c.send("GET /twice HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(c.readResponse().status()).isEqualTo(200);
                assertThat(c.isClosedByServer()).isTrue();
            }
        }
    }
}
