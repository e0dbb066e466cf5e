package io.gale.http2;

import static io.gale.http2.FrameDriver.concat;
import static io.gale.http2.FrameDriver.frame;
import static io.gale.http2.Http2Frames.CONTINUATION;
import static io.gale.http2.Http2Frames.DATA;
import static io.gale.http2.Http2Frames.GOAWAY;
import static io.gale.http2.Http2Frames.HEADERS;
import static io.gale.http2.Http2Frames.PING;
import static io.gale.http2.Http2Frames.PRIORITY;
import static io.gale.http2.Http2Frames.PUSH_PROMISE;
import static io.gale.http2.Http2Frames.RST_STREAM;
import static io.gale.http2.Http2Frames.SETTINGS;
import static io.gale.http2.Http2Frames.WINDOW_UPDATE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The frame layer of RFC 9113 (sections 3.4, 4, 5.3.1, 5.5, 6): every frame type valid and
 * invalid, each case citing its section, and h2spec's frame-level cases (named "h2spec x.y"; the
 * cases that need stream state belong to the connection's suite). Every input goes through
 * {@link FrameDriver#check}: whole, cut at every position, byte by byte, and from direct buffers.
 */
@Timeout(60)
class Http2FrameParserTest {

    private static final Http2Limits LIMITS = Http2Limits.DEFAULTS;
    private static final int END_STREAM = 0x1;
    private static final int ACK = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIO = 0x20;

    /** A server-side parser past the preface and first SETTINGS: single frames can be tested. */
    private static final Supplier<Http2FrameParser> SERVER = () -> new Http2FrameParser(true, false, false, LIMITS);
    private static final Supplier<Http2FrameParser> CLIENT = () -> new Http2FrameParser(false, false, false, LIMITS);

    private static List<String> server(byte[]... frames) {
        return FrameDriver.check(SERVER, concat(frames));
    }

    private static List<String> client(byte[]... frames) {
        return FrameDriver.check(CLIENT, concat(frames));
    }

    private static String connError(Http2ErrorCode code, String reason) {
        return "ERROR " + Http2Error.connection(code, reason);
    }

    private static byte[] settingsFrame(String hexEntries) {
        return frame(SETTINGS, 0, 0, hexEntries);
    }

    private static byte[] ping() {
        return frame(PING, 0, 0, "0102030405060708");
    }

    private static byte[] bytes(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    // ---- preface (3.4) ----------------------------------------------------------------------------

    @Test
    void serverPrefaceThenSettings() {                                        // h2spec 3.5, generic 1
        byte[] in = concat(Http2Preface.bytes(), settingsFrame("000300000064 000400010000"), ping());
        assertThat(FrameDriver.check(() -> Http2FrameParser.forServer(LIMITS), in)).containsExactly(
            "SETTINGS {MAX_CONCURRENT_STREAMS=100, INITIAL_WINDOW_SIZE=65536}", "PING 102030405060708", "END");
    }

    @Test
    void invalidPreface() {                                                   // h2spec 3.5: PROTOCOL_ERROR
        byte[] in = "PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(FrameDriver.check(() -> Http2FrameParser.forServer(LIMITS), in))
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "invalid connection preface"));
        byte[] http1 = "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(FrameDriver.check(() -> Http2FrameParser.forServer(LIMITS), http1))
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "invalid connection preface"));
    }

    @Test
    void firstFrameMustBeSettings() {                                         // 3.4
        String err = connError(Http2ErrorCode.PROTOCOL_ERROR, "connection preface must be followed by SETTINGS");
        assertThat(FrameDriver.check(() -> Http2FrameParser.forServer(LIMITS), concat(Http2Preface.bytes(), ping())))
            .containsExactly(err);
        assertThat(FrameDriver.check(() -> Http2FrameParser.forServer(LIMITS),
            concat(Http2Preface.bytes(), frame(SETTINGS, ACK, 0, "")))).containsExactly(err);
        assertThat(FrameDriver.check(() -> Http2FrameParser.forClient(LIMITS), ping())).containsExactly(err);
        assertThat(FrameDriver.check(() -> Http2FrameParser.forClient(LIMITS), settingsFrame("")))
            .containsExactly("SETTINGS {}", "END");
    }

    @Test
    void prefaceMatching() {
        byte[] p = Http2Preface.bytes();
        assertThat(Http2Preface.match(ByteBuffer.wrap(p))).isEqualTo(Http2Preface.Match.PREFACE);
        assertThat(Http2Preface.match(ByteBuffer.wrap(concat(p, ping())))).isEqualTo(Http2Preface.Match.PREFACE);
        for (int i = 0; i < p.length; i++) {
            assertThat(Http2Preface.match(ByteBuffer.wrap(p, 0, i))).as("prefix %d", i)
                .isEqualTo(Http2Preface.Match.PARTIAL);
        }
        assertThat(Http2Preface.match(ByteBuffer.wrap("PRI * HTTP/1.1\r\n".getBytes()))).isEqualTo(Http2Preface.Match.OTHER);
        assertThat(Http2Preface.match(ByteBuffer.wrap("GET / HTTP/1.1\r\n".getBytes()))).isEqualTo(Http2Preface.Match.OTHER);
        ByteBuffer b = ByteBuffer.wrap(p);
        Http2Preface.match(b);
        assertThat(b.position()).as("not consumed").isZero();
    }

    // ---- frame format (4.1) -----------------------------------------------------------------------

    @Test
    void unknownTypeIsSkippedAndReported() {                                  // h2spec 4.1, 5.5
        assertThat(server(frame(0x16, 0xff, 1, "000102030405"), frame(0xff, 0, 0, ""), ping())).containsExactly(
            "UNKNOWN type=22 s=1 len=6", "UNKNOWN type=255 s=0 len=0", "PING 102030405060708", "END");
    }

    @Test
    void undefinedFlagsAndReservedBitAreIgnored() {                           // h2spec 4.1
        byte[] reserved = frame(WINDOW_UPDATE, 0, 0x80000003, "80000010");
        assertThat(server(frame(PING, 0xfe, 0, "0102030405060708"), reserved)).containsExactly(
            "PING 102030405060708", "WINDOW_UPDATE s=3 +16", "END");
    }

    // ---- frame size (4.2) -------------------------------------------------------------------------

    @Test
    void dataOfMaxFrameSizeIsAccepted() {                                     // h2spec 4.2
        List<String> t = FrameDriver.run(SERVER.get(), frame(DATA, END_STREAM, 1, bytes(16384, 'x')), null, false);
        assertThat(t).hasSize(2);
        assertThat(t.get(0)).startsWith("DATA s=1 len=16384 END_STREAM [7878");
    }

    @Test
    void dataAboveMaxFrameSizeIsAStreamErrorAndSkipped() {                    // h2spec 4.2: stream FRAME_SIZE_ERROR
        byte[] big = frame(DATA, 0, 1, bytes(16385, 'x'));
        Http2FrameParser p = SERVER.get();
        ByteBuffer in = ByteBuffer.wrap(concat(big, ping()));
        assertThat(p.next(in)).isEqualTo(Http2FrameParser.Event.ERROR);
        assertThat(p.length()).as("counted against flow control by the connection").isEqualTo(16385);
        assertThat(server(big, ping())).containsExactly(
            "ERROR " + Http2Error.stream(1, Http2ErrorCode.FRAME_SIZE_ERROR, "DATA larger than SETTINGS_MAX_FRAME_SIZE"),
            "PING 102030405060708", "END");
        Supplier<Http2FrameParser> larger = () -> new Http2FrameParser(true, false, false,
            Http2Limits.builder().maxFrameSize(20000).build());
        assertThat(FrameDriver.run(larger.get(), big, null, false).get(0)).startsWith("DATA s=1 len=16385");
    }

    @Test
    void headersAboveMaxFrameSizeIsAConnectionError() {                       // h2spec 4.2: connection FRAME_SIZE_ERROR
        assertThat(server(frame(HEADERS, END_HEADERS, 1, bytes(16385, 0x82)))).containsExactly(
            connError(Http2ErrorCode.FRAME_SIZE_ERROR, "frame larger than SETTINGS_MAX_FRAME_SIZE"));
    }

    @Test
    void otherFramesAboveMaxFrameSize() {                                     // 4.2: stream 0 frames are connection errors
        String err = connError(Http2ErrorCode.FRAME_SIZE_ERROR, "frame larger than SETTINGS_MAX_FRAME_SIZE");
        assertThat(server(frame(0x20, 0, 1, bytes(16385, 0)))).as("unknown type").containsExactly(err);
        assertThat(server(frame(GOAWAY, 0, 0, bytes(16385, 0)))).containsExactly(err);
        assertThat(server(settingsFrame("00".repeat(16386)))).containsExactly(err);
    }

    // ---- field blocks (4.3, 6.2, 6.10) ------------------------------------------------------------

    @Test
    void headersPlain() {                                                     // h2spec generic 3.2
        assertThat(server(frame(HEADERS, END_HEADERS | END_STREAM, 1, "82868441"))).containsExactly(
            "HEADERS s=1 len=4 END_STREAM END_OF_BLOCK [82868441]", "END");
    }

    @Test
    void headersWithPaddingAndPriority() {                                    // h2spec generic 3.2, 6.2
        assertThat(server(frame(HEADERS, END_HEADERS | PADDED, 1, "03 8286 000000"))).containsExactly(
            "HEADERS s=1 len=6 END_OF_BLOCK [8286]", "END");
        assertThat(server(frame(HEADERS, END_HEADERS | PRIO, 3, "80000001 0f 8286"))).containsExactly(
            "HEADERS s=3 len=7 END_OF_BLOCK dep=1 excl w=16 [8286]", "END");
        assertThat(server(frame(HEADERS, END_HEADERS | PRIO | PADDED, 3, "02 00000001 ff 82 0000"))).containsExactly(
            "HEADERS s=3 len=9 END_OF_BLOCK dep=1 w=256 [82]", "END");
        assertThat(server(frame(HEADERS, END_HEADERS | PADDED, 1, "02 0000"))).as("empty fragment, padding only")
            .containsExactly("HEADERS s=1 len=3 END_OF_BLOCK []", "END");
    }

    @Test
    void headersErrors() {
        assertThat(server(frame(HEADERS, END_HEADERS, 0, "82"))).as("h2spec 6.2: stream 0")
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "HEADERS on stream 0"));
        assertThat(server(frame(HEADERS, END_HEADERS | PADDED, 1, "05 8286 0000"))).as("h2spec 6.2: pad length")
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "padding as long as the payload or longer"));
        assertThat(server(frame(HEADERS, END_HEADERS | PRIO | PADDED, 1, "01 00000000 10"))).as("6.2: padding into priority")
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "padding as long as the payload or longer"));
        assertThat(server(frame(HEADERS, END_HEADERS | PRIO, 1, "00000000"))).as("4.2: too short for priority")
            .containsExactly(connError(Http2ErrorCode.FRAME_SIZE_ERROR, "frame too short for its fields"));
        assertThat(server(frame(HEADERS, END_HEADERS | PADDED, 1, ""))).as("4.2: no Pad Length")
            .containsExactly(connError(Http2ErrorCode.FRAME_SIZE_ERROR, "frame too short for its fields"));
    }

    @Test
    void headersDependingOnItselfIsAStreamErrorButTheFragmentStillComes() {  // h2spec 5.3.1
        assertThat(server(frame(HEADERS, END_HEADERS | PRIO, 3, "00000003 0f 8286"), ping())).containsExactly(
            "ERROR " + Http2Error.stream(3, Http2ErrorCode.PROTOCOL_ERROR, "stream depends on itself"),
            "HEADERS s=3 len=7 END_OF_BLOCK dep=3 w=16 [8286]", "PING 102030405060708", "END");
    }

    @Test
    void continuationFrames() {                                               // h2spec generic 3.10, 6.10
        assertThat(server(frame(HEADERS, END_STREAM, 1, "8286"), frame(CONTINUATION, 0, 1, "84"),
            frame(CONTINUATION, 0, 1, ""), frame(CONTINUATION, END_HEADERS, 1, "41"), ping())).containsExactly(
            "HEADERS s=1 len=2 END_STREAM [8286]", "CONTINUATION s=1 len=1 END_STREAM [84]",
            "CONTINUATION s=1 len=0 END_STREAM []", "CONTINUATION s=1 len=1 END_STREAM END_OF_BLOCK [41]",
            "PING 102030405060708", "END");
    }

    @Test
    void fieldBlockMustBeContiguous() {
        String expected = connError(Http2ErrorCode.PROTOCOL_ERROR,
            "field block interrupted: CONTINUATION of the same stream expected");
        byte[] open = frame(HEADERS, 0, 1, "8286");
        assertThat(server(open, frame(PRIORITY, 0, 1, "0000000010"))).as("h2spec 4.3, 6.2: PRIORITY inside")
            .containsExactly("HEADERS s=1 len=2 [8286]", expected);
        assertThat(server(open, frame(HEADERS, END_HEADERS, 3, "82"))).as("h2spec 4.3, 6.2: HEADERS of another stream")
            .containsExactly("HEADERS s=1 len=2 [8286]", expected);
        assertThat(server(open, frame(CONTINUATION, END_HEADERS, 3, "82"))).as("CONTINUATION of another stream")
            .containsExactly("HEADERS s=1 len=2 [8286]", expected);
        assertThat(server(open, frame(0x20, 0, 1, ""))).as("h2spec 5.5: unknown frame inside")
            .containsExactly("HEADERS s=1 len=2 [8286]", expected);
        assertThat(server(open, frame(CONTINUATION, 0, 1, "84"), frame(DATA, 0, 1, "00"))).as("h2spec 6.10: then DATA")
            .containsExactly("HEADERS s=1 len=2 [8286]", "CONTINUATION s=1 len=1 [84]", expected);
        assertThat(server(open, frame(CONTINUATION, END_HEADERS, 0, "84"))).as("h2spec 6.10: stream 0")
            .containsExactly("HEADERS s=1 len=2 [8286]", expected);
        assertThat(server(open, ping())).as("PING inside").containsExactly("HEADERS s=1 len=2 [8286]", expected);
    }

    @Test
    void continuationWithoutOpenBlock() {
        String expected = connError(Http2ErrorCode.PROTOCOL_ERROR, "CONTINUATION without an open field block");
        assertThat(server(frame(HEADERS, END_HEADERS, 1, "82"), frame(CONTINUATION, END_HEADERS, 1, "84")))
            .as("h2spec 6.10: after END_HEADERS").containsExactly("HEADERS s=1 len=1 END_OF_BLOCK [82]", expected);
        assertThat(server(frame(HEADERS, 0, 1, "82"), frame(CONTINUATION, END_HEADERS, 1, "84"),
            frame(CONTINUATION, END_HEADERS, 1, "84"))).as("h2spec 6.10: after a CONTINUATION with END_HEADERS")
            .containsExactly("HEADERS s=1 len=1 [82]", "CONTINUATION s=1 len=1 END_OF_BLOCK [84]", expected);
        assertThat(server(frame(DATA, 0, 1, "00"), frame(CONTINUATION, END_HEADERS, 1, "84")))
            .as("h2spec 6.10: after DATA").containsExactly("DATA s=1 len=1 [00]", expected);
        assertThat(server(frame(CONTINUATION, END_HEADERS, 0, ""))).as("stream 0, no block").containsExactly(expected);
    }

    @Test
    void continuationFloodHitsTheHardLimit() {                                // CVE-2024-27316
        Http2Limits small = Http2Limits.builder().maxHeaderListSize(64).maxHeaderBlockSize(100).build();
        byte[][] frames = new byte[12][];
        frames[0] = frame(HEADERS, 0, 1, "82");
        for (int i = 1; i < frames.length; i++) {
            frames[i] = frame(CONTINUATION, 0, 1, "");
        }
        List<String> t = FrameDriver.check(() -> new Http2FrameParser(true, false, false, small), concat(frames));
        // 10 + 10 * 9 = 100 octets pass; the eleventh CONTINUATION makes 109
        assertThat(t).hasSize(12);
        assertThat(t.get(11)).isEqualTo(connError(Http2ErrorCode.ENHANCE_YOUR_CALM, "field block above the hard limit"));
    }

    @Test
    void headersOpenAfterBlockEndedLeavesParserMidBlock() {
        List<String> t = FrameDriver.run(SERVER.get(), frame(HEADERS, 0, 1, "82"), null, false);
        assertThat(t).containsExactly("HEADERS s=1 len=1 [82]", "END mid-frame");
    }

    // ---- DATA (6.1) -------------------------------------------------------------------------------

    @Test
    void dataFrames() {                                                       // h2spec generic 3.1
        assertThat(server(frame(DATA, 0, 1, "68656c6c6f"), frame(DATA, END_STREAM, 1, ""))).containsExactly(
            "DATA s=1 len=5 [68656c6c6f]", "DATA s=1 len=0 END_STREAM []", "END");
        assertThat(server(frame(DATA, PADDED | END_STREAM, 1, "03 6869 000000"))).as("padding")
            .containsExactly("DATA s=1 len=6 END_STREAM [6869]", "END");
        assertThat(server(frame(DATA, PADDED, 1, "00 6869"))).as("zero padding")
            .containsExactly("DATA s=1 len=3 [6869]", "END");
        assertThat(server(frame(DATA, PADDED, 1, "04 00000000"))).as("padding only")
            .containsExactly("DATA s=1 len=5 []", "END");
        assertThat(server(frame(DATA, PADDED, 1, "02 00ffff"))).as("padding content is not checked")
            .containsExactly("DATA s=1 len=4 [00]", "END");
    }

    @Test
    void dataErrors() {
        assertThat(server(frame(DATA, 0, 0, "00"))).as("h2spec 6.1: stream 0")
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "DATA on stream 0"));
        // h2spec 6.1: frame length 5, pad length 6
        assertThat(server(hex("000005 00 09 00000001 06 5465737400"))).as("h2spec 6.1: pad length")
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "padding as long as the payload or longer"));
        assertThat(server(frame(DATA, PADDED, 1, "01"))).as("pad length equal to payload length")
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "padding as long as the payload or longer"));
        assertThat(server(frame(DATA, PADDED, 1, ""), ping())).as("4.2: no room for Pad Length").containsExactly(
            "ERROR " + Http2Error.stream(1, Http2ErrorCode.FRAME_SIZE_ERROR, "padded DATA without a Pad Length"),
            "PING 102030405060708", "END");
    }

    private static byte[] hex(String s) {
        return FrameDriver.hex(s);
    }

    // ---- PRIORITY (6.3) ---------------------------------------------------------------------------

    @Test
    void priorityFrames() {                                                   // h2spec generic 3.3
        assertThat(server(frame(PRIORITY, 0, 3, "00000000 00"), frame(PRIORITY, 0, 3, "00000000 ff"),
            frame(PRIORITY, 0, 5, "00000003 10"), frame(PRIORITY, 0, 5, "80000003 10"),
            frame(PRIORITY, 0, 9, "00000000 10"))).containsExactly(
            "PRIORITY s=3 dep=0 w=1", "PRIORITY s=3 dep=0 w=256", "PRIORITY s=5 dep=3 w=17",
            "PRIORITY s=5 dep=3 excl w=17", "PRIORITY s=9 dep=0 w=17", "END");
    }

    @Test
    void priorityErrors() {
        assertThat(server(frame(PRIORITY, 0, 0, "00000001 10"))).as("h2spec 6.3: stream 0")
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "PRIORITY on stream 0"));
        assertThat(server(frame(PRIORITY, 0, 1, "00000000 1000"), ping())).as("h2spec 6.3: length not 5")
            .containsExactly("ERROR " + Http2Error.stream(1, Http2ErrorCode.FRAME_SIZE_ERROR, "PRIORITY length not 5"),
                "PING 102030405060708", "END");
        assertThat(server(frame(PRIORITY, 0, 1, "0000"), ping())).as("short")
            .containsExactly("ERROR " + Http2Error.stream(1, Http2ErrorCode.FRAME_SIZE_ERROR, "PRIORITY length not 5"),
                "PING 102030405060708", "END");
        assertThat(server(frame(PRIORITY, 0, 3, "80000003 10"), ping())).as("h2spec 5.3.1: depends on itself")
            .containsExactly("ERROR " + Http2Error.stream(3, Http2ErrorCode.PROTOCOL_ERROR, "stream depends on itself"),
                "PING 102030405060708", "END");
    }

    // ---- RST_STREAM (6.4) ------------------------------------------------------------------------

    @Test
    void rstStream() {                                                        // h2spec generic 3.4, 7
        assertThat(server(frame(RST_STREAM, 0, 1, "00000008"), frame(RST_STREAM, 0, 3, "000000ff"))).containsExactly(
            "RST_STREAM s=1 CANCEL", "RST_STREAM s=3 0xff", "END");
        assertThat(server(frame(RST_STREAM, 0, 0, "00000008"))).as("h2spec 6.4: stream 0")
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "RST_STREAM on stream 0"));
        assertThat(server(frame(RST_STREAM, 0, 1, "0000000800"))).as("h2spec 6.4: length not 4")
            .containsExactly(connError(Http2ErrorCode.FRAME_SIZE_ERROR, "RST_STREAM length not 4"));
        assertThat(server(frame(RST_STREAM, 0, 1, "000000"))).as("short")
            .containsExactly(connError(Http2ErrorCode.FRAME_SIZE_ERROR, "RST_STREAM length not 4"));
    }

    // ---- SETTINGS (6.5) ---------------------------------------------------------------------------

    @Test
    void settingsFrames() {                                                   // h2spec generic 3.5
        assertThat(server(settingsFrame("0001 00001000 0002 00000000 0003 00000064 0004 0000ffff 0005 00004000"
            + "0006 00010000 0008 00000001 0009 00000001"), frame(SETTINGS, ACK, 0, ""), settingsFrame("")))
            .containsExactly("SETTINGS {HEADER_TABLE_SIZE=4096, ENABLE_PUSH=0, MAX_CONCURRENT_STREAMS=100, "
                    + "INITIAL_WINDOW_SIZE=65535, MAX_FRAME_SIZE=16384, MAX_HEADER_LIST_SIZE=65536, "
                    + "ENABLE_CONNECT_PROTOCOL=1, NO_RFC7540_PRIORITIES=1}",
                "SETTINGS ACK", "SETTINGS {}", "END");
    }

    @Test
    void settingsUnknownIdsIgnoredAndLastValueWins() {                        // h2spec 6.5.2, 6.5.3
        assertThat(server(settingsFrame("00ff 00000001 0004 00000001 0007 00000005 0004 00000002"))).containsExactly(
            "SETTINGS {INITIAL_WINDOW_SIZE=2}", "END");
        assertThat(server(settingsFrame("0003 ffffffff 0001 ffffffff 0006 00000000"))).as("32-bit values").containsExactly(
            "SETTINGS {HEADER_TABLE_SIZE=4294967295, MAX_CONCURRENT_STREAMS=4294967295, MAX_HEADER_LIST_SIZE=0}", "END");
    }

    @Test
    void settingsErrors() {
        assertThat(server(frame(SETTINGS, ACK, 0, "000100001000"))).as("h2spec 6.5: ACK with payload")
            .containsExactly(connError(Http2ErrorCode.FRAME_SIZE_ERROR, "SETTINGS ACK with a payload"));
        assertThat(server(frame(SETTINGS, 0, 1, ""))).as("h2spec 6.5: on a stream")
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "SETTINGS on a stream"));
        assertThat(server(settingsFrame("0003000000"))).as("h2spec 6.5: length not a multiple of 6")
            .containsExactly(connError(Http2ErrorCode.FRAME_SIZE_ERROR, "SETTINGS length not a multiple of 6"));
        assertThat(server(settingsFrame("0002 00000002"))).as("h2spec 6.5.2: ENABLE_PUSH 2")
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH not 0 or 1"));
        assertThat(server(settingsFrame("0004 80000000"))).as("h2spec 6.5.2, 6.9.2: INITIAL_WINDOW_SIZE 2^31")
            .containsExactly(connError(Http2ErrorCode.FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1"));
        assertThat(server(settingsFrame("0005 00003fff"))).as("h2spec 6.5.2: MAX_FRAME_SIZE below 16384")
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE outside 16384..16777215"));
        assertThat(server(settingsFrame("0005 01000000"))).as("h2spec 6.5.2: MAX_FRAME_SIZE above 2^24-1")
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE outside 16384..16777215"));
        assertThat(server(settingsFrame("0008 00000002"))).as("RFC 8441 section 3")
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "SETTINGS_ENABLE_CONNECT_PROTOCOL not 0 or 1"));
        assertThat(server(settingsFrame("0009 00000002"))).as("RFC 9218 section 2.1")
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "SETTINGS_NO_RFC7540_PRIORITIES not 0 or 1"));
        assertThat(server(settingsFrame("0002 00000001"))).as("a client may enable push")
            .containsExactly("SETTINGS {ENABLE_PUSH=1}", "END");
        assertThat(client(settingsFrame("0002 00000001"))).as("6.5.2: a server must not")
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "server sent SETTINGS_ENABLE_PUSH=1"));
    }

    // ---- PUSH_PROMISE (6.6, 8.4) -----------------------------------------------------------------

    @Test
    void pushPromiseToAServerIsAConnectionError() {                           // h2spec 8.2
        assertThat(server(frame(PUSH_PROMISE, END_HEADERS, 1, "00000002 82"))).containsExactly(
            connError(Http2ErrorCode.PROTOCOL_ERROR, "PUSH_PROMISE sent to a server"));
    }

    @Test
    void pushPromiseOnTheClientSide() {
        assertThat(client(frame(PUSH_PROMISE, PADDED, 1, "02 80000002 8286 0000"), frame(CONTINUATION, END_HEADERS, 1, "84")))
            .containsExactly("PUSH_PROMISE s=1 len=9 promised=2 [8286]", "CONTINUATION s=1 len=1 END_OF_BLOCK [84]", "END");
        assertThat(client(frame(PUSH_PROMISE, END_HEADERS, 0, "00000002"))).as("6.6: stream 0")
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "PUSH_PROMISE on stream 0"));
        assertThat(client(frame(PUSH_PROMISE, END_HEADERS, 1, "000002"))).as("4.2: no promised id")
            .containsExactly(connError(Http2ErrorCode.FRAME_SIZE_ERROR, "frame too short for its fields"));
        assertThat(client(frame(PUSH_PROMISE, END_HEADERS | PADDED, 1, "02 00000002 82"))).as("6.6: padding")
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "padding as long as the payload or longer"));
    }

    // ---- PING (6.7) --------------------------------------------------------------------------------

    @Test
    void pingFrames() {                                                       // h2spec generic 3.7, 6.7
        assertThat(server(frame(PING, 0, 0, "ffffffffffffffff"), frame(PING, ACK, 0, "0000000000000001"))).containsExactly(
            "PING ffffffffffffffff", "PING ACK 1", "END");
        assertThat(server(hex("000008 06 00 00000003 0000000000000000"))).as("h2spec 5.4.1, 6.7: on a stream")
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "PING on a stream"));
        assertThat(server(frame(PING, 0, 0, "000000000000"))).as("h2spec 6.7: length not 8")
            .containsExactly(connError(Http2ErrorCode.FRAME_SIZE_ERROR, "PING length not 8"));
    }

    // ---- GOAWAY (6.8) -----------------------------------------------------------------------------

    @Test
    void goAwayFrames() {                                                     // h2spec generic 3.8, 7
        assertThat(server(frame(GOAWAY, 0, 0, "00000007 00000000"),
            frame(GOAWAY, 0, 0, "80000009 0000001f 627965"))).containsExactly(
            "GOAWAY last=7 NO_ERROR debug=", "GOAWAY last=9 0x1f debug=bye", "END");
        byte[] debug = bytes(2000, 'd');
        List<String> t = server(frame(GOAWAY, 0, 0, concat(hex("00000001 00000002"), debug)), ping());
        assertThat(t.get(0)).isEqualTo("GOAWAY last=1 INTERNAL_ERROR debug=" + "d".repeat(1024));
        assertThat(t.get(1)).isEqualTo("PING 102030405060708");
    }

    @Test
    void goAwayErrors() {
        assertThat(server(frame(GOAWAY, 0, 1, "00000000 00000000"))).as("h2spec 6.8: on a stream")
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "GOAWAY on a stream"));
        assertThat(server(frame(GOAWAY, 0, 0, "00000000"))).as("4.2: shorter than 8")
            .containsExactly(connError(Http2ErrorCode.FRAME_SIZE_ERROR, "GOAWAY shorter than 8"));
    }

    // ---- WINDOW_UPDATE (6.9) ---------------------------------------------------------------------

    @Test
    void windowUpdateFrames() {                                               // h2spec generic 3.9
        assertThat(server(frame(WINDOW_UPDATE, 0, 0, "00000001"), frame(WINDOW_UPDATE, 0, 1, "7fffffff"))).containsExactly(
            "WINDOW_UPDATE s=0 +1", "WINDOW_UPDATE s=1 +2147483647", "END");
    }

    @Test
    void windowUpdateErrors() {
        assertThat(server(frame(WINDOW_UPDATE, 0, 0, "00000000"))).as("h2spec 6.9: increment 0 on the connection")
            .containsExactly(connError(Http2ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE increment 0"));
        assertThat(server(frame(WINDOW_UPDATE, 0, 1, "80000000"), ping())).as("h2spec 6.9: increment 0 on a stream")
            .containsExactly("ERROR " + Http2Error.stream(1, Http2ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE increment 0"),
                "PING 102030405060708", "END");
        assertThat(server(frame(WINDOW_UPDATE, 0, 1, "0000000100"))).as("h2spec 6.9: length not 4")
            .containsExactly(connError(Http2ErrorCode.FRAME_SIZE_ERROR, "WINDOW_UPDATE length not 4"));
    }

    // ---- a mixed conversation ---------------------------------------------------------------------

    @Test
    void aRequestWithBodyAndControlFrames() {
        List<String> t = FrameDriver.check(() -> Http2FrameParser.forServer(LIMITS), concat(Http2Preface.bytes(),
            settingsFrame("0004 00100000"), frame(WINDOW_UPDATE, 0, 0, "000f0001"),
            frame(HEADERS, PRIO, 1, "00000000 0f 8386"), frame(CONTINUATION, END_HEADERS, 1, "84"),
            frame(DATA, PADDED, 1, "01 6162 00"), frame(PRIORITY, 0, 3, "00000001 00"),
            frame(DATA, END_STREAM, 1, "63"), frame(SETTINGS, ACK, 0, ""), frame(RST_STREAM, 0, 1, "00000000")));
        assertThat(t).containsExactly("SETTINGS {INITIAL_WINDOW_SIZE=1048576}", "WINDOW_UPDATE s=0 +983041",
            "HEADERS s=1 len=7 dep=0 w=16 [8386]", "CONTINUATION s=1 len=1 END_OF_BLOCK [84]",
            "DATA s=1 len=4 [6162]", "PRIORITY s=3 dep=1 w=1", "DATA s=1 len=1 END_STREAM [63]", "SETTINGS ACK",
            "RST_STREAM s=1 NO_ERROR", "END");
    }
}
