package io.gale.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A whole WebSocket message, text or binary: what a connection receives, and what can be
 * written. Immutable and thread-safe.
 *
 * <p><b>Broadcast.</b> A message written to many server connections is framed once: the server
 * frame (unmasked) is built on first use and shared read-only by every connection. When
 * permessage-deflate is on without server context takeover, the compressed frame is shared too
 * (equal input through a freshly reset compressor gives equal bytes). Connections with context
 * takeover, and clients (each frame needs its own mask), still encode per connection.
 *
 * <pre>{@code
 * WebSocketMessage m = WebSocketMessage.prepare(json);   // once
 * for (WebSocketHandler h : clients) h.writeMessage(m);  // N writes, one encoding
 * }</pre>
 */
public final class WebSocketMessage {
    private final boolean text;
    private final byte[] data;
    private volatile String string;
    private volatile byte[] plainFrame;
    private volatile Deflated deflated;

    private record Deflated(int level, int windowBits, byte[] frame) {
    }

    private WebSocketMessage(boolean text, byte[] data, String string) {
        this.text = text;
        this.data = data;
        this.string = string;
    }

    /**
     * A text message.
     *
     * @param text the text
     * @return a text message
     */
    public static WebSocketMessage text(String text) {
        Objects.requireNonNull(text, "text");
        return new WebSocketMessage(true, text.getBytes(StandardCharsets.UTF_8), text);
    }

    /**
     * A binary message (the array is copied).
     *
     * @param data the bytes
     * @return a binary message (the array is copied)
     */
    public static WebSocketMessage binary(byte[] data) {
        return new WebSocketMessage(false, data.clone(), null);
    }

    /**
     * A text message meant to be written to many connections; same as {@link #text(String)}.
     *
     * @param text the text
     * @return a text message meant to be written to many connections; same as {@link #text(String)}
     */
    public static WebSocketMessage prepare(String text) {
        return text(text);
    }

    /** Wraps bytes the caller hands over (received messages; no copy). */
    static WebSocketMessage received(boolean text, byte[] data) {
        return new WebSocketMessage(text, data, null);
    }

    /**
     * True for a text message, false for binary.
     *
     * @return true for a text message, false for binary
     */
    public boolean isText() {
        return text;
    }

    /**
     * The text (for a binary message: its bytes decoded as UTF-8, invalid sequences replaced).
     *
     * @return the text (for a binary message: its bytes decoded as UTF-8, invalid sequences replaced)
     */
    public String text() {
        String s = string;
        if (s == null) {
            s = new String(data, StandardCharsets.UTF_8);
            string = s;
        }
        return s;
    }

    /**
     * A copy of the payload bytes (UTF-8 for text).
     *
     * @return a copy of the payload bytes (UTF-8 for text)
     */
    public byte[] data() {
        return data.clone();
    }

    /**
     * The payload as a read-only buffer, without copying.
     *
     * @return the payload as a read-only buffer, without copying
     */
    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    /**
     * Payload length in bytes.
     *
     * @return the length
     */
    public int length() {
        return data.length;
    }

    byte[] payload() {
        return data;
    }

    int opcode() {
        return text ? FrameDecoder.TEXT : FrameDecoder.BINARY;
    }

    /** The unmasked, uncompressed frame; built once (a race only builds equal arrays twice). */
    byte[] serverFrame() {
        byte[] f = plainFrame;
        if (f == null) {
            f = FrameEncoder.encode(opcode(), true, false, data, 0, data.length, false, 0);
            plainFrame = f;
        }
        return f;
    }

    /**
     * The unmasked frame compressed with a fresh (no context takeover) compressor at {@code level}
     * with a window of at most {@code windowBits}; the last one is cached for the next receiver.
     */
    byte[] serverDeflatedFrame(int level, int windowBits) {
        Deflated d = deflated;
        if (d == null || d.level() != level || d.windowBits() != windowBits) {
            MessageDeflater deflater = new MessageDeflater(level, true, windowBits);
            try {
                byte[] z = deflater.compress(data, 0, data.length);
                d = new Deflated(level, windowBits, FrameEncoder.encode(opcode(), true, true, z, 0, z.length, false, 0));
            } finally {
                deflater.close();
            }
            deflated = d;
        }
        return d.frame();
    }

    @Override
    public String toString() {
        return (text ? "text" : "binary") + " message, " + data.length + " bytes";
    }
}
