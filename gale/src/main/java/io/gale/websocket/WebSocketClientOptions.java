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
 * WebSocketClientOptions opts = WebSocketClientOptions.builder()
 *         .connect(ConnectOptions.builder().loop(loop).timeout(Duration.ofSeconds(5)).build())
 *         .compression(CompressionOptions.defaults())
 *         .subprotocols(List.of("chat")).build();
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
     * A builder starting from the defaults ({@link #defaults()}).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder(defaults());
    }

    /**
     * A builder starting from these options, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builder of {@link WebSocketClientOptions}: starts from the defaults ({@link #builder()}) or from existing
     * options ({@link #toBuilder()}); {@link #build()} validates. Not thread-safe.
     */
    public static final class Builder {
        private ConnectOptions connect;
        private Duration handshakeTimeout;
        private long maxMessageSize;
        private Duration pingInterval;
        private Duration pingTimeout;
        private List<String> subprotocols;
        private CompressionOptions compression;
        private HttpHeaders headers;
        private Function<WebSocketMessage, CompletionStage<?>> onMessage;

        private Builder(WebSocketClientOptions from) {
            connect = from.connect;
            handshakeTimeout = from.handshakeTimeout;
            maxMessageSize = from.maxMessageSize;
            pingInterval = from.pingInterval;
            pingTimeout = from.pingTimeout;
            subprotocols = from.subprotocols;
            compression = from.compression;
            headers = from.headers;
            onMessage = from.onMessage;
        }

        /**
         * With TCP/TLS options.
         *
         * @param c TCP/TLS options: the loop, the connect timeout, the TLS context for {@code wss} (the JDK default context when none is set)
         * @return this builder
         */
        public Builder connect(ConnectOptions c) {
            this.connect = c;
            return this;
        }

        /**
         * With another handshake timeout.
         *
         * @param t limit for the opening handshake after connecting (Tornado: 20 s)
         * @return this builder
         */
        public Builder handshakeTimeout(Duration t) {
            this.handshakeTimeout = t;
            return this;
        }

        /**
         * With another message size limit.
         *
         * @param max largest message accepted; larger closes with 1009 (default 10 MiB)
         * @return this builder
         */
        public Builder maxMessageSize(long max) {
            this.maxMessageSize = max;
            return this;
        }

        /**
         * With keep-alive pings; the timeout defaults to the interval.
         *
         * @param interval ping the server this often; zero for never
         * @return this builder
         */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = interval;
            this.pingTimeout = interval;
            return this;
        }

        /**
         * With another ping timeout (after {@link #pingInterval}).
         *
         * @param timeout close when no pong comes within this; zero for never
         * @return this builder
         */
        public Builder pingTimeout(Duration timeout) {
            this.pingTimeout = timeout;
            return this;
        }

        /**
         * With subprotocols to offer.
         *
         * @param list offered in Sec-WebSocket-Protocol, in preference order
         * @return this builder
         */
        public Builder subprotocols(List<String> list) {
            this.subprotocols = list;
            return this;
        }

        /**
         * With permessage-deflate offered (null: none).
         *
         * @param c permessage-deflate to offer, or null for none
         * @return this builder
         */
        public Builder compression(CompressionOptions c) {
            this.compression = c;
            return this;
        }

        /**
         * With extra request headers.
         *
         * @param h extra request headers (cookies, authorization, origin)
         * @return this builder
         */
        public Builder headers(HttpHeaders h) {
            this.headers = h;
            return this;
        }

        /**
         * With a message callback instead of {@code readMessage()}.
         *
         * @param callback if set, each message is passed here (a returned unfinished stage delays the next one) instead of being queued for {@code readMessage()}
         * @return this builder
         */
        public Builder onMessage(Function<WebSocketMessage, CompletionStage<?>> callback) {
            this.onMessage = callback;
            return this;
        }

        /**
         * Builds the options, validated as the record's constructor says.
         *
         * @return the options
         */
        public WebSocketClientOptions build() {
            return new WebSocketClientOptions(connect, handshakeTimeout, maxMessageSize, pingInterval, pingTimeout, subprotocols, compression, headers, onMessage);
        }
    }
}
