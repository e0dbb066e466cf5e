package io.gale.websocket;

import io.gale.http.HttpHeaders;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The client side of an open WebSocket (Tornado's {@code WebSocketClientConnection}), from
 * {@link WebSocketClient#connect}.
 *
 * <p><b>Reading.</b> Either {@link #readMessage()} (one message at a time; like Tornado's queue
 * of one, the connection stops reading from the socket while a received message waits to be
 * read, so a slow reader pushes back on the server), or the {@code onMessage} callback of
 * {@link WebSocketClientOptions}.
 *
 * <p><b>Threading.</b> The connection lives on one loop; messages are received there and
 * futures complete there. All public methods may be called from any thread.
 */
public final class WebSocketClientConnection {
    private final WebSocketProtocol protocol;
    private final HttpHeaders responseHeaders;
    private final String subprotocol;
    private final Function<WebSocketMessage, CompletionStage<?>> onMessage;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    // Guarded by this: a received message waiting for readMessage, or readers waiting for one.
    private WebSocketMessage waiting;
    private CompletableFuture<Void> taken;
    private final ArrayDeque<CompletableFuture<WebSocketMessage>> readers = new ArrayDeque<>();
    private boolean ended;
    private volatile int closeCode;
    private volatile String closeReason;

    WebSocketClientConnection(java.util.function.Function<WebSocketProtocol.Listener, WebSocketProtocol> factory,
            HttpHeaders responseHeaders, String subprotocol, Function<WebSocketMessage, CompletionStage<?>> onMessage) {
        this.responseHeaders = responseHeaders;
        this.subprotocol = subprotocol;
        this.onMessage = onMessage;
        this.protocol = factory.apply(new Events());
    }

    WebSocketProtocol protocol() {
        return protocol;
    }

    private final class Events implements WebSocketProtocol.Listener {
        @Override
        public CompletionStage<?> onMessage(WebSocketMessage message) {
            if (onMessage != null) {
                return onMessage.apply(message);
            }
            CompletableFuture<WebSocketMessage> reader;
            synchronized (WebSocketClientConnection.this) {
                reader = readers.poll();
                if (reader == null) {
                    waiting = message;
                    taken = new CompletableFuture<>();
                    return taken; // stop reading until the message is taken
                }
            }
            reader.complete(message);
            return null;
        }

        @Override
        public void onPing(byte[] data) {
        }

        @Override
        public void onPong(byte[] data) {
        }

        @Override
        public void onClose(int code, String reason) {
            closeCode = code;
            closeReason = reason;
            CompletableFuture<?>[] pending;
            synchronized (WebSocketClientConnection.this) {
                ended = true;
                pending = readers.toArray(new CompletableFuture<?>[0]);
                readers.clear();
            }
            for (CompletableFuture<?> r : pending) {
                r.complete(null);
            }
            closed.complete(null);
        }
    }

    /**
     * The next message; completes with null once the connection is closed and every received
     * message was read.
     *
     * @return the next message; completes with null once the connection is closed and every received message was read
     * @throws IllegalStateException if the connection was made with an {@code onMessage} callback
     */
    public CompletableFuture<WebSocketMessage> readMessage() {
        if (onMessage != null) {
            throw new IllegalStateException("messages go to the onMessage callback");
        }
        WebSocketMessage m;
        CompletableFuture<Void> release;
        synchronized (this) {
            m = waiting;
            if (m == null) {
                if (ended) {
                    return CompletableFuture.completedFuture(null);
                }
                CompletableFuture<WebSocketMessage> f = new CompletableFuture<>();
                readers.add(f);
                return f;
            }
            waiting = null;
            release = taken;
            taken = null;
        }
        release.complete(null); // resumes reading (on the loop, through IOLoop.addFuture)
        return CompletableFuture.completedFuture(m);
    }

    /**
     * Sends a text message; completes when written.
     *
     * @param message the detail message
     * @return a future that completes when it is done, or fails with the error
     */
    public CompletableFuture<Void> writeMessage(String message) {
        return protocol.write(WebSocketMessage.text(message));
    }

    /**
     * Sends a binary message (copied).
     *
     * @param message the detail message
     * @return a future that completes when it is done, or fails with the error
     */
    public CompletableFuture<Void> writeMessage(byte[] message) {
        return protocol.write(WebSocketMessage.binary(message));
    }

    /**
     * Sends a message.
     *
     * @param message the detail message
     * @return a future that completes when it is done, or fails with the error
     */
    public CompletableFuture<Void> writeMessage(WebSocketMessage message) {
        return protocol.write(message);
    }

    /**
     * Sends one frame of a fragmented message, without compression: the first with
     * {@code text} telling the type, then continuations; {@code last} ends the message.
     *
     * @param first the first
     * @param text the text
     * @param data the bytes
     * @param last the last
     * @return a future that completes when it is done, or fails with the error
     */
    public CompletableFuture<Void> writeFragment(boolean first, boolean text, byte[] data, boolean last) {
        int opcode = !first ? FrameDecoder.CONTINUATION : text ? FrameDecoder.TEXT : FrameDecoder.BINARY;
        return protocol.writeFragment(opcode, last, data.clone());
    }

    /**
     * Sends a ping (at most 125 bytes).
     *
     * @param data the bytes
     * @return a future that completes when it is done, or fails with the error
     */
    public CompletableFuture<Void> ping(byte[] data) {
        return protocol.ping(data);
    }

    /** Starts the closing handshake with 1000. */
    public void close() {
        protocol.close(CloseCodes.NORMAL, null);
    }

    /**
     * Starts the closing handshake; the server closes TCP (or the close timeout does).
     *
     * @param code the status code
     * @param reason the reason phrase
     */
    public void close(int code, String reason) {
        protocol.close(code, reason);
    }

    /**
     * Completes (on the loop) when the connection is closed.
     *
     * @return the close future
     */
    public CompletableFuture<Void> closeFuture() {
        return closed.copy();
    }

    /**
     * The server's close code (1005: none given, 1006: no close frame); 0 while open.
     *
     * @return the server's close code (1005: none given, 1006: no close frame); 0 while open
     */
    public int closeCode() {
        return closeCode;
    }

    /**
     * The server's close reason, or null.
     *
     * @return the server's close reason, or null
     */
    public String closeReason() {
        return closeReason;
    }

    /**
     * The subprotocol the server selected, or null.
     *
     * @return the subprotocol the server selected, or null
     */
    public String selectedSubprotocol() {
        return subprotocol;
    }

    /**
     * The headers of the server's 101 response.
     *
     * @return the headers of the server's 101 response
     */
    public HttpHeaders headers() {
        return responseHeaders.copy();
    }
}
