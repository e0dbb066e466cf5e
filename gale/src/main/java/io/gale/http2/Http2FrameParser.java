package io.gale.http2;

import static io.gale.http2.Http2ErrorCode.ENHANCE_YOUR_CALM;
import static io.gale.http2.Http2ErrorCode.FRAME_SIZE_ERROR;
import static io.gale.http2.Http2ErrorCode.PROTOCOL_ERROR;

import java.nio.ByteBuffer;

/**
 * Incremental HTTP/2 frame parser (RFC 9113 sections 4 and 6), one per connection: it turns the
 * bytes the loop read into typed frame events and checks every rule that needs no stream state.
 *
 * <h2>Driving it (pull API, like {@code Http1Parser})</h2>
 * <pre>{@code
 * Http2FrameParser p = Http2FrameParser.forServer(Http2Limits.DEFAULTS);
 * // on every read: buf is in read mode
 * loop:
 * for (;;) {
 *     switch (p.next(buf)) {
 *         case NEED_MORE -> { break loop; }                        // buf fully consumed
 *         case DATA -> onData(p.streamId(), p.payload(), p.isFirstSlice(), p.isLastSlice(), p.endStream());
 *         case HEADERS, CONTINUATION -> onFieldBlock(p.streamId(), p.payload(), p.isEndOfBlock(), p.endStream());
 *         case SETTINGS -> onSettings(p.isAck(), p.settings());
 *         case PING -> onPing(p.isAck(), p.pingData());
 *         // PRIORITY, RST_STREAM, GOAWAY, WINDOW_UPDATE, PUSH_PROMISE (client only), UNKNOWN (ignore)
 *         case ERROR -> {
 *             if (p.error().isConnectionError()) { goAway(p.error()); break loop; }
 *             resetStream(p.error());                                // parsing goes on
 *         }
 *     }
 * }
 * }</pre>
 * {@code next} consumes only the bytes of the event it returns; NEED_MORE means every byte was
 * consumed (nothing is left for the caller to keep). Frame headers and the small fixed fields of
 * control frames split across reads are gathered internally (at most 9 bytes); DATA payloads and
 * field block fragments are never copied: {@link #payload()} is a slice of the caller's buffer,
 * valid until that buffer is modified, and a frame's payload may come as several slices, the first
 * marked by {@link #isFirstSlice()}, the last by {@link #isLastSlice()}. A frame with an empty
 * payload still produces one (empty) slice. Padding is removed and not checked for zeros
 * (section 6.1 allows either).
 *
 * <h2>What it checks</h2>
 * Errors are values: {@code next} never throws for peer input and returns ERROR with
 * {@link #error()}. Each check cites its section:
 * <ul>
 * <li>preface (server side): the 24 preface octets, then a SETTINGS frame without ACK first
 *     (section 3.4; the client side also expects SETTINGS first) — else PROTOCOL_ERROR;</li>
 * <li>field block contiguity: after HEADERS or PUSH_PROMISE without END_HEADERS only CONTINUATION
 *     frames of that stream may follow, and CONTINUATION only there (sections 4.3, 6.10) —
 *     PROTOCOL_ERROR;</li>
 * <li>stream id 0 for DATA, HEADERS, PRIORITY, RST_STREAM, PUSH_PROMISE, CONTINUATION, and non-zero
 *     for SETTINGS, PING, GOAWAY (section 6) — PROTOCOL_ERROR;</li>
 * <li>frame size (section 4.2): above {@link Http2Limits#maxFrameSize()}, or too short for the
 *     frame's mandatory fields — FRAME_SIZE_ERROR, a stream error for DATA, a connection error for
 *     every other frame; fixed lengths: PRIORITY 5 (stream error, section 6.3), RST_STREAM 4
 *     (6.4), SETTINGS a multiple of 6 and 0 with ACK (6.5), PING 8 (6.7), GOAWAY at least 8 (6.8),
 *     WINDOW_UPDATE 4 (6.9);</li>
 * <li>padding as long as the rest of the payload or longer (sections 6.1, 6.2, 6.6) —
 *     PROTOCOL_ERROR;</li>
 * <li>a stream depending on itself in PRIORITY or HEADERS (section 5.3.1) — stream
 *     PROTOCOL_ERROR;</li>
 * <li>SETTINGS values ({@link Http2Settings#validate}, section 6.5.2); unknown ids ignored;</li>
 * <li>WINDOW_UPDATE increment 0 (section 6.9) — PROTOCOL_ERROR, a stream error unless on stream 0;</li>
 * <li>PUSH_PROMISE received by a server (section 8.4) — PROTOCOL_ERROR;</li>
 * <li>a field block longer than {@link Http2Limits#maxHeaderBlockSize()} counting 9 octets per
 *     frame (the CONTINUATION flood, CVE-2024-27316) — ENHANCE_YOUR_CALM.</li>
 * </ul>
 * Unknown frame types are skipped and reported as UNKNOWN (to be ignored, section 5.5; reported so
 * that a connection can count them); undefined flags and the reserved bit are ignored (section 4.1).
 * After a connection error the parser stays failed. After a stream error the rest of the frame is
 * skipped silently, except that a field block fragment is still delivered (the HPACK context needs
 * it, section 4.3).
 *
 * <p>Not checked here, because they need stream state and belong to the connection: stream id
 * parity and ordering, frames on idle or closed streams, flow-control windows, the promised stream
 * id, SETTINGS_ENABLE_PUSH=0 against a received PUSH_PROMISE.
 *
 * <p>Not thread-safe: confined to the connection's loop thread.
 */
