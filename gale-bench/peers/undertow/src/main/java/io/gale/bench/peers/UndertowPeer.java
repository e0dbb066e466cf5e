package io.gale.bench.peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Undertow core peer; the handler runs on the XNIO I/O threads (no dispatch to a worker), the
 * fastest way Undertow serves small responses.
 *
 * <p>Usage: {@code UndertowPeer --port N}. Serves {@code /plaintext} and {@code /json} on
 * 127.0.0.1 until killed.
 */
public final class UndertowPeer {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ByteBuffer HELLO =
            ByteBuffer.allocateDirect(13).put("Hello, World!".getBytes(StandardCharsets.US_ASCII)).flip();

    private UndertowPeer() {}

    public static void main(String[] args) {
        PeerArgs a = PeerArgs.parse(args);
        Undertow server = Undertow.builder()
                .addHttpListener(a.port(), "127.0.0.1")
                .setHandler(ex -> {
                    ex.getResponseHeaders().put(Headers.SERVER, "Undertow");
                    switch (ex.getRequestPath()) {
                        case "/plaintext" -> {
                            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                            ex.getResponseSender().send(HELLO.duplicate());
                        }
                        case "/json" -> {
                            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                            ex.getResponseSender().send(
                                    ByteBuffer.wrap(MAPPER.writeValueAsBytes(Map.of("message", "Hello, World!"))));
                        }
                        default -> ex.setStatusCode(404).endExchange();
                    }
                }).build();
        server.start();
        System.out.println("undertow listening on 127.0.0.1:" + a.port());
    }
}
