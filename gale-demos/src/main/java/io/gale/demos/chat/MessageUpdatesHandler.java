package io.gale.demos.chat;

import io.gale.web.RequestHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /a/message/updates} (field {@code cursor}: the id of the last message the client
 * has): the long poll. Answers {@code {"messages": [{"id", "body", "html"}, ...]}} with the
 * messages after the cursor, at once if there are some, else as soon as the next one arrives,
 * however long that takes. A client that leaves while waiting is heard in
 * {@link #onConnectionClose()}, which takes its waiter out of the buffer: a room that saw 10,000
 * clients come and go holds no trace of them.
 *
 * <p>Threading: on the connection's loop throughout; the buffer completes the waiter's future
 * on this loop.
 */
final class MessageUpdatesHandler extends RequestHandler {
    /** What a poll cut short by a drain tells its client to wait before polling again. */
    static final java.time.Duration RETRY_AFTER = java.time.Duration.ofSeconds(1);

    private final ChatRoom room;
    private MessageBuffer.Waiter waiter;

    MessageUpdatesHandler(ChatRoom room) {
        this.room = room;
    }

    public CompletionStage<Void> post() {
        if (isConnectionClosed()) {
            // The client left before the method ran: a waiter now would never be cancelled.
            return CompletableFuture.completedFuture(null);
        }
        waiter = room.buffer().waitForMessagesSince(getArgument("cursor", null), loop());
        // A graceful shutdown answers the waiting poll at once (503, Retry-After): the page's
        // script polls again, and a load balancer sends it to a process that is not draining.
        onDrain(() -> {
            waiter.cancel();
            sendRetryLater(RETRY_AFTER);
        });
        return waiter.messages().thenAccept(this::answer);
    }

    private void answer(List<Message> messages) {
        write(Map.of("messages", messages));
    }

    @Override
    protected void onConnectionClose() {
        if (waiter != null) {
            waiter.cancel();
        }
    }
}