final class Http2FrameParser {

    /** What {@link #next} produced. */
    enum Event {
        /** All given bytes were consumed without completing an event: feed more. */
        NEED_MORE,
        /** A slice of a DATA frame's data ({@link #payload()}, padding removed). */
        DATA,
        /** A slice of a HEADERS frame's field block fragment; priority fields when {@link #hasPriority()}. */
        HEADERS,
        /** A slice of a PUSH_PROMISE frame's fragment, with {@link #promisedStreamId()} (client side only). */
        PUSH_PROMISE,
        /** A slice of a CONTINUATION frame's fragment. */
        CONTINUATION,
        /** A PRIORITY frame (accepted and ignored by Gale: RFC 9113 section 5.3.2). */
        PRIORITY,
        /** A RST_STREAM frame: {@link #errorCode()}. */
        RST_STREAM,
        /** A SETTINGS frame: {@link #isAck()} or {@link #settings()}. */
        SETTINGS,
        /** A PING frame: {@link #isAck()}, {@link #pingData()}. */
        PING,
        /** A GOAWAY frame: {@link #lastStreamId()}, {@link #errorCode()}, {@link #debugData()}. */
        GOAWAY,
        /** A WINDOW_UPDATE frame: {@link #windowIncrement()} (stream 0: the connection). */
        WINDOW_UPDATE,
        /** A frame of an unknown type, skipped whole: ignore it. */
        UNKNOWN,
        /** A protocol violation: {@link #error()}. */
        ERROR
    }

    private enum State { PREFACE, FRAME_HEADER, PAD_LENGTH, FIELDS, PAYLOAD, GOAWAY_DEBUG, SKIP, FAILED }

    /** Bytes of GOAWAY debug data kept (the rest is skipped). */
    static final int MAX_DEBUG_DATA = 1024;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final byte[] NO_BYTES = new byte[0];

