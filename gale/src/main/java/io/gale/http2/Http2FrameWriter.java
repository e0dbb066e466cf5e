package io.gale.http2;

import java.nio.ByteBuffer;

/**
 * Encodes HTTP/2 frames (RFC 9113 section 6) into the caller's buffer. Stateless and
 * thread-safe. The {@code writeX} methods append to a heap or direct {@link ByteBuffer} in write
 * mode and throw {@link java.nio.BufferOverflowException} if it lacks room (sizes: 9 bytes of
 * header plus the payload lengths given on each method). Arguments a peer could never accept (a
 * stream id above 2^31-1, an increment of 0, a payload above 2^24-1) are programming errors:
 * {@link IllegalArgumentException}.
 *
 * <p>DATA payloads are not copied: {@link #writeDataHeader} writes the 9 header bytes and the
 * connection writes the payload buffer after them (a gathering write). Field blocks are cut into
 * a HEADERS frame and as many CONTINUATION frames as the peer's SETTINGS_MAX_FRAME_SIZE requires
 * ({@link #writeHeaders}). Gale never pads what it sends and never pushes, so there is no
 * writer for padding or PUSH_PROMISE.
 */
final class Http2FrameWriter {
    private Http2FrameWriter() {
    }

    /** Bytes of a PING, RST_STREAM, WINDOW_UPDATE frame and of a SETTINGS ACK. */
    static final int PING_SIZE = Http2Frames.HEADER_LENGTH + 8;
    static final int RST_STREAM_SIZE = Http2Frames.HEADER_LENGTH + 4;
    static final int WINDOW_UPDATE_SIZE = Http2Frames.HEADER_LENGTH + 4;
    static final int SETTINGS_ACK_SIZE = Http2Frames.HEADER_LENGTH;
    static final int PRIORITY_SIZE = Http2Frames.HEADER_LENGTH + 5;

