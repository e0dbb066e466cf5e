package io.gale.demos.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gale.websocket.CloseCodes;
import io.gale.websocket.CompressionOptions;
import io.gale.websocket.WebSocketHandler;
import io.gale.websocket.WebSocketMessage;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /chatsocket} (Tornado's {@code ChatSocketHandler}): on open the socket joins the room and
 * receives the cached messages; each {@code {"body": "..."}} it sends gets an id and its HTML
 * ({@code templates/message.html}: escaped, links made clickable) and is posted to the room,
 * which broadcasts it to every socket. Anything else closes the socket with 1003.
 *
 * <p>Threading: one per connection, on its loop; the room is the shared, thread-safe part.
 */
final class ChatSocketHandler extends WebSocketHandler implements ChatRoom.Member {
    private static final Logger log = LoggerFactory.getLogger(ChatSocketHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A chat line, not a file transfer. */
    private static final long MAX_MESSAGE_SIZE = 64 * 1024;

    private final ChatRoom room;

    ChatSocketHandler(ChatRoom room) {
        this.room = room;
    }

    @Override
    protected CompletionStage<?> open(String... args) {
        room.join(this);
        return null;
    }

    @Override
    protected CompletionStage<?> onMessage(String message) {
        String body = body(message);
        if (body == null) {
            close(CloseCodes.UNSUPPORTED_DATA, "expected JSON {\"body\": \"...\"}");
            return null;
        }
        log.debug("got message {}", body);
        String id = ChatRoom.newId();
        room.post(id, body, renderString("message.html", Map.of("message", Map.of("id", id, "body", body))));
        return null;
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
    public void send(WebSocketMessage message) {
        // Failures mean the socket is closing; onClose takes it out of the room.
        writeMessage(message);
    }

    @Override
    protected void onClose() {
        room.leave(this);
    }

    @Override
    protected long maxMessageSize() {
        return MAX_MESSAGE_SIZE;
    }

    @Override
    protected CompressionOptions getCompressionOptions() {
        // Without server context takeover the compressed broadcast frame is shared by all sockets.
        return CompressionOptions.defaults().withServerNoContextTakeover(true);
    }
}
