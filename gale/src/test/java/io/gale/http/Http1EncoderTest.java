package io.gale.http;

import io.gale.internal.http.Http1Parser;
import io.gale.internal.http.Http1Encoder;
import io.gale.internal.http.Http1ChunkedEncoder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.internal.http.Http1Parser.Event;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class Http1EncoderTest {

    private static String text(ByteBuffer b) {
        return StandardCharsets.ISO_8859_1.decode(b.duplicate()).toString();
    }

    @Test
    void responseHeadUsesPrecomputedStatusLines() {
        HttpHeaders h = new HttpHeaders().add("Content-Length", "5").add("X", "caf\u00e9");
        assertThat(text(Http1Encoder.encodeResponseHead(HttpVersion.HTTP_1_1, 200, null, h)))
            .isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX: caf\u00e9\r\n\r\n");
        assertThat(text(Http1Encoder.encodeResponseHead(HttpVersion.HTTP_1_0, 404, null, new HttpHeaders())))
            .isEqualTo("HTTP/1.0 404 Not Found\r\n\r\n");
        assertThat(text(Http1Encoder.encodeResponseHead(HttpVersion.HTTP_1_1, 299, null, new HttpHeaders())))
            .isEqualTo("HTTP/1.1 299 \r\n\r\n");
        assertThat(text(Http1Encoder.encodeResponseHead(HttpVersion.HTTP_1_1, 200, "Fine", new HttpHeaders())))
            .isEqualTo("HTTP/1.1 200 Fine\r\n\r\n");
    }

    @Test
    void responseHeadSizeIsExact() {
        HttpHeaders h = new HttpHeaders().add("Server", "gale").add("Date", "now");
        for (String reason : new String[] {null, "Custom Reason"}) {
            int size = Http1Encoder.responseHeadSize(HttpVersion.HTTP_1_1, 503, reason, h);
            ByteBuffer direct = ByteBuffer.allocateDirect(size);
            Http1Encoder.writeResponseHead(direct, HttpVersion.HTTP_1_1, 503, reason, h);
            assertThat(direct.hasRemaining()).isFalse();
        }
    }

    @Test
    void fieldValuesAreWrittenAsLatin1AndCharsAboveItAreRejected() {
        HttpHeaders latin1 = new HttpHeaders().add("X-Name", "caf\u00e9 \u00ff");
        int size = Http1Encoder.responseHeadSize(HttpVersion.HTTP_1_1, 200, null, latin1);
        for (ByteBuffer out : new ByteBuffer[] {ByteBuffer.allocate(size), ByteBuffer.allocateDirect(size)}) {
            Http1Encoder.writeResponseHead(out, HttpVersion.HTTP_1_1, 200, null, latin1);
            byte[] bytes = new byte[size];
            out.flip().get(bytes);
            assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).contains("X-Name: caf\u00e9 \u00ff\r\n");
        }
        // Above 0xFF is refused where the value enters (HttpHeaders' one rule), so no encoder meets it.
        assertThatThrownBy(() -> new HttpHeaders().add("X-Name", "snow \u2603"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x80-0xFF");
    }

    @Test
    void rejectsSplittingReasonAndTarget() {
        assertThatThrownBy(() -> Http1Encoder.encodeResponseHead(HttpVersion.HTTP_1_1, 200, "OK\r\nX: 1",
            new HttpHeaders())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Http1Encoder.encodeResponseHead(HttpVersion.HTTP_1_1, 42, "x", new HttpHeaders()))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Http1Encoder.encodeRequestHead("GET", "/a b", HttpVersion.HTTP_1_1,
            new HttpHeaders())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Http1Encoder.encodeRequestHead("G T", "/", HttpVersion.HTTP_1_1, new HttpHeaders()))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requestHeadRoundTripsThroughTheParser() {
        HttpHeaders h = new HttpHeaders().add("Host", "example.com").add("Transfer-Encoding", "chunked");
        ByteBuffer head = Http1Encoder.encodeRequestHead("POST", "/upload?x=1", HttpVersion.HTTP_1_1, h);
        ByteBuffer[] chunk = Http1ChunkedEncoder.frame(ByteBuffer.wrap("hello world".getBytes(StandardCharsets.US_ASCII)));
        ByteBuffer last = Http1ChunkedEncoder.lastChunk(new HttpHeaders().add("Checksum", "42"));
        ByteBuffer all = ByteBuffer.allocate(256);
        all.put(head);
        for (ByteBuffer b : chunk) {
            all.put(b);
        }
        all.put(last).flip();
        Http1Parser p = Http1Parser.forRequests(Http1ParserLimits.DEFAULTS);
        assertThat(p.next(all)).isEqualTo(Event.HEAD);
        assertThat(p.method()).isEqualTo("POST");
        assertThat(p.target()).isEqualTo("/upload?x=1");
        assertThat(p.headers()).isEqualTo(h);
        assertThat(p.next(all)).isEqualTo(Event.BODY);
        assertThat(StandardCharsets.US_ASCII.decode(p.body()).toString()).isEqualTo("hello world");
        assertThat(p.next(all)).isEqualTo(Event.MESSAGE_COMPLETE);
        assertThat(p.trailers().get("checksum")).isEqualTo("42");
        assertThat(all.hasRemaining()).isFalse();
    }

    @Test
    void chunkHeadersInHex() {
        assertThat(text(Http1ChunkedEncoder.chunkHeader(1))).isEqualTo("1\r\n");
        assertThat(text(Http1ChunkedEncoder.chunkHeader(255))).isEqualTo("ff\r\n");
        assertThat(text(Http1ChunkedEncoder.chunkHeader(4096))).isEqualTo("1000\r\n");
        assertThat(text(Http1ChunkedEncoder.chunkHeader(Long.MAX_VALUE))).isEqualTo("7fffffffffffffff\r\n");
        assertThatThrownBy(() -> Http1ChunkedEncoder.chunkHeader(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Http1ChunkedEncoder.frame(ByteBuffer.allocate(0))).isEmpty();
        assertThat(text(Http1ChunkedEncoder.lastChunk(null))).isEqualTo("0\r\n\r\n");
        assertThat(text(Http1ChunkedEncoder.crlf())).isEqualTo("\r\n");
    }

    @Test
    void responseHeadRoundTripsThroughTheResponseParser() {
        HttpHeaders h = new HttpHeaders().add("Content-Length", "2");
        ByteBuffer b = ByteBuffer.allocate(64);
        b.put(Http1Encoder.encodeResponseHead(HttpVersion.HTTP_1_1, 201, null, h)).put((byte) 'o').put((byte) 'k').flip();
        Http1Parser p = Http1Parser.forResponses(Http1ParserLimits.DEFAULTS);
        assertThat(p.next(b)).isEqualTo(Event.HEAD);
        assertThat(p.status()).isEqualTo(201);
        assertThat(p.reason()).isEqualTo("Created");
        assertThat(p.next(b)).isEqualTo(Event.BODY);
        assertThat(p.next(b)).isEqualTo(Event.MESSAGE_COMPLETE);
    }
}
