package io.gale.http;

import io.gale.internal.http.Http1Parser;
import io.gale.internal.http.HttpParseError;
import io.gale.internal.http.GzipDecoder;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jazzer fuzz targets for the parsers that read untrusted bytes. Under {@code mvn test} they run
 * in regression mode over the seed corpus in {@code src/test/resources/io/gale/http/HttpFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1 mvn -pl gale test -Dtest=HttpFuzzTest#NAME} fuzzes one target for real
 * (see docs/testing.md). The only acceptable outcome for any input is a value or a declared
 * protocol error: anything thrown fails the target.
 */
class HttpFuzzTest {
    private static final Http1ParserLimits SMALL = Http1ParserLimits.DEFAULTS;

    /** Request parsing, fed in pieces whose sizes the fuzzer chooses. */
    @FuzzTest(maxDuration = "30s")
    void requestParser(FuzzedDataProvider data) {
        Http1Parser parser = Http1Parser.forRequests(SMALL);
        drive(parser, data);
    }

    /** Response parsing (the client side of the same codec), for a request method the fuzzer picks. */
    @FuzzTest(maxDuration = "30s")
    void responseParser(FuzzedDataProvider data) {
        Http1Parser parser = Http1Parser.forResponses(SMALL);
        parser.expectResponseTo(data.pickValue(List.of("GET", "HEAD", "POST", "CONNECT")));
        drive(parser, data);
    }

    /** The chunked body decoder, behind a fixed valid head. */
    @FuzzTest(maxDuration = "30s")
    void chunkedBody(FuzzedDataProvider data) {
        Http1Parser parser = Http1Parser.forRequests(SMALL);
        byte[] head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes();
        byte[] rest = data.consumeRemainingAsBytes();
        byte[] all = new byte[head.length + rest.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(rest, 0, all, head.length, rest.length);
        ByteBuffer buf = ByteBuffer.wrap(all);
        int events = 0;
        for (;;) {
            Http1Parser.Event e = parser.next(buf);
            assertThat(++events).as("parser makes progress").isLessThan(all.length * 4 + 16);
            if (e == Http1Parser.Event.NEED_MORE) {
                assertThat(buf.hasRemaining()).isFalse();
                Http1Parser.Event end = parser.finish();
                assertThat(end).isIn(Http1Parser.Event.END, Http1Parser.Event.ERROR, Http1Parser.Event.MESSAGE_COMPLETE);
                return;
            }
            if (e == Http1Parser.Event.ERROR) {
                assertErrorStatus(parser.error());
                return;
            }
            if (e == Http1Parser.Event.UPGRADE) {
                return;
            }
        }
    }

    /** The streaming multipart parser, fed in pieces. */
    @FuzzTest(maxDuration = "30s")
    void multipart(FuzzedDataProvider data) {
        String boundary = data.consumeString(20);
        int pieces = data.consumeInt(1, 8);
        Map<String, List<String>> args = new LinkedHashMap<>();
        Map<String, List<HttpFile>> files = new LinkedHashMap<>();
        try {
            MultipartParser parser = new MultipartParser(boundary, FormLimits.DEFAULTS, new MultipartFormCollector(args, files));
            byte[] body = data.consumeRemainingAsBytes();
            int step = Math.max(1, body.length / pieces);
            for (int off = 0; off < body.length; off += step) {
                parser.feed(ByteBuffer.wrap(body, off, Math.min(step, body.length - off)));
            }
            parser.finish();
        } catch (HttpFormException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    /** Urlencoded bodies, query strings and cookie headers. */
    @FuzzTest(maxDuration = "30s")
    void formQueryAndCookies(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        HttpUtil.parseQueryString(text);
        HttpUtil.parseCookieHeader(text);
        HttpUtil.parseHeaderParams(text);
        try {
            HttpUtil.parseBodyArguments("application/x-www-form-urlencoded", text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    new LinkedHashMap<>(), new LinkedHashMap<>());
        } catch (HttpFormException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    /**
     * The gzip decoder of request and response bodies, fed in pieces, against a small output limit:
     * any input ends in data, a clean end, or a described error, never in an exception.
     */
    @FuzzTest(maxDuration = "30s")
    void gzipBody(FuzzedDataProvider data) {
        int step = data.consumeInt(1, 64);
        byte[] body = data.consumeRemainingAsBytes();
        long handedOut = 0;
        try (GzipDecoder d = new GzipDecoder(512, 1 << 20)) {
            for (int off = 0; off < body.length && d.error() == null; off += step) {
                d.feed(ByteBuffer.wrap(body, off, Math.min(step, body.length - off)));
                for (ByteBuffer piece = d.next(); piece != null; piece = d.next()) {
                    assertThat(piece.remaining()).isBetween(1, 512);
                    handedOut += piece.remaining();
                }
            }
            String end = d.finish();
            assertThat(end == null || !end.isBlank()).isTrue();
            assertThat(handedOut).as("nothing past the limit is handed out").isLessThanOrEqualTo(1 << 20);
        }
    }

    private static void drive(Http1Parser parser, FuzzedDataProvider data) {
        int events = 0;
        while (data.remainingBytes() > 0) {
            byte[] piece = data.consumeBytes(data.consumeInt(1, 64));
            ByteBuffer buf = ByteBuffer.wrap(piece);
            for (;;) {
                Http1Parser.Event e = parser.next(buf);
                assertThat(++events).as("parser makes progress").isLessThan(1_000_000);
                if (e == Http1Parser.Event.NEED_MORE) {
                    assertThat(buf.hasRemaining()).as("NEED_MORE consumes everything").isFalse();
                    break;
                }
                if (e == Http1Parser.Event.ERROR) {
                    assertErrorStatus(parser.error());
                    return;
                }
                if (e == Http1Parser.Event.UPGRADE) {
                    return;
                }
            }
        }
        Http1Parser.Event end = parser.finish();
        if (end == Http1Parser.Event.ERROR) {
            assertErrorStatus(parser.error());
        }
    }

    private static void assertErrorStatus(HttpParseError error) {
        assertThat(error).isNotNull();
        assertThat(error.status()).isIn(400, 413, 414, 431, 501, 505, 502);
    }
}
