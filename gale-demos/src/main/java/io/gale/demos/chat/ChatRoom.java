package io.gale.demos.chat;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import io.gale.pubsub.PubSub;
import io.gale.pubsub.PubSubMessage;
import io.gale.pubsub.Subscription;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat room: a {@link MessageBuffer} fed from a pub/sub channel. A new message is published
 * to the channel, and the buffer takes every message from the channel, its own included. In one
 * process the channel is {@link PubSub#inProcess()}; with {@code --pubsub redis://...} or
 * {@code nats://...} every chat process behind a load balancer subscribes to the same channel,
 * so they share one room: a message posted to one process wakes the long polls held by all of
 * them, and every process keeps the same cache in the broker's order.
 *
 * <p><b>Order.</b> The buffer takes messages only from the channel, never straight from a post, so
 * every process's buffer holds the same messages in the same (the broker's) order, and a cursor
 * from one process means the same at another: a browser's polls may go to any process. A post
 * completes once its message is back in this process's buffer (read your writes: the poster's
 * next poll, here, finds it), or after {@link #ECHO_TIMEOUT} if the broker took it but this
 * process's subscription did not deliver it back (a subscriber reconnecting).
 *
 * <p>Threading: {@link #post} from any thread; the buffer is filled on the subscription's loop.
 * A message on the channel that is not a chat message (another program publishing there) is
 * logged and dropped.
 */
final class ChatRoom implements AutoCloseable {
    /** The channel every chat process of one room shares. */
    static final String CHANNEL = "gale.chat.messages";
    /** How long a post waits for its message to come back from the broker. */
    static final Duration ECHO_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger("gale.demos.chat");

    private final PubSub bus;
    private final IOLoop loop;
    private final MessageBuffer buffer = new MessageBuffer();
    private final Subscription subscription;
    /** Posts of this process waiting for their message to come back, by message id. */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> echoes = new ConcurrentHashMap<>();

    private ChatRoom(PubSub bus, IOLoop loop) {
        this.bus = bus;
        this.loop = loop;
        this.subscription = bus.subscribe(CHANNEL, this::received, loop);
    }

    /**
     * Joins the room on {@code bus}; the buffer is filled on {@code loop}. Completes once the
     * broker confirmed the subscription (from then on every message published reaches this room).
     */
    static CompletableFuture<ChatRoom> open(PubSub bus, IOLoop loop) {
        ChatRoom room = new ChatRoom(bus, loop);
        return room.subscription.subscribed().thenApply(v -> room);
    }

    /**
     * Publishes {@code m}; completes when it is in this process's buffer (see the class comment),
     * fails when the broker did not take it (the broker is down).
     */
    CompletableFuture<Void> post(Message m) {
        CompletableFuture<Void> echoed = new CompletableFuture<>();
        echoes.put(m.id(), echoed);
        echoed.whenComplete((v, e) -> echoes.remove(m.id()));
        bus.publish(CHANNEL, m.toJson()).whenComplete((v, e) -> {
            if (e != null) {
                echoed.completeExceptionally(e);
            } else if (!echoed.isDone()) {
                Timeout giveUp = loop.callLater(ECHO_TIMEOUT, () -> echoed.complete(null));
                echoed.whenComplete((x, y) -> giveUp.cancel());
            }
        });
        return echoed;
    }

    MessageBuffer buffer() {
        return buffer;
    }

    private void received(PubSubMessage m) {
        Message message;
        try {
            message = Message.fromJson(m.payload());
        } catch (IllegalArgumentException e) {
            LOG.warn("dropped a message on {} that is not a chat message: {}", CHANNEL, e.getMessage());
            return;
        }
        // The poster's answer is handed to its loop before the wake-ups of the waiting polls, as
        // Tornado's demo writes it before notifying: a post is answered at once, not after 10,000 polls.
        CompletableFuture<Void> echoed = echoes.get(message.id());
        buffer.add(message, echoed == null ? () -> { } : () -> echoed.complete(null));
    }

    /** Leaves the channel (the bus stays open: it is the caller's). */
    @Override
    public void close() {
        subscription.unsubscribe();
    }
}
