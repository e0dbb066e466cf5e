package io.gale.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ConnHoldTest {
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\ncontent-length: 13\r\n\r\nHello, World!";

    private static int feed(ConnHold.Conn c, String part) {
        return ConnHold.consume(c, ByteBuffer.wrap(part.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void completeResponseInOneRead() {
        assertThat(feed(new ConnHold.Conn(null), OK)).isEqualTo(1);
    }

    @Test
    void responseSplitAtEveryByte() {
        ConnHold.Conn c = new ConnHold.Conn(null);
        for (int i = 0; i < OK.length() - 1; i++) {
            assertThat(feed(c, OK.substring(i, i + 1))).as("after byte %d", i).isZero();
        }
        assertThat(feed(c, OK.substring(OK.length() - 1))).isEqualTo(1);
    }

    @Test
    void non200IsAFailure() {
        assertThat(feed(new ConnHold.Conn(null), "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")).isEqualTo(-1);
    }

    @Test
    void missingContentLengthIsAFailure() {
        assertThat(feed(new ConnHold.Conn(null), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")).isEqualTo(-1);
    }

    @Test
    void moreBytesThanAnnouncedIsAFailure() {
        assertThat(feed(new ConnHold.Conn(null), OK + "X")).isEqualTo(-1);
    }

    @Test
    void oversizedHeadersAreAFailure() {
        String huge = "HTTP/1.1 200 OK\r\nX: " + "a".repeat(2000);
        assertThat(feed(new ConnHold.Conn(null), huge)).isEqualTo(-1);
    }

    @Test
    void garbageWithoutHeaderEndIsIncomplete() {
        assertThat(feed(new ConnHold.Conn(null), "not http at all")).isZero();
    }
}
