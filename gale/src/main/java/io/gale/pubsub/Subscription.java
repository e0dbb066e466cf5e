package io.gale.pubsub;

import io.gale.ioloop.IOLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One subscriber of one channel: the handle {@link PubSub#subscribe} returns.
 *
 * <p>Threading: every method is safe from any thread. The callback runs on {@link #loop()} only,
 * one message at a time. After {@link #unsubscribe()} returns on the subscriber's own loop, the
 * callback is not called again; called from another thread, a callback already running may
 * finish.
 *
 * <p>Messages still queued when the subscription ends are discarded: they were meant for a
 * subscriber that left (an overflow under {@link OverflowPolicy#DISCONNECT} counts them as
 * dropped).
 */
public final class Subscription {
    private final String channel;
    private final IOLoop loop;
    private final Consumer<PubSubMessage> callback;
    private final LocalFanout owner;
    private final CompletableFuture<Void> subscribed;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicBoolean active = new AtomicBoolean(true);
    final DeliveryQueue queue;

    Subscription(String channel, IOLoop loop, Consumer<PubSubMessage> callback, LocalFanout owner,
                 CompletableFuture<Void> brokerConfirmation, PubSubLimits limits, Counters counters) {
        this.channel = channel;
        this.loop = loop;
        this.callback = callback;
        this.owner = owner;
        this.subscribed = brokerConfirmation.copy();
        this.queue = new DeliveryQueue(this, limits, counters);
    }

    /**
     * The channel.
     *
     * @return the channel
     */
    public String channel() {
        return channel;
    }

    /**
     * The loop the callback runs on.
     *
     * @return the loop the callback runs on
     */
    public IOLoop loop() {
        return loop;
    }

    /**
     * Completes when the broker has confirmed the subscription (at once in process, or when the
     * channel already had a confirmed local subscriber): messages published after that reach
     * this subscriber. Fails if the PubSub closes first. A reconnection later does not reset it.
     *
     * @return the subscribed
     */
    public CompletableFuture<Void> subscribed() {
        return subscribed.copy();
    }

    /**
     * Completes when the subscription ends: normally after {@link #unsubscribe()} or
     * {@link PubSub#close()}, exceptionally with {@link SubscriberOverflowException} when it was
     * disconnected for falling behind ({@link OverflowPolicy#DISCONNECT}).
     *
     * @return the closed
     */
    public CompletableFuture<Void> closed() {
        return closed.copy();
    }

    /**
     * True until the subscription ends.
     *
     * @return true until the subscription ends
     */
    public boolean isActive() {
        return active.get();
    }

    /**
     * Messages this subscriber lost to its full queue ({@link OverflowPolicy}).
     *
     * @return the dropped
     */
    public long dropped() {
        return queue.dropped();
    }

    /**
     * Ends the subscription; the broker subscription ends with the channel's last local
     * subscriber. Idempotent.
     */
    public void unsubscribe() {
        end(null);
    }

    Consumer<PubSubMessage> callback() {
        return callback;
    }

    /** Ends the subscription; {@code failure} null for a normal end. */
    void end(Throwable failure) {
        if (!active.compareAndSet(true, false)) {
            return;
        }
        queue.close();
        owner.remove(this);
        subscribed.completeExceptionally(new PubSubException("subscription to '" + channel + "' ended"));
        if (failure == null) {
            closed.complete(null);
        } else {
            closed.completeExceptionally(failure);
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + channel + " on " + loop.name() + (active.get() ? "" : ", ended") + "]";
    }
}
