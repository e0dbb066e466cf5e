package io.gale.demos.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gale.escape.Escape;
import io.gale.websocket.CloseCodes;
import io.gale.websocket.CompressionOptions;
import io.gale.websocket.WebSocketBroadcaster;
import io.gale.websocket.WebSocketHandler;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /chatsocket} (Tornado's {@code ChatSocketHandler}): on open the socket joins the room
 * ({@link WebSocketBroadcaster#join}: the last 200 messages first, then every new one). Each
 * {@code {"body": "..."}} it sends gets an id and its HTML ({@code templates/message.html}:
 * escaped, links made clickable) and is published to the room as {@code {"id", "body", "html"}};
 * the broadcaster writes it to every socket of the room, in this process and, with
 * {@code --pubsub}, in every other. Anything else closes the socket with 1003.
 *
 * <p>The next message from a socket waits until the broker took this one (backpressure per
 * socket). When the broker cannot take it, the socket is told {@code {"error": "..."}} and stays
 * open: the room recovers when the broker is back.
 *
 * <p>Threading: one per connection, on its loop; the broadcaster is the shared, thread-safe part.
 */
final class ChatSocketHandler extends WebSocketHandler {
    private static final Logger log = LoggerFactory.getLogger(ChatSocketHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A chat line, not a file transfer. */
    private static final long MAX_MESSAGE_SIZE = 64 * 1024;
    private static final String NOT_SENT = Escape.jsonEncode(Map.of("error",
            "not sent: the chat has lost its broker; try again in a moment"));

    /** A chat message as the room carries it. */
    record Chat(String id, String body, String html) {
    }

    private final WebSocketBroadcaster rooms;

    ChatSocketHandler(WebSocketBroadcaster rooms) {
        this.rooms = rooms;
    }

    @Override
    protected CompletionStage<?> open(String... args) {
        return rooms.join(WebSocketDemo.CHANNEL, this);
    }

    @Override
    protected CompletionStage<?> onMessage(String message) {
        String body = body(message);
        if (body == null) {
            close(CloseCodes.UNSUPPORTED_DATA, "expected JSON {\"body\": \"...\"}");
            return null;
        }
        log.debug("got message {}", body);
        String id = UUID.randomUUID().toString();
        String html = renderString("message.html", Map.of("message", Map.of("id", id, "body", body)));
        return rooms.publish(WebSocketDemo.CHANNEL, Escape.jsonEncode(new Chat(id, body, html))).handle((sent, failure) -> {
            if (failure != null) {
                log.warn("message not published: {}", failure.getMessage());
                writeMessage(NOT_SENT);
            }
            return null;
        });
    }

    @Override
    protected CompletionStage<?> onMessage(byte[] message) {
        close(CloseCodes.UNSUPPORTED_DATA, "expected a text message");
        return null;
    }

    /** The string {@code body} of a JSON object, or null. */
    private static String body(String message) {
        try {
            JsonNode node = JSON.readTree(message);
            JsonNode body = node == null ? null : node.get("body");
            return body != null && body.isTextual() ? body.asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    @Override
    protected void onClose() {
        rooms.leave(WebSocketDemo.CHANNEL, this);
    }

    @Override
    protected long maxMessageSize() {
        return MAX_MESSAGE_SIZE;
    }

    @Override
    protected CompressionOptions getCompressionOptions() {
        // Without server context takeover the compressed broadcast frame is shared by all sockets.
        return CompressionOptions.builder().serverNoContextTakeover(true).build();
    }
}
