package io.gale.websocket;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import io.gale.http.ByteTunnel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.zip.DataFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket protocol engine shared by server and client (RFC 6455 after the handshake):
 * reads and decodes frames, assembles and validates messages (UTF-8, size limit, permessage-deflate),
 * answers pings, runs the closing handshake and the keep-alive pings, and writes messages.
 *
 * <p><b>Threading.</b> Confined to the stream's loop. The public-facing operations
 * ({@link #write}, {@link #ping}, {@link #close}) may be called from any thread: they hop to the
 * loop. Listener callbacks run on the loop, in order.
 *
 * <p><b>Flow control.</b> Messages are delivered one at a time: if {@link Listener#onMessage}
 * returns an unfinished stage, no further bytes are decoded (and, once the socket buffers fill,
 * the peer is pushed back by TCP) until it completes.
 *
 * <p><b>Transport.</b> A {@link ByteTunnel}: a whole connection after an HTTP/1.1 upgrade, or one
 * HTTP/2 stream after an extended CONNECT (RFC 8441), where "TCP close" below means the stream's
 * END_STREAM (or reset) and the push-back is HTTP/2 flow control. Nothing here depends on which.
 *
 * <p><b>Lifecycle.</b> created → {@link #start} → open → closing (a close frame was sent or
 * received) → closed (TCP closed, {@link Listener#onClose} called exactly once). A protocol
 * violation sends a close frame with the RFC's code (1002, 1007, 1009) and closes TCP once it is
 * written. After a closing handshake the server closes TCP; the client waits for the server to,
 * and closes it itself after the close timeout.
 */
final class WebSocketProtocol implements FrameDecoder.Sink {
    private static final Logger log = LoggerFactory.getLogger(WebSocketProtocol.class);

    /** Application callbacks. */
    interface Listener {
        /** A message; a returned unfinished stage delays the next one. */
        CompletionStage<?> onMessage(WebSocketMessage message) throws Exception;

        void onPing(byte[] data);

        void onPong(byte[] data);

        /** Called once: the peer's close code and reason (1005 without code, 1006 without close frame). */
        void onClose(int code, String reason);
    }

    /**
     * Per-connection settings.
     *
     * @param maxMessageSize largest message (after decompression) accepted; larger closes with 1009
     * @param pingInterval send a ping this often (zero: never)
     * @param pingTimeout close when no pong arrives this long after a ping (zero: never)
     * @param closeTimeout how long to wait for the peer's side of the closing handshake
     * @param maxFragmentSize largest payload of one outgoing data frame; longer messages go out as
     *     several frames ({@link Integer#MAX_VALUE}: every message is one frame)
     */
    record Settings(long maxMessageSize, Duration pingInterval, Duration pingTimeout, Duration closeTimeout,
            int maxFragmentSize) {
        static final long DEFAULT_MAX_MESSAGE_SIZE = 10L * 1024 * 1024;

        Settings {
            if (maxFragmentSize < 1) {
                throw new IllegalArgumentException("maxFragmentSize must be positive: " + maxFragmentSize);
            }
        }

        /** Settings that send every message as one frame. */
        Settings(long maxMessageSize, Duration pingInterval, Duration pingTimeout, Duration closeTimeout) {
            this(maxMessageSize, pingInterval, pingTimeout, closeTimeout, Integer.MAX_VALUE);
        }

        static Settings defaults() {
            return new Settings(DEFAULT_MAX_MESSAGE_SIZE, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(5));
        }
    }

    private final ByteTunnel stream;
    private final IOLoop loop;
    private final boolean server;
    private final Listener listener;
    private final Settings settings;
    private final FrameDecoder decoder;
    private final DeflateParams deflate;
    private final MaskKeySource masks;
    private MessageDeflater deflater;
    private MessageInflater inflater;

    // message being assembled
    private boolean msgText;
    private boolean msgCompressed;
    private boolean dropping;
    private byte[] msgBuf;
    private int msgLen;
    private Utf8Validator utf8;
    private final MessageInflater.Output appender = this::append;

    // reading
    private boolean reading;
    private boolean paused;
    private byte[] pending;
    private int pendingOff;
    private int pendingLen;

    // closing
    private boolean started;
    private boolean closeSent;
    private boolean closeReceived;
    private boolean failed;
    private boolean closed;
    private int peerCode = CloseCodes.ABNORMAL;
    private String peerReason;
    private Timeout closeTimer;

    // keep-alive
    private Timeout pingTimer;
    private Timeout pongDeadline;

    WebSocketProtocol(io.gale.iostream.IOStream stream, boolean server, Listener listener, Settings settings,
                      DeflateParams deflate) {
        this(ByteTunnel.of(stream), server, listener, settings, deflate);
    }

    WebSocketProtocol(ByteTunnel stream, boolean server, Listener listener, Settings settings, DeflateParams deflate) {
        this.stream = stream;
        this.loop = stream.loop();
        this.server = server;
        this.listener = listener;
        this.settings = settings;
        this.deflate = deflate;
        this.decoder = new FrameDecoder(server);
        this.decoder.setDeflateNegotiated(deflate != null);
        this.masks = server ? null : new MaskKeySource();
    }

    IOLoop loop() {
        return loop;
    }

    ByteTunnel stream() {
        return stream;
    }

    /**
     * Starts reading (loop thread). {@code leftover} are bytes that arrived after the handshake
     * and were already read from the socket (may be null).
     */
    void start(byte[] leftover) {
        if (started) {
            return;
        }
        started = true;
        stream.setCloseCallback(this::onStreamClosed);
        if (stream.isClosed()) {
            onStreamClosed();
            return;
        }
        schedulePing();
        if (leftover != null && leftover.length > 0) {
            feed(leftover, 0, leftover.length);
        } else {
            readMore();
        }
    }

    /** Bytes queued in the stream, not yet taken by the kernel; loop thread. */
    long queuedBytes() {
        return stream.queuedBytes();
    }

    boolean isClosing() {
        return closeSent || closeReceived || closed;
    }

    boolean isClosed() {
        return closed;
    }

    int peerCode() {
        return peerCode;
    }

    String peerReason() {
        return peerReason;
    }

    // ---------------------------------------------------------------------------- reading

    private void readMore() {
        if (reading || paused || closed) {
            return;
        }
        reading = true;
        stream.read().whenComplete((bytes, error) -> {
            reading = false;
            if (error == null) {
                feed(bytes, 0, bytes.length);
            }
            // Errors mean the stream closed: onStreamClosed runs through the close callback.
        });
    }

    private void feed(byte[] a, int off, int len) {
        if (closeReceived || failed || decoder.failed()) {
            readMore(); // only waiting for the TCP close now; discard
            return;
        }
        int n = decoder.decode(a, off, len, this);
        if (paused && n < len && !decoder.failed()) {
            pending = a;
            pendingOff = off + n;
            pendingLen = len - n;
            return;
        }
        readMore();
    }

    private void resume() {
        paused = false;
        if (pending != null) {
            byte[] a = pending;
            pending = null;
            feed(a, pendingOff, pendingLen);
        } else {
            readMore();
        }
    }

    // ---------------------------------------------------------------------- frame events

    @Override
    public boolean dataFrameStart(int opcode, boolean fin, boolean rsv1, long length) {
        if (closeSent) {
            dropping = true; // RFC 6455 1.4: data after our close frame is discarded
            return true;
        }
        if (opcode != FrameDecoder.CONTINUATION) {
            msgText = opcode == FrameDecoder.TEXT;
            msgCompressed = rsv1;
            msgLen = 0;
            msgBuf = null;
            if (msgText) {
                if (utf8 == null) {
                    utf8 = new Utf8Validator();
                } else {
                    utf8.reset();
                }
            }
        }
        if (!msgCompressed) {
            // Not msgLen + length: a 63-bit frame length after a first fragment overflows the sum.
            if (length > settings.maxMessageSize() - msgLen) {
                fail(CloseCodes.MESSAGE_TOO_BIG, "message too big");
                return false;
            }
            if (length <= 64 * 1024) {
                // Larger frames grow the buffer as bytes arrive: a declared length costs no memory.
                ensureCapacity((int) (msgLen + length));
            }
        }
        return true;
    }

    @Override
    public boolean dataPayload(byte[] a, int off, int len) {
        if (dropping) {
            return true;
        }
        if (msgCompressed) {
            try {
                return inflater().inflate(a, off, len, appender);
            } catch (DataFormatException e) {
                fail(CloseCodes.INVALID_PAYLOAD, "invalid compressed data");
                return false;
            }
        }
        return append(a, off, len);
    }

    @Override
    public boolean dataFrameEnd(boolean fin) {
        if (dropping) {
            dropping = !fin;
            return true;
        }
        if (!fin) {
            return true;
        }
        if (msgCompressed) {
            try {
                if (!inflater().finish(appender)) {
                    return false;
                }
            } catch (DataFormatException e) {
                fail(CloseCodes.INVALID_PAYLOAD, "invalid compressed data");
                return false;
            }
        }
        if (msgText && !utf8.isComplete()) {
            fail(CloseCodes.INVALID_PAYLOAD, "invalid UTF-8 in a text message");
            return false;
        }
        byte[] data = msgBuf == null ? new byte[0] : msgBuf.length == msgLen ? msgBuf : Arrays.copyOf(msgBuf, msgLen);
        msgBuf = null;
        msgLen = 0;
        return deliver(WebSocketMessage.received(msgText, data));
    }

    private boolean deliver(WebSocketMessage message) {
        CompletionStage<?> stage;
        try {
            stage = listener.onMessage(message);
        } catch (Exception | Error e) {
            log.error("Uncaught exception in the WebSocket message handler; closing", e);
            fail(CloseCodes.INTERNAL_ERROR, "internal error");
            return false;
        }
        if (stage == null || (stage instanceof CompletableFuture<?> f && f.isDone() && !f.isCompletedExceptionally())) {
            return true;
        }
        paused = true;
        loop.addFuture(stage, (v, e) -> {
            if (e != null) {
                log.error("WebSocket message handler failed; closing", e);
                fail(CloseCodes.INTERNAL_ERROR, "internal error");
                return;
            }
            resume();
        });
        return false;
    }

    private boolean append(byte[] a, int off, int len) {
        if (msgLen + (long) len > settings.maxMessageSize()) {
            fail(CloseCodes.MESSAGE_TOO_BIG, msgCompressed ? "message too big after decompression" : "message too big");
            return false;
        }
        if (msgText && !utf8.update(a, off, len)) {
            fail(CloseCodes.INVALID_PAYLOAD, "invalid UTF-8 in a text message");
            return false;
        }
        ensureCapacity(msgLen + len);
        System.arraycopy(a, off, msgBuf, msgLen, len);
        msgLen += len;
        return true;
    }

    private void ensureCapacity(int needed) {
        if (msgBuf == null) {
            // Exact size for the common single-frame message: handed over without a copy.
            msgBuf = new byte[msgCompressed ? Math.max(needed, 256) : needed];
        } else if (msgBuf.length < needed) {
            long grown = Math.max(needed, (long) msgBuf.length * 2);
            msgBuf = Arrays.copyOf(msgBuf, (int) Math.min(grown, Math.min(settings.maxMessageSize(), Integer.MAX_VALUE - 8)));
        }
    }

    private MessageInflater inflater() {
        if (inflater == null) {
            inflater = new MessageInflater(deflate.incomingNoContextTakeover(), new byte[16 * 1024]);
        }
        return inflater;
    }

    @Override
    public boolean control(int opcode, byte[] payload) {
        switch (opcode) {
            case FrameDecoder.PING -> {
                if (!closeSent) {
                    writeFrame(FrameDecoder.PONG, payload);
                }
                safely(() -> listener.onPing(payload));
            }
            case FrameDecoder.PONG -> {
                if (pongDeadline != null) {
                    pongDeadline.cancel();
                    pongDeadline = null;
                }
                safely(() -> listener.onPong(payload));
            }
            default -> {
                return closeFrame(payload);
            }
        }
        return true;
    }

    private boolean closeFrame(byte[] payload) {
        int code = CloseCodes.NO_STATUS;
        String reason = null;
        if (payload.length == 1) {
            fail(CloseCodes.PROTOCOL_ERROR, "close frame with a one-byte payload");
            return false;
        }
        if (payload.length >= 2) {
            code = (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF);
            if (!CloseCodes.isValidOnWire(code)) {
                fail(CloseCodes.PROTOCOL_ERROR, "invalid close code " + code);
                return false;
            }
            if (!Utf8Validator.isValid(payload, 2, payload.length - 2)) {
                fail(CloseCodes.INVALID_PAYLOAD, "invalid UTF-8 in the close reason");
                return false;
            }
            reason = new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
        closeReceived = true;
        peerCode = code;
        peerReason = reason;
        decoder.stop();
        CompletableFuture<Void> echo = null;
        if (!closeSent) {
            closeSent = true;
            // Echo the peer's code (RFC 6455 5.5.1); no code received, none sent.
            echo = writeFrame(FrameDecoder.CLOSE, FrameEncoder.closePayload(
                    code == CloseCodes.NO_STATUS ? 0 : code, new byte[0]));
        }
        if (server) {
            // The server closes TCP first (RFC 6455 7.1.1), once its close frame is out.
            if (echo != null) {
                echo.whenComplete((v, e) -> stream.close());
            } else {
                stream.close();
            }
        } else {
            armCloseTimer();
        }
        return false;
    }

    @Override
    public void protocolError(int closeCode, String reason) {
        fail(closeCode, reason);
    }

    /** Fails the connection (RFC 6455 7.1.7): a close frame with {@code code}, then TCP close. */
    private void fail(int code, String reason) {
        if (failed || closed) {
            return;
        }
        failed = true;
        decoder.stop();
        msgBuf = null;
        log.debug("Failing WebSocket connection {}: {} {}", stream, code, reason);
        if (!closeSent) {
            closeSent = true;
            writeFrame(FrameDecoder.CLOSE, FrameEncoder.closePayload(code, reason.getBytes(StandardCharsets.UTF_8)))
                    .whenComplete((v, e) -> stream.close());
        } else {
            stream.close();
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.error("Uncaught exception in a WebSocket callback", e);
        }
    }

    // ---------------------------------------------------------------------------- writing

    /** Writes a whole message; the future completes as the stream's write future does. */
    CompletableFuture<Void> write(WebSocketMessage message) {
        if (!loop.inLoop()) {
            return loop.supplyOrSubmit(() -> write(message));
        }
        if (closeSent || closed) {
            return CompletableFuture.failedFuture(new WebSocketClosedException("WebSocket is closed"));
        }
        int max = settings.maxFragmentSize();
        byte[] frame;
        if (server && deflate == null && message.length() <= max) {
            frame = message.serverFrame(); // shared by every connection the message is written to
        } else if (server && deflate != null && deflate.outgoingNoContextTakeover() && max == Integer.MAX_VALUE) {
            frame = message.serverDeflatedFrame(deflate.level(), deflate.outgoingWindowBits());
        } else {
            // Per connection: context takeover, fragmentation, or a client's masks.
            byte[] p = message.payload();
            int len = message.length();
            boolean compress = deflate != null;
            if (compress) {
                p = deflater().compress(p, 0, len);
                len = p.length;
            }
            frame = FrameEncoder.encodeFragmented(message.opcode(), compress, p, 0, len, max, server ? null : masks);
        }
        return send(frame);
    }

    /** Writes a data frame of a fragmented message (no compression); {@code opcode} 0 continues. */
    CompletableFuture<Void> writeFragment(int opcode, boolean fin, byte[] payload) {
        if (!loop.inLoop()) {
            return loop.supplyOrSubmit(() -> writeFragment(opcode, fin, payload));
        }
        if (closeSent || closed) {
            return CompletableFuture.failedFuture(new WebSocketClosedException("WebSocket is closed"));
        }
        return send(FrameEncoder.encode(opcode, fin, false, payload, 0, payload.length, !server,
                server ? 0 : masks.nextKey()));
    }

    CompletableFuture<Void> ping(byte[] data) {
        if (data.length > 125) {
            throw new IllegalArgumentException("ping payload longer than 125 bytes: " + data.length);
        }
        if (!loop.inLoop()) {
            byte[] copy = data.clone();
            return loop.supplyOrSubmit(() -> ping(copy));
        }
        if (closeSent || closed) {
            return CompletableFuture.failedFuture(new WebSocketClosedException("WebSocket is closed"));
        }
        return writeFrame(FrameDecoder.PING, data);
    }

    /** Starts the closing handshake (code 0: no code). Idempotent. */
    void close(int code, String reason) {
        byte[] r = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        if (code != 0 && !CloseCodes.isValidOnWire(code)) {
            throw new IllegalArgumentException("invalid close code " + code);
        }
        if (r.length > 123) {
            throw new IllegalArgumentException("close reason longer than 123 UTF-8 bytes");
        }
        if (!loop.inLoop()) {
            loop.addCallback(() -> close(code, reason));
            return;
        }
        if (closeSent || closed) {
            return;
        }
        closeSent = true;
        writeFrame(FrameDecoder.CLOSE, FrameEncoder.closePayload(code == 0 && r.length > 0 ? CloseCodes.NORMAL : code, r));
        armCloseTimer();
    }

    /** Closes TCP at once, without a closing handshake. */
    void abort() {
        stream.close();
    }

    private void armCloseTimer() {
        if (closeTimer == null && !closed) {
            closeTimer = loop.callLater(settings.closeTimeout(), stream::close);
        }
    }

    private CompletableFuture<Void> writeFrame(int opcode, byte[] payload) {
        return send(FrameEncoder.encode(opcode, true, false, payload, 0, payload.length, !server,
                server ? 0 : masks.nextKey()));
    }

    private CompletableFuture<Void> send(byte[] frame) {
        CompletableFuture<Void> written = stream.write(ByteBuffer.wrap(frame));
        if (written.isDone() && !written.isCompletedExceptionally()) {
            return written;
        }
        return written.exceptionallyCompose(e -> CompletableFuture.failedFuture(
                new WebSocketClosedException("WebSocket write failed", e)));
    }

    private MessageDeflater deflater() {
        if (deflater == null) {
            deflater = new MessageDeflater(deflate.level(), deflate.outgoingNoContextTakeover(),
                    deflate.outgoingWindowBits());
        }
        return deflater;
    }

    // -------------------------------------------------------------------------- keep-alive

    private void schedulePing() {
        Duration interval = settings.pingInterval();
        if (interval.isZero() || interval.isNegative() || closed) {
            return;
        }
        pingTimer = loop.callLater(interval, () -> {
            if (isClosing()) {
                return;
            }
            writeFrame(FrameDecoder.PING, new byte[0]);
            Duration timeout = settings.pingTimeout();
            if (!timeout.isZero() && !timeout.isNegative() && pongDeadline == null) {
                pongDeadline = loop.callLater(timeout, () -> {
                    pongDeadline = null;
                    log.info("WebSocket {}: no pong within {}; closing", stream, timeout);
                    close(CloseCodes.NORMAL, "ping timed out");
                });
            }
            schedulePing();
        });
    }

    // ----------------------------------------------------------------------------- closed

    private void onStreamClosed() {
        if (closed) {
            return;
        }
        closed = true;
        for (Timeout t : new Timeout[] {closeTimer, pingTimer, pongDeadline}) {
            if (t != null) {
                t.cancel();
            }
        }
        if (deflater != null) {
            deflater.close();
        }
        if (inflater != null) {
            inflater.close();
        }
        msgBuf = null;
        pending = null;
        safely(() -> listener.onClose(peerCode, peerReason));
    }
}
