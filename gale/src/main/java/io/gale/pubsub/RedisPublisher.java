package io.gale.pubsub;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * The publishing half of {@link RedisPubSub}: {@code PUBLISH} commands pipelined on their own
 * connection, each future completed by its reply in order (Redis answers commands in order; the
 * reply is the number of clients that received the message, which is not needed here).
 *
 * <p>Failures, each counted once: not connected → at once; more than
 * {@link PubSubLimits#maxPendingPublishes()} unanswered → at once; connection lost → every
 * unanswered publish (it may or may not have reached the broker: the client cannot know, so it
 * says it failed); an error reply → that publish.
 *
 * <p>Threading: loop-confined (the PubSub's loop).
 */
final class RedisPublisher implements RedisConnection.Handler {
    private static final byte[] PUBLISH = "PUBLISH".getBytes(StandardCharsets.US_ASCII);

    private final PubSubLimits limits;
    private final Counters counters;
    private final ArrayDeque<CompletableFuture<Void>> pending = new ArrayDeque<>();
    private RedisConnection connection;

    RedisPublisher(PubSubLimits limits, Counters counters) {
        this.limits = limits;
        this.counters = counters;
    }

    void attach(RedisConnection connection) {
        this.connection = connection;
    }

    RedisConnection connection() {
        return connection;
    }

    void publish(String channel, byte[] payload, CompletableFuture<Void> result) {
        if (!connection.isConnected()) {
            Throwable why = connection.lastError();
            Publishes.fail(counters, result, new PubSubException("not connected to the Redis server"
                + (why == null ? "" : " (" + why + ")") + ": message to '" + channel + "' not sent", why));
            return;
        }
        if (pending.size() >= limits.maxPendingPublishes()) {
            Publishes.fail(counters, result, new PubSubException(pending.size()
                + " publishes await the broker's answer (PubSubLimits.maxPendingPublishes): message to '"
                + channel + "' not sent"));
            return;
        }
        pending.addLast(result);
        connection.send(RespWriter.command(PUBLISH, channel.getBytes(StandardCharsets.UTF_8), payload));
    }

    @Override
    public void onConnected() {
    }

    @Override
    public void onValue(Object value) {
        CompletableFuture<Void> f = pending.pollFirst();
        if (f == null) {
            throw new RespProtocolException("a reply nobody asked for");
        }
        if (value instanceof RespError e) {
            Publishes.fail(counters, f, new PubSubException("Redis refused PUBLISH: " + e.message()));
        } else {
            Publishes.succeed(counters, f);
        }
    }

    @Override
    public void onDisconnected(Throwable cause) {
        CompletableFuture<Void> f;
        while ((f = pending.pollFirst()) != null) {
            Publishes.fail(counters, f, new PubSubException(
                "connection to the Redis server lost before it acknowledged the publish: " + cause, cause));
        }
    }
}
