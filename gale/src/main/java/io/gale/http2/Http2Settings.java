package io.gale.http2;

/**
 * A set of SETTINGS parameters (RFC 9113 section 6.5.2, plus RFC 8441's extended CONNECT and
 * RFC 9218's priority opt-out): what one SETTINGS frame carried, or what an endpoint sends. Only
 * the parameters present are kept; {@link #valueOr} falls back to the protocol's initial values.
 * The validity rules of each parameter live in {@link #validate}, used by the frame parser for
 * what it receives.
 *
 * <p>Values are unsigned 32-bit numbers held in longs. A frame listing a parameter twice keeps the
 * last value: applying the values in order (section 6.5.3) or applying the last one ends in the
 * same state for every defined parameter.
 *
 * <p>Not thread-safe; the parser reuses one instance for every SETTINGS frame it reports.
 */
final class Http2Settings {
    static final int HEADER_TABLE_SIZE = 0x1;
    static final int ENABLE_PUSH = 0x2;
    static final int MAX_CONCURRENT_STREAMS = 0x3;
    static final int INITIAL_WINDOW_SIZE = 0x4;
    static final int MAX_FRAME_SIZE = 0x5;
    static final int MAX_HEADER_LIST_SIZE = 0x6;
    /** RFC 8441 section 3. */
    static final int ENABLE_CONNECT_PROTOCOL = 0x8;
    /** RFC 9218 section 2.1. */
    static final int NO_RFC7540_PRIORITIES = 0x9;

    private static final int MAX_ID = 0x9;
    /** Bytes per parameter on the wire: 16-bit id, 32-bit value. */
    static final int ENTRY_LENGTH = 6;

    private final long[] values = new long[MAX_ID + 1];
    /** Bit {@code id} set when parameter {@code id} is present. */
    private int present;

    /** Whether Gale knows parameter {@code id}; unknown ones are ignored on receipt (section 6.5.2). */
    static boolean isKnown(int id) {
        return id >= HEADER_TABLE_SIZE && id <= NO_RFC7540_PRIORITIES && id != 0x7;
    }

    /**
     * Checks a received parameter: null if valid, else the connection error RFC 9113 section 6.5.2
     * (or the RFC defining the parameter) prescribes. {@code receivedByClient}: the SETTINGS came
     * from a server, which must not enable push.
     */
    static Http2Error validate(int id, long value, boolean receivedByClient) {
        switch (id) {
            case ENABLE_PUSH -> {
                if (value > 1) {
                    return Http2Error.connection(Http2ErrorCode.PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH not 0 or 1");
                }
                if (receivedByClient && value == 1) {
                    return Http2Error.connection(Http2ErrorCode.PROTOCOL_ERROR, "server sent SETTINGS_ENABLE_PUSH=1");
                }
            }
            case INITIAL_WINDOW_SIZE -> {
                if (value > Http2Frames.MAX_WINDOW_SIZE) {
                    return Http2Error.connection(Http2ErrorCode.FLOW_CONTROL_ERROR,
                        "SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1");
                }
            }
            case MAX_FRAME_SIZE -> {
                if (value < Http2Frames.DEFAULT_MAX_FRAME_SIZE || value > Http2Frames.MAX_FRAME_SIZE_LIMIT) {
                    return Http2Error.connection(Http2ErrorCode.PROTOCOL_ERROR,
                        "SETTINGS_MAX_FRAME_SIZE outside 16384..16777215");
                }
            }
            case ENABLE_CONNECT_PROTOCOL -> {
                if (value > 1) {
                    return Http2Error.connection(Http2ErrorCode.PROTOCOL_ERROR,
                        "SETTINGS_ENABLE_CONNECT_PROTOCOL not 0 or 1");
                }
            }
            case NO_RFC7540_PRIORITIES -> {
                if (value > 1) {
                    return Http2Error.connection(Http2ErrorCode.PROTOCOL_ERROR,
                        "SETTINGS_NO_RFC7540_PRIORITIES not 0 or 1");
                }
            }
            default -> {
                // HEADER_TABLE_SIZE, MAX_CONCURRENT_STREAMS, MAX_HEADER_LIST_SIZE: any 32-bit value
            }
        }
        return null;
    }

    /** The initial value of a parameter before any SETTINGS (section 6.5.2); -1 for "unlimited". */
    static long initialValue(int id) {
        return switch (id) {
            case HEADER_TABLE_SIZE -> 4096;
            case ENABLE_PUSH -> 1;
            case INITIAL_WINDOW_SIZE -> 65535;
            case MAX_FRAME_SIZE -> Http2Frames.DEFAULT_MAX_FRAME_SIZE;
            case ENABLE_CONNECT_PROTOCOL, NO_RFC7540_PRIORITIES -> 0;
            default -> -1;
        };
    }

    /**
     * Sets a known parameter.
     *
     * @return this
     * @throws IllegalArgumentException for an unknown id or a value outside 0..2^32-1
     */
    Http2Settings set(int id, long value) {
        if (!isKnown(id) || value < 0 || value > 0xffffffffL) {
            throw new IllegalArgumentException("setting 0x" + Integer.toHexString(id) + " = " + value);
        }
        values[id] = value;
        present |= 1 << id;
        return this;
    }

    /** Whether parameter {@code id} is present. */
    boolean has(int id) {
        return id >= 0 && id <= MAX_ID && (present & (1 << id)) != 0;
    }

    /** The value of a present parameter, else {@code otherwise}. */
    long valueOr(int id, long otherwise) {
        return has(id) ? values[id] : otherwise;
    }

    /** Number of parameters present. */
    int size() {
        return Integer.bitCount(present);
    }

    /** Removes every parameter. */
    void clear() {
        present = 0;
    }

    /** The present parameter ids in ascending order, as a bit set (bit {@code id}). */
    int presentMask() {
        return present;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int id = 0; id <= MAX_ID; id++) {
            if (has(id)) {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                sb.append(name(id)).append('=').append(values[id]);
            }
        }
        return sb.append('}').toString();
    }

    private static String name(int id) {
        return switch (id) {
            case HEADER_TABLE_SIZE -> "HEADER_TABLE_SIZE";
            case ENABLE_PUSH -> "ENABLE_PUSH";
            case MAX_CONCURRENT_STREAMS -> "MAX_CONCURRENT_STREAMS";
            case INITIAL_WINDOW_SIZE -> "INITIAL_WINDOW_SIZE";
            case MAX_FRAME_SIZE -> "MAX_FRAME_SIZE";
            case MAX_HEADER_LIST_SIZE -> "MAX_HEADER_LIST_SIZE";
            case ENABLE_CONNECT_PROTOCOL -> "ENABLE_CONNECT_PROTOCOL";
            case NO_RFC7540_PRIORITIES -> "NO_RFC7540_PRIORITIES";
            default -> "0x" + Integer.toHexString(id);
        };
    }
}
