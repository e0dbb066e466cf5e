package io.gale.pubsub;

import io.gale.ioloop.IOLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * This process's subscribers, by channel, and the fan-out of one message to all of them. Every
 * implementation uses it: in process a publish delivers here directly; with a broker, each
 * message the broker sends is delivered here once and copied to no one (subscribers share the
 * payload).
 *
 * <p>A channel's first local subscriber asks the {@link BrokerLink} to subscribe, its last one
 * leaving asks it to unsubscribe; both happen under one lock, so the link sees them in order.
 *
 * <p>Threading: {@link #deliver} is lock-free (reads a copy-on-write array per channel) and may be
 * called from any thread; adding and removing take the lock.
 */
final class LocalFanout {
    /** The broker side of a channel's life. Called under the fanout's lock: must not block. */
    interface BrokerLink {
        /** Subscribe at the broker; the future completes when the broker confirmed. */
        CompletableFuture<Void> subscribe(String channel);

        /** Unsubscribe at the broker. */
        void unsubscribe(String channel);
    }

    private static final Subscription[] NONE = new Subscription[0];

    private final PubSubLimits limits;
    private final Counters counters;
    private final BrokerLink link;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Subscription[]> channels = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> confirmations = new HashMap<>(); // under lock
    private volatile int count;
    private boolean closed; // under lock

    LocalFanout(PubSubLimits limits, Counters counters, BrokerLink link) {
        this.limits = limits;
        this.counters = counters;
        this.link = link;
    }

    Subscription add(String channel, Consumer<PubSubMessage> callback, IOLoop loop) {
        Channels.check(channel, limits);
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(loop, "loop");
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("PubSub is closed");
            }
            Subscription[] current = channels.getOrDefault(channel, NONE);
            CompletableFuture<Void> confirmation = confirmations.get(channel);
            if (confirmation == null) {
                confirmation = link.subscribe(channel);
                confirmations.put(channel, confirmation);
            }
            Subscription s = new Subscription(channel, loop, callback, this, confirmation, limits, counters);
            Subscription[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = s;
            channels.put(channel, next);
            count++;
            return s;
        } finally {
            lock.unlock();
        }
    }

    /** Called by {@link Subscription#end} once per subscription. */
    void remove(Subscription s) {
        lock.lock();
        try {
            Subscription[] current = channels.get(s.channel());
            if (current == null) {
                return;
            }
            int i = Arrays.asList(current).indexOf(s);
            if (i < 0) {
                return;
            }
            count--;
            if (current.length == 1) {
                channels.remove(s.channel());
                confirmations.remove(s.channel());
                if (!closed) {
                    link.unsubscribe(s.channel());
                }
                return;
            }
            Subscription[] next = new Subscription[current.length - 1];
            System.arraycopy(current, 0, next, 0, i);
            System.arraycopy(current, i + 1, next, i, current.length - i - 1);
            channels.put(s.channel(), next);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues {@code payload} for every local subscriber of {@code channel}, in subscription
     * order. Returns the number of subscribers (0: nobody here listens, nothing counted).
     */
    int deliver(String channel, byte[] payload) {
        Subscription[] subs = channels.get(channel);
        if (subs == null) {
            return 0;
        }
        counters.received.increment();
        PubSubMessage m = new PubSubMessage(channel, payload);
        for (Subscription s : subs) {
            s.queue.offer(m);
        }
        return subs.length;
    }

    /** The channels with local subscribers now (for resubscribing after a reconnection). */
    Set<String> channels() {
        return Set.copyOf(channels.keySet());
    }

    int subscriptionCount() {
        return count;
    }

    /** Ends every subscription; later adds fail. */
    void close() {
        List<Subscription> all = new ArrayList<>();
        List<CompletableFuture<Void>> pending;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Subscription[] subs : channels.values()) {
                all.addAll(Arrays.asList(subs));
            }
            pending = new ArrayList<>(confirmations.values());
        } finally {
            lock.unlock();
        }
        for (Subscription s : all) {
            s.end(null);
        }
        for (CompletableFuture<Void> f : pending) {
            f.completeExceptionally(new PubSubException("PubSub closed before the broker confirmed the subscription"));
        }
    }
}
