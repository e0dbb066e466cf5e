package io.gale.pubsub;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription's bounded queue between whatever thread receives messages (a broker
 * connection's loop, the NATS dispatcher, an in-process publisher) and the subscriber's loop.
 *
 * <p>{@link #offer} appends and, if no drain is scheduled, schedules one on the subscriber's loop
 * (one {@code addCallback} per burst, not per message). A drain hands at most
 * {@value #BATCH} messages to the callback, then yields to the loop's I/O and continues on a
 * later iteration. A full queue applies the {@link OverflowPolicy}.
 *
 * <p>Threading: offer from any thread; the drain runs on the subscriber's loop. The lock is held
 * only to move messages, never while a callback runs (a ReentrantLock, not {@code synchronized},
 * so virtual-thread publishers do not pin).
 */
final class DeliveryQueue implements Runnable {
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(DeliveryQueue.class);
    }
    /** Callbacks per loop turn before the loop gets to do its I/O. */
    static final int BATCH = 64;

    private final Subscription subscription;
    private final int capacity;
    private final OverflowPolicy policy;
    private final Counters counters;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<PubSubMessage> queue = new ArrayDeque<>();
    private boolean scheduled;
    private boolean closed;
    private long dropped;

    DeliveryQueue(Subscription subscription, PubSubLimits limits, Counters counters) {
        this.subscription = subscription;
        this.capacity = limits.subscriberQueueSize();
        this.policy = limits.overflowPolicy();
        this.counters = counters;
    }

    /** Queues {@code message} for the callback. Any thread. */
    void offer(PubSubMessage message) {
        boolean schedule = false;
        boolean overflowed = false;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (queue.size() >= capacity) {
                if (policy == OverflowPolicy.DROP_OLDEST) {
                    queue.pollFirst();
                    dropped++;
                    counters.dropped.increment();
                } else {
                    int lost = queue.size() + 1;
                    dropped += lost;
                    counters.dropped.add(lost);
                    queue.clear();
                    closed = true;
                    overflowed = true;
                }
            }
            if (!overflowed) {
                queue.addLast(message);
                if (!scheduled) {
                    scheduled = true;
                    schedule = true;
                }
            }
        } finally {
            lock.unlock();
        }
        if (overflowed) {
            // Ended on the subscriber's loop, not here: the offering thread (a broker connection,
            // a publisher) must not take the fanout's lock while it is delivering.
            SubscriberOverflowException reason = new SubscriberOverflowException(subscription.channel(), capacity);
            subscription.loop().addCallback(() -> subscription.end(reason));
        } else if (schedule) {
            subscription.loop().addCallback(this);
        }
    }

    /** The drain, on the subscriber's loop. */
    @Override
    public void run() {
        for (int i = 0; i < BATCH; i++) {
            PubSubMessage m;
            lock.lock();
            try {
                m = closed ? null : queue.pollFirst();
                if (m == null) {
                    scheduled = false;
                    return;
                }
            } finally {
                lock.unlock();
            }
            counters.delivered.increment(); // before the call: whoever the callback signals sees it counted
            try {
                subscription.callback().accept(m);
            } catch (Throwable t) {
                counters.handlerErrors.increment();
                Log.LOG.error("pub/sub callback of {} failed on {}", subscription, m, t);
            }
        }
        // More may be queued: continue on a later iteration, after the loop's I/O.
        subscription.loop().addCallback(this);
    }

    /** Discards what is queued; nothing more is accepted. Any thread. */
    void close() {
        lock.lock();
        try {
            closed = true;
            queue.clear();
        } finally {
            lock.unlock();
        }
    }

    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }
}