    private static final Http2Error ERR_PREFACE = conn(PROTOCOL_ERROR, "invalid connection preface");
    private static final Http2Error ERR_SETTINGS_FIRST = conn(PROTOCOL_ERROR,
        "connection preface must be followed by SETTINGS");
    private static final Http2Error ERR_CONTINUATION_EXPECTED = conn(PROTOCOL_ERROR,
        "field block interrupted: CONTINUATION of the same stream expected");
    private static final Http2Error ERR_CONTINUATION_UNEXPECTED = conn(PROTOCOL_ERROR,
        "CONTINUATION without an open field block");
    private static final Http2Error ERR_DATA_STREAM0 = conn(PROTOCOL_ERROR, "DATA on stream 0");
    private static final Http2Error ERR_HEADERS_STREAM0 = conn(PROTOCOL_ERROR, "HEADERS on stream 0");
    private static final Http2Error ERR_PRIORITY_STREAM0 = conn(PROTOCOL_ERROR, "PRIORITY on stream 0");
    private static final Http2Error ERR_RST_STREAM0 = conn(PROTOCOL_ERROR, "RST_STREAM on stream 0");
    private static final Http2Error ERR_PUSH_STREAM0 = conn(PROTOCOL_ERROR, "PUSH_PROMISE on stream 0");
    private static final Http2Error ERR_SETTINGS_STREAM = conn(PROTOCOL_ERROR, "SETTINGS on a stream");
    private static final Http2Error ERR_PING_STREAM = conn(PROTOCOL_ERROR, "PING on a stream");
    private static final Http2Error ERR_GOAWAY_STREAM = conn(PROTOCOL_ERROR, "GOAWAY on a stream");
    private static final Http2Error ERR_PUSH_TO_SERVER = conn(PROTOCOL_ERROR, "PUSH_PROMISE sent to a server");
    private static final Http2Error ERR_FRAME_TOO_LARGE = conn(FRAME_SIZE_ERROR,
        "frame larger than SETTINGS_MAX_FRAME_SIZE");
    private static final Http2Error ERR_FRAME_TOO_SHORT = conn(FRAME_SIZE_ERROR, "frame too short for its fields");
    private static final Http2Error ERR_RST_LENGTH = conn(FRAME_SIZE_ERROR, "RST_STREAM length not 4");
    private static final Http2Error ERR_SETTINGS_ACK_LENGTH = conn(FRAME_SIZE_ERROR, "SETTINGS ACK with a payload");
    private static final Http2Error ERR_SETTINGS_LENGTH = conn(FRAME_SIZE_ERROR, "SETTINGS length not a multiple of 6");
    private static final Http2Error ERR_PING_LENGTH = conn(FRAME_SIZE_ERROR, "PING length not 8");
    private static final Http2Error ERR_GOAWAY_LENGTH = conn(FRAME_SIZE_ERROR, "GOAWAY shorter than 8");
    private static final Http2Error ERR_WINDOW_UPDATE_LENGTH = conn(FRAME_SIZE_ERROR, "WINDOW_UPDATE length not 4");
    private static final Http2Error ERR_PADDING = conn(PROTOCOL_ERROR, "padding as long as the payload or longer");
    private static final Http2Error ERR_WINDOW_UPDATE_ZERO = conn(PROTOCOL_ERROR, "WINDOW_UPDATE increment 0");
    private static final Http2Error ERR_BLOCK_TOO_LARGE = conn(ENHANCE_YOUR_CALM, "field block above the hard limit");

    private final boolean server;
    private final int maxFrameSize;
    private final int maxHeaderBlockSize;

    private State state;
    private Http2Error error;
    private int prefacePos;
    /** The next frame must be SETTINGS without ACK (section 3.4). */
    private boolean expectSettings;

    // frame header, gathered when split
    private final byte[] header = new byte[Http2Frames.HEADER_LENGTH];
    private int headerLen;

    // the current frame
    private int length;
    private int type;
    private int flags;
    private int streamId;
    /** Payload bytes of the frame not consumed yet. */
    private int remaining;
    private int padLength;
    /** Data or fragment bytes not delivered yet, and padding not skipped yet. */
    private int contentRemaining;
    private int padRemaining;
    private boolean nextSliceFirst;
    private boolean firstSlice;
    private boolean lastSlice;
    private ByteBuffer payload = EMPTY;
    /** After a stream error: skipping quietly (no UNKNOWN at the end). */
    private boolean skippingError;

    // fixed fields, gathered
    private final byte[] fixed = new byte[8];
    private int fixedLen;
    private int fixedNeed;

    // typed fields of the current frame
    private boolean hasPriority;
    private int streamDependency;
    private boolean exclusive;
    private int weight;
    private int promisedStreamId;
    private long errorCode;
    private long pingData;
    private int lastStreamId;
    private byte[] debugData = NO_BYTES;
    private int debugLen;
    private int windowIncrement;
    private final Http2Settings settings = new Http2Settings();

    // field block across frames
    /** Stream whose field block awaits CONTINUATION, else 0. */
    private int continuationStream;
    private boolean blockEndStream;
    private long blockBytes;

