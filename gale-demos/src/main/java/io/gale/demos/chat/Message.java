package io.gale.demos.chat;

import io.gale.escape.Escape;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One chat message, as Tornado's chat demo has it: a random id, the text as typed, and its HTML
 * rendering ({@code message.html}, escaped and linkified by the template). This is also the wire
 * format: the JSON {@code {"id", "body", "html"}} that {@code /a/message/new} answers,
 * {@code /a/message/updates} lists and the pub/sub channel carries between processes.
 *
 * @param id a UUID, the cursor of {@code /a/message/updates}
 * @param body what the user typed
 * @param html the rendering shown in the page (trusted: made by a chat process, never by a user)
 */
record Message(String id, String body, String html) {
    /** A fresh id for a new message. */
    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** The JSON text (UTF-8), as published to the channel. */
    byte[] toJson() {
        return Escape.jsonEncodeUtf8(this);
    }

    /**
     * Reads a message from the channel.
     *
     * @throws IllegalArgumentException if it is not JSON or lacks one of the three strings
     */
    static Message fromJson(byte[] json) {
        Message m = Escape.jsonDecode(new String(json, StandardCharsets.UTF_8), Message.class);
        if (m == null || m.id() == null || m.body() == null || m.html() == null) {
            throw new IllegalArgumentException("not a chat message: id, body and html are required");
        }
        return m;
    }
}
