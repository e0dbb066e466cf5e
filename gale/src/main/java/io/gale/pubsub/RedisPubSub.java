package io.gale.pubsub;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.IOLoopOptions;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * {@link PubSub} over Redis pub/sub, with Gale's own RESP2 client: two connections to the server,
 * one publishing ({@link RedisPublisher}: pipelined {@code PUBLISH}, futures completed by the
 * replies) and one subscribed ({@link RedisSubscriber}: every channel this process listens to,
 * whatever the number of local subscribers), both on one dedicated {@link IOLoop} thread of this
 * PubSub, each reconnecting by itself ({@link RedisConnection}).
 *
 * <p>Why a loop of its own: the broker's socket is read as fast as Redis writes, whatever the
 * application's loops are doing; messages wait in the subscribers' bounded queues, where the
 * overflow policy applies, rather than in Redis's output buffer, where Redis would disconnect the
 * whole process ({@code client-output-buffer-limit pubsub}).
 */
final class RedisPubSub implements PubSub {
    private static final AtomicInteger ids = new AtomicInteger();

    private final BrokerAddress address;
    private final PubSubLimits limits;
    private final Counters counters = new Counters();
    private final IOLoop loop;
    private final RedisPublisher publisher;
    private final RedisSubscriber subscriber;
    private final LocalFanout fanout;
    private volatile boolean closed;

    private RedisPubSub(BrokerAddress address, PubSubLimits limits) {
        this.address = address;
        this.limits = limits;
        this.loop = new IOLoop(IOLoopOptions.builder().name("gale-pubsub-redis-" + ids.incrementAndGet())
            .daemon(true).build());
        this.publisher = new RedisPublisher(loop, limits, counters);
        this.subscriber = new RedisSubscriber();
        this.fanout = new LocalFanout(limits, counters, new LocalFanout.BrokerLink() {
            @Override
            public CompletableFuture<Void> subscribe(String channel) {
                CompletableFuture<Void> confirmation = new CompletableFuture<>();
                loop.runOrSubmit(() -> subscriber.subscribe(channel, confirmation));
                return confirmation;
            }

            @Override
            public void unsubscribe(String channel) {
                loop.runOrSubmit(() -> subscriber.unsubscribe(channel));
            }
        });
        publisher.attach(new RedisConnection("redis-publisher", address, loop, limits, counters, publisher));
        subscriber.attach(new RedisConnection("redis-subscriber", address, loop, limits, counters, subscriber), fanout);
    }

    static CompletableFuture<PubSub> connect(BrokerAddress address, PubSubLimits limits) {
        Objects.requireNonNull(limits, "limits");
        RedisPubSub p = new RedisPubSub(address, limits);
        p.loop.startInBackground();
        CompletableFuture<PubSub> result = new CompletableFuture<>();
        p.loop.addCallback(() -> CompletableFuture.allOf(p.publisher.connection().start(),
                p.subscriber.connection().start())
            .whenComplete((v, e) -> {
                if (e == null) {
                    result.complete(p);
                } else {
                    p.close();
                    result.completeExceptionally(io.gale.concurrent.Futures.unwrap(e));
                }
            }));
        return result;
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
        CompletableFuture<Void> result = new CompletableFuture<>();
        loop.runOrSubmit(() -> {
            if (closed) {
                Publishes.fail(counters, result, new PubSubException("PubSub is closed"));
            } else {
                publisher.publish(channel, payload, result);
            }
        });
        return result;
    }

    @Override
    public Subscription subscribe(String channel, Consumer<PubSubMessage> callback, IOLoop subscriberLoop) {
        return fanout.add(channel, callback, subscriberLoop);
    }

    @Override
    public PubSubStats stats() {
        return counters.snapshot(fanout.subscriptionCount(), !closed && publisher.connection().isConnected()
            && subscriber.connection().isConnected());
    }

    @Override
    public PubSubLimits limits() {
        return limits;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        fanout.close();
        loop.runOrSubmit(() -> {
            publisher.connection().close();
            subscriber.connection().close();
            // Queued behind the closes, so their writes and failures are done first.
            loop.addCallback(loop::close);
        });
    }

    @Override
    public String toString() {
        return "PubSub[" + address + "]";
    }
}