    Http2FrameParser(boolean server, boolean expectPreface, boolean expectSettingsFirst, Http2Limits limits) {
        this.server = server;
        this.maxFrameSize = limits.maxFrameSize();
        this.maxHeaderBlockSize = limits.maxHeaderBlockSize();
        this.state = expectPreface ? State.PREFACE : State.FRAME_HEADER;
        this.expectSettings = expectSettingsFirst;
    }

    /** A server's parser: the client preface, then a SETTINGS frame, then anything. */
    static Http2FrameParser forServer(Http2Limits limits) {
        return new Http2FrameParser(true, true, true, limits);
    }

    /** A client's parser: the server preface (a SETTINGS frame) first. */
    static Http2FrameParser forClient(Http2Limits limits) {
        return new Http2FrameParser(false, false, true, limits);
    }

    private static Http2Error conn(Http2ErrorCode code, String reason) {
        return Http2Error.connection(code, reason);
    }

    /**
     * Parses from {@code in} (position to limit) until one event is complete or the bytes run out.
     * Consumes only the bytes of that event; never throws for malformed input.
     */
    Event next(ByteBuffer in) {
        for (;;) {
            switch (state) {
                case PREFACE -> {
                    while (prefacePos < Http2Preface.LENGTH) {
                        if (!in.hasRemaining()) {
                            return Event.NEED_MORE;
                        }
                        if (in.get() != Http2Preface.byteAt(prefacePos++)) {
                            return fail(ERR_PREFACE);
                        }
                    }
                    state = State.FRAME_HEADER;
                }
                case FRAME_HEADER -> {
                    if (!readHeader(in)) {
                        return Event.NEED_MORE;
                    }
                    Event e = beginFrame();
                    if (e != null) {
                        return e;
                    }
                }
                case PAD_LENGTH -> {
                    if (!in.hasRemaining()) {
                        return Event.NEED_MORE;
                    }
                    Event e = padLength(in.get() & 0xff);
                    if (e != null) {
                        return e;
                    }
                }
                case FIELDS -> {
                    int n = Math.min(fixedNeed - fixedLen, in.remaining());
                    in.get(fixed, fixedLen, n);
                    fixedLen += n;
                    if (fixedLen < fixedNeed) {
                        return Event.NEED_MORE;
                    }
                    remaining -= fixedNeed;
                    fixedLen = 0;
                    Event e = fieldsDone();
                    if (e != null) {
                        return e;
                    }
                }
                case PAYLOAD -> {
                    return slice(in);
                }
                case GOAWAY_DEBUG -> {
                    int n = Math.min(remaining, in.remaining());
                    int keep = Math.min(n, debugData.length - debugLen);
                    in.get(debugData, debugLen, keep);
                    debugLen += keep;
                    in.position(in.position() + n - keep);
                    remaining -= n;
                    if (remaining > 0) {
                        return Event.NEED_MORE;
                    }
                    state = State.FRAME_HEADER;
                    return Event.GOAWAY;
                }
                case SKIP -> {
                    int n = Math.min(remaining, in.remaining());
                    in.position(in.position() + n);
                    remaining -= n;
                    if (remaining > 0) {
                        return Event.NEED_MORE;
                    }
                    state = State.FRAME_HEADER;
                    if (!skippingError) {
                        return Event.UNKNOWN;
                    }
                    skippingError = false;
                }
                case FAILED -> {
                    return Event.ERROR;
                }
            }
        }
    }

    private boolean readHeader(ByteBuffer in) {
        byte[] h = header;
        if (headerLen == 0 && in.remaining() >= Http2Frames.HEADER_LENGTH) {
            int p = in.position();
            length = (in.get(p) & 0xff) << 16 | (in.get(p + 1) & 0xff) << 8 | (in.get(p + 2) & 0xff);
            type = in.get(p + 3) & 0xff;
            flags = in.get(p + 4) & 0xff;
            streamId = (in.get(p + 5) & 0x7f) << 24 | (in.get(p + 6) & 0xff) << 16 | (in.get(p + 7) & 0xff) << 8
                | (in.get(p + 8) & 0xff);
            in.position(p + Http2Frames.HEADER_LENGTH);
            return true;
        }
        int n = Math.min(Http2Frames.HEADER_LENGTH - headerLen, in.remaining());
        in.get(h, headerLen, n);
        headerLen += n;
        if (headerLen < Http2Frames.HEADER_LENGTH) {
            return false;
        }
        headerLen = 0;
        length = (h[0] & 0xff) << 16 | (h[1] & 0xff) << 8 | (h[2] & 0xff);
        type = h[3] & 0xff;
        flags = h[4] & 0xff;
        streamId = ((h[5] & 0x7f) << 24) | (h[6] & 0xff) << 16 | (h[7] & 0xff) << 8 | (h[8] & 0xff);
        return true;
    }

