package io.gale.http2;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The response-head side of {@link Http2FieldEncoder}, decoded back by {@link HpackDecoder}: a
 * shared headers object sent again, changed between responses, or another one in between, always
 * goes out as it is at the time of the call (the encoder keeps the last head's checked fields).
 */
@Timeout(30)
class Http2FieldEncoderTest {
    private final Http2FieldEncoder encoder = new Http2FieldEncoder(4096);
    private final HpackDecoder decoder = new HpackDecoder(4096, Http2Limits.DEFAULTS);

    private List<String> send(int status, HttpHeaders headers, HttpHeaders extra) {
        ByteOut block = encoder.response(status, headers, extra);
        List<String> got = new ArrayList<>();
        assertThat(decoder.decode(ByteBuffer.wrap(block.toByteArray()), true, (n, v, s) -> got.add(n + ": " + v)))
            .isNull();
        return got;
    }

    @Test
    void sharedHeadersSentAgainAndAfterEachChange() {
        HttpHeaders shared = new HttpHeaders().set("Server", "Gale").set("Content-Type", "text/plain");
        HttpHeaders extra = new HttpHeaders().set("date", "Sun, 06 Dec 2026 22:00:00 GMT");
        List<String> first = List.of(":status: 200", "server: Gale", "content-type: text/plain",
            "date: Sun, 06 Dec 2026 22:00:00 GMT");
        assertThat(send(200, shared, extra)).isEqualTo(first);
        assertThat(send(200, shared, extra)).isEqualTo(first);

        shared.set("Server", "Gale 2"); // a changed value
        assertThat(send(404, shared, null)).containsExactly(":status: 404", "server: Gale 2", "content-type: text/plain");

        shared.add("X-Extra", "  padded  "); // one more field, trimmed on the wire
        assertThat(send(200, shared, null)).containsExactly(":status: 200", "server: Gale 2",
            "content-type: text/plain", "x-extra: padded");

        shared.remove("X-Extra");
        shared.set("Connection", "close"); // connection-specific: never sent
        assertThat(send(200, shared, null)).containsExactly(":status: 200", "server: Gale 2",
            "content-type: text/plain");
    }

    @Test
    void anotherHeadersObjectInBetween() {
        HttpHeaders a = new HttpHeaders().set("Server", "Gale");
        HttpHeaders b = new HttpHeaders().set("Server", "Other").set("Vary", "accept");
        assertThat(send(200, a, null)).containsExactly(":status: 200", "server: Gale");
        assertThat(send(200, b, null)).containsExactly(":status: 200", "server: Other", "vary: accept");
        assertThat(send(200, a, null)).containsExactly(":status: 200", "server: Gale");
        assertThat(send(200, null, null)).containsExactly(":status: 200");
    }
}
