package io.gale.concurrent;

import java.util.Comparator;

/**
 * A {@link Queue} that hands out the smallest item first (Tornado's {@code queues.PriorityQueue}),
 * by natural order or by a {@link Comparator}. Items that compare equal come out in no
 * particular order: add a sequence number to the key if their order matters.
 *
 * <pre>{@code
 * record Job(int priority, String name) {}
 * PriorityQueue<Job> q = new PriorityQueue<>(0, Comparator.comparingInt(Job::priority));
 * q.putNow(new Job(10, "low"));
 * q.putNow(new Job(0, "high"));
 * q.getNow();   // Job[priority=0, name=high]
 * }</pre>
 *
 * <p>Threading and completion rules: as {@link Queue}.
 *
 * @param <T> the type of the values
 */
public final class PriorityQueue<T> extends Queue<T> {
    /** An unbounded queue in natural order (items must be {@link Comparable}). */
    public PriorityQueue() {
        this(0);
    }

    /**
     * A queue of at most {@code maxsize} items (0: unbounded) in natural order.
     *
     * @param maxsize the most items it holds; 0 for no limit
     */
    public PriorityQueue(int maxsize) {
        this(maxsize, null);
    }

    /**
     * A queue of at most {@code maxsize} items (0: unbounded) in {@code comparator}'s order.
     *
     * @param maxsize the most items it holds; 0 for no limit
     * @param comparator the comparator
     */
    public PriorityQueue(int maxsize, Comparator<? super T> comparator) {
        super(maxsize, ItemStore.priority(comparator));
    }
}
