package io.gale.bench.peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Helidon SE 4 peer (Níma: one virtual thread per request, blocking style).
 *
 * <p>Usage: {@code HelidonPeer --port N}. Serves {@code /plaintext} and {@code /json} on
 * 127.0.0.1 until killed.
 */
public final class HelidonPeer {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private HelidonPeer() {}

    public static void main(String[] args) {
        PeerArgs a = PeerArgs.parse(args);
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(a.port())
                .backlog(4096)
                .routing(r -> r
                        .get("/plaintext", (req, res) -> {
                            res.header(HeaderNames.SERVER, "Helidon");
                            res.header(HeaderNames.CONTENT_TYPE, "text/plain");
                            res.send(HELLO);
                        })
                        .get("/json", (req, res) -> {
                            res.header(HeaderNames.SERVER, "Helidon");
                            res.header(HeaderNames.CONTENT_TYPE, "application/json");
                            res.send(MAPPER.writeValueAsBytes(Map.of("message", "Hello, World!")));
                        }))
                .build()
                .start();
        System.out.println("helidon listening on 127.0.0.1:" + server.port());
    }
}
