package io.gale.http2;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Jazzer fuzz targets for the HTTP/2 codec's untrusted-input paths: the frame parser (driving the
 * HPACK decoder with the field block fragments it finds, as a connection would), the HPACK decoder
 * alone, and encoder/decoder round trips. Under {@code mvn test} they replay the seeds in
 * {@code src/test/resources/io/gale/http2/Http2FuzzTestInputs/<target>/}; to fuzz one for real:
 * {@code JAZZER_FUZZ=1 mvn -pl gale test -Dtest='Http2FuzzTest#frameParser'} (for the annotation's
 * {@code maxDuration}: Jazzer 0.24 ignores {@code -Djazzer.max_duration}; raise it locally for a
 * longer session, or repeat: the corpus in {@code gale/.cifuzz-corpus/} carries over).
 * The only acceptable outcomes for any input are events and {@link Http2Error} values with the
 * codes the class comments promise: anything thrown fails the target.
 *
 * <p>The ints that steer a run (piece sizes, limits, roles) come from the end of the input
 * ({@link FuzzedDataProvider} consumes primitives there), the protocol bytes from its start, so
 * seeds are plain frame or block bytes.
 */
class Http2FuzzTest {

    /** Frames fed in pieces to a server or client parser; field blocks decoded by HPACK. */
    @FuzzTest(maxDuration = "30s")
    void frameParser(FuzzedDataProvider data) {
        boolean server = data.consumeBoolean();
        boolean settingsFirst = data.consumeBoolean();
        int piece = data.consumeInt(1, 256);
        Http2Limits limits = Http2Limits.builder().maxHeaderListSize(data.consumeInt(32, 8192))
            .maxHeaderBlockSize(16384).build();
        byte[] in = data.consumeRemainingAsBytes();
        boolean preface = server && Http2Preface.match(ByteBuffer.wrap(in)) != Http2Preface.Match.OTHER;
        Http2FrameParser p = new Http2FrameParser(server, preface, settingsFirst, limits);
        HpackDecoder hpack = new HpackDecoder(HpackDecoder.DEFAULT_TABLE_SIZE, limits);
        Http2Error hpackError = null;
        boolean inFrame = false;
        long frameBytes = 0;
        int events = 0;
        for (int off = 0; off < in.length; off += piece) {
            ByteBuffer buf = ByteBuffer.wrap(in, off, Math.min(piece, in.length - off));
            for (;;) {
                Http2FrameParser.Event e = p.next(buf);
                assertThat(++events).as("parser makes progress").isLessThan(in.length * 3 + 16);
                switch (e) {
                    case NEED_MORE -> assertThat(buf.hasRemaining()).as("NEED_MORE consumes everything").isFalse();
                    case ERROR -> {
                        Http2Error err = p.error();
                        assertThat(err).isNotNull();
                        if (err.isConnectionError()) {
                            assertThat(p.next(ByteBuffer.wrap(in))).isEqualTo(Http2FrameParser.Event.ERROR);
                            return;
                        }
                        assertThat(err.streamId()).isPositive();
                        assertThat(err.code()).isIn(Http2ErrorCode.PROTOCOL_ERROR, Http2ErrorCode.FRAME_SIZE_ERROR);
                    }
                    case DATA, HEADERS, PUSH_PROMISE, CONTINUATION -> {
                        assertThat(p.isFirstSlice()).isEqualTo(!inFrame);
                        inFrame = !p.isLastSlice();
                        frameBytes = p.isFirstSlice() ? p.payload().remaining() : frameBytes + p.payload().remaining();
                        assertThat(frameBytes).isLessThanOrEqualTo(p.length());
                        assertThat(p.length()).isLessThanOrEqualTo(limits.maxFrameSize());
                        if (e != Http2FrameParser.Event.DATA && hpackError == null) {
                            hpackError = hpack.decode(p.payload(), p.isEndOfBlock(), (n, v, s) -> { });
                            if (hpackError != null) {
                                assertThat(hpackError.isConnectionError()).isTrue();
                                assertThat(hpackError.code()).isIn(Http2ErrorCode.COMPRESSION_ERROR,
                                    Http2ErrorCode.ENHANCE_YOUR_CALM);
                            }
                        }
                    }
                    case SETTINGS -> assertThat(p.isAck() ? 0 : p.settings().size()).isLessThanOrEqualTo(p.length() / 6);
                    case WINDOW_UPDATE -> assertThat(p.windowIncrement()).isPositive();
                    case GOAWAY -> assertThat(p.debugData().length).isLessThanOrEqualTo(Http2FrameParser.MAX_DEBUG_DATA);
                    default -> { }
                }
                if (e == Http2FrameParser.Event.NEED_MORE) {
                    break;
                }
            }
        }
    }