    /** Validates the frame header just read and sets up its payload; returns an event or null to go on. */
    private Event beginFrame() {
        remaining = length;
        padLength = 0;
        hasPriority = false;
        nextSliceFirst = true;
        if (continuationStream != 0) {
            if (type != Http2Frames.CONTINUATION || streamId != continuationStream) {
                return fail(ERR_CONTINUATION_EXPECTED);
            }
        } else if (type == Http2Frames.CONTINUATION) {
            return fail(ERR_CONTINUATION_UNEXPECTED);
        }
        if (expectSettings) {
            if (type != Http2Frames.SETTINGS || (flags & Http2Frames.FLAG_ACK) != 0) {
                return fail(ERR_SETTINGS_FIRST);
            }
            expectSettings = false;
        }
        boolean padded = (flags & Http2Frames.FLAG_PADDED) != 0;
        switch (type) {
            case Http2Frames.DATA -> {
                if (streamId == 0) {
                    return fail(ERR_DATA_STREAM0);                                     // 6.1
                }
                if (length > maxFrameSize) {
                    return streamError(FRAME_SIZE_ERROR, "DATA larger than SETTINGS_MAX_FRAME_SIZE", true); // 4.2
                }
                if (padded && length < 1) {
                    return streamError(FRAME_SIZE_ERROR, "padded DATA without a Pad Length", true);         // 4.2
                }
                return startContent(padded, 0);
            }
            case Http2Frames.HEADERS -> {
                if (streamId == 0) {
                    return fail(ERR_HEADERS_STREAM0);                                  // 6.2
                }
                boolean priority = (flags & Http2Frames.FLAG_PRIORITY) != 0;
                Event e = startBlock((padded ? 1 : 0) + (priority ? 5 : 0));
                if (e != null) {
                    return e;
                }
                blockEndStream = (flags & Http2Frames.FLAG_END_STREAM) != 0;
                return startContent(padded, priority ? 5 : 0);
            }
            case Http2Frames.PUSH_PROMISE -> {
                if (server) {
                    return fail(ERR_PUSH_TO_SERVER);                                   // 8.4
                }
                if (streamId == 0) {
                    return fail(ERR_PUSH_STREAM0);                                     // 6.6
                }
                Event e = startBlock((padded ? 1 : 0) + 4);
                if (e != null) {
                    return e;
                }
                blockEndStream = false;
                return startContent(padded, 4);
            }
            case Http2Frames.CONTINUATION -> {
                // contiguity checked above: this continues the open block
                if (length > maxFrameSize) {
                    return fail(ERR_FRAME_TOO_LARGE);                                  // 4.2
                }
                Event e = countBlockBytes();
                if (e != null) {
                    return e;
                }
                if ((flags & Http2Frames.FLAG_END_HEADERS) != 0) {
                    continuationStream = 0;
                }
                return startContent(false, 0);
            }
            case Http2Frames.PRIORITY -> {
                if (streamId == 0) {
                    return fail(ERR_PRIORITY_STREAM0);                                 // 6.3
                }
                if (length != 5) {
                    return streamError(FRAME_SIZE_ERROR, "PRIORITY length not 5", true); // 6.3
                }
                return startFields(5);
            }
            case Http2Frames.RST_STREAM -> {
                if (streamId == 0) {
                    return fail(ERR_RST_STREAM0);                                      // 6.4
                }
                if (length != 4) {
                    return fail(ERR_RST_LENGTH);                                       // 6.4
                }
                return startFields(4);
            }
            case Http2Frames.SETTINGS -> {
                if (streamId != 0) {
                    return fail(ERR_SETTINGS_STREAM);                                  // 6.5
                }
                settings.clear();
                if ((flags & Http2Frames.FLAG_ACK) != 0) {
                    if (length != 0) {
                        return fail(ERR_SETTINGS_ACK_LENGTH);                          // 6.5
                    }
                    return Event.SETTINGS;
                }
                if (length % Http2Settings.ENTRY_LENGTH != 0) {
                    return fail(ERR_SETTINGS_LENGTH);                                  // 6.5
                }
                if (length > maxFrameSize) {
                    return fail(ERR_FRAME_TOO_LARGE);                                  // 4.2
                }
                if (length == 0) {
                    return Event.SETTINGS;
                }
                return startFields(Http2Settings.ENTRY_LENGTH);
            }
            case Http2Frames.PING -> {
                if (streamId != 0) {
                    return fail(ERR_PING_STREAM);                                      // 6.7
                }
                if (length != 8) {
                    return fail(ERR_PING_LENGTH);                                      // 6.7
                }
                return startFields(8);
            }
            case Http2Frames.GOAWAY -> {
                if (streamId != 0) {
                    return fail(ERR_GOAWAY_STREAM);                                    // 6.8
                }
                if (length < 8) {
                    return fail(ERR_GOAWAY_LENGTH);                                    // 6.8, 4.2
                }
                if (length > maxFrameSize) {
                    return fail(ERR_FRAME_TOO_LARGE);                                  // 4.2
                }
                return startFields(8);
            }
            case Http2Frames.WINDOW_UPDATE -> {
                if (length != 4) {
                    return fail(ERR_WINDOW_UPDATE_LENGTH);                             // 6.9
                }
                return startFields(4);
            }
            default -> {
                if (length > maxFrameSize) {
                    return fail(ERR_FRAME_TOO_LARGE);                                  // 4.2
                }
                state = State.SKIP;                                                    // 4.1, 5.5
                return null;
            }
        }
    }

