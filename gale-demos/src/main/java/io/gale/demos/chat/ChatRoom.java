package io.gale.demos.chat;

import io.gale.ioloop.IOLoop;
import io.gale.pubsub.PubSub;
import io.gale.pubsub.PubSubMessage;
import io.gale.pubsub.Subscription;
import java.util.concurrent.CompletableFuture;
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
 * <p>Threading: {@link #post} from any thread; the buffer is filled on the subscription's loop.
 * A message on the channel that is not a chat message (another program publishing there) is
 * logged and dropped.
 */
final class ChatRoom implements AutoCloseable {
    /** The channel every chat process of one room shares. */
    static final String CHANNEL = "gale.chat.messages";
    private static final Logger LOG = LoggerFactory.getLogger("gale.demos.chat");

    private final PubSub bus;
    private final MessageBuffer buffer = new MessageBuffer();
    private final Subscription subscription;

    private ChatRoom(PubSub bus, IOLoop loop) {
        this.bus = bus;
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

    /** Publishes {@code m}; completes when the broker took it, fails when it could not (the broker is down). */
    CompletableFuture<Void> post(Message m) {
        return bus.publish(CHANNEL, m.toJson());
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
        buffer.add(message);
    }

    /** Leaves the channel (the bus stays open: it is the caller's). */
    @Override
    public void close() {
        subscription.unsubscribe();
    }
}
