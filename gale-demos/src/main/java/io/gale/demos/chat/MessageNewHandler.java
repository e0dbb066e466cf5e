package io.gale.demos.chat;

import io.gale.web.HttpError;
import io.gale.web.RequestHandler;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /a/message/new} (field {@code body}, and the {@code _xsrf} field or
 * {@code X-XSRFToken} header that the {@code xsrfCookies} setting checks before this runs): gives
 * the message an id and its HTML ({@code templates/message.html}), publishes it to the room and
 * answers it as JSON {@code {"id", "body", "html"}}. A form posted without JavaScript sends
 * {@code next} (the page's path) and is redirected back there instead; a {@code next} that is not
 * a local path goes to {@code /}, never to another site.
 *
 * <p>The answer waits until the message is in this process's room (it went through the channel:
 * see {@link ChatRoom}); when the broker cannot take it (it is down), 503, and the client may
 * post again.
 */
final class MessageNewHandler extends RequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger("gale.demos.chat");
    private final ChatRoom room;

    MessageNewHandler(ChatRoom room) {
        this.room = room;
    }

    public CompletionStage<Void> post() {
        String id = Message.newId();
        String body = getArgument("body");
        String html = renderString("message.html", Map.of("message", Map.of("id", id, "body", body)));
        Message message = new Message(id, body, html);
        // Continue on this handler's loop: a broker's acknowledgement arrives on its own thread.
        return room.post(message).handleAsync((sent, failure) -> {
            if (failure != null) {
                LOG.warn("message not published: {}", failure.getMessage());
                throw HttpError.withReason(503, "Service Unavailable", "the chat broker did not take the message");
            }
            if (getArgument("next", null) != null) {
                redirect(safeNextUrl("/"));
            } else {
                write(message);
            }
            return null;
        }, loop());
    }
}
