package io.gale.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Http2FrameWriter}: exact bytes for each frame type (RFC 9113 section 6), and what it
 * writes parsed back by {@link Http2FrameParser}, including a field block cut into HEADERS and
 * CONTINUATION frames at the peer's maximum frame size.
 */
@Timeout(60)
class Http2FrameWriterTest {

    private static String hex(ByteBuffer b) {
        b.flip();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return HexFormat.of().formatHex(a);
    }

    @Test
    void controlFrames() {
        ByteBuffer b = ByteBuffer.allocate(64);
        Http2FrameWriter.writePing(b, 0x0102030405060708L, true);
        assertThat(hex(b)).isEqualTo("000008060100000000" + "0102030405060708");
        b.clear();
        Http2FrameWriter.writeSettingsAck(b);
        assertThat(hex(b)).isEqualTo("000000040100000000");
        b.clear();
        Http2FrameWriter.writeRstStream(b, 3, Http2ErrorCode.CANCEL.code);
        assertThat(hex(b)).isEqualTo("000004030000000003" + "00000008");
        b.clear();
        Http2FrameWriter.writeWindowUpdate(b, 0, 0x7fffffff);
        assertThat(hex(b)).isEqualTo("000004080000000000" + "7fffffff");
        b.clear();
        Http2FrameWriter.writeGoAway(b, 5, Http2ErrorCode.ENHANCE_YOUR_CALM.code, "x".getBytes());
        assertThat(hex(b)).isEqualTo("000009070000000000" + "00000005" + "0000000b" + "78");
        b.clear();
        Http2FrameWriter.writePriority(b, 5, 3, true, 256);
        assertThat(hex(b)).isEqualTo("000005020000000005" + "80000003" + "ff");
        b.clear();
        Http2FrameWriter.writeDataHeader(b, 1, 16384, true);
        assertThat(hex(b)).isEqualTo("004000000100000001");
        b.clear();
        Http2Settings s = new Http2Settings().set(Http2Settings.MAX_CONCURRENT_STREAMS, 100)
            .set(Http2Settings.HEADER_TABLE_SIZE, 0).set(Http2Settings.MAX_HEADER_LIST_SIZE, 0xffffffffL);
        assertThat(Http2FrameWriter.settingsSize(s)).isEqualTo(27);
        Http2FrameWriter.writeSettings(b, s);
        assertThat(hex(b)).isEqualTo("000012040000000000" + "000100000000" + "000300000064" + "0006ffffffff");
    }

    @Test
    void argumentsAPeerCouldNeverAcceptAreRefused() {
        ByteBuffer b = ByteBuffer.allocate(64);
        assertThatThrownBy(() -> Http2FrameWriter.writeWindowUpdate(b, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Http2FrameWriter.writeRstStream(b, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Http2FrameWriter.writePriority(b, 1, 0, false, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Http2FrameWriter.writeFrameHeader(b, 1 << 24, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Http2FrameWriter.writeDataHeader(b, -1, 0, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Http2Settings().set(7, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fieldBlocksAreCutIntoContinuationFrames() {
        for (int len : new int[] {0, 1, 16383, 16384, 16385, 40000}) {
            byte[] block = new byte[len];
            for (int i = 0; i < len; i++) {
                block[i] = (byte) i;
            }
            int size = Http2FrameWriter.headersSize(len, 16384);
            ByteBuffer b = ByteBuffer.allocate(size);
            Http2FrameWriter.writeHeaders(b, 7, block, 0, len, true, 16384);
            assertThat(b.hasRemaining()).as("headersSize exact for %d", len).isFalse();
            b.flip();
            Http2FrameParser p = new Http2FrameParser(true, false, false,
                Http2Limits.builder().maxHeaderBlockSize(1 << 20).maxHeaderListSize(1 << 20).build());
            ByteBuffer got = ByteBuffer.allocate(len);
            int frames = 0;
            for (;;) {
                Http2FrameParser.Event e = p.next(b);
                if (e == Http2FrameParser.Event.NEED_MORE) {
                    break;
                }
                assertThat(e).isIn(Http2FrameParser.Event.HEADERS, Http2FrameParser.Event.CONTINUATION);
                assertThat(p.streamId()).isEqualTo(7);
                assertThat(p.endStream()).isTrue();
                assertThat(p.length()).isLessThanOrEqualTo(16384);
                got.put(p.payload());
                frames++;
                if (p.isEndOfBlock()) {
                    assertThat(b.hasRemaining()).isFalse();
                }
            }
            assertThat(frames).isEqualTo(Math.max(1, (len + 16383) / 16384));
            assertThat(Arrays.equals(got.array(), block)).isTrue();
            assertThat(p.isBetweenFrames()).isTrue();
        }
    }

    @Test
    void everyWriterFrameParsesBack() {
        ByteBuffer b = ByteBuffer.allocate(256);
        Http2FrameWriter.writeSettings(b, new Http2Settings().set(Http2Settings.INITIAL_WINDOW_SIZE, 1 << 20)
            .set(Http2Settings.ENABLE_PUSH, 0));
        Http2FrameWriter.writeSettingsAck(b);
        Http2FrameWriter.writePing(b, -2, false);
        Http2FrameWriter.writeWindowUpdate(b, 1, 1000);
        Http2FrameWriter.writePriority(b, 3, 1, false, 1);
        Http2FrameWriter.writeDataHeader(b, 1, 2, false);
        b.put((byte) 'h').put((byte) 'i');
        Http2FrameWriter.writeRstStream(b, 1, 0x1234);
        Http2FrameWriter.writeGoAway(b, 3, 0, new byte[0]);
        b.flip();
        byte[] in = new byte[b.remaining()];
        b.get(in);
        List<String> t = FrameDriver.check(() -> Http2FrameParser.forClient(Http2Limits.DEFAULTS), in);
        assertThat(t).containsExactly("SETTINGS {ENABLE_PUSH=0, INITIAL_WINDOW_SIZE=1048576}", "SETTINGS ACK",
            "PING fffffffffffffffe", "WINDOW_UPDATE s=1 +1000", "PRIORITY s=3 dep=1 w=1", "DATA s=1 len=2 [6869]",
            "RST_STREAM s=1 0x1234", "GOAWAY last=3 NO_ERROR debug=", "END");
    }
}
