package io.gale.demos.chat;

import io.gale.web.RequestHandler;
import java.util.Map;

/**
 * {@code GET /}: the chat page ({@code templates/index.html}) with the cached messages, the form
 * (its XSRF field included) and the script that long-polls for more.
 */
final class MainHandler extends RequestHandler {
    private final ChatRoom room;

    MainHandler(ChatRoom room) {
        this.room = room;
    }

    public void get() {
        render("index.html", Map.of("messages", room.buffer().messages()));
    }
}
