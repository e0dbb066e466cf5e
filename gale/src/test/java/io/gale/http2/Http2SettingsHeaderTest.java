package io.gale.http2;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpHeaders;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code HTTP2-Settings} decoder of the h2c upgrade (RFC 7540 section 3.2.1) and the
 * conversion of the upgrading HTTP/1.1 head into stream 1's fields: valid values, what curl and
 * python-h2 send, and malformed input of every kind (alphabet, padding, length, parameter
 * values), each one refused with a reason rather than thrown.
 */
@Timeout(30)
class Http2SettingsHeaderTest {

    @Test
    void decodesWhatClientsSend() {
        // curl 7.88: MAX_CONCURRENT_STREAMS 100, INITIAL_WINDOW_SIZE 10 MiB, ENABLE_PUSH 0
        Http2SettingsHeader h = Http2SettingsHeader.decode("AAMAAABkAAQAoAAAAAIAAAAA");
        assertThat(h.malformed()).isNull();
        assertThat(h.settings().valueOr(Http2Settings.MAX_CONCURRENT_STREAMS, -1)).isEqualTo(100);
        assertThat(h.settings().valueOr(Http2Settings.INITIAL_WINDOW_SIZE, -1)).isEqualTo(10 << 20);
        assertThat(h.settings().valueOr(Http2Settings.ENABLE_PUSH, -1)).isZero();
        // python-h2 4.1 (with the unpadded "-" and "_" of base64url)
        h = Http2SettingsHeader.decode("AAEAABAAAAIAAAABAAQAAP__AAUAAEAAAAgAAAAAAAMAAABkAAYAAQAA");
        assertThat(h.malformed()).isNull();
        assertThat(h.settings().valueOr(Http2Settings.INITIAL_WINDOW_SIZE, -1)).isEqualTo(65535);
        assertThat(h.settings().valueOr(Http2Settings.MAX_HEADER_LIST_SIZE, -1)).isEqualTo(65536);
        assertThat(h.settings().valueOr(Http2Settings.ENABLE_CONNECT_PROTOCOL, -1)).isZero();
    }

    @Test
    void emptyAndWhitespaceAreAcceptedPaddingIsNot() {
        assertThat(Http2SettingsHeader.decode("").malformed()).isNull();
        assertThat(Http2SettingsHeader.decode("").settings().size()).isZero();
        assertThat(Http2SettingsHeader.decode(" \tAAMAAABk \t").settings().valueOr(3, -1)).isEqualTo(100);
        // 12 octets: 16 characters, no padding needed; 6 octets: 8 characters
        byte[] twelve = {0, 3, 0, 0, 0, 7, 0, 5, 0, 0, 0x40, 0};
        String enc = Base64.getUrlEncoder().encodeToString(twelve);
        assertThat(Http2SettingsHeader.decode(enc).settings().valueOr(Http2Settings.MAX_FRAME_SIZE, -1))
            .isEqualTo(16384);
        // a multiple of 6 octets is whole 3-octet quanta: "=" padding never belongs
        assertThat(Http2SettingsHeader.decode("AAMAAABk==").malformed()).isNotNull();
    }

    @Test
    void unknownParametersAreIgnored() {
        byte[] p = {0, 0x7f, 1, 2, 3, 4, 0, 3, 0, 0, 0, 9};
        Http2SettingsHeader h = Http2SettingsHeader.decode(Base64.getUrlEncoder().withoutPadding().encodeToString(p));
        assertThat(h.malformed()).isNull();
        assertThat(h.settings().size()).isEqualTo(1);
        assertThat(h.settings().valueOr(Http2Settings.MAX_CONCURRENT_STREAMS, -1)).isEqualTo(9);
    }

