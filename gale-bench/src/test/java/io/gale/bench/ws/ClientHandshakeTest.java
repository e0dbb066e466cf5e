package io.gale.bench.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ClientHandshakeTest {
    private static final String OK = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nsec-websocket-accept:  s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n";

    @Test
    void acceptsA101WithTheRfcAcceptValueInAnyHeaderCase() {
        assertThatCode(() -> ClientHandshake.check(OK)).doesNotThrowAnyException();
    }

    @Test
    void refusesOtherStatuses() {
        assertThatThrownBy(() -> ClientHandshake.check("HTTP/1.1 400 Bad Request\r\n"))
                .isInstanceOf(IOException.class).hasMessageContaining("400 Bad Request");
    }

    @Test
    void refusesAWrongOrMissingAccept() {
        assertThatThrownBy(() -> ClientHandshake.check(OK.replace("xOo=", "xOx=")))
                .hasMessageContaining("Sec-WebSocket-Accept");
        assertThatThrownBy(() -> ClientHandshake.check("HTTP/1.1 101 Switching Protocols\r\n"))
                .hasMessageContaining("Sec-WebSocket-Accept");
    }

    @Test
    void refusesAnExtensionThatWasNotOffered() {
        assertThatThrownBy(() -> ClientHandshake.check(OK + "Sec-WebSocket-Extensions: permessage-deflate\r\n"))
                .hasMessageContaining("extension");
    }

    @Test
    void findsTheEndOfTheHead() {
        byte[] b = "HTTP/1.1 101 X\r\nA: b\r\n\r\nFRAME".getBytes(StandardCharsets.US_ASCII);
        assertThat(ClientHandshake.headEnd(b, b.length)).isEqualTo(b.length - 5);
        assertThat(ClientHandshake.headEnd(b, b.length - 6)).isEqualTo(-1);
    }

    @Test
    void requestOffersNoExtension() {
        String r = new String(ClientHandshake.request("127.0.0.1", 9, "/ws"), StandardCharsets.US_ASCII);
        assertThat(r).startsWith("GET /ws HTTP/1.1\r\n").endsWith("\r\n\r\n")
                .contains("Sec-WebSocket-Key: " + ClientHandshake.KEY).doesNotContain("Extensions");
    }
}
