package io.gale.ioloop;

/**
 * A timer scheduled with {@link IOLoop#callLater} or {@link IOLoop#callAt}; cancel it with
 * {@link #cancel()}.
 *
 * <p>Threading: {@link #cancel()} is safe from any thread. Cancelling a timer that already ran or
 * was already cancelled is harmless and returns false. A cancelled timer is removed from the
 * loop's timer heap at once when cancelled on the loop thread, otherwise on the loop's next
 * iteration, so cancelled timers never pile up.
 */
public final class Timeout {
    static final int PENDING = 0;
    static final int CANCELLED = 1;
    static final int DONE = 2;

    final IOLoop loop;
    final long deadline;
    /** Tie-breaker among equal deadlines, assigned when the loop inserts the timer. */
    long sequence;
    Runnable task;
    /** Index in the timer heap, or -1 when not in it. Touched only by the loop thread. */
    int heapIndex = -1;
    private final java.util.concurrent.atomic.AtomicInteger state =
            new java.util.concurrent.atomic.AtomicInteger(PENDING);

    Timeout(IOLoop loop, long deadline, Runnable task) {
        this.loop = loop;
        this.deadline = deadline;
        this.task = task;
    }

    /**
     * The deadline on the loop's clock ({@link IOLoop#time()}, nanoseconds).
     *
     * @return the deadline on the loop's clock ({@link IOLoop#time()}, nanoseconds)
     */
    public long deadline() {
        return deadline;
    }

    /**
     * Cancels the timer.
     *
     * @return true if this call stopped it from running; false if it already ran or was cancelled
     */
    public boolean cancel() {
        if (!state.compareAndSet(PENDING, CANCELLED)) {
            return false;
        }
        task = null;
        loop.timerCancelled(this);
        return true;
    }

    /**
     * Whether it is cancelled.
     *
     * @return whether it is cancelled
     */
    public boolean isCancelled() {
        return state.get() == CANCELLED;
    }

    /** Marks the timer as run; false if it was cancelled first. */
    boolean markDone() {
        return state.compareAndSet(PENDING, DONE);
    }

    boolean isPending() {
        return state.get() == PENDING;
    }
}
