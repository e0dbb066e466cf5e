package io.gale.websocket;

/**
 * Low-level codec, public for benchmarks and custom transports; applications use
 * {@link WebSocketHandler} and {@link WebSocketClient}.
 *
 * <p>Incremental WebSocket frame decoder (RFC 6455 5.2): an explicit state machine fed any slices of
 * bytes (a whole read, or one byte at a time). Data-frame payloads are unmasked in place and
 * passed on as they arrive, so a text message can be validated before its frame is complete;
 * control frames (at most 125 bytes) are collected and delivered whole.
 *
 * <p>The decoder enforces the framing rules that need no message context beyond "is a fragmented
 * message open": reserved bits, reserved opcodes, masking direction, control-frame size and
 * fragmentation, continuation order, 63-bit lengths. A violation is reported once through
 * {@link Sink#protocolError} and the decoder stops for good (after a framing error the byte
 * stream cannot be trusted).
 *
 * <p>Not thread-safe: one decoder per connection, used on its loop.
 */
final class FrameDecoder {
    /** Opcode. */
    public static final int CONTINUATION = 0x0;
    /** Opcode. */
    public static final int TEXT = 0x1;
    /** Opcode. */
    public static final int BINARY = 0x2;
    /** Opcode. */
    public static final int CLOSE = 0x8;
    /** Opcode. */
    public static final int PING = 0x9;
    /** Opcode. */
    public static final int PONG = 0xA;

    /** Receives the decoded events. A method returning false pauses decoding after that event. */
    public interface Sink {
        /**
         * A data frame starts; {@code opcode} is TEXT, BINARY or CONTINUATION.
         *
         * @param opcode the frame's opcode
         * @param fin true for the last frame of a message
         * @param rsv1 the RSV1 bit (set on compressed messages)
         * @param length the length
         * @return false to pause decoding after this event
         */
        boolean dataFrameStart(int opcode, boolean fin, boolean rsv1, long length);

        /**
         * Unmasked payload bytes of the current data frame; valid only during the call.
         *
         * @param a the bytes
         * @param off the offset of the first byte
         * @param len the number of bytes
         * @return false to pause decoding after this event
         */
        boolean dataPayload(byte[] a, int off, int len);

        /**
         * The current data frame ended.
         *
         * @param fin true for the last frame of a message
         * @return false to pause decoding after this event
         */
        boolean dataFrameEnd(boolean fin);

        /**
         * A whole control frame (CLOSE, PING or PONG), unmasked.
         *
         * @param opcode the frame's opcode
         * @param payload the payload
         * @return false to pause decoding after this event
         */
        boolean control(int opcode, byte[] payload);

        /**
         * A framing violation; the decoder stops.
         *
         * @param closeCode the close code
         * @param reason the reason phrase
         */
        void protocolError(int closeCode, String reason);
    }

    private enum State { HEADER, LENGTH, MASK_KEY, PAYLOAD, FAILED }

    private final boolean expectMasked;
    private boolean deflateNegotiated;

    private State state = State.HEADER;
    private int headerBytes; // bytes of the 2-byte header seen
    private int b0;
    private int lengthBytesNeeded;
    private long acc;
    private int accBytes;

    private boolean fin;
    private boolean rsv1;
    private int opcode;
    private boolean masked;
    private int maskKey;
    private int maskIndex;
    private long remaining;
    private byte[] control;
    private int controlPos;
    private boolean inFragmentedMessage;

    /**
     * Creates a {@code FrameDecoder}.
     *
     * @param expectMasked true on the server (client frames must be masked), false on the client
     */
    public FrameDecoder(boolean expectMasked) {
        this.expectMasked = expectMasked;
    }

    /**
     * Allows RSV1 on the first frame of a data message (permessage-deflate was negotiated).
     *
     * @param negotiated the negotiated
     */
    public void setDeflateNegotiated(boolean negotiated) {
        this.deflateNegotiated = negotiated;
    }

    /**
     * Whether a violation stopped the decoder.
     *
     * @return whether a violation stopped the decoder
     */
    public boolean failed() {
        return state == State.FAILED;
    }

    /** Whether a fragmented data message has started and not ended. */
    boolean inFragmentedMessage() {
        return inFragmentedMessage;
    }