    /** Writes a 9-byte frame header. */
    static void writeFrameHeader(ByteBuffer out, int length, int type, int flags, int streamId) {
        if (length < 0 || length > Http2Frames.MAX_FRAME_SIZE_LIMIT) {
            throw new IllegalArgumentException("frame length " + length);
        }
        checkStreamId(streamId);
        out.put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length)
            .put((byte) type).put((byte) flags)
            .put((byte) (streamId >>> 24)).put((byte) (streamId >>> 16)).put((byte) (streamId >>> 8))
            .put((byte) streamId);
    }

    private static void checkStreamId(int streamId) {
        if (streamId < 0) {
            throw new IllegalArgumentException("stream id " + streamId);
        }
    }

    private static void checkStream(int streamId) {
        if (streamId <= 0) {
            throw new IllegalArgumentException("this frame needs a stream, got " + streamId);
        }
    }

    private static void putInt(ByteBuffer out, long v) {
        out.put((byte) (v >>> 24)).put((byte) (v >>> 16)).put((byte) (v >>> 8)).put((byte) v);
    }

    /** Bytes {@link #writeSettings} writes. */
    static int settingsSize(Http2Settings settings) {
        return Http2Frames.HEADER_LENGTH + settings.size() * Http2Settings.ENTRY_LENGTH;
    }

    /** A SETTINGS frame with the parameters present in {@code settings}, in ascending id order. */
    static void writeSettings(ByteBuffer out, Http2Settings settings) {
        writeFrameHeader(out, settings.size() * Http2Settings.ENTRY_LENGTH, Http2Frames.SETTINGS, 0, 0);
        int mask = settings.presentMask();
        for (int id = 0; mask != 0; id++, mask >>>= 1) {
            if ((mask & 1) != 0) {
                out.put((byte) (id >>> 8)).put((byte) id);
                putInt(out, settings.valueOr(id, 0));
            }
        }
    }

    /** A SETTINGS frame with ACK (section 6.5.3). */
    static void writeSettingsAck(ByteBuffer out) {
        writeFrameHeader(out, 0, Http2Frames.SETTINGS, Http2Frames.FLAG_ACK, 0);
    }

    /** A PING frame (section 6.7); a reply sets {@code ack} and echoes the data. */
    static void writePing(ByteBuffer out, long data, boolean ack) {
        writeFrameHeader(out, 8, Http2Frames.PING, ack ? Http2Frames.FLAG_ACK : 0, 0);
        putInt(out, data >>> 32);
        putInt(out, data);
    }

    /** Bytes {@link #writeGoAway} writes. */
    static int goAwaySize(byte[] debugData) {
        return Http2Frames.HEADER_LENGTH + 8 + debugData.length;
    }

    /** A GOAWAY frame (section 6.8). */
    static void writeGoAway(ByteBuffer out, int lastStreamId, long errorCode, byte[] debugData) {
        checkStreamId(lastStreamId);
        writeFrameHeader(out, 8 + debugData.length, Http2Frames.GOAWAY, 0, 0);
        putInt(out, lastStreamId);
        putInt(out, errorCode);
        out.put(debugData);
    }

    /** A RST_STREAM frame (section 6.4). */
    static void writeRstStream(ByteBuffer out, int streamId, long errorCode) {
        checkStream(streamId);
        writeFrameHeader(out, 4, Http2Frames.RST_STREAM, 0, streamId);
        putInt(out, errorCode);
    }

    /** A WINDOW_UPDATE frame (section 6.9); stream 0 for the connection window. */
    static void writeWindowUpdate(ByteBuffer out, int streamId, int increment) {
        if (increment <= 0) {
            throw new IllegalArgumentException("window increment " + increment);
        }
        writeFrameHeader(out, 4, Http2Frames.WINDOW_UPDATE, 0, streamId);
        putInt(out, increment);
    }

    /** A PRIORITY frame (section 6.3); {@code weight} 1 to 256. */
    static void writePriority(ByteBuffer out, int streamId, int dependency, boolean exclusive, int weight) {
        checkStream(streamId);
        checkStreamId(dependency);
        if (weight < 1 || weight > 256) {
            throw new IllegalArgumentException("weight " + weight);
        }
        writeFrameHeader(out, 5, Http2Frames.PRIORITY, 0, streamId);
        putInt(out, exclusive ? dependency | 0x80000000L : dependency);
        out.put((byte) (weight - 1));
    }

    /** The header of a DATA frame of {@code length} bytes (section 6.1); the payload follows it. */
    static void writeDataHeader(ByteBuffer out, int streamId, int length, boolean endStream) {
        checkStream(streamId);
        writeFrameHeader(out, length, Http2Frames.DATA, endStream ? Http2Frames.FLAG_END_STREAM : 0, streamId);
    }

    /** Bytes {@link #writeHeaders} writes for a block of {@code blockLength} bytes. */
    static int headersSize(int blockLength, int maxFrameSize) {
        int frames = Math.max(1, (blockLength + maxFrameSize - 1) / maxFrameSize);
        return blockLength + frames * Http2Frames.HEADER_LENGTH;
    }

    /**
     * A field block as a HEADERS frame plus CONTINUATION frames (sections 6.2, 6.10), each payload
     * at most {@code maxFrameSize} (the peer's SETTINGS_MAX_FRAME_SIZE); END_HEADERS on the last.
     */
    static void writeHeaders(ByteBuffer out, int streamId, byte[] block, int off, int len, boolean endStream,
                             int maxFrameSize) {
        checkStream(streamId);
        if (maxFrameSize < Http2Frames.DEFAULT_MAX_FRAME_SIZE || maxFrameSize > Http2Frames.MAX_FRAME_SIZE_LIMIT) {
            throw new IllegalArgumentException("max frame size " + maxFrameSize);
        }
        int n = Math.min(len, maxFrameSize);
        int flags = (endStream ? Http2Frames.FLAG_END_STREAM : 0) | (n == len ? Http2Frames.FLAG_END_HEADERS : 0);
        writeFrameHeader(out, n, Http2Frames.HEADERS, flags, streamId);
        out.put(block, off, n);
        for (int p = off + n, end = off + len; p < end; p += n) {
            n = Math.min(end - p, maxFrameSize);
            int last = p + n == end ? Http2Frames.FLAG_END_HEADERS : 0;
            writeFrameHeader(out, n, Http2Frames.CONTINUATION, last, streamId);
            out.put(block, p, n);
        }
    }
}
