package io.gale.concurrent;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A future handed to someone waiting on a lock, semaphore, condition, event or queue.
 *
 * <p>Its fate is decided once, by a compare-and-set: either the primitive <em>grants</em> it (a
 * permit, an item) or it is <em>abandoned</em> (timeout, {@link #cancel}, or any outside
 * {@code complete}/{@code completeExceptionally}, e.g. {@code orTimeout}). Once granted, outside
 * completion is refused, so a granted item or permit is never lost to a late cancel; once
 * abandoned, the primitive skips it. Granting happens under the primitive's lock; the future is
 * completed afterwards, outside the lock, so user continuations never run under it.
 *
 * <p>Completion thread: a waiter created on a loop thread has that loop as its home and is
 * completed there (inline when granted on that loop, else via {@link IOLoop#addCallback});
 * other waiters are completed on the granting thread. Timeouts complete on the timer's loop.
 */
final class Waiter<T> extends CompletableFuture<T> {
    private static final int WAITING = 0;
    private static final int GRANTED = 1;
    private static final int ABANDONED = 2;

    private final AtomicInteger state = new AtomicInteger(WAITING);
    private final WaiterList<T> list;
    /** The loop this waiter was created on, or null: where it is completed. */
    private final IOLoop home;
    /** What the waiter is waiting for (for the timeout message), e.g. "Queue.get". */
    private final String what;
    /** Condition waiters time out with a value (false) instead of an exception. */
    private final boolean timeoutHasValue;
    private final T timeoutValue;
    /** An item a putter waits to put; set before the waiter is published. */
    final Object item;
    private T value; // written by the granter before delivery
    private volatile Timeout timer;

    Waiter(WaiterList<T> list, String what, Object item, boolean timeoutHasValue, T timeoutValue) {
        this.list = list;
        this.what = what;
        this.item = item;
        this.timeoutHasValue = timeoutHasValue;
        this.timeoutValue = timeoutValue;
        IOLoop cur = IOLoop.current();
        this.home = cur != null && cur.inLoop() ? cur : null;
    }

    /** Arms the timeout (outside the primitive's lock): the home loop, else the current/default. */
    void startTimer(Duration timeout) {
        if (timeout == null) {
            return;
        }
        IOLoop loop = home != null ? home : Futures.defaultLoop();
        Timeout t = loop.callLater(timeout, () -> expire(timeout));
        timer = t;
        if (state.get() != WAITING) {
            t.cancel(); // granted or abandoned before the timer was published
        }
    }

    /** Claims this waiter for a grant; false if it was abandoned. Call under the primitive's lock. */
    boolean tryGrant(T value) {
        if (!state.compareAndSet(WAITING, GRANTED)) {
            return false;
        }
        this.value = value;
        Timeout t = timer;
        if (t != null) {
            t.cancel();
        }
        return true;
    }

    boolean isAbandoned() {
        return state.get() == ABANDONED;
    }

    /** Completes a granted waiter on its home loop, or here. Call outside the primitive's lock. */
    void deliver() {
        IOLoop h = home;
        if (h == null) {
            super.complete(value);
        } else {
            h.runOrSubmit(() -> super.complete(value));
        }
    }

    private void expire(Duration timeout) {
        if (!abandon()) {
            return;
        }
        if (timeoutHasValue) {
            super.complete(timeoutValue);
        } else {
            super.completeExceptionally(new TimeoutException(what + " timed out after " + timeout));
        }
    }

    private boolean abandon() {
        if (!state.compareAndSet(WAITING, ABANDONED)) {
            return false;
        }
        Timeout t = timer;
        if (t != null) {
            t.cancel();
        }
        list.abandoned();
        return true;
    }

    // Outside completion (cancel, complete, orTimeout, ...) counts as abandoning the wait, and is
    // refused once the waiter was granted: the permit or item is already on its way to it.

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return abandon() ? super.cancel(mayInterruptIfRunning) : isCancelled();
    }

    @Override
    public boolean complete(T v) {
        return abandon() && super.complete(v);
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        return abandon() && super.completeExceptionally(ex);
    }

    @Override
    public String toString() {
        return "Waiter[" + what + ", " + switch (state.get()) {
            case WAITING -> "waiting";
            case GRANTED -> "granted";
            default -> "abandoned";
        } + "]";
    }
}
