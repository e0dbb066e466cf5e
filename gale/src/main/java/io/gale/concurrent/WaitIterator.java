package io.gale.concurrent;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands out the results of several futures in the order they complete, with the index or key of
 * each (Tornado's {@code gen.WaitIterator}). Create one with {@link Futures#waitIterator}.
 *
 * <pre>{@code
 * WaitIterator<Integer, Response> it = Futures.waitIterator(fetchA, fetchB, fetchC);
 * while (it.hasNext()) {
 *     try {
 *         Response r = Coroutines.await(it.next());
 *         System.out.println("fetch " + it.currentIndex() + " done: " + r);
 *     } catch (Exception e) {
 *         System.out.println("fetch " + it.currentIndex() + " failed: " + e);
 *     }
 * }
 * }</pre>
 *
 * <p>Each {@link #next()} future completes with the value or the failure of the next input to
 * complete; {@link #currentIndex()} names that input once the future is done. Threading: the
 * iterator is thread-safe, but it is a sequence: call {@link #next()} again only after the
 * previous future completed, and read {@link #currentIndex()} in its continuation (or after
 * awaiting it). A {@code next()} future completes on the thread that completed the input, or at
 * once if an input had already completed.
 *
 * @param <K> the index ({@code Integer}) or key type
 * @param <T> the result type
 */
public final class WaitIterator<K, T> {
    private record Done<K, T>(K key, T value, Throwable error) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Done<K, T>> finished = new ArrayDeque<>();
    private final int total;
    private int handedOut; // guarded by lock
    private CompletableFuture<T> pending; // guarded by lock
    private volatile K current;
    private volatile CompletionStage<? extends T> currentFuture;
    private final Map<K, ? extends CompletionStage<? extends T>> inputs;

    WaitIterator(Map<K, ? extends CompletionStage<? extends T>> futures) {
        this.inputs = Map.copyOf(futures);
        this.total = futures.size();
        futures.forEach((key, f) -> f.whenComplete((v, e) -> completed(key, v, e)));
    }

    /**
     * True while some input has not been handed out by {@link #next()} yet (Tornado's {@code not done()}).
     *
     * @return true while some input has not been handed out by {@link #next()} yet (Tornado's {@code not done()})
     */
    public boolean hasNext() {
        lock.lock();
        try {
            return handedOut < total;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A future of the next input to complete, with its value or failure (unwrapped).
     *
     * @return a future of the next input to complete, with its value or failure (unwrapped)
     * @throws NoSuchElementException if every input was already handed out
     * @throws IllegalStateException if the previous {@code next()} future has not completed yet
     */
    public CompletableFuture<T> next() {
        Done<K, T> done;
        CompletableFuture<T> result;
        lock.lock();
        try {
            if (handedOut >= total) {
                throw new NoSuchElementException("all " + total + " futures were handed out");
            }
            if (pending != null) {
                throw new IllegalStateException("the previous next() future has not completed yet");
            }
            handedOut++;
            done = finished.poll();
            if (done == null) {
                pending = result = new CompletableFuture<>();
                return result;
            }
        } finally {
            lock.unlock();
        }
        return deliver(done, new CompletableFuture<>());
    }

    /**
     * The index (list inputs) or key (map inputs) of the input whose result the last completed
     * {@link #next()} future carries; null before the first.
     *
     * @return the index (list inputs) or key (map inputs) of the input whose result the last completed {@link #next()} future carries; null before the first
     */
    public K currentIndex() {
        return current;
    }

    /**
     * The input future whose result the last completed {@link #next()} future carries; null before the first.
     *
     * @return the input future whose result the last completed {@link #next()} future carries; null before the first
     */
    public CompletionStage<? extends T> currentFuture() {
        return currentFuture;
    }

    private void completed(K key, T value, Throwable error) {
        Done<K, T> done = new Done<>(key, value, error == null ? null : Futures.unwrap(error));
        CompletableFuture<T> waiting;
        lock.lock();
        try {
            waiting = pending;
            if (waiting == null) {
                finished.add(done);
                return;
            }
            pending = null;
        } finally {
            lock.unlock();
        }
        deliver(done, waiting);
    }

    private CompletableFuture<T> deliver(Done<K, T> done, CompletableFuture<T> f) {
        // Set before completing, so the continuation of f reads its own index.
        current = done.key;
        currentFuture = inputs.get(done.key);
        if (done.error != null) {
            f.completeExceptionally(done.error);
        } else {
            f.complete(done.value);
        }
        return f;
    }
}