    @Test
    void malformedValuesAreRefusedWithAReason() {
        assertThat(Http2SettingsHeader.decode(null).malformed()).contains("no HTTP2-Settings");
        assertThat(Http2SettingsHeader.decode("AAMA+ABk").malformed()).contains("not base64url"); // '+': base64, not url
        assertThat(Http2SettingsHeader.decode("AAMA/ABk").malformed()).contains("not base64url");
        assertThat(Http2SettingsHeader.decode("AAMA AAB").malformed()).contains("not base64url");
        assertThat(Http2SettingsHeader.decode("AAMAAABkA").malformed()).contains("6-octet");
        assertThat(Http2SettingsHeader.decode("AAMAAAB").malformed()).contains("6-octet");
        assertThat(Http2SettingsHeader.decode("AAMAAABkAAQA").malformed()).contains("6-octet"); // 9 octets
        assertThat(Http2SettingsHeader.decode("=").malformed()).isNotNull();
        assertThat(Http2SettingsHeader.decode("AAMAAA=B").malformed()).contains("not base64url");
        assertThat(Http2SettingsHeader.decode("AAIAAAAC").malformed()).contains("ENABLE_PUSH");
        assertThat(Http2SettingsHeader.decode("AASAAAAA").malformed()).contains("INITIAL_WINDOW_SIZE");
        assertThat(Http2SettingsHeader.decode("AAUAAAAA").malformed()).contains("MAX_FRAME_SIZE");
        assertThat(Http2SettingsHeader.decode("AAgAAAAC").malformed()).contains("ENABLE_CONNECT_PROTOCOL");
        assertThat(Http2SettingsHeader.decode("A".repeat(Http2SettingsHeader.MAX_LENGTH + 4)).malformed())
            .contains("longer");
        assertThat(Http2SettingsHeader.decode("AAMAAABé").malformed()).contains("not base64url");
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomPayloads() {
        Random r = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] p = new byte[6 * r.nextInt(8)];
            for (int k = 0; k < p.length; k += 6) {
                p[k] = 0;
                p[k + 1] = (byte) r.nextInt(12);
                p[k + 2] = 0; // values below 2^24: valid except where a parameter's rule says otherwise
                p[k + 3] = (byte) r.nextInt(256);
                p[k + 4] = (byte) r.nextInt(256);
                p[k + 5] = (byte) r.nextInt(256);
            }
            String enc = Base64.getUrlEncoder().withoutPadding().encodeToString(p);
            Http2SettingsHeader h = Http2SettingsHeader.decode(enc);
            boolean valid = true;
            Http2Settings expected = new Http2Settings();
            for (int k = 0; k < p.length; k += 6) {
                int id = p[k + 1];
                long v = ((p[k + 3] & 0xff) << 16) | ((p[k + 4] & 0xff) << 8) | (p[k + 5] & 0xff);
                if (Http2Settings.isKnown(id)) {
                    valid &= Http2Settings.validate(id, v, false) == null;
                    expected.set(id, v);
                }
            }
            assertThat(h.malformed() == null).as(enc).isEqualTo(valid);
            if (valid) {
                assertThat(h.settings().toString()).isEqualTo(expected.toString());
            }
        }
    }

    // ------------------------------------------------------------------ the upgraded head

    @Test
    void theUpgradingHeadBecomesStreamOnesRequest() {
        HttpHeaders h = new HttpHeaders().add("Host", "example.com:8080").add("Connection", "Upgrade, HTTP2-Settings")
            .add("Upgrade", "h2c").add("HTTP2-Settings", "AAMAAABk").add("Accept", "*/*").add("TE", "gzip")
            .add("Keep-Alive", "5").add("Cookie", "a=1").add("X-Thing", "yes");
        Http2Fields f = Http2Fields.upgradeRequest("GET", "http", "/p?q=1", h);
        assertThat(f.malformed()).isNull();
        assertThat(f.method()).isEqualTo("GET");
        assertThat(f.scheme()).isEqualTo("http");
        assertThat(f.authority()).isEqualTo("example.com:8080");
        assertThat(f.path()).isEqualTo("/p?q=1");
        assertThat(f.headers().names()).containsExactlyInAnyOrder("accept", "cookie", "x-thing");
    }

    @Test
    void http2SettingsIsNeverCarriedEvenWhenConnectionDoesNotNameIt() {
        // Found by Http2UpgradeFuzzTest#upgradeRequest (seed http2-settings-not-in-connection):
        // the field was left out only when Connection named it.
        HttpHeaders h = new HttpHeaders().add("HTTP2-Settings", "4").add("Upgrade", "h2c").add("Connection", "close, X-B")
            .add("X-A", "1").add("X-B", "2");
        Http2Fields f = Http2Fields.upgradeRequest("GET", "http", "/", h);
        assertThat(f.malformed()).isNull();
        assertThat(f.headers().names()).containsExactly("x-a");
    }

    @Test
    void aHeadHttp2CannotCarryIsMalformed() {
        HttpHeaders h = new HttpHeaders().add("Host", "u@example.com");
        assertThat(Http2Fields.upgradeRequest("GET", "http", "/", h).malformed()).contains("userinfo");
        assertThat(Http2Fields.upgradeRequest("GET", "http", "", new HttpHeaders()).malformed()).contains("empty :path");
        HttpHeaders te = new HttpHeaders().add("TE", "Trailers"); // kept (trailers) but not in the exact form HTTP/2 wants
        assertThat(Http2Fields.upgradeRequest("GET", "http", "/", te).malformed()).contains("te");
    }
}
