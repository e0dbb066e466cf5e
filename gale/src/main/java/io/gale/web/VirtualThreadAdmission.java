package io.gale.web;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The admission limit of virtual-thread requests of one application: at most {@code max} in
 * progress; then at most {@code queueSize} waiting, each for at most {@code timeout}; then
 * rejected (the caller answers 503). So a flood cannot start an unbounded number of virtual
 * threads, and a request is never silently dropped: it is admitted or rejected.
 *
 * <p>Thread-safe: requests of every loop share it. A short lock guards the counters (never held
 * while running callbacks); grants and rejections run on the waiting request's loop.
 */
final class VirtualThreadAdmission {
    private final int max;
    private final int queueSize;
    private final Duration timeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private int inUse;
    private long rejected;

    VirtualThreadAdmission(int max, int queueSize, Duration timeout) {
        this.max = max;
        this.queueSize = queueSize;
        this.timeout = timeout;
    }

    private static final class Waiter {
        final IOLoop loop;
        final Runnable onGrant;
        final Runnable onReject;
        Timeout timer;

        Waiter(IOLoop loop, Runnable onGrant, Runnable onReject) {
            this.loop = loop;
            this.onGrant = onGrant;
            this.onReject = onReject;
        }
    }

    /**
     * Asks for a permit. {@code onGrant} runs at once (on the calling thread) when one is free,
     * else later on {@code loop}; {@code onReject} runs on the calling thread when the queue is
     * full, or on {@code loop} when the wait times out. Exactly one of them runs. A granted permit
     * must be given back with {@link #release()}.
     */
    void acquire(IOLoop loop, Runnable onGrant, Runnable onReject) {
        Waiter w;
        lock.lock();
        try {
            if (inUse < max) {
                inUse++;
                w = null;
            } else if (waiters.size() >= queueSize || timeout.isZero()) {
                w = null;
                onGrant = null;
                rejected++;
            } else {
                w = new Waiter(loop, onGrant, onReject);
                waiters.addLast(w);
                // Set under the lock, so that a release cannot grant before the timer exists.
                w.timer = loop.callLater(timeout, () -> expire(w));
            }
        } finally {
            lock.unlock();
        }
        if (w == null) {
            (onGrant != null ? onGrant : onReject).run();
        }
    }

    private void expire(Waiter w) {
        boolean removed;
        lock.lock();
        try {
            removed = waiters.remove(w);
            if (removed) {
                rejected++;
            }
        } finally {
            lock.unlock();
        }
        if (removed) {
            w.onReject.run();
        }
    }

    /** Gives a permit back: to the longest-waiting request if any, else to the pool. */
    void release() {
        Waiter next;
        lock.lock();
        try {
            next = waiters.pollFirst();
            if (next == null) {
                inUse--;
            } else {
                next.timer.cancel(); // the permit passes to it: inUse unchanged
            }
        } finally {
            lock.unlock();
        }
        if (next != null) {
            next.loop.addCallback(next.onGrant);
        }
    }

    /** Permits in use (for tests and metrics). */
    int inUse() {
        lock.lock();
        try {
            return inUse;
        } finally {
            lock.unlock();
        }
    }

    /** Requests waiting for a permit (for metrics). */
    int waiting() {
        lock.lock();
        try {
            return waiters.size();
        } finally {
            lock.unlock();
        }
    }

    /** Requests rejected so far, queue full or wait timed out (for metrics). */
    long rejected() {
        lock.lock();
        try {
            return rejected;
        } finally {
            lock.unlock();
        }
    }
}
