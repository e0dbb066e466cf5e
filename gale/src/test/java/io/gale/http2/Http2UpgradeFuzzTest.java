package io.gale.http2;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gale.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Jazzer targets for the parsers the h2c upgrade and RFC 8441 added: the {@code HTTP2-Settings}
 * decoder ({@link Http2SettingsHeader}), the conversion of an upgrading HTTP/1.1 head into stream
 * 1's fields ({@link Http2Fields#upgradeRequest}), and the extended CONNECT rules of
 * {@link Http2Fields}. Under {@code mvn test} they replay the seeds in
 * {@code src/test/resources/io/gale/http2/Http2UpgradeFuzzTestInputs/<target>/}; to fuzz one:
 * {@code JAZZER_FUZZ=1 mvn -pl gale test -Dtest='Http2UpgradeFuzzTest#settingsHeader'}. Any
 * exception fails a target; so does an accepted value that breaks a rule the class comments
 * promise.
 */
class Http2UpgradeFuzzTest {

    /**
     * Arbitrary text: never throws; accepted values are whole 6-octet parameters whose known
     * ones are valid, and the JDK's base64url decoder agrees on their bytes.
     */
    @FuzzTest(maxDuration = "30s")
    void settingsHeader(FuzzedDataProvider data) {
        String value = new String(data.consumeRemainingAsBytes(), StandardCharsets.ISO_8859_1);
        Http2SettingsHeader h = Http2SettingsHeader.decode(value);
        if (h.malformed() != null) {
            assertThat(h.settings()).isNull();
            return;
        }
        String stripped = value.strip();
        byte[] p = Base64.getUrlDecoder().decode(stripped);
        assertThat(p.length % Http2Settings.ENTRY_LENGTH).isZero();
        Http2Settings expected = new Http2Settings();
        for (int k = 0; k < p.length; k += 6) {
            int id = ((p[k] & 0xff) << 8) | (p[k + 1] & 0xff);
            long v = ((long) (p[k + 2] & 0xff) << 24) | ((p[k + 3] & 0xff) << 16) | ((p[k + 4] & 0xff) << 8)
                | (p[k + 5] & 0xff);
            if (Http2Settings.isKnown(id)) {
                assertThat(Http2Settings.validate(id, v, false)).isNull();
                expected.set(id, v);
            }
        }
        assertThat(h.settings().toString()).isEqualTo(expected.toString());
    }

    /**
     * An HTTP/1.1 head (method, target, fields) turned into stream 1's request: never throws; an
     * accepted block carries no connection-specific field, no {@code host} and the request's
     * method and target.
     */
    @FuzzTest(maxDuration = "30s")
    void upgradeRequest(FuzzedDataProvider data) {
        String method = data.consumeBoolean() ? "GET" : latin1(data, 8);
        String target = latin1(data, 24);
        HttpHeaders h = new HttpHeaders();
        String[] names = {"Host", "Connection", "Upgrade", "HTTP2-Settings", "TE", "Cookie", "Keep-Alive",
            "Transfer-Encoding", "Content-Length", "X-A"};
        int n = data.consumeInt(0, 16);
        for (int i = 0; i < n && data.remainingBytes() > 0; i++) {
            String name = data.consumeBoolean() ? names[data.consumeInt(0, names.length - 1)] : latin1(data, 10);
            String value = latin1(data, 24);
            if (HttpHeaders.isValidName(name) && HttpHeaders.isValidValue(value)) {
                h.add(name, value);
            }
        }
        Http2Fields f = Http2Fields.upgradeRequest(method, "http", target, h);
        if (f.malformed() != null) {
            return;
        }
        assertThat(f.method()).isEqualTo(method);
        assertThat(f.path()).isEqualTo(target);
        for (String name : f.headers().names()) {
            assertThat(Http2HeaderRules.isConnectionSpecific(name)).as(name).isFalse();
            assertThat(name).isNotEqualTo("host").isNotEqualTo("http2-settings");
        }
    }

    /**
     * Request blocks with the pseudo-headers of an extended CONNECT (RFC 8441) in any order,
     * count and value: never throws; an accepted block with {@code :protocol} is a CONNECT with
     * {@code :scheme}, {@code :path} and {@code :authority}, and a plain CONNECT has no
     * {@code :scheme} or {@code :path}.
     */
    @FuzzTest(maxDuration = "30s")
    void extendedConnect(FuzzedDataProvider data) {
        Http2Fields f = new Http2Fields(Http2Fields.Kind.REQUEST);
        String[] pseudo = {":method", ":scheme", ":authority", ":path", ":protocol"};
        String[] values = {"CONNECT", "GET", "websocket", "https", "/chat", "example.com", "", "u@h"};
        int n = data.consumeInt(0, 12);
        for (int i = 0; i < n && data.remainingBytes() > 0; i++) {
            String name = data.consumeInt(0, 7) < 6 ? pseudo[data.consumeInt(0, pseudo.length - 1)]
                : data.consumeBoolean() ? "sec-websocket-version" : latin1(data, 8);
            String value = data.consumeBoolean() ? values[data.consumeInt(0, values.length - 1)] : latin1(data, 12);
            f.field(name, value);
        }
        f.finish(false);
        if (f.malformed() != null) {
            return;
        }
        if (f.protocol() != null) {
            assertThat(f.method()).isEqualTo("CONNECT");
            assertThat(f.scheme()).isNotNull();
            assertThat(f.path()).isNotEmpty();
            assertThat(f.authority()).isNotNull();
            assertThat(f.protocol()).isNotEmpty();
        } else if ("CONNECT".equals(f.method())) {
            assertThat(f.scheme()).isNull();
            assertThat(f.path()).isNull();
            assertThat(f.authority()).isNotNull();
        }
    }

    private static String latin1(FuzzedDataProvider data, int max) {
        return new String(data.consumeBytes(data.consumeInt(0, max)), StandardCharsets.ISO_8859_1);
    }
}
