package io.gale.websocket;

import io.gale.http.HttpHeaders;
import io.gale.net.ConnectOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Options of {@link WebSocketClient#connect(java.net.URI, WebSocketClientOptions)} (the
 * arguments of Tornado's {@code websocket_connect}). Immutable; change with the {@code with*}
 * methods.
 *
 * <pre>{@code
 * WebSocketClientOptions opts = WebSocketClientOptions.defaults()
 *         .withConnect(ConnectOptions.defaults().withLoop(loop).withTimeout(Duration.ofSeconds(5)))
 *         .withCompression(CompressionOptions.defaults())
 *         .withSubprotocols(List.of("chat"));
 * }</pre>
 *
 * @param connect TCP/TLS options: the loop, the connect timeout, the TLS context for {@code wss}
 *     (the JDK default context when none is set)
 * @param handshakeTimeout limit for the opening handshake after connecting (Tornado: 20 s)
 * @param maxMessageSize largest message accepted; larger closes with 1009 (default 10 MiB)
 * @param pingInterval ping the server this often; zero for never
 * @param pingTimeout close when no pong comes within this; zero for never
 * @param subprotocols offered in Sec-WebSocket-Protocol, in preference order
 * @param compression permessage-deflate to offer, or null for none
 * @param headers extra request headers (cookies, authorization, origin)
 * @param onMessage if set, each message is passed here (a returned unfinished stage delays the
 *     next one) instead of being queued for {@code readMessage()}
 */
public record WebSocketClientOptions(ConnectOptions connect, Duration handshakeTimeout, long maxMessageSize,
        Duration pingInterval, Duration pingTimeout, List<String> subprotocols, CompressionOptions compression,
        HttpHeaders headers, Function<WebSocketMessage, CompletionStage<?>> onMessage) {

    /** Validates and copies. */
    public WebSocketClientOptions {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(pingTimeout, "pingTimeout");
        if (maxMessageSize <= 0) {
            throw new IllegalArgumentException("maxMessageSize must be positive: " + maxMessageSize);
        }
        subprotocols = List.copyOf(subprotocols);
        headers = headers == null ? new HttpHeaders() : headers.copy();
    }

    /**
     * Defaults: 20 s handshake timeout, 10 MiB messages, no pings, no subprotocols, no compression.
     *
     * @return the defaults
     */
    public static WebSocketClientOptions defaults() {
        return new WebSocketClientOptions(ConnectOptions.defaults(), Duration.ofSeconds(20),
                WebSocketProtocol.Settings.DEFAULT_MAX_MESSAGE_SIZE, Duration.ZERO, Duration.ZERO, List.of(), null, null,
                null);
    }

    /**
     * With TCP/TLS options.
     *
     * @param c TCP/TLS options: the loop, the connect timeout, the TLS context for {@code wss} (the JDK default context when none is set)
     * @return a copy with this value replaced
     */
    public WebSocketClientOptions withConnect(ConnectOptions c) {
        return new WebSocketClientOptions(c, handshakeTimeout, maxMessageSize, pingInterval, pingTimeout, subprotocols,
                compression, headers, onMessage);
    }

    /**
     * With another handshake timeout.
     *
     * @param t limit for the opening handshake after connecting (Tornado: 20 s)
     * @return a copy with this value replaced
     */
    public WebSocketClientOptions withHandshakeTimeout(Duration t) {
        return new WebSocketClientOptions(connect, t, maxMessageSize, pingInterval, pingTimeout, subprotocols,
                compression, headers, onMessage);
    }

    /**
     * With another message size limit.
     *
     * @param max largest message accepted; larger closes with 1009 (default 10 MiB)
     * @return a copy with this value replaced
     */
    public WebSocketClientOptions withMaxMessageSize(long max) {
        return new WebSocketClientOptions(connect, handshakeTimeout, max, pingInterval, pingTimeout, subprotocols,
                compression, headers, onMessage);
    }

    /**
     * With keep-alive pings; the timeout defaults to the interval.
     *
     * @param interval ping the server this often; zero for never
     * @return a copy with this value replaced
     */
    public WebSocketClientOptions withPingInterval(Duration interval) {
        return new WebSocketClientOptions(connect, handshakeTimeout, maxMessageSize, interval, interval, subprotocols,
                compression, headers, onMessage);
    }

    /**
     * With another ping timeout (after {@link #withPingInterval}).
     *
     * @param timeout close when no pong comes within this; zero for never
     * @return a copy with this value replaced
     */
    public WebSocketClientOptions withPingTimeout(Duration timeout) {
        return new WebSocketClientOptions(connect, handshakeTimeout, maxMessageSize, pingInterval, timeout, subprotocols,
                compression, headers, onMessage);
    }

    /**
     * With subprotocols to offer.
     *
     * @param list offered in Sec-WebSocket-Protocol, in preference order
     * @return a copy with this value replaced
     */
    public WebSocketClientOptions withSubprotocols(List<String> list) {
        return new WebSocketClientOptions(connect, handshakeTimeout, maxMessageSize, pingInterval, pingTimeout, list,
                compression, headers, onMessage);
    }

    /**
     * With permessage-deflate offered (null: none).
     *
     * @param c permessage-deflate to offer, or null for none
     * @return a copy with this value replaced
     */
    public WebSocketClientOptions withCompression(CompressionOptions c) {
        return new WebSocketClientOptions(connect, handshakeTimeout, maxMessageSize, pingInterval, pingTimeout,
                subprotocols, c, headers, onMessage);
    }

    /**
     * With extra request headers.
     *
     * @param h extra request headers (cookies, authorization, origin)
     * @return a copy with this value replaced
     */
    public WebSocketClientOptions withHeaders(HttpHeaders h) {
        return new WebSocketClientOptions(connect, handshakeTimeout, maxMessageSize, pingInterval, pingTimeout,
                subprotocols, compression, h, onMessage);
    }

    /**
     * With a message callback instead of {@code readMessage()}.
     *
     * @param callback if set, each message is passed here (a returned unfinished stage delays the next one) instead of being queued for {@code readMessage()}
     * @return a copy with this value replaced
     */
    public WebSocketClientOptions withOnMessage(Function<WebSocketMessage, CompletionStage<?>> callback) {
        return new WebSocketClientOptions(connect, handshakeTimeout, maxMessageSize, pingInterval, pingTimeout,
                subprotocols, compression, headers, callback);
    }
}
