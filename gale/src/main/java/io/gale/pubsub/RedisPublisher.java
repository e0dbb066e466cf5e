package io.gale.pubsub;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The publishing half of {@link RedisPubSub}: {@code PUBLISH} commands pipelined on their own
 * connection, each future completed by its reply in order (Redis answers commands in order; the
 * reply is the number of clients that received the message, which is not needed here).
 *
 * <p>Failures, each counted once: not connected → at once; more than
 * {@link PubSubLimits#maxPendingPublishes()} unanswered → at once; connection lost → every
 * unanswered publish (it may or may not have reached the broker: the client cannot know, so it
 * says it failed); an error reply → that publish; the oldest publish unanswered for
 * {@link PubSubLimits#replyTimeout()} → the connection is taken for dead and dropped, which fails
 * every unanswered publish and reconnects (a stopped or wedged server cannot hang publishers).
 *
 * <p>Threading: loop-confined (the PubSub's loop).
 */
final class RedisPublisher implements RedisConnection.Handler {
    private static final byte[] PUBLISH = "PUBLISH".getBytes(StandardCharsets.US_ASCII);

    private final PubSubLimits limits;
    private final Counters counters;
    private final IOLoop loop;
    private final ArrayDeque<CompletableFuture<Void>> pending = new ArrayDeque<>();
    /** When each pending publish was sent (System.nanoTime), in the same order. */
    private final ArrayDeque<Long> sentAt = new ArrayDeque<>();
    private RedisConnection connection;
    private Timeout replyTimer;

    RedisPublisher(IOLoop loop, PubSubLimits limits, Counters counters) {
        this.loop = loop;
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
        sentAt.addLast(System.nanoTime());
        if (replyTimer == null) {
            armReplyTimer();
        }
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
        sentAt.pollFirst();
        if (value instanceof RespError e) {
            Publishes.fail(counters, f, new PubSubException("Redis refused PUBLISH: " + e.message()));
        } else {
            Publishes.succeed(counters, f);
        }
    }

    /** One timer at a time, due when the oldest unanswered publish runs out of time. */
    private void armReplyTimer() {
        long due = sentAt.peekFirst() + limits.replyTimeout().toNanos();
        replyTimer = loop.callLater(due - System.nanoTime(), TimeUnit.NANOSECONDS, this::checkReplies);
    }

    private void checkReplies() {
        replyTimer = null;
        Long oldest = sentAt.peekFirst();
        if (oldest == null) {
            return;
        }
        if (System.nanoTime() - oldest >= limits.replyTimeout().toNanos()) {
            connection.abort(new TimeoutException("the Redis server left a PUBLISH unanswered for "
                + limits.replyTimeout() + " (PubSubLimits.replyTimeout)"));
        } else {
            armReplyTimer();
        }
    }

    @Override
    public void onDisconnected(Throwable cause) {
        sentAt.clear();
        if (replyTimer != null) {
            replyTimer.cancel();
            replyTimer = null;
        }
        CompletableFuture<Void> f;
        while ((f = pending.pollFirst()) != null) {
            Publishes.fail(counters, f, new PubSubException(
                "connection to the Redis server lost before it acknowledged the publish: " + cause, cause));
        }
    }
}
