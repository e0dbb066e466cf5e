package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The streaming parser on its own: events, chunk splits, framing errors and limits. */
@Timeout(10)
class MultipartParserTest {
    private static final String B = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

    /** Records events as text: S(headers) D(data) E. */
    private static class Recorder implements MultipartParser.Listener {
        final List<String> events = new ArrayList<>();
        final List<PartHeaders> headers = new ArrayList<>();
        final List<ByteArrayOutputStream> bodies = new ArrayList<>();

        @Override
        public void partStart(PartHeaders h) {
            events.add("start");
            headers.add(h);
            bodies.add(new ByteArrayOutputStream());
        }

        @Override
        public void partData(ByteBuffer data) {
            assertThat(data.remaining()).isPositive();
            byte[] b = new byte[data.remaining()];
            data.get(b);
            bodies.get(bodies.size() - 1).writeBytes(b);
        }

        @Override
        public void partEnd() {
            events.add("end");
        }

        String body(int i) {
            return bodies.get(i).toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Recorder parse(String body, int... chunkSizes) throws HttpFormException {
        return parse(B, FormLimits.DEFAULTS, bytes(body), chunkSizes);
    }

    private static Recorder parse(String boundary, FormLimits limits, byte[] body, int... chunkSizes) throws HttpFormException {
        Recorder r = new Recorder();
        MultipartParser p = new MultipartParser(boundary, limits, r);
        int pos = 0;
        int i = 0;
        while (pos < body.length) {
            int size = chunkSizes.length == 0 ? body.length : chunkSizes[i++ % chunkSizes.length];
            int n = Math.min(size, body.length - pos);
            ByteBuffer chunk = ByteBuffer.wrap(body, pos, n);
            p.feed(chunk);
            assertThat(chunk.hasRemaining()).isFalse();
            pos += n;
        }
        p.finish();
        assertThat(p.isComplete()).isTrue();
        return r;
    }

    private static final String TWO_PARTS = "--" + B + "\r\n"
            + "Content-Disposition: form-data; name=\"field\"\r\n\r\n"
            + "value\r\n"
            + "--" + B + "\r\n"
            + "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
            + "Content-Type: text/plain\r\n\r\n"
            + "line1\r\nline2\r\n--not-the-boundary\r\n\r\n"
            + "\r\n--" + B + "--\r\n";

    @Test
    void emitsPartsWithHeadersAndBodies() throws Exception {
        Recorder r = parse(TWO_PARTS);
        assertThat(r.events).containsExactly("start", "end", "start", "end");
        assertThat(r.headers.get(0).name()).isEqualTo("field");
        assertThat(r.headers.get(1).filename()).isEqualTo("a.txt");
        assertThat(r.headers.get(1).contentType()).isEqualTo("text/plain");
        assertThat(r.headers.get(1).get("CONTENT-TYPE")).isEqualTo("text/plain");
        assertThat(r.body(0)).isEqualTo("value");
        assertThat(r.body(1)).isEqualTo("line1\r\nline2\r\n--not-the-boundary\r\n\r\n");
    }

    @Test
    void everyChunkSplitGivesTheSameResult() throws Exception {
        byte[] body = bytes(TWO_PARTS);
        for (int size = 1; size <= body.length; size++) {
            Recorder r = parse(B, FormLimits.DEFAULTS, body, size);
            assertThat(r.body(0)).as("chunk size " + size).isEqualTo("value");
            assertThat(r.body(1)).as("chunk size " + size).isEqualTo("line1\r\nline2\r\n--not-the-boundary\r\n\r\n");
        }
        for (int split = 0; split <= body.length; split++) {
            Recorder r = parse(B, FormLimits.DEFAULTS, body, split == 0 ? body.length : split, body.length);
            assertThat(r.body(1)).as("split at " + split).isEqualTo("line1\r\nline2\r\n--not-the-boundary\r\n\r\n");
        }
    }

    @Test
    void partialDelimiterAtChunkEndThatTurnsOutToBeDataIsEmitted() throws Exception {
        // the body contains "\r\n--" + a prefix of the boundary, split right after it
        String data = "x\r\n--" + B.substring(0, 10) + "y";
        String body = "--" + B + "\r\nContent-Disposition: form-data; name=a\r\n\r\n" + data + "\r\n--" + B + "--";
        byte[] b = bytes(body);
        int headerEnd = body.indexOf("\r\n\r\n") + 4;
        for (int cut = headerEnd; cut < b.length; cut++) {
            Recorder r = parse(B, FormLimits.DEFAULTS, b, cut, b.length);
            assertThat(r.body(0)).as("cut " + cut).isEqualTo(data);
        }
    }

    @Test
    void preambleEpilogueEmptyHeadersAndPaddingAreAccepted() throws Exception {
        String body = "This is the preamble.\r\n--" + B + " \t\r\n\r\nno headers\r\n--" + B + "--\r\nepilogue --" + B + "\r\n";
        Recorder r = parse(body);
        assertThat(r.headers.get(0).names()).isEmpty();
        assertThat(r.body(0)).isEqualTo("no headers");
    }

    @Test
    void emptyPartsAndZeroParts() throws Exception {
        Recorder r = parse("--" + B + "\r\nContent-Disposition: form-data; name=a\r\n\r\n\r\n--" + B + "--");
        assertThat(r.events).containsExactly("start", "end");
        assertThat(r.body(0)).isEmpty();
        assertThat(parse("--" + B + "--").events).isEmpty();
    }

    @Test
    void binaryDataWithCrAndBoundaryLookalikes() throws Exception {
        byte[] data = new byte[70_000];
        new java.util.Random(7).nextBytes(data);
        for (int i = 0; i < data.length - 40; i += 997) { // plant near-misses of the delimiter
            byte[] near = bytes("\r\n--" + B.substring(0, i % B.length()));
            System.arraycopy(near, 0, data, i, near.length);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(bytes("--" + B + "\r\nContent-Disposition: form-data; name=f; filename=x.bin\r\n\r\n"));
        body.writeBytes(data);
        body.writeBytes(bytes("\r\n--" + B + "--\r\n"));
        for (int size : new int[] {1, 7, 8, 9, 64, 4096, 1 << 20}) {
            Recorder r = parse(B, FormLimits.DEFAULTS, body.toByteArray(), size);
            assertThat(r.bodies.get(0).toByteArray()).as("chunk " + size).isEqualTo(data);
        }
    }

    @Test
    void directBuffersWork() throws Exception {
        byte[] body = bytes(TWO_PARTS);
        Recorder r = new Recorder();
        MultipartParser p = new MultipartParser(B, FormLimits.DEFAULTS, r);
        for (int pos = 0; pos < body.length; pos += 5) {
            ByteBuffer d = ByteBuffer.allocateDirect(Math.min(5, body.length - pos));
            d.put(body, pos, d.capacity()).flip();
            p.feed(d);
        }
        p.finish();
        assertThat(r.body(1)).isEqualTo("line1\r\nline2\r\n--not-the-boundary\r\n\r\n");
    }

    private static void assertFails(String body, String message) {
        assertFails(FormLimits.DEFAULTS, body, message);
    }

    private static void assertFails(FormLimits limits, String body, String message) {
        assertThatThrownBy(() -> parse(B, limits, bytes(body))).isInstanceOf(HttpFormException.class).hasMessageContaining(message);
        // and the same when fed one byte at a time
        assertThatThrownBy(() -> parse(B, limits, bytes(body), 1)).isInstanceOf(HttpFormException.class).hasMessageContaining(message);
    }

    @Test
    void framingErrors() {
        String part = "Content-Disposition: form-data; name=a\r\n\r\nv";
        assertFails("", "no multipart boundary");
        assertFails("no boundary at all", "no multipart boundary");
        assertFails("--" + B + "\r\n" + part, "no final boundary");
        assertFails("--" + B + "\r\nContent-Disposition: form-data", "no final boundary");
        assertFails("--" + B + "\r\n" + part + "\r\n--" + B, "ends inside a boundary line");
        assertFails("--" + B + "\r\n" + part + "\r\n--" + B + "-", "ends inside a boundary line");
        assertFails("--" + B + "\r\n" + part + "\r\n--" + B + "-x", "close delimiter");
        assertFails("--" + B + "\r\n" + part + "\r\n--" + B + "xyz\r\n", "boundary found inside a part");
        assertFails("--" + B + "\n" + part + "\r\n--" + B + "--", "CRLF");
        assertFails("--" + B + " x\r\n" + part, "boundary line");
    }

    @Test
    void lfOnlyBodiesAreRejected() {
        String lf = "--" + B + "\nContent-Disposition: form-data; name=a\n\nv\n--" + B + "--\n";
        assertThatThrownBy(() -> parse(lf)).isInstanceOf(HttpFormException.class);
    }

    @Test
    void headerErrors() {
        String start = "--" + B + "\r\n";
        String end = "\r\n\r\nv\r\n--" + B + "--";
        assertFails(start + "Content-Disposition: form-data;\rname=a" + end, "bare CR");
        assertFails(start + "Content-Disposition: form-data;\nname=a" + end, "bare CR or LF");
        assertFails(start + "A: b\r\n folded" + end, "folded");
        assertFails(start + "Bad Name: b" + end, "header name");
        assertFails(start + ": b" + end, "header line");
        assertFails(start + "NoColon" + end, "header line");
        assertFails(start + "A: b\u0000c" + end, "control character");
        assertFails(start + "A: b\u007fc" + end, "control character");
    }

    @Test
    void partLimitAndHeaderSizeLimit() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 3; i++) body.append("--").append(B).append("\r\nX: ").append(i).append("\r\n\r\nv\r\n");
        body.append("--").append(B).append("--");
        assertThat(parse(B, FormLimits.builder().maxParts(3).build(), bytes(body.toString())).events).hasSize(6);
        assertFails(FormLimits.builder().maxParts(2).build(), body.toString(), "too many multipart parts (limit 2)");

        String header = "X: " + "h".repeat(100);
        String one = "--" + B + "\r\n" + header + "\r\n\r\nv\r\n--" + B + "--";
        int blockSize = header.length() + 2;
        assertThat(parse(B, FormLimits.builder().maxPartHeaderSize(blockSize).build(), bytes(one)).body(0)).isEqualTo("v");
        assertFails(FormLimits.builder().maxPartHeaderSize(blockSize - 1).build(), one, "headers too large");
    }