    /** HEADERS or PUSH_PROMISE opens a field block: size rules, hard limit, contiguity. */
    private Event startBlock(int mandatory) {
        if (length > maxFrameSize) {
            return fail(ERR_FRAME_TOO_LARGE);                                          // 4.2
        }
        if (length < mandatory) {
            return fail(ERR_FRAME_TOO_SHORT);                                          // 4.2
        }
        blockBytes = 0;
        Event e = countBlockBytes();
        if (e != null) {
            return e;
        }
        if ((flags & Http2Frames.FLAG_END_HEADERS) == 0) {
            continuationStream = streamId;
        }
        return null;
    }

    private Event countBlockBytes() {
        blockBytes += Http2Frames.HEADER_LENGTH + length;
        return blockBytes > maxHeaderBlockSize ? fail(ERR_BLOCK_TOO_LARGE) : null;
    }

    /** DATA, HEADERS, PUSH_PROMISE, CONTINUATION: Pad Length, then {@code fields} fixed bytes, then content. */
    private Event startContent(boolean padded, int fields) {
        if (padded) {
            state = State.PAD_LENGTH;
        } else if (fields > 0) {
            return startFields(fields);
        } else {
            contentRemaining = remaining;
            padRemaining = 0;
            state = State.PAYLOAD;
        }
        return null;
    }

    private Event padLength(int pad) {
        remaining--;
        int fields = switch (type) {
            case Http2Frames.HEADERS -> (flags & Http2Frames.FLAG_PRIORITY) != 0 ? 5 : 0;
            case Http2Frames.PUSH_PROMISE -> 4;
            default -> 0;
        };
        if (pad > remaining - fields) {
            return fail(ERR_PADDING);                                                  // 6.1, 6.2, 6.6
        }
        padLength = pad;
        if (fields > 0) {
            return startFields(fields);
        }
        contentRemaining = remaining - pad;
        padRemaining = pad;
        state = State.PAYLOAD;
        return null;
    }

    private Event startFields(int n) {
        fixedNeed = n;
        fixedLen = 0;
        state = State.FIELDS;
        return null;
    }

