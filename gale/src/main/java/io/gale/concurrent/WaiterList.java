package io.gale.concurrent;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The FIFO of {@link Waiter}s of one primitive, guarded by that primitive's lock.
 *
 * <p>Abandoned waiters (timed out, cancelled) are skipped when granting and swept out in bulk
 * once they make up half the list, so repeated timeouts cost amortised O(1) and never pile up.
 */
final class WaiterList<T> {
    /** Below this many abandoned waiters, skipping them at grant time is cheaper than sweeping. */
    private static final int SWEEP_THRESHOLD = 16;

    private final ReentrantLock lock;
    private final ArrayDeque<Waiter<T>> waiters = new ArrayDeque<>();
    private int abandoned; // an estimate: skipped waiters may still be counted until the next sweep

    WaiterList(ReentrantLock lock) {
        this.lock = lock;
    }

    /** A new waiting future, queued last. Call under the lock. */
    Waiter<T> add(String what) {
        return add(what, null);
    }

    /** A new waiting future carrying {@code item}, queued last. Call under the lock. */
    Waiter<T> add(String what, Object item) {
        Waiter<T> w = new Waiter<>(this, what, item, false, null);
        waiters.add(w);
        return w;
    }

    /** A new waiting future that completes with {@code timeoutValue} on timeout. Call under the lock. */
    Waiter<T> addWithTimeoutValue(String what, T timeoutValue) {
        Waiter<T> w = new Waiter<>(this, what, null, true, timeoutValue);
        waiters.add(w);
        return w;
    }

    /**
     * Removes and grants the oldest live waiter with {@code value}; null if none is waiting.
     * Call under the lock, and {@link Waiter#deliver()} the result after releasing it.
     */
    Waiter<T> grantNext(T value) {
        Waiter<T> w;
        while ((w = waiters.poll()) != null) {
            if (w.tryGrant(value)) {
                return w;
            }
        }
        abandoned = 0;
        return null;
    }

    /** True if no waiter may be live (abandoned ones may remain). Call under the lock. */
    boolean isEmpty() {
        return waiters.isEmpty();
    }

    /** Called by a waiter that was just abandoned (any thread, not holding the lock). */
    void abandoned() {
        lock.lock();
        try {
            abandoned++;
            if (abandoned > SWEEP_THRESHOLD && abandoned * 2 > waiters.size()) {
                waiters.removeIf(Waiter::isAbandoned);
                abandoned = 0;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Number of queued waiters, abandoned ones not yet swept included (tests). */
    int queued() {
        lock.lock();
        try {
            return waiters.size();
        } finally {
            lock.unlock();
        }
    }

    /** A zero or negative timeout means "now": the wait fails at once if it cannot be satisfied. */
    static boolean expired(Duration timeout) {
        return timeout != null && (timeout.isZero() || timeout.isNegative());
    }

    static <T> CompletableFuture<T> timedOut(String what, Duration timeout) {
        return CompletableFuture.failedFuture(new TimeoutException(what + " timed out after " + timeout));
    }
}
