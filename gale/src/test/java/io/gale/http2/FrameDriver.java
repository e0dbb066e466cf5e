package io.gale.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * Test harness for {@link Http2FrameParser}: feeds input cut at given positions (each piece its
 * own buffer, as reads would deliver it) and records a transcript that does not depend on the
 * cuts: payload slices are joined per frame, and each frame becomes one line. {@link #check}
 * requires the same transcript whole, cut at every position, byte by byte, and from direct
 * buffers, and checks the slice protocol (one first, one last slice per frame; NEED_MORE only
 * with the buffer consumed).
 */
final class FrameDriver {
    private FrameDriver() {
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    /** A frame with the given header fields and payload. */
    static byte[] frame(int type, int flags, int streamId, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(9 + payload.length);
        b.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
        b.put((byte) type).put((byte) flags).putInt(streamId).put(payload);
        return b.array();
    }

    static byte[] frame(int type, int flags, int streamId, String hexPayload) {
        return frame(type, flags, streamId, hex(hexPayload));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Runs one parser over {@code input} cut at {@code cuts}; returns the transcript lines. */
    static List<String> run(Http2FrameParser p, byte[] input, int[] cuts, boolean direct) {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        boolean inFrame = false;
        int start = 0;
        int n = cuts == null ? 0 : cuts.length;
        int guard = input.length * 4 + 64;
        for (int i = 0; i <= n; i++) {
            int end = i < n ? cuts[i] : input.length;
            ByteBuffer buf = direct ? ByteBuffer.allocateDirect(end - start) : ByteBuffer.wrap(input, start, end - start);
            if (direct) {
                buf.put(input, start, end - start).flip();
            }
            start = end;
            for (;;) {
                assertThat(--guard).as("parser makes progress").isPositive();
                Http2FrameParser.Event e = p.next(buf);
                switch (e) {
                    case NEED_MORE -> assertThat(buf.hasRemaining()).as("NEED_MORE consumes everything").isFalse();
                    case DATA, HEADERS, PUSH_PROMISE, CONTINUATION -> {
                        assertThat(p.isFirstSlice()).as("first slice flag").isEqualTo(!inFrame);
                        inFrame = !p.isLastSlice();
                        ByteBuffer s = p.payload();
                        byte[] b = new byte[s.remaining()];
                        s.get(b);
                        payload.writeBytes(b);
                        if (p.isLastSlice()) {
                            lines.add(describeSliced(p, e, payload.toByteArray()));
                            payload.reset();
                        }
                    }
                    case ERROR -> {
                        lines.add("ERROR " + p.error());
                        if (p.error().isConnectionError()) {
                            assertThat(p.next(ByteBuffer.wrap(new byte[9]))).as("sticky").isEqualTo(Http2FrameParser.Event.ERROR);
                            return lines;
                        }
                    }
                    default -> lines.add(describe(p, e));
                }
                if (e == Http2FrameParser.Event.NEED_MORE) {
                    break;
                }
            }
        }
        lines.add(p.isBetweenFrames() ? "END" : "END mid-frame");
        return lines;
    }

    private static String describeSliced(Http2FrameParser p, Http2FrameParser.Event e, byte[] payload) {
        StringBuilder sb = new StringBuilder().append(e).append(" s=").append(p.streamId()).append(" len=")
            .append(p.length());
        if (p.endStream()) {
            sb.append(" END_STREAM");
        }
        if (e != Http2FrameParser.Event.DATA && p.isEndOfBlock()) {
            sb.append(" END_OF_BLOCK");
        }
        if (e == Http2FrameParser.Event.HEADERS && p.hasPriority()) {
            sb.append(" dep=").append(p.streamDependency()).append(p.exclusive() ? " excl" : "").append(" w=")
                .append(p.weight());
        }
        if (e == Http2FrameParser.Event.PUSH_PROMISE) {
            sb.append(" promised=").append(p.promisedStreamId());
        }
        return sb.append(" [").append(HexFormat.of().formatHex(payload)).append(']').toString();
    }

    private static String describe(Http2FrameParser p, Http2FrameParser.Event e) {
        return switch (e) {
            case PRIORITY -> "PRIORITY s=" + p.streamId() + " dep=" + p.streamDependency() + (p.exclusive() ? " excl" : "")
                + " w=" + p.weight();
            case RST_STREAM -> "RST_STREAM s=" + p.streamId() + " " + Http2ErrorCode.describe(p.errorCode());
            case SETTINGS -> "SETTINGS" + (p.isAck() ? " ACK" : " " + p.settings());
            case PING -> "PING" + (p.isAck() ? " ACK " : " ") + Long.toHexString(p.pingData());
            case GOAWAY -> "GOAWAY last=" + p.lastStreamId() + " " + Http2ErrorCode.describe(p.errorCode()) + " debug="
                + new String(p.debugData(), java.nio.charset.StandardCharsets.ISO_8859_1);
            case WINDOW_UPDATE -> "WINDOW_UPDATE s=" + p.streamId() + " +" + p.windowIncrement();
            case UNKNOWN -> "UNKNOWN type=" + p.type() + " s=" + p.streamId() + " len=" + p.length();
            default -> throw new AssertionError(e);
        };
    }

    /** Parses every way of cutting; all transcripts must agree. Returns the transcript. */
    static List<String> check(Supplier<Http2FrameParser> parsers, byte[] input) {
        List<String> reference = run(parsers.get(), input, null, false);
        assertThat(run(parsers.get(), input, null, true)).as("direct").isEqualTo(reference);
        for (int i = 1; i < input.length; i++) {
            assertThat(run(parsers.get(), input, new int[] {i}, false)).as("cut at %d", i).isEqualTo(reference);
        }
        int[] every = new int[Math.max(0, input.length - 1)];
        for (int i = 0; i < every.length; i++) {
            every[i] = i + 1;
        }
        assertThat(run(parsers.get(), input, every, false)).as("byte at a time").isEqualTo(reference);
        assertThat(run(parsers.get(), input, every, true)).as("byte at a time, direct").isEqualTo(reference);
        return reference;
    }
}