    /** The fixed fields of the current frame are in {@link #fixed}. */
    private Event fieldsDone() {
        byte[] f = fixed;
        switch (type) {
            case Http2Frames.HEADERS -> {
                readPriority(f);
                contentRemaining = remaining - padLength;
                padRemaining = padLength;
                state = State.PAYLOAD;
                if (streamDependency == streamId) {
                    // reported first; the fragment still follows (the HPACK context needs it)
                    return streamError(PROTOCOL_ERROR, "stream depends on itself", false);   // 5.3.1
                }
                return null;
            }
            case Http2Frames.PUSH_PROMISE -> {
                promisedStreamId = int31(f, 0);
                contentRemaining = remaining - padLength;
                padRemaining = padLength;
                state = State.PAYLOAD;
                return null;
            }
            case Http2Frames.PRIORITY -> {
                readPriority(f);
                state = State.FRAME_HEADER;
                if (streamDependency == streamId) {
                    return streamError(PROTOCOL_ERROR, "stream depends on itself", false);   // 5.3.1
                }
                return Event.PRIORITY;
            }
            case Http2Frames.RST_STREAM -> {
                errorCode = uint32(f, 0);
                state = State.FRAME_HEADER;
                return Event.RST_STREAM;
            }
            case Http2Frames.SETTINGS -> {
                int id = (f[0] & 0xff) << 8 | (f[1] & 0xff);
                long value = uint32(f, 2);
                if (Http2Settings.isKnown(id)) {
                    Http2Error e = Http2Settings.validate(id, value, !server);       // 6.5.2
                    if (e != null) {
                        return fail(e);
                    }
                    settings.set(id, value);
                }
                if (remaining > 0) {
                    return startFields(Http2Settings.ENTRY_LENGTH);
                }
                state = State.FRAME_HEADER;
                return Event.SETTINGS;
            }
            case Http2Frames.PING -> {
                pingData = (uint32(f, 0) << 32) | uint32(f, 4);
                state = State.FRAME_HEADER;
                return Event.PING;
            }
            case Http2Frames.GOAWAY -> {
                lastStreamId = int31(f, 0);
                errorCode = uint32(f, 4);
                debugLen = 0;
                debugData = remaining == 0 ? NO_BYTES : new byte[Math.min(remaining, MAX_DEBUG_DATA)];
                state = State.GOAWAY_DEBUG;
                return null;
            }
            case Http2Frames.WINDOW_UPDATE -> {
                windowIncrement = int31(f, 0);
                state = State.FRAME_HEADER;
                if (windowIncrement == 0) {
                    return streamId == 0 ? fail(ERR_WINDOW_UPDATE_ZERO)                // 6.9
                        : streamError(PROTOCOL_ERROR, "WINDOW_UPDATE increment 0", false);
                }
                return Event.WINDOW_UPDATE;
            }
            default -> throw new AssertionError(type);
        }
    }

    private void readPriority(byte[] f) {
        hasPriority = true;
        exclusive = f[0] < 0;
        streamDependency = int31(f, 0);
        weight = (f[4] & 0xff) + 1;
    }

    /** Delivers the next slice of content, skipping padding after it; the last slice ends the frame. */
    private Event slice(ByteBuffer in) {
        int n = Math.min(contentRemaining, in.remaining());
        ByteBuffer s = EMPTY;
        if (n > 0) {
            int p = in.position();
            s = in.slice(p, n);
            in.position(p + n);
            contentRemaining -= n;
            remaining -= n;
        }
        if (contentRemaining == 0 && padRemaining > 0) {
            int skip = Math.min(padRemaining, in.remaining());
            in.position(in.position() + skip);
            padRemaining -= skip;
            remaining -= skip;
        }
        boolean last = contentRemaining == 0 && padRemaining == 0;
        if (n == 0 && !last) {
            return Event.NEED_MORE;
        }
        payload = s;
        firstSlice = nextSliceFirst;
        nextSliceFirst = false;
        lastSlice = last;
        if (last) {
            state = State.FRAME_HEADER;
        }
        return switch (type) {
            case Http2Frames.DATA -> Event.DATA;
            case Http2Frames.HEADERS -> Event.HEADERS;
            case Http2Frames.PUSH_PROMISE -> Event.PUSH_PROMISE;
            default -> Event.CONTINUATION;
        };
    }

    private Event fail(Http2Error e) {
        error = e;
        state = State.FAILED;
        return Event.ERROR;
    }