    /** Field blocks cut into fragments, table size settings changed between blocks. */
    @FuzzTest(maxDuration = "30s")
    void hpackDecoder(FuzzedDataProvider data) {
        int listLimit = data.consumeInt(32, 4096);
        Http2Limits limits = Http2Limits.builder().maxHeaderListSize(listLimit).maxHeaderBlockSize(listLimit * 2).build();
        long tableSize = data.pickValue(new long[] {0, 64, 256, 4096});
        int fragment = data.consumeInt(1, 64);
        int[] boundaries = {data.consumeInt(0, 1 << 16), data.consumeInt(0, 1 << 16), data.consumeInt(0, 1 << 16)};
        long[] settings = {data.consumeLong(-1, 8192), data.consumeLong(-1, 8192), data.consumeLong(-1, 8192)};
        byte[] in = data.consumeRemainingAsBytes();
        HpackDecoder d = new HpackDecoder(tableSize, limits);
        int start = 0;
        for (int b = 0; b <= boundaries.length; b++) {
            int end = b < boundaries.length ? Math.max(start, in.length == 0 ? 0 : boundaries[b] % (in.length + 1)) : in.length;
            long[] size = {0};
            int off = start;
            do {
                int n = Math.min(fragment, end - off);
                Http2Error e = d.decode(ByteBuffer.wrap(in, off, n), off + n == end,
                    (name, value, s) -> size[0] += HpackDynamicTable.entrySize(name, value));
                if (e != null) {
                    assertThat(e.isConnectionError()).isTrue();
                    assertThat(e.code()).isIn(Http2ErrorCode.COMPRESSION_ERROR, Http2ErrorCode.ENHANCE_YOUR_CALM);
                    assertThat(d.decode(ByteBuffer.wrap(in), true, (name, value, s) -> { })).isSameAs(e);
                    return;
                }
                off += n;
            } while (off < end);
            assertThat(size[0]).as("delivered within the soft limit").isLessThanOrEqualTo(listLimit);
            assertThat(d.table().size()).isLessThanOrEqualTo(d.table().capacity());
            start = end;
            if (b < settings.length && settings[b] >= 0) {
                d.setMaxTableSize(settings[b]);
            }
        }
    }

    /** Fields chosen by the fuzzer, encoded by Gale and decoded by Gale: equal lists, tables in step. */
    @FuzzTest(maxDuration = "30s")
    void hpackRoundTrip(FuzzedDataProvider data) {
        HpackEncoder enc = new HpackEncoder(data.consumeInt(0, 8192));
        HpackDecoder dec = new HpackDecoder(HpackDecoder.DEFAULT_TABLE_SIZE,
            Http2Limits.builder().maxHeaderListSize(1 << 20).maxHeaderBlockSize(1 << 21).build());
        ByteOut out = new ByteOut(64);
        for (int block = 0; block < 4 && data.remainingBytes() > 0; block++) {
            if (data.consumeBoolean()) {
                long size = data.consumeLong(0, 0xffffffffL);
                enc.setPeerMaxTableSize(size);
                dec.setMaxTableSize(size);
            }
            List<String> fields = new ArrayList<>();
            out.reset();
            enc.beginBlock(out);
            int n = data.consumeInt(0, 12);
            for (int i = 0; i < n; i++) {
                String name = data.consumeString(24).toLowerCase(java.util.Locale.ROOT);
                String value = data.consumeString(64);
                if (name.chars().anyMatch(c -> c > 0xff) || value.chars().anyMatch(c -> c > 0xff)) {
                    continue;
                }
                enc.encode(name, value, data.consumeBoolean(), out);
                fields.add(name + ": " + value);
            }
            List<String> got = new ArrayList<>();
            Http2Error e = dec.decode(ByteBuffer.wrap(out.toByteArray()), true, (nm, v, s) -> got.add(nm + ": " + v));
            assertThat(e).isNull();
            assertThat(got).isEqualTo(fields);
            assertThat(HpackDriver.table(dec.table())).isEqualTo(HpackDriver.table(enc.table()));
        }
    }

    /**
     * The received-field rules ({@link Http2Fields}, {@link Http2HeaderRules}) on fuzzer-chosen
     * fields: never an exception, and a block they accept holds only what HTTP/2 allows (lower-case
     * token names, values without CR, LF, NUL or edge whitespace, no connection-specific field, the
     * pseudo-headers its kind requires), all of it accepted by {@code HttpHeaders}.
     */
    @FuzzTest(maxDuration = "30s")
    void fieldRules(FuzzedDataProvider data) {
        Http2Fields.Kind kind = Http2Fields.Kind.values()[data.consumeInt(0, 2)];
        Http2Fields f = new Http2Fields(kind);
        String[] pseudo = {":method", ":scheme", ":authority", ":path", ":status", ":protocol", ":x"};
        int n = data.consumeInt(0, 24);
        for (int i = 0; i < n && data.remainingBytes() > 0; i++) {
            String name = data.consumeBoolean() ? pseudo[data.consumeInt(0, pseudo.length - 1)] : latin1(data, 12);
            f.field(name, latin1(data, 24));
        }
        f.finish(false);
        if (f.malformed() != null) {
            return;
        }
        for (int i = 0; i < f.headers().size(); i++) {
            String name = f.headers().nameAt(i);
            String value = f.headers().valueAt(i);
            assertThat(Http2HeaderRules.checkName(name)).as(name).isNull();
            assertThat(Http2HeaderRules.checkValue(value)).as(value).isNull();
            assertThat(Http2HeaderRules.isConnectionSpecific(name)).isFalse();
            assertThat(io.gale.http.HttpHeaders.isValidValue(value)).isTrue();
        }
        switch (kind) {
            case RESPONSE -> assertThat(f.status()).isBetween(100, 999);
            case REQUEST -> assertThat(f.method()).isNotNull();
            case TRAILERS -> assertThat(f.status()).isEqualTo(-1);
        }
    }

    private static String latin1(FuzzedDataProvider data, int max) {
        byte[] b = data.consumeBytes(data.consumeInt(0, max));
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
