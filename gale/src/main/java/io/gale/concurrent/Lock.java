package io.gale.concurrent;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * An asynchronous mutual-exclusion lock (Tornado's {@code locks.Lock}): {@link #acquire()}
 * returns a future that completes once the lock is held; waiters get it in FIFO order. It is not
 * reentrant and not owned by a thread: whoever holds it releases it, from any thread.
 *
 * <pre>{@code
 * Lock lock = new Lock();
 * // in a coroutine:
 * Coroutines.await(lock.acquire());
 * try { ... } finally { lock.release(); }
 * }</pre>
 *
 * <p>Threading and completion rules: as {@link Semaphore} (a lock is a bounded semaphore of one).
 */
public final class Lock {
    /** A lock, not held. */
    public Lock() {
    }

    private final Semaphore block = new Semaphore(1, 1) {
        @Override
        RuntimeException tooManyReleases() {
            return new IllegalStateException("release unlocked lock");
        }

        @Override
        String name() {
            return "Lock";
        }
    };

    /**
     * Waits for the lock, however long it takes.
     *
     * @return the acquire
     */
    public CompletableFuture<Void> acquire() {
        return block.acquire(null);
    }

    /**
     * Waits for the lock for at most {@code timeout} (null: forever); fails with a TimeoutException.
     *
     * @param timeout the time limit
     * @return a future that completes when it is done, or fails with the error
     */
    public CompletableFuture<Void> acquire(Duration timeout) {
        return block.acquire(timeout);
    }

    /**
     * Takes the lock if it is free now, without waiting.
     *
     * @return true if the lock was free and is now held
     */
    public boolean tryAcquire() {
        return block.tryAcquire();
    }

    /**
     * Releases the lock; the oldest waiter gets it.
     *
     * @throws IllegalStateException if the lock is not held ("release unlocked lock")
     */
    public void release() {
        block.release();
    }

    /**
     * True while the lock is held.
     *
     * @return true while the lock is held
     */
    public boolean isLocked() {
        return block.value() == 0;
    }

    int queuedWaiters() {
        return block.queuedWaiters();
    }

    @Override
    public String toString() {
        return "Lock[" + (isLocked() ? "locked" : "unlocked") + "]";
    }
}