    /** A stream error on the current frame; {@code skipRest}: its remaining payload is dropped. */
    private Event streamError(Http2ErrorCode code, String reason, boolean skipRest) {
        error = Http2Error.stream(streamId, code, reason);
        if (skipRest) {
            skippingError = true;
            state = State.SKIP;
        }
        return Event.ERROR;
    }

    private static int int31(byte[] b, int off) {
        return (b[off] & 0x7f) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    private static long uint32(byte[] b, int off) {
        return ((long) (b[off] & 0xff) << 24) | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8
            | (b[off + 3] & 0xff);
    }

    /**
     * Whether the parser is between frames with no field block open: end of input here is a clean
     * end of the byte stream (the connection may still judge it, e.g. without GOAWAY).
     */
    boolean isBetweenFrames() {
        return state == State.FRAME_HEADER && headerLen == 0 && continuationStream == 0;
    }

    /** The error of the last ERROR event. */
    Http2Error error() {
        return error;
    }

    /** Frame type of the current frame ({@link Http2Frames} constants; any value for UNKNOWN). */
    int type() {
        return type;
    }

    /** Flags of the current frame as received (undefined ones included). */
    int flags() {
        return flags;
    }

    /** Stream id of the current frame (reserved bit cleared). */
    int streamId() {
        return streamId;
    }

    /**
     * Payload length of the current frame as in its header: what DATA counts against flow-control
     * windows (padding included, section 6.9.1), also after a stream error on a DATA frame.
     */
    int length() {
        return length;
    }

    /** DATA and field block events: the slice of content (empty possible); valid until the buffer changes. */
    ByteBuffer payload() {
        return payload;
    }

    /** DATA and field block events: this slice is the frame's first. */
    boolean isFirstSlice() {
        return firstSlice;
    }

    /** DATA and field block events: this slice is the frame's last (padding consumed too). */
    boolean isLastSlice() {
        return lastSlice;
    }

    /**
     * DATA: the frame has END_STREAM. Field block events: the HEADERS frame that opened the block
     * had END_STREAM (so it is known on CONTINUATION too; false for PUSH_PROMISE).
     */
    boolean endStream() {
        return type == Http2Frames.DATA ? (flags & Http2Frames.FLAG_END_STREAM) != 0 : blockEndStream;
    }

    /** Field block events: this slice ends the field block (END_HEADERS frame, last slice). */
    boolean isEndOfBlock() {
        return lastSlice && (flags & Http2Frames.FLAG_END_HEADERS) != 0 && type != Http2Frames.DATA;
    }

    /** HEADERS: the frame carried priority fields (PRIORITY flag). */
    boolean hasPriority() {
        return hasPriority;
    }

    /** HEADERS with priority, PRIORITY: the stream depended on. */
    int streamDependency() {
        return streamDependency;
    }

    /** HEADERS with priority, PRIORITY: the exclusive flag. */
    boolean exclusive() {
        return exclusive;
    }

    /** HEADERS with priority, PRIORITY: the weight, 1 to 256. */
    int weight() {
        return weight;
    }

    /** PUSH_PROMISE: the promised stream id. */
    int promisedStreamId() {
        return promisedStreamId;
    }

    /** RST_STREAM, GOAWAY: the error code (unsigned 32-bit; see {@link Http2ErrorCode#of}). */
    long errorCode() {
        return errorCode;
    }

    /** SETTINGS, PING: the ACK flag. */
    boolean isAck() {
        return (flags & Http2Frames.FLAG_ACK) != 0;
    }

    /** SETTINGS without ACK: the known parameters the frame carried (reused by the next SETTINGS). */
    Http2Settings settings() {
        return settings;
    }

    /** PING: the 8 octets of opaque data, big-endian. */
    long pingData() {
        return pingData;
    }

    /** GOAWAY: the last stream id the peer processed. */
    int lastStreamId() {
        return lastStreamId;
    }

    /** GOAWAY: the debug data, at most {@link #MAX_DEBUG_DATA} octets of it. */
    byte[] debugData() {
        return debugLen == debugData.length ? debugData : java.util.Arrays.copyOf(debugData, debugLen);
    }

    /** WINDOW_UPDATE: the increment, 1 to 2^31-1. */
    int windowIncrement() {
        return windowIncrement;
    }
}