    /**
     * Decodes from {@code a[off, off+len)}; payload bytes are unmasked in place.
     *
     * @param a the bytes
     * @param off the offset of the first byte
     * @param len the number of bytes
     * @param sink the sink
     * @return the number of bytes consumed: all of them, unless the sink paused or a violation
     *     stopped decoding
     */
    public int decode(byte[] a, int off, int len, Sink sink) {
        int i = off;
        int end = off + len;
        while (state != State.FAILED) {
            switch (state) {
                case HEADER -> {
                    if (i == end) {
                        return i - off;
                    }
                    int b = a[i++] & 0xFF;
                    if (headerBytes == 0) {
                        b0 = b;
                        headerBytes = 1;
                        continue;
                    }
                    headerBytes = 0;
                    if (!header(b0, b, sink)) {
                        return i - off;
                    }
                    if (state == State.PAYLOAD && remaining == 0 && !frameComplete(sink)) {
                        return i - off;
                    }
                }
                case LENGTH -> {
                    while (accBytes < lengthBytesNeeded && i < end) {
                        acc = (acc << 8) | (a[i++] & 0xFF);
                        accBytes++;
                    }
                    if (accBytes < lengthBytesNeeded) {
                        return i - off;
                    }
                    if (acc < 0) {
                        fail(sink, "frame length with the most significant bit set");
                        return i - off;
                    }
                    remaining = acc;
                    if (!afterLength(sink)) {
                        return i - off;
                    }
                    if (state == State.PAYLOAD && remaining == 0 && !frameComplete(sink)) {
                        return i - off;
                    }
                }
                case MASK_KEY -> {
                    while (accBytes < 4 && i < end) {
                        acc = (acc << 8) | (a[i++] & 0xFF);
                        accBytes++;
                    }
                    if (accBytes < 4) {
                        return i - off;
                    }
                    maskKey = (int) acc;
                    maskIndex = 0;
                    if (!startPayload(sink)) {
                        return i - off;
                    }
                    if (remaining == 0 && !frameComplete(sink)) {
                        return i - off;
                    }
                }
                case PAYLOAD -> {
                    if (i == end) {
                        return i - off;
                    }
                    int n = (int) Math.min(remaining, end - i);
                    if (masked) {
                        maskIndex = Masking.mask(a, i, n, maskKey, maskIndex);
                    }
                    remaining -= n;
                    boolean go;
                    if (control != null) {
                        System.arraycopy(a, i, control, controlPos, n);
                        controlPos += n;
                        go = true;
                    } else {
                        go = sink.dataPayload(a, i, n);
                    }
                    i += n;
                    if (state == State.FAILED) {
                        return i - off;
                    }
                    if (remaining == 0 && !frameComplete(sink)) {
                        return i - off;
                    }
                    if (!go) {
                        return i - off;
                    }
                }
                default -> {
                    return i - off;
                }
            }
        }
        return i - off;
    }

    private boolean header(int first, int second, FrameDecoder.Sink sink) {
        fin = (first & 0x80) != 0;
        rsv1 = (first & 0x40) != 0;
        opcode = first & 0x0F;
        masked = (second & 0x80) != 0;
        int len7 = second & 0x7F;
        if ((first & 0x30) != 0) {
            return fail(sink, "reserved bits RSV2/RSV3 set");
        }
        boolean isControl = (opcode & 0x08) != 0;
        switch (opcode) {
            case CONTINUATION, TEXT, BINARY, CLOSE, PING, PONG -> { }
            default -> {
                return fail(sink, "reserved opcode " + opcode);
            }
        }
        if (rsv1 && (!deflateNegotiated || isControl || opcode == CONTINUATION)) {
            return fail(sink, "reserved bit RSV1 set");
        }
        if (isControl) {
            if (!fin) {
                return fail(sink, "fragmented control frame");
            }
            if (len7 > 125) {
                return fail(sink, "control frame longer than 125 bytes");
            }
        } else if (opcode == CONTINUATION) {
            if (!inFragmentedMessage) {
                return fail(sink, "continuation frame without a message to continue");
            }
        } else if (inFragmentedMessage) {
            return fail(sink, "new data frame while a fragmented message is open");
        }
        if (masked != expectMasked) {
            return fail(sink, expectMasked ? "unmasked client frame" : "masked server frame");
        }
        if (len7 == 126) {
            lengthBytesNeeded = 2;
        } else if (len7 == 127) {
            lengthBytesNeeded = 8;
        } else {
            remaining = len7;
            return afterLength(sink);
        }
        acc = 0;
        accBytes = 0;
        state = State.LENGTH;
        return true;
    }

    private boolean afterLength(Sink sink) {
        if (masked) {
            acc = 0;
            accBytes = 0;
            state = State.MASK_KEY;
            return true;
        }
        return startPayload(sink);
    }

    private boolean startPayload(Sink sink) {
        state = State.PAYLOAD;
        if ((opcode & 0x08) != 0) {
            control = new byte[(int) remaining];
            controlPos = 0;
            return true;
        }
        control = null;
        if (opcode != CONTINUATION) {
            inFragmentedMessage = !fin;
        } else if (fin) {
            inFragmentedMessage = false;
        }
        boolean go = sink.dataFrameStart(opcode, fin, rsv1, remaining);
        return go && state != State.FAILED;
    }

    /** The payload is complete: deliver and go back to HEADER. */
    private boolean frameComplete(Sink sink) {
        state = State.HEADER;
        if (control != null) {
            byte[] payload = control;
            control = null;
            return sink.control(opcode, payload) && state != State.FAILED;
        }
        return sink.dataFrameEnd(fin) && state != State.FAILED;
    }

    /** Stops decoding for good; used by the sink too, when it rejects what it was given. */
    void stop() {
        state = State.FAILED;
    }

    private boolean fail(Sink sink, String reason) {
        state = State.FAILED;
        sink.protocolError(CloseCodes.PROTOCOL_ERROR, reason);
        return false;
    }
}
