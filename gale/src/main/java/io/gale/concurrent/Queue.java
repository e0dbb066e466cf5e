package io.gale.concurrent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An asynchronous FIFO queue for producers and consumers (Tornado's {@code queues.Queue}):
 * {@link #get()} waits while it is empty, {@link #put} waits while it is full (when bounded),
 * and {@link #taskDone()}/{@link #join()} let producers wait until every item was processed.
 *
 * <pre>{@code
 * Queue<String> q = new Queue<>(100);
 * // consumer coroutine:
 * while (true) {
 *     String url = Coroutines.await(q.get());
 *     try { crawl(url); } finally { q.taskDone(); }
 * }
 * // producer coroutine:
 * Coroutines.await(q.put(url));
 * Coroutines.await(q.join());                   // everything crawled
 * }</pre>
 *
 * <p>Threading: thread-safe and non-blocking: many producers and consumers on loops and
 * virtual threads may share one queue. Waiting getters and putters are served in FIFO order.
 * A future that can be satisfied at once is returned already completed. Otherwise it completes
 * on the loop of the thread that called {@code get}/{@code put}/{@code join} if that was a loop
 * thread, else on the thread whose {@code put}/{@code get}/{@code taskDone} satisfied it (on
 * timeout: on the timer's loop, {@link io.gale.ioloop.IOLoop#current()} else the default loop).
 *
 * <p>Timeouts fail the future with a {@link java.util.concurrent.TimeoutException}; a zero or
 * negative timeout means "now". A getter that timed out or was cancelled never takes an item,
 * and a putter that timed out or was cancelled never puts its item; a getter already handed an
 * item refuses cancellation, so an item is never lost.
 *
 * @param <T> the item type; null items are not allowed
 */
public class Queue<T> {
    private final ReentrantLock lock = new ReentrantLock();
    private final WaiterList<T> getters = new WaiterList<>(lock);
    private final WaiterList<Void> putters = new WaiterList<>(lock);
    private final WaiterList<Void> joiners = new WaiterList<>(lock);
    private final ItemStore<T> items; // guarded by lock
    private final int maxsize;
    private int unfinishedTasks; // guarded by lock

    /** An unbounded queue. */
    public Queue() {
        this(0);
    }

    /**
     * A queue holding at most {@code maxsize} items; 0 means unbounded.
     *
     * @param maxsize the most items it holds; 0 for no limit
     * @throws IllegalArgumentException if {@code maxsize} is negative
     */
    public Queue(int maxsize) {
        this(maxsize, ItemStore.fifo());
    }

    Queue(int maxsize, ItemStore<T> items) {
        if (maxsize < 0) {
            throw new IllegalArgumentException("maxsize must be >= 0 (0: unbounded), got " + maxsize);
        }
        this.maxsize = maxsize;
        this.items = items;
    }

    /**
     * The capacity; 0 means unbounded.
     *
     * @return the capacity; 0 means unbounded
     */
    public int maxsize() {
        return maxsize;
    }

    /**
     * The number of items in the queue now.
     *
     * @return the number of items in the queue now
     */
    public int qsize() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether empty.
     *
     * @return whether empty
     */
    public boolean empty() {
        return qsize() == 0;
    }

    /**
     * True if a bounded queue holds {@link #maxsize()} items.
     *
     * @return true if a bounded queue holds {@link #maxsize()} items
     */
    public boolean full() {
        lock.lock();
        try {
            return isFull();
        } finally {
            lock.unlock();
        }
    }

    private boolean isFull() {
        return maxsize > 0 && items.size() >= maxsize;
    }

    // ------------------------------------------------------------------------------------- put

    /**
     * Puts {@code item}, waiting as long as it takes for room.
     *
     * @param item the item
     * @return a future that completes when it is done, or fails with the error
     */
    public CompletableFuture<Void> put(T item) {
        return put(item, null);
    }

    /**
     * Puts {@code item}, waiting at most {@code timeout} (null: forever) for room; the future
     * fails with a {@link java.util.concurrent.TimeoutException}, and the item is then not put.
     *
     * @param item the item
     * @param timeout the time limit
     * @return a future that completes when it is done, or fails with the error
     */
    public CompletableFuture<Void> put(T item, Duration timeout) {
        Objects.requireNonNull(item, "item");
        Waiter<Void> w;
        Waiter<T> getter;
        lock.lock();
        try {
            getter = offerNow(item);
            if (getter == null && !isFull()) {
                items.add(item);
                unfinishedTasks++;
                return CompletableFuture.completedFuture(null);
            }
            if (getter == null) {
                if (WaiterList.expired(timeout)) {
                    return WaiterList.timedOut("Queue.put", timeout);
                }
                w = putters.add("Queue.put", item);
            } else {
                w = null;
            }
        } finally {
            lock.unlock();
        }
        if (getter != null) {
            getter.deliver();
            return CompletableFuture.completedFuture(null);
        }
        w.startTimer(timeout);
        return w;
    }

    /**
     * Puts {@code item} without waiting.
     *
     * @param item the item
     * @throws QueueFullException if the queue is full
     */
    public void putNow(T item) {
        Objects.requireNonNull(item, "item");
        Waiter<T> getter;
        lock.lock();
        try {
            getter = offerNow(item);
            if (getter == null) {
                if (isFull()) {
                    throw new QueueFullException("queue is full (maxsize " + maxsize + ")");
                }
                items.add(item);
                unfinishedTasks++;
            }
        } finally {
            lock.unlock();
        }
        if (getter != null) {
            getter.deliver();
        }
    }

    /** Hands {@code item} straight to the oldest waiting getter, if any (then the queue is empty). */
    private Waiter<T> offerNow(T item) {
        Waiter<T> getter = getters.grantNext(item);
        if (getter != null) {
            unfinishedTasks++;
        }
        return getter;
    }

    // ------------------------------------------------------------------------------------- get

    /**
     * A future of the next item, waiting as long as it takes.
     *
     * @return a future of the next item, waiting as long as it takes
     */
    public CompletableFuture<T> get() {
        return get(null);
    }

    /**
     * A future of the next item, waiting at most {@code timeout} (null: forever); it fails with a
     * {@link java.util.concurrent.TimeoutException}, and then takes no item.
     *
     * @param timeout the time limit
     * @return a future of the next item, waiting at most {@code timeout} (null: forever); it fails with a {@link java.util.concurrent.TimeoutException}, and then takes no item
     */
    public CompletableFuture<T> get(Duration timeout) {
        Waiter<Void> putter;
        Waiter<T> w;
        T item;
        lock.lock();
        try {
            putter = putters.grantNext(null);
            if (putter != null || items.size() > 0) {
                item = takeNow(putter);
                w = null;
            } else if (WaiterList.expired(timeout)) {
                return WaiterList.timedOut("Queue.get", timeout);
            } else {
                w = getters.add("Queue.get");
                item = null;
            }
        } finally {
            lock.unlock();
        }
        if (w == null) {
            if (putter != null) {
                putter.deliver();
            }
            return CompletableFuture.completedFuture(item);
        }
        w.startTimer(timeout);
        return w;
    }

    /**
     * Takes the next item without waiting.
     *
     * @return the now
     * @throws QueueEmptyException if the queue is empty
     */
    public T getNow() {
        Waiter<Void> putter;
        T item;
        lock.lock();
        try {
            putter = putters.grantNext(null);
            if (putter == null && items.size() == 0) {
                throw new QueueEmptyException("queue is empty");
            }
            item = takeNow(putter);
        } finally {
            lock.unlock();
        }
        if (putter != null) {
            putter.deliver();
        }
        return item;
    }

    /**
     * Takes the next item; a granted waiting putter (the queue was full) first puts its item, as
     * in Tornado, so a priority or LIFO queue may hand that very item out.
     */
    @SuppressWarnings("unchecked")
    private T takeNow(Waiter<Void> putter) {
        if (putter != null) {
            items.add((T) putter.item);
            unfinishedTasks++;
        }
        return items.poll();
    }

    // ------------------------------------------------------------------------------ task done

    /**
     * Marks one item taken from the queue as processed; when every item put so far is processed,
     * {@link #join()} futures complete.
     *
     * @throws IllegalStateException if called more times than items were put
     */
    public void taskDone() {
        List<Waiter<Void>> done;
        lock.lock();
        try {
            if (unfinishedTasks <= 0) {
                throw new IllegalStateException("taskDone() called too many times");
            }
            if (--unfinishedTasks > 0) {
                return;
            }
            done = new ArrayList<>();
            Waiter<Void> w;
            while ((w = joiners.grantNext(null)) != null) {
                done.add(w);
            }
        } finally {
            lock.unlock();
        }
        done.forEach(Waiter::deliver);
    }

    /**
     * A future that completes once every item put so far has been marked {@link #taskDone()}.
     *
     * @return a future that completes once every item put so far has been marked {@link #taskDone()}
     */
    public CompletableFuture<Void> join() {
        return join(null);
    }

    /**
     * As {@link #join()}, failing with a {@link java.util.concurrent.TimeoutException} after {@code timeout}.
     *
     * @param timeout the time limit
     * @return a future that completes when it is done, or fails with the error
     */
    public CompletableFuture<Void> join(Duration timeout) {
        Waiter<Void> w;
        lock.lock();
        try {
            if (unfinishedTasks == 0) {
                return CompletableFuture.completedFuture(null);
            }
            if (WaiterList.expired(timeout)) {
                return WaiterList.timedOut("Queue.join", timeout);
            }
            w = joiners.add("Queue.join");
        } finally {
            lock.unlock();
        }
        w.startTimer(timeout);
        return w;
    }

    /** Waiting getters, abandoned ones not yet swept included (tests). */
    int queuedGetters() {
        return getters.queued();
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return getClass().getSimpleName() + "[maxsize=" + maxsize + ", qsize=" + items.size()
                    + ", unfinished=" + unfinishedTasks + "]";
        } finally {
            lock.unlock();
        }
    }
}
