package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServerTesting.RawClient;
import io.gale.http.HttpServerTesting.Running;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** xheaders: client address and scheme from a reverse proxy's headers. */
@Timeout(30)
class HttpServerXheadersTest {
    private static HttpHeaders h(String... kv) {
        HttpHeaders h = new HttpHeaders();
        for (int i = 0; i < kv.length; i += 2) {
            h.add(kv[i], kv[i + 1]);
        }
        return h;
    }

    @Test
    void rightMostUntrustedForwardedAddressIsTheClient() {
        Set<String> trusted = Set.of("10.0.0.1", "10.0.0.2");
        assertThat(XHeaders.remoteIp(h("X-Forwarded-For", "1.2.3.4, 5.6.7.8, 10.0.0.2, 10.0.0.1"), "10.0.0.1", trusted))
                .isEqualTo("5.6.7.8");
        assertThat(XHeaders.remoteIp(h("X-Forwarded-For", "1.2.3.4,5.6.7.8"), "9.9.9.9", Set.of())).isEqualTo("5.6.7.8");
        // all trusted: the left-most is what remains
        assertThat(XHeaders.remoteIp(h("X-Forwarded-For", "10.0.0.2, 10.0.0.1"), "9.9.9.9", trusted)).isEqualTo("10.0.0.2");
        assertThat(XHeaders.remoteIp(h("X-Real-Ip", "2001:db8::1"), "9.9.9.9", Set.of())).isEqualTo("2001:db8::1");
        // not an address: the peer stays
        assertThat(XHeaders.remoteIp(h("X-Forwarded-For", "evil.example"), "9.9.9.9", Set.of())).isEqualTo("9.9.9.9");
        assertThat(XHeaders.remoteIp(h("X-Real-Ip", "1.2.3.256"), "9.9.9.9", Set.of())).isEqualTo("9.9.9.9");
        assertThat(XHeaders.remoteIp(h(), "9.9.9.9", Set.of())).isEqualTo("9.9.9.9");
    }

    @Test
    void ipLiterals() {
        for (String ok : new String[] {"1.2.3.4", "0.0.0.0", "::", "::1", "2001:db8::8:800:200c:417a",
            "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1", "fe80::1"}) {
            assertThat(io.gale.net.NetUtil.isValidIp(ok)).as(ok).isTrue();
        }
        for (String bad : new String[] {"", "1.2.3", "1.2.3.4.5", "01234.1.1.1", "1..2.3", "1.2.3.4.", ":::", "1::2::3",
            "1:2:3:4:5:6:7:8:9", "g::1", "localhost", "1.2.3.4 ", ":1"}) {
            assertThat(io.gale.net.NetUtil.isValidIp(bad)).as(bad).isFalse();
        }
    }

    @Test
    void schemeOnlyHttpOrHttps() {
        assertThat(XHeaders.protocol(h("X-Forwarded-Proto", "https"), "http")).isEqualTo("https");
        assertThat(XHeaders.protocol(h("X-Forwarded-Proto", "http, https"), "http")).isEqualTo("https");
        assertThat(XHeaders.protocol(h("X-Scheme", "https", "X-Forwarded-Proto", "http"), "http")).isEqualTo("https");
        assertThat(XHeaders.protocol(h("X-Forwarded-Proto", "javascript"), "http")).isEqualTo("http");
    }

    @Test
    void overTheSocketOnlyWhenEnabled() throws Exception {
        String proxied = "GET /info HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9, 127.0.0.1\r\n"
                + "X-Forwarded-Proto: https\r\n\r\n";
        HttpServerOptions on = HttpServerOptions.builder().xheaders(true).trustedDownstream(Set.of("127.0.0.1")).build();
        try (Running s = HttpServerTesting.start(HttpServerRawTest.APP, on); RawClient c = s.client()) {
            c.send(proxied);
            assertThat(c.readResponse().text()).isEqualTo("GET /info 0 203.0.113.9 https");
        }
        try (Running s = HttpServerTesting.start(HttpServerRawTest.APP); RawClient c = s.client()) {
            c.send(proxied);
            assertThat(c.readResponse().text()).isEqualTo("GET /info 0 127.0.0.1 http");
        }
        try (Running s = HttpServerTesting.start(HttpServerRawTest.APP, HttpServerOptions.builder().protocol("https").build());
             RawClient c = s.client()) {
            c.send(proxied);
            assertThat(c.readResponse().text()).isEqualTo("GET /info 0 127.0.0.1 https");
        }
    }
}
