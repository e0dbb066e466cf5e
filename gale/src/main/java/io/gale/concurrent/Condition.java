package io.gale.concurrent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An asynchronous condition variable (Tornado's {@code locks.Condition}): futures from
 * {@link #await()} complete with {@code true} when {@link #signal} wakes them, or with
 * {@code false} when their timeout passes first. Waiters wake in FIFO order. Unlike
 * {@link java.util.concurrent.locks.Condition} it is not tied to a lock.
 *
 * <pre>{@code
 * Condition changed = new Condition();
 * // in a coroutine:
 * boolean woken = Coroutines.await(changed.await(Duration.ofSeconds(1)));
 * // elsewhere:
 * changed.signalAll();
 * }</pre>
 *
 * <p>Names: Tornado's {@code wait}, {@code notify(n)} and {@code notify_all} are {@code await},
 * {@code signal(n)} and {@code signalAll} here, because {@code Object}'s {@code wait},
 * {@code notify} and {@code notifyAll} are final.
 *
 * <p>Threading: thread-safe and non-blocking. A future completes on the loop of the thread that
 * called {@code await} if that was a loop thread, else on the thread that signals (on timeout:
 * on the timer's loop, {@link io.gale.ioloop.IOLoop#current()} else the default loop). A zero or
 * negative timeout completes with {@code false} at once. A waiter that timed out or was
 * cancelled is never counted as woken by a later signal.
 */
public final class Condition {
    /** A condition with no waiters. */
    public Condition() {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final WaiterList<Boolean> waiters = new WaiterList<>(lock);

    /**
     * A future that completes with {@code true} when signalled.
     *
     * @return a future that completes with {@code true} when signalled
     */
    public CompletableFuture<Boolean> await() {
        return await(null);
    }

    /**
     * A future that completes with {@code true} when signalled, or {@code false} after
     * {@code timeout} (null: never).
     *
     * @param timeout the time limit
     * @return a future that completes with {@code true} when signalled, or {@code false} after {@code timeout} (null: never)
     */
    public CompletableFuture<Boolean> await(Duration timeout) {
        if (WaiterList.expired(timeout)) {
            return CompletableFuture.completedFuture(false);
        }
        Waiter<Boolean> w;
        lock.lock();
        try {
            w = waiters.addWithTimeoutValue("Condition.await", false);
        } finally {
            lock.unlock();
        }
        w.startTimer(timeout);
        return w;
    }

    /** Wakes the oldest waiter, if any. */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes the {@code n} oldest waiters (fewer if fewer wait).
     *
     * @param n the number
     */
    public void signal(int n) {
        List<Waiter<Boolean>> granted = new ArrayList<>(Math.max(0, Math.min(n, 16)));
        lock.lock();
        try {
            Waiter<Boolean> w;
            while (granted.size() < n && (w = waiters.grantNext(true)) != null) {
                granted.add(w);
            }
        } finally {
            lock.unlock();
        }
        granted.forEach(Waiter::deliver);
    }

    /** Wakes every waiter. */
    public void signalAll() {
        signal(Integer.MAX_VALUE);
    }

    @Override
    public String toString() {
        return "Condition[waiters=" + waiters.queued() + "]";
    }
}