    @Test
    void hugeHeaderIsRejectedWithoutBufferingIt() {
        Recorder r = new Recorder();
        assertThatThrownBy(() -> {
            MultipartParser p = new MultipartParser(B, FormLimits.DEFAULTS, r);
            p.feed(ByteBuffer.wrap(bytes("--" + B + "\r\nX: ")));
            byte[] junk = new byte[1 << 16];
            java.util.Arrays.fill(junk, (byte) 'a');
            for (int i = 0; i < 1000; i++) p.feed(ByteBuffer.wrap(junk));
        }).isInstanceOf(HttpFormException.class).hasMessageContaining("headers too large");
    }

    @Test
    void invalidBoundaries() {
        for (String b : new String[] {"", "a b ", "has\rcr", "has\"quote", "x".repeat(MultipartParser.MAX_BOUNDARY_LENGTH + 1), "é"}) {
            assertThatThrownBy(() -> new MultipartParser(b, FormLimits.DEFAULTS, new Recorder()))
                    .as(b).isInstanceOf(HttpFormException.class);
        }
    }

    @Test
    void failureIsStickyAndListenerErrorsStopParsing() throws Exception {
        MultipartParser.Listener refusing = new Recorder() {
            @Override
            public void partStart(PartHeaders h) {
                throw new IllegalStateException("listener bug");
            }
        };
        MultipartParser p = new MultipartParser(B, FormLimits.DEFAULTS, refusing);
        assertThatThrownBy(() -> p.feed(ByteBuffer.wrap(bytes(TWO_PARTS)))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> p.feed(ByteBuffer.wrap(bytes("more")))).isInstanceOf(HttpFormException.class);
        assertThatThrownBy(p::finish).isInstanceOf(HttpFormException.class);

        MultipartParser q = new MultipartParser(B, FormLimits.DEFAULTS, new Recorder());
        assertThatThrownBy(() -> q.feed(ByteBuffer.wrap(bytes("--" + B + "\r\nbad header\r\n\r\n"))))
                .isInstanceOf(HttpFormException.class);
        assertThatThrownBy(q::finish).isInstanceOf(HttpFormException.class).hasMessageContaining("header name");
    }

    /**
     * Near-misses of the delimiter everywhere, fed in small chunks: a parser that rescans a
     * part's accumulated bytes per chunk, or restarts a comparison at every position, would
     * need billions of steps here and hit the timeout; a linear one needs a few million.
     */
    @Test
    @Timeout(10)
    void adversarialDataIsScannedInLinearTime() throws Exception {
        String near = "\r\n--" + B.substring(0, B.length() - 1) + "#";
        int reps = (2 << 20) / near.length();
        String body = "--" + B + "\r\nContent-Disposition: form-data; name=a\r\n\r\n" + near.repeat(reps) + "\r\n--" + B + "--";
        Recorder r = parse(body, 1024);
        assertThat(r.bodies.get(0).size()).isEqualTo(near.length() * reps);
        String crs = "\r".repeat(2 << 20);
        assertThat(parse("--" + B + "\r\n\r\n" + crs + "\r\n--" + B + "--", 1024).bodies.get(0).size()).isEqualTo(2 << 20);
    }
}
