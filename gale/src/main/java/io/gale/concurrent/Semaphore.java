package io.gale.concurrent;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An asynchronous counting semaphore (Tornado's {@code locks.Semaphore}): {@link #acquire()}
 * returns a future that completes when a permit is available; waiters are served in FIFO order.
 *
 * <pre>{@code
 * Semaphore sem = new Semaphore(10);             // at most 10 fetches at a time
 * // in a coroutine:
 * Coroutines.await(sem.acquire());
 * try { ... } finally { sem.release(); }
 * // on a loop:
 * sem.acquire().thenCompose(x -> fetch()).whenComplete((r, e) -> sem.release());
 * }</pre>
 *
 * <p>Threading: thread-safe and non-blocking; usable from loop callbacks and coroutines alike.
 * An {@code acquire} future that can be satisfied at once is returned already completed.
 * Otherwise it completes on the loop of the thread that called {@code acquire} if that was a
 * loop thread, else on the thread that calls {@link #release()} (or, on timeout, on the timer's
 * loop). With a timeout it fails with a {@link java.util.concurrent.TimeoutException}; timers use
 * {@link io.gale.ioloop.IOLoop#current()}, else {@link io.gale.ioloop.IOLoop#instance()}. A zero
 * or negative timeout means "now". A timed-out or cancelled waiter gives up its place and is never
 * handed a permit; a waiter already granted a permit refuses cancellation, so no permit is lost.
 */
public class Semaphore {
    final ReentrantLock lock = new ReentrantLock();
    private final WaiterList<Void> waiters = new WaiterList<>(lock);
    private final int bound; // Integer.MAX_VALUE: unbounded
    private int value; // guarded by lock

    /** A semaphore with one permit. */
    public Semaphore() {
        this(1);
    }

    /**
     * A semaphore with {@code value} permits.
     *
     * @param value the value
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public Semaphore(int value) {
        this(value, Integer.MAX_VALUE);
    }

    Semaphore(int value, int bound) {
        if (value < 0) {
            throw new IllegalArgumentException("semaphore initial value must be >= 0, got " + value);
        }
        this.value = value;
        this.bound = bound;
    }

    /**
     * Waits for a permit, however long it takes.
     *
     * @return the acquire
     */
    public CompletableFuture<Void> acquire() {
        return acquire(null);
    }

    /**
     * Waits for a permit for at most {@code timeout} (null: forever).
     *
     * @param timeout the time limit
     * @return a future that completes when the permit is taken, or fails with a
     *     {@link java.util.concurrent.TimeoutException}
     */
    public CompletableFuture<Void> acquire(Duration timeout) {
        Waiter<Void> w;
        lock.lock();
        try {
            if (value > 0) {
                value--;
                return CompletableFuture.completedFuture(null);
            }
            if (WaiterList.expired(timeout)) {
                return WaiterList.timedOut(name() + ".acquire", timeout);
            }
            w = waiters.add(name() + ".acquire");
        } finally {
            lock.unlock();
        }
        w.startTimer(timeout);
        return w;
    }

    /**
     * Takes a permit if one is free now, without waiting.
     *
     * @return true if a permit was free and is now taken
     */
    public boolean tryAcquire() {
        lock.lock();
        try {
            if (value > 0) {
                value--;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns a permit: the oldest waiter gets it, else the count goes up.
     *
     * @throws IllegalStateException on a {@link BoundedSemaphore} released above its initial value
     */
    public void release() {
        Waiter<Void> w;
        lock.lock();
        try {
            w = waiters.grantNext(null);
            if (w == null) {
                if (value >= bound) {
                    throw tooManyReleases();
                }
                value++;
                return;
            }
        } finally {
            lock.unlock();
        }
        w.deliver();
    }

    /**
     * The number of free permits now.
     *
     * @return the number of free permits now
     */
    public int value() {
        lock.lock();
        try {
            return value;
        } finally {
            lock.unlock();
        }
    }

    RuntimeException tooManyReleases() {
        return new IllegalStateException("Semaphore released too many times");
    }

    String name() {
        return "Semaphore";
    }

    /** Waiters queued, abandoned ones not yet swept included (tests). */
    int queuedWaiters() {
        return waiters.queued();
    }

    @Override
    public String toString() {
        return name() + "[value=" + value() + "]";
    }
}
