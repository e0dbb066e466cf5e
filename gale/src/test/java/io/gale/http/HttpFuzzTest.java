package io.gale.http;

import io.gale.internal.http.Http1Parser;
import io.gale.internal.http.HttpParseError;
import io.gale.internal.http.GzipDecoder;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Jazzer fuzz targets for the parsers that read untrusted bytes. Under {@code mvn test} they run
 * in regression mode over the seed corpus in {@code src/test/resources/io/gale/http/HttpFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1 mvn -pl gale test -Dtest=HttpFuzzTest#NAME} fuzzes one target for real
 * (see docs/testing.md). The only acceptable outcome for any input is a value or a declared
 * protocol error: anything thrown fails the target.
 */
class HttpFuzzTest {
    private static final Http1ParserLimits SMALL = Http1ParserLimits.DEFAULTS;

    /** Request parsing, fed in pieces whose sizes the fuzzer chooses: reads as fed whole. */
    @FuzzTest(maxDuration = "30s")
    void requestParser(FuzzedDataProvider data) {
        drive(() -> Http1Parser.forRequests(SMALL), data);
    }

    /** Response parsing (the client side of the same codec), for a request method the fuzzer picks. */
    @FuzzTest(maxDuration = "30s")
    void responseParser(FuzzedDataProvider data) {
        String method = data.pickValue(List.of("GET", "HEAD", "POST", "CONNECT"));
        drive(() -> {
            Http1Parser parser = Http1Parser.forResponses(SMALL);
            parser.expectResponseTo(method);
            return parser;
        }, data);
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

    /**
     * The gzip decoder against streams built to be valid: one to three members with the optional
     * header fields the fuzzer picks (extra field, name, comment, header CRC), any compression
     * level, perhaps one byte changed, fed in slices of any size, drained into pieces of any size,
     * with the rest of a slice handed over ({@code retainInput}) and the caller's copy scribbled on,
     * under an output limit that may be too small. Properties: an unchanged stream decodes to
     * exactly its content (or stops at the limit with {@code tooLarge}); a changed one ends in an
     * error or decodes to exactly the original content (a changed name, time or header CRC);
     * nothing past the limit is handed out; pieces are 1 to {@code pieceSize} bytes.
     */
    @FuzzTest(maxDuration = "30s")
    void gzipRoundTrip(FuzzedDataProvider data) {
        int memberCount = data.consumeInt(1, 3);
        int pieceSize = data.consumeInt(1, 600);
        int step = data.consumeInt(1, 300);
        boolean retain = data.consumeBoolean();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (int m = 0; m < memberCount; m++) {
            int flags = data.consumeInt(0, 15) << 1; // FHCRC 2, FEXTRA 4, FNAME 8, FCOMMENT 16
            int level = data.consumeInt(0, 9);
            byte[] extra = data.consumeBytes(data.consumeInt(0, 40));
            byte[] name = data.consumeBytes(data.consumeInt(0, 20));
            byte[] payload = data.consumeBytes(data.consumeInt(0, 3000));
            stream.writeBytes(gzipMember(payload, flags, level, extra, name));
            content.writeBytes(payload);
        }
        byte[] in = stream.toByteArray();
        byte[] expected = content.toByteArray();
        boolean changed = data.consumeBoolean();
        if (changed) {
            int at = data.consumeInt(0, in.length - 1);
            in[at] ^= (byte) data.consumeInt(1, 255);
        }
        long limit = data.consumeBoolean() ? data.consumeInt(0, expected.length) : Long.MAX_VALUE;

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String end;
        boolean tooLarge;
        try (GzipDecoder d = new GzipDecoder(pieceSize, limit)) {
            for (int off = 0; off < in.length && d.error() == null; off += step) {
                byte[] scratch = Arrays.copyOfRange(in, off, Math.min(in.length, off + step));
                d.feed(ByteBuffer.wrap(scratch));
                ByteBuffer piece = d.next();
                if (retain) {
                    d.retainInput();
                    Arrays.fill(scratch, (byte) 0x5A); // the caller reuses its buffer
                }
                for (; piece != null; piece = d.next()) {
                    assertThat(piece.remaining()).isBetween(1, pieceSize);
                    byte[] a = new byte[piece.remaining()];
                    piece.get(a);
                    out.writeBytes(a);
                }
                // after an error the rest of the slice is left unread (the body is abandoned)
                assertThat(d.hasPending() && d.error() == null).as("a drained decoder holds no input").isFalse();
            }
            end = d.finish();
            tooLarge = d.tooLarge();
            if (!tooLarge) { // the piece that crossed the limit is counted, not handed out
                assertThat(d.total()).isEqualTo(out.size());
            }
        }
        assertThat((long) out.size()).as("nothing past the limit is handed out").isLessThanOrEqualTo(limit);
        if (end == null) {
            assertThat(out.toByteArray()).as("a clean end means the original content").isEqualTo(expected);
        } else {
            assertThat(end).isNotBlank();
            if (!changed) {
                assertThat(tooLarge).as("a valid stream fails only at the limit: " + end).isTrue();
                assertThat(limit).isLessThan(expected.length);
            }
        }
    }

    /** One gzip member (RFC 1952) with the optional header fields in {@code flags}. */
    private static byte[] gzipMember(byte[] payload, int flags, int level, byte[] extra, byte[] name) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, (byte) flags, 1, 2, 3, 4, 0, (byte) 255});
        if ((flags & 4) != 0) {
            m.write(extra.length);
            m.write(extra.length >> 8);
            m.writeBytes(extra);
        }
        for (int field : new int[] {8, 16}) { // name, comment: zero-terminated, no zero inside
            if ((flags & field) != 0) {
                for (byte b : name) {
                    m.write(b == 0 ? '_' : b);
                }
                m.write(0);
            }
        }
        if ((flags & 2) != 0) {
            CRC32 headerCrc = new CRC32();
            headerCrc.update(m.toByteArray());
            m.write((int) headerCrc.getValue());
            m.write((int) headerCrc.getValue() >> 8);
        }
        Deflater deflater = new Deflater(level, true);
        deflater.setInput(payload);
        deflater.finish();
        byte[] buf = new byte[4096];
        while (!deflater.finished()) {
            m.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        CRC32 crc = new CRC32();
        crc.update(payload);
        for (long v : new long[] {crc.getValue(), payload.length}) {
            for (int i = 0; i < 4; i++) {
                m.write((int) (v >> (8 * i)));
            }
        }
        return m.toByteArray();
    }

    /**
     * Feeds the input in pieces whose sizes the fuzzer chooses (1-64 bytes), checking progress and
     * declared errors, then checks that a second parser (from {@code fresh}) fed the same bytes in
     * one piece reads the same messages: heads, body bytes, trailers, the same error status or the
     * same upgrade.
     */
    private static void drive(Supplier<Http1Parser> fresh, FuzzedDataProvider data) {
        List<byte[]> pieces = new ArrayList<>();
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        while (data.remainingBytes() > 0) {
            byte[] piece = data.consumeBytes(data.consumeInt(1, 64));
            pieces.add(piece);
            whole.writeBytes(piece);
        }
        String split = transcript(fresh.get(), pieces);
        String all = transcript(fresh.get(), List.of(whole.toByteArray()));
        assertThat(all).as("fed whole").isEqualTo(split);
    }

    /** What a parser reads from {@code pieces}, described; asserts progress and declared errors on the way. */
    private static String transcript(Http1Parser parser, List<byte[]> pieces) {
        StringBuilder out = new StringBuilder();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int events = 0;
        for (byte[] piece : pieces) {
            ByteBuffer buf = ByteBuffer.wrap(piece);
            for (;;) {
                Http1Parser.Event e = parser.next(buf);
                assertThat(++events).as("parser makes progress").isLessThan(1_000_000);
                switch (e) {
                    case NEED_MORE -> assertThat(buf.hasRemaining()).as("NEED_MORE consumes everything").isFalse();
                    case HEAD -> out.append(parser.isRequestParser()
                            ? parser.method() + " " + parser.target() + " " + parser.version()
                            : parser.version() + " " + parser.status() + " " + parser.reason())
                            .append(' ').append(parser.headers()).append(' ').append(parser.bodyFraming()).append('\n');
                    case BODY -> {
                        ByteBuffer b = parser.body();
                        byte[] copy = new byte[b.remaining()];
                        b.get(copy);
                        body.writeBytes(copy);
                    }
                    case MESSAGE_COMPLETE -> {
                        out.append("body ").append(Arrays.toString(body.toByteArray())).append(" trailers ")
                                .append(parser.trailers()).append('\n');
                        body.reset();
                    }
                    case ERROR -> {
                        assertErrorStatus(parser.error());
                        return out.append("error ").append(parser.error().status()).toString();
                    }
                    case UPGRADE -> {
                        return out.append("upgrade").toString();
                    }
                    default -> throw new AssertionError("next() answered " + e);
                }
                if (e == Http1Parser.Event.NEED_MORE) {
                    break;
                }
            }
        }
        Http1Parser.Event end = parser.finish();
        if (end == Http1Parser.Event.ERROR) {
            assertErrorStatus(parser.error());
            return out.append("error at the end ").append(parser.error().status()).toString();
        }
        if (end == Http1Parser.Event.MESSAGE_COMPLETE) { // a body read until the connection closes
            return out.append("body until close ").append(Arrays.toString(body.toByteArray())).toString();
        }
        return out.append(end).toString();
    }

    private static void assertErrorStatus(HttpParseError error) {
        assertThat(error).isNotNull();
        assertThat(error.status()).isIn(400, 413, 414, 431, 501, 505, 502);
    }
}
