package io.gale.http2.conformance;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One frame the server sent, as read off the socket: the 9-octet header's fields and the payload.
 * A HEADERS frame that ends a field block (itself or through CONTINUATION frames) carries the
 * decoded fields of the whole block in {@code fields}; other frames have null there.
 */
record H2Frame(int type, int flags, int stream, byte[] payload, List<String[]> fields) {
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

    static final int END_STREAM = 0x1;
    static final int ACK = 0x1;
    static final int END_HEADERS = 0x4;
    static final int PADDED = 0x8;
    static final int PRIORITY_FLAG = 0x20;

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** The error code of a RST_STREAM or GOAWAY frame. */
    long errorCode() {
        int at = type == GOAWAY ? 4 : 0;
        return u32(at);
    }

    /** A GOAWAY frame's last stream id. */
    int lastStreamId() {
        return (int) (u32(0) & 0x7FFFFFFFL);
    }

    long u32(int at) {
        return ((payload[at] & 0xFFL) << 24) | ((payload[at + 1] & 0xFFL) << 16) | ((payload[at + 2] & 0xFFL) << 8)
            | (payload[at + 3] & 0xFFL);
    }

    /** The value of a decoded field of this block, or null. */
    String field(String name) {
        if (fields == null) {
            return null;
        }
        for (String[] f : fields) {
            if (f[0].equals(name)) {
                return f[1];
            }
        }
        return null;
    }

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

    static String codeName(long code) {
        return switch ((int) code) {
            case 0x0 -> "NO_ERROR";
            case 0x1 -> "PROTOCOL_ERROR";
            case 0x2 -> "INTERNAL_ERROR";
            case 0x3 -> "FLOW_CONTROL_ERROR";
            case 0x4 -> "SETTINGS_TIMEOUT";
            case 0x5 -> "STREAM_CLOSED";
            case 0x6 -> "FRAME_SIZE_ERROR";
            case 0x7 -> "REFUSED_STREAM";
            case 0x8 -> "CANCEL";
            case 0x9 -> "COMPRESSION_ERROR";
            case 0xa -> "CONNECT_ERROR";
            case 0xb -> "ENHANCE_YOUR_CALM";
            case 0xc -> "INADEQUATE_SECURITY";
            case 0xd -> "HTTP_1_1_REQUIRED";
            default -> "0x" + Long.toHexString(code);
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(typeName(type)).append("(stream ").append(stream).append(", flags 0x")
            .append(Integer.toHexString(flags)).append(", length ").append(payload.length);
        switch (type) {
            case RST_STREAM, GOAWAY -> {
                if (payload.length >= (type == GOAWAY ? 8 : 4)) {
                    sb.append(", ").append(codeName(errorCode()));
                }
                if (type == GOAWAY && payload.length > 8) {
                    sb.append(", \"").append(new String(payload, 8, payload.length - 8, StandardCharsets.ISO_8859_1))
                        .append('"');
                }
            }
            case HEADERS -> {
                if (fields != null) {
                    sb.append(", :status ").append(field(":status"));
                }
            }
            default -> {
            }
        }
        return sb.append(')').toString();
    }
}
