package io.gale.http2;

/**
 * Wire constants of RFC 9113 section 4 and 6: frame types, flags, sizes. Types and flags are plain
 * ints because they are read from and written to bytes on every frame.
 */
final class Http2Frames {
    private Http2Frames() {
    }

    /** Bytes of the frame header: length (24), type (8), flags (8), R + stream id (32). */
    static final int HEADER_LENGTH = 9;

    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int PRIORITY = 0x2;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PUSH_PROMISE = 0x5;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int WINDOW_UPDATE = 0x8;
    static final int CONTINUATION = 0x9;

    /** DATA, HEADERS. */
    static final int FLAG_END_STREAM = 0x1;
    /** SETTINGS, PING. */
    static final int FLAG_ACK = 0x1;
    /** HEADERS, PUSH_PROMISE, CONTINUATION. */
    static final int FLAG_END_HEADERS = 0x4;
    /** DATA, HEADERS, PUSH_PROMISE. */
    static final int FLAG_PADDED = 0x8;
    /** HEADERS. */
    static final int FLAG_PRIORITY = 0x20;

    /** Initial SETTINGS_MAX_FRAME_SIZE and the smallest value it may take (section 6.5.2). */
    static final int DEFAULT_MAX_FRAME_SIZE = 1 << 14;
    /** Largest SETTINGS_MAX_FRAME_SIZE: 2^24 - 1 (section 6.5.2). */
    static final int MAX_FRAME_SIZE_LIMIT = (1 << 24) - 1;
    /** Largest stream id and window: 2^31 - 1. */
    static final int MAX_STREAM_ID = 0x7fffffff;
    static final int MAX_WINDOW_SIZE = 0x7fffffff;

    /** A name for logs and test messages. */
    static String typeName(int type) {
        return switch (type) {
            case DATA -> "DATA";
            case HEADERS -> "HEADERS";
            case PRIORITY -> "PRIORITY";
            case RST_STREAM -> "RST_STREAM";
            case SETTINGS -> "SETTINGS";
            case PUSH_PROMISE -> "PUSH_PROMISE";
            case PING -> "PING";
            case GOAWAY -> "GOAWAY";
            case WINDOW_UPDATE -> "WINDOW_UPDATE";
            case CONTINUATION -> "CONTINUATION";
            default -> "UNKNOWN(0x" + Integer.toHexString(type) + ")";
        };
    }
}
