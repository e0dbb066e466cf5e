package io.gale.websocket;

import io.gale.internal.http.Http1Parser;
import io.gale.http.Http1ParserLimits;
import io.gale.http.HttpHeaders;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import io.gale.iostream.IOStream;
import io.gale.net.ConnectOptions;
import io.gale.net.TcpClient;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * Opens WebSocket connections (Tornado's {@code websocket_connect}).
 *
 * <pre>{@code
 * WebSocketClient.connect(URI.create("ws://localhost:8888/echo"),
 *         WebSocketClientOptions.builder().connect(ConnectOptions.builder().loop(loop).build()).build())
 *     .thenCompose(ws -> ws.writeMessage("hi").thenCompose(v -> ws.readMessage()))
 *     .thenAccept(m -> System.out.println(m.text()));
 * }</pre>
 *
 * <p>{@code ws://} and {@code wss://} (TLS through {@link TcpClient}); redirects are not
 * followed; a non-101 answer fails with {@link WebSocketHandshakeException}. The client masks
 * every frame with a key from {@link SecureRandom}. Stateless; safe from any thread.
 */
public final class WebSocketClient {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TcpClient TCP = new TcpClient();

    private WebSocketClient() {
    }

    /**
     * Connects with default options on the calling thread's loop.
     *
     * @param url the URL
     * @return a future of the web socket client connection
     */
    public static CompletableFuture<WebSocketClientConnection> connect(String url) {
        return connect(URI.create(url), WebSocketClientOptions.defaults());
    }

    /**
     * Connects and performs the opening handshake.
     *
     * @param url the URL
     * @param options the options
     * @return completes on the loop with the open connection; fails with
     *     {@link WebSocketHandshakeException}, {@link TimeoutException} (connect or handshake timeout) or
     *     the connection's I/O error
     * @throws IllegalArgumentException for a URL that is not ws:// or wss:// with a host
     */
    public static CompletableFuture<WebSocketClientConnection> connect(URI url, WebSocketClientOptions options) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        boolean tls = switch (scheme) {
            case "ws" -> false;
            case "wss" -> true;
            default -> throw new IllegalArgumentException("not a ws:// or wss:// URL: " + url);
        };
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("URL without host: " + url);
        }
        int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
        ConnectOptions connect = options.connect();
        if (connect.loop() == null) {
            IOLoop current = IOLoop.current();
            if (current == null) {
                throw new IllegalStateException("WebSocketClient.connect needs a loop: call it on an IOLoop thread"
                        + " or set WebSocketClientOptions.builder().connect(ConnectOptions.builder().loop(loop).build()).build()");
            }
            connect = connect.toBuilder().loop(current).build();
        }
        if (tls && connect.sslContext() == null && connect.tls() == null) {
            try {
                connect = connect.toBuilder().tls(SSLContext.getDefault()).build();
            } catch (NoSuchAlgorithmException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        String hostHeader = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
                + (url.getPort() > 0 ? ":" + url.getPort() : "");
        String key = Handshake.newKey(RANDOM);
        byte[] request = request(path, hostHeader, key, options);
        // Async on the loop: the connect future may complete before this continuation is attached.
        return TCP.connect(host, port, connect).thenComposeAsync(stream -> handshake(stream, request, key, options),
                connect.loop());
    }

    private static byte[] request(String path, String host, String key, WebSocketClientOptions options) {
        StringBuilder b = new StringBuilder(256);
        b.append("GET ").append(path).append(" HTTP/1.1\r\n");
        b.append("Host: ").append(host).append("\r\n");
        b.append("Upgrade: websocket\r\nConnection: Upgrade\r\n");
        b.append("Sec-WebSocket-Key: ").append(key).append("\r\n");
        b.append("Sec-WebSocket-Version: 13\r\n");
        if (!options.subprotocols().isEmpty()) {
            b.append("Sec-WebSocket-Protocol: ").append(String.join(", ", options.subprotocols())).append("\r\n");
        }
        if (options.compression() != null) {
            b.append("Sec-WebSocket-Extensions: ").append(PerMessageDeflate.clientOffer(options.compression()))
                    .append("\r\n");
        }
        options.headers().forEach((name, value) -> {
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || name.indexOf(':') >= 0) {
                throw new IllegalArgumentException("invalid header " + name);
            }
            b.append(name).append(": ").append(value).append("\r\n");
        });
        b.append("\r\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static CompletableFuture<WebSocketClientConnection> handshake(IOStream stream, byte[] request, String key,
            WebSocketClientOptions options) {
        CompletableFuture<WebSocketClientConnection> result = new CompletableFuture<>();
        Timeout timer = stream.loop().callLater(options.handshakeTimeout(), () -> {
            if (result.completeExceptionally(new TimeoutException("WebSocket handshake timed out"))) {
                stream.close();
            }
        });
        result.whenComplete((c, e) -> timer.cancel());
        stream.write(request).whenComplete((v, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            }
        });
        Http1Parser parser = Http1Parser.forResponses(Http1ParserLimits.DEFAULTS);
        parser.expectResponseTo("GET");
        readResponse(stream, parser, key, options, result);
        return result;
    }

    private static void readResponse(IOStream stream, Http1Parser parser, String key, WebSocketClientOptions options,
            CompletableFuture<WebSocketClientConnection> result) {
        if (result.isDone()) {
            return;
        }
        stream.readBytes(16 * 1024, true).whenComplete((bytes, error) -> {
            if (error != null) {
                result.completeExceptionally(new WebSocketHandshakeException(0,
                        "connection closed during the handshake: " + error));
                return;
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (true) {
                switch (parser.next(buf)) {
                    case NEED_MORE -> {
                        readResponse(stream, parser, key, options, result);
                        return;
                    }
                    case HEAD -> {
                        if (parser.status() != 101) {
                            stream.close();
                            result.completeExceptionally(new WebSocketHandshakeException(parser.status(),
                                    "Non-websocket response: " + parser.status() + " " + parser.reason()));
                            return;
                        }
                    }
                    case BODY, MESSAGE_COMPLETE -> { }
                    case UPGRADE -> {
                        byte[] leftover = new byte[buf.remaining()];
                        buf.get(leftover);
                        open(stream, parser.headers(), key, options, leftover, result);
                        return;
                    }
                    default -> {
                        stream.close();
                        result.completeExceptionally(new WebSocketHandshakeException(0,
                                "malformed handshake response: " + parser.error()));
                        return;
                    }
                }
            }
        });
    }

    private static void open(IOStream stream, HttpHeaders headers, String key, WebSocketClientOptions options,
            byte[] leftover, CompletableFuture<WebSocketClientConnection> result) {
        String failure = null;
        DeflateParams deflate = null;
        String subprotocol = headers.get("Sec-WebSocket-Protocol");
        if (!headers.containsValue("Upgrade", "websocket", true)) {
            failure = "101 without Upgrade: websocket";
        } else if (!headers.containsValue("Connection", "upgrade", true)) {
            failure = "101 without Connection: upgrade";
        } else if (!Handshake.acceptValue(key).equals(headers.get("Sec-WebSocket-Accept", "").trim())) {
            failure = "wrong Sec-WebSocket-Accept";
        } else if (subprotocol != null && !options.subprotocols().contains(subprotocol.trim())) {
            failure = "server selected a subprotocol that was not offered: " + subprotocol;
        } else {
            try {
                deflate = PerMessageDeflate.clientAccept(headers.getAll("Sec-WebSocket-Extensions"),
                        options.compression());
            } catch (IllegalArgumentException e) {
                failure = e.getMessage();
            }
        }
        if (failure != null) {
            stream.close();
            result.completeExceptionally(new WebSocketHandshakeException(101, failure));
            return;
        }
        DeflateParams negotiated = deflate;
        WebSocketProtocol.Settings settings = new WebSocketProtocol.Settings(options.maxMessageSize(),
                options.pingInterval(), options.pingTimeout(), java.time.Duration.ofSeconds(5));
        WebSocketClientConnection connection = new WebSocketClientConnection(
                listener -> new WebSocketProtocol(stream, false, listener, settings, negotiated), headers.copy(),
                subprotocol == null ? null : subprotocol.trim(), options.onMessage());
        if (result.complete(connection)) {
            connection.protocol().start(leftover);
        }
    }

}
