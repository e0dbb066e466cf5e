package io.gale.concurrent;

/**
 * A {@link Queue} that hands out the most recently put item first (Tornado's
 * {@code queues.LifoQueue}).
 *
 * <pre>{@code
 * LifoQueue<Integer> q = new LifoQueue<>();
 * q.putNow(1);
 * q.putNow(2);
 * q.getNow();   // 2
 * }</pre>
 *
 * <p>Threading and completion rules: as {@link Queue}.
 *
 * @param <T> the type of the values
 */
public final class LifoQueue<T> extends Queue<T> {
    /** An unbounded LIFO queue. */
    public LifoQueue() {
        this(0);
    }

    /**
     * A LIFO queue of at most {@code maxsize} items (0: unbounded).
     *
     * @param maxsize the most items it holds; 0 for no limit
     */
    public LifoQueue(int maxsize) {
        super(maxsize, ItemStore.lifo());
    }
}
