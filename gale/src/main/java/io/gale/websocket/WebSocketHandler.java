package io.gale.websocket;

import io.gale.http.HttpHeaders;
import io.gale.http.HttpServerRequest;
import io.gale.http.ByteTunnel;
import io.gale.http.TunnelExchange;
import io.gale.web.Asynchronous;
import io.gale.web.RequestHandler;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request handler whose GET upgrades the connection to a WebSocket (Tornado's
 * {@code WebSocketHandler}).
 *
 * <pre>{@code
 * public final class EchoHandler extends WebSocketHandler {
 *     protected CompletionStage<?> onMessage(String message) {
 *         return writeMessage(message); // the next message waits until this one is written
 *     }
 * }
 * }</pre>
 *
 * <p><b>Handshake.</b> A bad upgrade is answered 400 with the reason, an unsupported version
 * 426 with {@code Sec-WebSocket-Version: 13}, a cross-origin request 403 (see
 * {@link #checkOrigin}). Headers set in {@code prepare()} or {@code setDefaultHeaders()} go out
 * with the 101 response. After it, the HTTP response methods must not be used.
 *
 * <p><b>HTTP/2.</b> On a server with HTTP/2 on, a client may open the WebSocket on one stream of
 * an HTTP/2 connection with an extended CONNECT (RFC 8441: {@code :protocol websocket},
 * {@code sec-websocket-version: 13}, no key); it is routed here like the HTTP/1.1 GET, answered
 * {@code 200} instead of {@code 101}, and the frames then travel in the stream's DATA frames
 * under HTTP/2 flow control. Subclasses see no difference (the transport is a
 * {@link ByteTunnel} either way); {@code request().version()} tells them if they care.
 *
 * <p><b>Threading.</b> After the upgrade everything runs on the connection's loop thread:
 * {@link #open}, the {@code on*} callbacks, in order. {@link #writeMessage}, {@link #ping} and
 * {@link #close} may be called from any thread (a broadcast from elsewhere hops to the loop).
 *
 * <p><b>Lifecycle.</b> open (messages wait until its stage completes) → onMessage... →
 * {@link #onClose()} exactly once, with {@link #closeCode()} and {@link #closeReason()} set.
 */
public abstract class WebSocketHandler extends RequestHandler {
    private static final Logger log = LoggerFactory.getLogger(WebSocketHandler.class);

    /** Tornado's default {@code websocket_max_message_size}: 10 MiB. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = WebSocketProtocol.Settings.DEFAULT_MAX_MESSAGE_SIZE;

    private volatile WebSocketProtocol protocol;
    private String subprotocol;
    private volatile int closeCode;
    private volatile String closeReason;
    /** Set at the upgrade, loop thread: the drain registration and the metrics this socket counts in. */
    private io.gale.web.DrainHook drainHook;
    private io.gale.metrics.GaleMetrics metrics;

    /** Subclasses are created by the framework per request. */
    protected WebSocketHandler() {
    }

    /**
     * Performs the upgrade; not for overriding (use {@link #open}).
     *
     * @param args the arguments
     */
    @Asynchronous
    public final void get(String... args) {
        HttpServerRequest request = request();
        HttpHeaders headers = request.headers();
        // HTTP/2: an extended CONNECT (RFC 8441) reaches get() too; the stream is the transport
        String overStream = request.exchange() instanceof TunnelExchange t ? t.tunnelProtocol() : null;
        Handshake.Rejection rejection = overStream != null ? Handshake.validateExtendedConnect(overStream, headers)
                : Handshake.validate(request.method(), headers);
        if (rejection == null || rejection.status() == 426) {
            String origin = headers.get("Origin", headers.get("Sec-WebSocket-Origin"));
            if (origin != null && !checkOrigin(origin)) {
                rejection = new Handshake.Rejection(403, "Cross origin websockets not allowed");
            }
        }
        if (rejection != null) {
            setStatus(rejection.status());
            if (rejection.status() == 426) {
                setHeader("Sec-WebSocket-Version", Handshake.VERSION);
            }
            finish(rejection.reason());
            return;
        }
        List<String> offered = Handshake.subprotocols(headers);
        String chosen = selectSubprotocol(offered);
        if (chosen != null && !offered.contains(chosen)) {
            throw new IllegalStateException("selectSubprotocol returned " + chosen + ", which was not offered: " + offered);
        }
        subprotocol = chosen;
        DeflateParams deflate = PerMessageDeflate.serverAccept(headers.getAll("Sec-WebSocket-Extensions"),
                getCompressionOptions());
        clearHeader("Content-Type");
        if (overStream != null) {
            setStatus(200); // RFC 8441 section 5: 2xx, no Upgrade, no key or accept
        } else {
            setStatus(101, "Switching Protocols");
            setHeader("Upgrade", "websocket");
            setHeader("Connection", "Upgrade");
            setHeader("Sec-WebSocket-Accept", Handshake.acceptValue(headers.get("Sec-WebSocket-Key").trim()));
        }
        if (chosen != null) {
            setHeader("Sec-WebSocket-Protocol", chosen);
        }
        if (deflate != null) {
            setHeader("Sec-WebSocket-Extensions", deflate.responseHeader());
        }
        flush();
        // Always from a later loop callback: the connection is still delivering this request
        // (and may hold a read on the stream) while get() runs; the 101 is queued first (FIFO).
        loop().addCallback(() -> upgrade(args, deflate));
    }

    private void upgrade(String[] args, DeflateParams deflate) {
        if (request().exchange().isClosed()) {
            // The client left between the 101 and this callback (or the 101 could not be written):
            // the handler heard onConnectionClose already, and there is no stream to take over.
            log.debug("{}: connection closed before the upgrade completed", summary());
            return;
        }
        ByteTunnel stream = detachTunnel();
        WebSocketProtocol.Settings settings = new WebSocketProtocol.Settings(maxMessageSize(), pingInterval(),
                pingTimeout(), closeTimeout(), maxFragmentSize());
        WebSocketProtocol p = new WebSocketProtocol(stream, true, new Events(), settings, deflate);
        protocol = p;
        metrics = settings().metrics();
        if (metrics != null) {
            metrics.connectionOpened(io.gale.metrics.ConnectionKind.WEBSOCKET);
        }
        // A graceful shutdown closes the socket with 1001 Going Away and waits for the client's
        // close (up to closeTimeout, then TCP closes); onClose ends the registration.
        drainHook = onDrain(() -> close(CloseCodes.GOING_AWAY, "server shutting down"));
        CompletionStage<?> opened;
        try {
            opened = open(args);
        } catch (Exception | Error e) {
            log.error("Uncaught exception in open() of {}; closing", summary(), e);
            p.start(null);
            p.abort();
            return;
        }
        if (opened == null) {
            p.start(null);
            return;
        }
        loop().addFuture(opened, (v, e) -> {
            p.start(null);
            if (e != null) {
                log.error("open() of {} failed; closing", summary(), e);
                p.abort();
            }
        });
    }

    /** Bridges protocol events to the overridable callbacks. */
    private final class Events implements WebSocketProtocol.Listener {
        @Override
        public CompletionStage<?> onMessage(WebSocketMessage message) throws Exception {
            return WebSocketHandler.this.onMessage(message);
        }

        @Override
        public void onPing(byte[] data) {
            WebSocketHandler.this.onPing(data);
        }

        @Override
        public void onPong(byte[] data) {
            WebSocketHandler.this.onPong(data);
        }

        @Override
        public void onClose(int code, String reason) {
            closeCode = code;
            closeReason = reason;
            if (drainHook != null) {
                drainHook.cancel();
            }
            if (metrics != null) {
                metrics.connectionClosed(io.gale.metrics.ConnectionKind.WEBSOCKET);
            }
            WebSocketHandler.this.onClose();
        }
    }

    // ------------------------------------------------------------------------ callbacks

    /**
     * The connection is open; {@code args} are the route's path arguments. Request headers,
     * cookies and the current user are available here. Messages wait until the returned stage
     * (if any) completes; an exception or a failed stage closes the connection.
     *
     * @param args the arguments
     * @return the connection is open; {@code args} are the route's path arguments
     * @throws Exception any failure; the caller reports it
     */
    protected CompletionStage<?> open(String... args) throws Exception {
        return null;
    }

    /**
     * A whole message arrived. The default calls {@link #onMessage(String)} or
     * {@link #onMessage(byte[])}. The next message waits until the returned stage completes.
     *
     * @param message the detail message
     * @return a whole message arrived
     * @throws Exception any failure; the caller reports it
     */
    protected CompletionStage<?> onMessage(WebSocketMessage message) throws Exception {
        return message.isText() ? onMessage(message.text()) : onMessage(message.payload());
    }

    /**
     * A text message arrived (see {@link #onMessage(WebSocketMessage)}).
     *
     * @param message the detail message
     * @return a text message arrived (see {@link #onMessage(WebSocketMessage)})
     * @throws Exception any failure; the caller reports it
     */
    protected CompletionStage<?> onMessage(String message) throws Exception {
        return null;
    }

    /**
     * A binary message arrived; the array is the handler's (see {@link #onMessage(WebSocketMessage)}).
     *
     * @param message the detail message
     * @return a binary message arrived; the array is the handler's (see {@link #onMessage(WebSocketMessage)})
     * @throws Exception any failure; the caller reports it
     */
    protected CompletionStage<?> onMessage(byte[] message) throws Exception {
        return null;
    }

    /**
     * A ping arrived (the pong is sent automatically).
     *
     * @param data the bytes
     */
    protected void onPing(byte[] data) {
    }

    /**
     * A pong arrived.
     *
     * @param data the bytes
     */
    protected void onPong(byte[] data) {
    }

    /** The connection closed (called once); see {@link #closeCode()} and {@link #closeReason()}. */
    protected void onClose() {
    }

    // ------------------------------------------------------------------------- policies

    /**
     * Whether to accept a request from {@code origin}. The default accepts only the same origin:
     * the origin's host (and port) must equal the request's Host header, as in Tornado.
     * Override to allow other sites; returning true for all disables the protection against
     * cross-site WebSocket hijacking.
     *
     * @param origin the origin
     * @return whether to accept a request from {@code origin}
     */
    protected boolean checkOrigin(String origin) {
        try {
            String authority = URI.create(origin.trim()).getRawAuthority();
            String host = request().headers().get("Host");
            return authority != null && host != null
                    && authority.toLowerCase(Locale.ROOT).equals(host.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Picks a subprotocol from the client's offer (in its preference order; empty if none).
     * Return one of them, or null for none. The default picks none.
     *
     * @param subprotocols the subprotocols the client offers
     * @return the chosen string
     */
    protected String selectSubprotocol(List<String> subprotocols) {
        return null;
    }

    /**
     * permessage-deflate settings, or null (the default) to disable compression.
     *
     * @return the compression options
     */
    protected CompressionOptions getCompressionOptions() {
        return null;
    }

    /**
     * Largest message accepted (after decompression); larger ones close with 1009.
     *
     * @return the max message size
     */
    protected long maxMessageSize() {
        return DEFAULT_MAX_MESSAGE_SIZE;
    }

    /**
     * Largest payload of one outgoing data frame: a longer message is sent as several frames
     * (a first frame and continuations, RFC 6455 5.4) of at most this many bytes, still as one
     * write. With permessage-deflate the compressed payload is what is split. The default,
     * {@link Integer#MAX_VALUE}, sends every message as one frame, which is also what lets a
     * prepared message share its encoded frame across connections. Called once, at the upgrade;
     * must be positive.
     *
     * @return the max fragment size
     */
    protected int maxFragmentSize() {
        return Integer.MAX_VALUE;
    }

    /**
     * How often to ping the client; zero (the default) for never.
     *
     * @return how often to ping the client; zero (the default) for never
     */
    protected Duration pingInterval() {
        return Duration.ZERO;
    }

    /**
     * Close when no pong arrives this long after a ping; defaults to {@link #pingInterval()} (Tornado 6.5).
     *
     * @return the ping timeout
     */
    protected Duration pingTimeout() {
        return pingInterval();
    }

    /**
     * How long to wait for the client's side of the closing handshake before closing TCP.
     *
     * @return how long to wait for the client's side of the closing handshake before closing TCP
     */
    protected Duration closeTimeout() {
        return Duration.ofSeconds(5);
    }

    // --------------------------------------------------------------------------- actions

    /**
     * Sends a text message; completes when written (use it for backpressure).
     *
     * @param message the detail message
     * @return a future that completes when it is done, or fails with the error
     */
    public final CompletableFuture<Void> writeMessage(String message) {
        return writeMessage(WebSocketMessage.text(message));
    }

    /**
     * Sends a binary message (the array is copied).
     *
     * @param message the detail message
     * @return a future that completes when it is done, or fails with the error
     */
    public final CompletableFuture<Void> writeMessage(byte[] message) {
        return writeMessage(WebSocketMessage.binary(message));
    }

    /**
     * Sends a message; a message written to many handlers is encoded once (see {@link WebSocketMessage}).
     *
     * @param message the detail message
     * @return a future that completes when it is done, or fails with the error
     */
    public final CompletableFuture<Void> writeMessage(WebSocketMessage message) {
        WebSocketProtocol p = protocol;
        if (p == null) {
            return CompletableFuture.failedFuture(new WebSocketClosedException("WebSocket is not open"));
        }
        return p.write(message);
    }

    /**
     * Sends a ping (at most 125 bytes).
     *
     * @param data the bytes
     * @return a future that completes when it is done, or fails with the error
     */
    public final CompletableFuture<Void> ping(byte[] data) {
        WebSocketProtocol p = protocol;
        if (p == null) {
            return CompletableFuture.failedFuture(new WebSocketClosedException("WebSocket is not open"));
        }
        return p.ping(data);
    }

    /** Starts the closing handshake with 1000. */
    public final void close() {
        close(CloseCodes.NORMAL, null);
    }

    /**
     * Starts the closing handshake; the connection closes when the client answers, or after
     * {@link #closeTimeout()}.
     *
     * @param code a close code valid on the wire (see {@link CloseCodes})
     * @param reason at most 123 UTF-8 bytes, or null
     */
    public final void close(int code, String reason) {
        if (reason != null && reason.getBytes(StandardCharsets.UTF_8).length > 123) {
            throw new IllegalArgumentException("close reason longer than 123 UTF-8 bytes");
        }
        WebSocketProtocol p = protocol;
        if (p != null) {
            p.close(code, reason);
        }
    }

    /**
     * The code of the client's close frame (1005 if it had none, 1006 if none came); 0 while open.
     *
     * @return the code of the client's close frame (1005 if it had none, 1006 if none came); 0 while open
     */
    public final int closeCode() {
        return closeCode;
    }

    /**
     * The reason of the client's close frame, or null.
     *
     * @return the reason of the client's close frame, or null
     */
    public final String closeReason() {
        return closeReason;
    }

    /**
     * The negotiated subprotocol, or null.
     *
     * @return the negotiated subprotocol, or null
     */
    public final String selectedSubprotocol() {
        return subprotocol;
    }

    /**
     * Whether the connection is closing or closed (writes fail).
     *
     * @return whether the connection is closing or closed (writes fail)
     */
    public final boolean isClosing() {
        WebSocketProtocol p = protocol;
        return p == null || p.isClosing();
    }

    /** Bytes written and not yet taken by the kernel (0 before open); loop thread. For {@link WebSocketBroadcaster}. */
    final long queuedBytes() {
        WebSocketProtocol p = protocol;
        return p == null ? 0 : p.queuedBytes();
    }
}
