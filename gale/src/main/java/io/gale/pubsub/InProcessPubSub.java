package io.gale.pubsub;

import io.gale.ioloop.IOLoop;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The one-JVM {@link PubSub}: a publish queues the message for every subscriber of the channel
 * on the publisher's thread, and each subscriber's loop runs its callback. No broker, no copies,
 * no serialisation; subscriptions are confirmed at once.
 */
final class InProcessPubSub implements PubSub {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final PubSubLimits limits;
    private final Counters counters = new Counters();
    private final LocalFanout fanout;
    private volatile boolean closed;

    InProcessPubSub(PubSubLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.fanout = new LocalFanout(limits, counters, new LocalFanout.BrokerLink() {
            @Override
            public CompletableFuture<Void> subscribe(String channel) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void unsubscribe(String channel) {
            }
        });
    }

    @Override
    public CompletableFuture<Void> publish(String channel, byte[] payload) {
        Channels.check(channel, limits);
        Objects.requireNonNull(payload, "payload");
        if (closed) {
            return Publishes.failed(counters, new PubSubException("PubSub is closed"));
        }
        if (payload.length > limits.maxMessageSize()) {
            return Publishes.failed(counters, Publishes.tooLarge(payload.length, limits));
        }
        fanout.deliver(channel, payload);
        counters.published.increment();
        return DONE.copy();
    }

    @Override
    public Subscription subscribe(String channel, Consumer<PubSubMessage> callback, IOLoop loop) {
        return fanout.add(channel, callback, loop);
    }

    @Override
    public PubSubStats stats() {
        return counters.snapshot(fanout.subscriptionCount(), !closed);
    }

    @Override
    public PubSubLimits limits() {
        return limits;
    }

    @Override
    public void close() {
        closed = true;
        fanout.close();
    }

    @Override
    public String toString() {
        return "PubSub[in process]";
    }
}
