package io.gale.concurrent;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Future helpers: Tornado's {@code gen} module for {@link CompletionStage}s.
 *
 * <pre>{@code
 * CompletableFuture<List<Response>> both = Futures.all(client.fetch(a), client.fetch(b));
 * CompletableFuture<Response> r = Futures.withTimeout(client.fetch(url), Duration.ofSeconds(5));
 * CompletableFuture<Void> later = Futures.sleep(Duration.ofMillis(100));
 * CompletableFuture<Data> f = Futures.fromCallback(cb -> legacyApi.fetch(url, cb));
 * }</pre>
 *
 * <p>Which loop: helpers that need a loop (timers, {@link #moment()}) have an overload taking
 * an {@link IOLoop}; the short forms use {@link IOLoop#current()} (the loop of the calling loop
 * thread or coroutine) and otherwise {@link IOLoop#instance()}, as Tornado's timers go to the
 * current loop. That loop must be running for them to complete.
 *
 * <p>Completion thread: futures built on timers ({@link #sleep}, {@link #moment},
 * {@link #withTimeout}) complete on their loop's thread, so continuations run there. Combinators
 * of existing futures ({@link #all}, {@link #any}, {@link WaitIterator}) complete on the thread
 * that completed the deciding input (the owning loop, when the inputs are loop futures);
 * {@link #fromCallback} completes on the thread that calls the callback. Failures are unwrapped:
 * a combined future fails with the input's own exception, never a {@link CompletionException}.
 *
 * <p>A JDK caveat worth knowing: a thread blocked in {@code get()}/{@code join()} on a
 * {@link CompletableFuture} may run that future's pending continuations itself. Loop code chains
 * futures instead of blocking on them, and {@link Coroutines#await} never blocks on the awaited
 * future directly, so loop continuations stay on the loop.
 */
public final class Futures {
    private static final Logger log = LoggerFactory.getLogger(Futures.class);

    private Futures() {
    }

    /** The loop short forms use: the calling thread's loop, else the process default. */
    static IOLoop defaultLoop() {
        IOLoop loop = IOLoop.current();
        return loop != null ? loop : IOLoop.instance();
    }

    // --------------------------------------------------------------------------------- all / any

    /**
     * A future of all results, in input order (Tornado's {@code gen.multi} on a list). The first
     * failure fails it at once; later failures are logged, not lost. Cancelling the result does
     * not cancel the inputs. An empty list gives a completed future of an empty list.
     *
     * @param <T> the type of the values
     * @param futures the futures
     * @return a future of all results, in input order (Tornado's {@code gen.multi} on a list)
     */
    public static <T> CompletableFuture<List<T>> all(List<? extends CompletionStage<? extends T>> futures) {
        Objects.requireNonNull(futures, "futures");
        int n = futures.size();
        CompletableFuture<List<T>> result = new CompletableFuture<>();
        if (n == 0) {
            result.complete(Collections.emptyList());
            return result;
        }
        Object[] values = new Object[n];
        AtomicInteger remaining = new AtomicInteger(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            futures.get(i).whenComplete((v, e) -> {
                if (e != null) {
                    failOrLog(result, e);
                    return;
                }
                values[index] = v;
                // The decrement publishes values[index]; the last one sees every slot.
                if (remaining.decrementAndGet() == 0) {
                    @SuppressWarnings("unchecked")
                    List<T> list = (List<T>) Collections.unmodifiableList(Arrays.asList(values));
                    result.complete(list);
                }
            });
        }
        return result;
    }

    /**
     * {@link #all(List)} of the given futures.
     *
     * @param <T> the type of the values
     * @param futures the futures
     * @return a future of the value list
     */
    @SafeVarargs
    public static <T> CompletableFuture<List<T>> all(CompletionStage<? extends T>... futures) {
        return all(Arrays.asList(futures));
    }

    /**
     * A future of all results keyed as the input (Tornado's {@code gen.multi} on a dict); the
     * result map iterates in the input map's order. Failure rules as {@link #all(List)}.
     *
     * @param <K> the type of the keys
     * @param <V> the type of the values
     * @param futures the futures
     * @return a future of all results keyed as the input (Tornado's {@code gen.multi} on a dict); the result map iterates in the input map's order
     */
    public static <K, V> CompletableFuture<Map<K, V>> all(Map<K, ? extends CompletionStage<? extends V>> futures) {
        Objects.requireNonNull(futures, "futures");
        List<K> keys = new ArrayList<>(futures.size());
        List<CompletionStage<? extends V>> stages = new ArrayList<>(futures.size());
        futures.forEach((k, f) -> {
            keys.add(k);
            stages.add(f);
        });
        CompletableFuture<Map<K, V>> result = new CompletableFuture<>();
        // Chained by hand rather than thenApply, so a failure stays unwrapped.
        all(stages).whenComplete((values, e) -> {
            if (e != null) {
                result.completeExceptionally(unwrap(e));
                return;
            }
            Map<K, V> map = new LinkedHashMap<>(keys.size() * 4 / 3 + 1);
            for (int i = 0; i < keys.size(); i++) {
                map.put(keys.get(i), values.get(i));
            }
            result.complete(Collections.unmodifiableMap(map));
        });
        return result;
    }

    /**
     * A future of the first input to complete, with its value or its failure (a race, like
     * {@link CompletableFuture#anyOf} but typed and unwrapped). Later outcomes are ignored.
     *
     * @param <T> the type of the values
     * @param futures the futures
     * @return a future of the first input to complete, with its value or its failure (a race, like {@link CompletableFuture#anyOf} but typed and unwrapped)
     * @throws IllegalArgumentException if {@code futures} is empty (it would never complete)
     */
    public static <T> CompletableFuture<T> any(List<? extends CompletionStage<? extends T>> futures) {
        if (futures.isEmpty()) {
            throw new IllegalArgumentException("any() of no futures would never complete");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        for (CompletionStage<? extends T> f : futures) {
            f.whenComplete((v, e) -> {
                if (e != null) {
                    result.completeExceptionally(unwrap(e));
                } else {
                    result.complete(v);
                }
            });
        }
        return result;
    }

    /**
     * {@link #any(List)} of the given futures.
     *
     * @param <T> the type of the values
     * @param futures the futures
     * @return a future of the value
     */
    @SafeVarargs
    public static <T> CompletableFuture<T> any(CompletionStage<? extends T>... futures) {
        return any(Arrays.asList(futures));
    }

    private static void failOrLog(CompletableFuture<?> result, Throwable e) {
        Throwable cause = unwrap(e);
        if (!result.completeExceptionally(cause) && !(cause instanceof CancellationException)) {
            log.error("Multiple exceptions in Futures.all: the first failed the result; this later one is logged",
                    cause);
        }
    }

    // ------------------------------------------------------------------------------- timeouts

    /**
     * {@code future}, failing with a {@link TimeoutException} naming {@code timeout} if it has not
     * completed in time (Tornado's {@code gen.with_timeout}). The wrapped future is not cancelled;
     * if it fails after the timeout, its failure is logged. Completes on the current loop (see
     * the class comment).
     *
     * @param <T> the type of the values
     * @param future the future
     * @param timeout the time limit
     * @return a future of the value
     */
    public static <T> CompletableFuture<T> withTimeout(CompletionStage<T> future, Duration timeout) {
        return withTimeout(defaultLoop(), future, timeout, false);
    }

    /**
     * As {@link #withTimeout(CompletionStage, Duration)}; with {@code cancelOnTimeout} the wrapped
     * future is also cancelled when the timeout fires.
     *
     * @param <T> the type of the values
     * @param future the future
     * @param timeout the time limit
     * @param cancelOnTimeout true to cancel the future when the time is up
     * @return a future of the value
     */
    public static <T> CompletableFuture<T> withTimeout(
            CompletionStage<T> future, Duration timeout, boolean cancelOnTimeout) {
        return withTimeout(defaultLoop(), future, timeout, cancelOnTimeout);
    }

    /**
     * As {@link #withTimeout(CompletionStage, Duration, boolean)}, timed and completed on
     * {@code loop}: the result completes on the loop thread whichever way it ends. Cancelling the
     * result cancels the timer.
     *
     * @param <T> the type of the values
     * @param loop the loop
     * @param future the future
     * @param timeout the time limit
     * @param cancelOnTimeout true to cancel the future when the time is up
     * @return a future of the value
     */
    public static <T> CompletableFuture<T> withTimeout(
            IOLoop loop, CompletionStage<T> future, Duration timeout, boolean cancelOnTimeout) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(future, "future");
        Objects.requireNonNull(timeout, "timeout");
        CompletableFuture<T> result = new CompletableFuture<>();
        // Timer and completion both run on the loop thread, so this flag needs no synchronisation.
        boolean[] timedOut = new boolean[1];
        Timeout timer = loop.callLater(timeout, () -> {
            if (result.isDone()) {
                return;
            }
            timedOut[0] = true;
            if (cancelOnTimeout) {
                // Before completing the result: whoever sees the timeout sees the wrapped future
                // cancelled already.
                try {
                    future.toCompletableFuture().cancel(true);
                } catch (UnsupportedOperationException e) {
                    log.debug("withTimeout: {} cannot be cancelled", future, e);
                }
            }
            result.completeExceptionally(new TimeoutException("Timed out after " + timeout));
        });
        result.whenComplete((v, e) -> timer.cancel());
        future.whenComplete((v, e) -> {
            Runnable done = () -> {
                Throwable cause = e == null ? null : unwrap(e);
                if (timedOut[0] && cause instanceof CancellationException) {
                    return; // our own cancellation on timeout
                }
                boolean won = cause == null ? result.complete(v) : result.completeExceptionally(cause);
                if (!won && cause != null && !(cause instanceof CancellationException)) {
                    log.error("Future failed after its withTimeout({}) had expired", timeout, cause);
                }
            };
            loop.runOrSubmit(done);
        });
        return result;
    }

    /**
     * A future that completes after {@code delay} on the current loop (Tornado's {@code gen.sleep}).
     *
     * @param delay the delay
     * @return a future that completes after {@code delay} on the current loop (Tornado's {@code gen.sleep})
     */
    public static CompletableFuture<Void> sleep(Duration delay) {
        return sleep(defaultLoop(), delay);
    }

    /**
     * A future that completes on {@code loop}'s thread after {@code delay}; cancelling it cancels the timer.
     *
     * @param loop the loop
     * @param delay the delay
     * @return a future that completes on {@code loop}'s thread after {@code delay}; cancelling it cancels the timer
     */
    public static CompletableFuture<Void> sleep(IOLoop loop, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        CompletableFuture<Void> result = new CompletableFuture<>();
        Timeout timer = loop.callLater(delay, () -> result.complete(null));
        result.whenComplete((v, e) -> timer.cancel());
        return result;
    }

    /**
     * A future that completes on the current loop's next iteration (Tornado's {@code gen.moment}):
     * waiting for it lets the other callbacks already queued run first.
     *
     * @return a future that completes on the current loop's next iteration (Tornado's {@code gen.moment}): waiting for it lets the other callbacks already queued run first
     */
    public static CompletableFuture<Void> moment() {
        return moment(defaultLoop());
    }

    /**
     * A future that completes on {@code loop}'s thread on its next iteration.
     *
     * @param loop the loop
     * @return a future that completes on {@code loop}'s thread on its next iteration
     */
    public static CompletableFuture<Void> moment(IOLoop loop) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        loop.addCallback(() -> result.complete(null));
        return result;
    }

    // --------------------------------------------------------------------- callback adaptation

    /**
     * Adapts a callback API to a future in one call (the seed's {@code gen.Task}):
     * {@code Futures.fromCallback(cb -> api.fetch(url, cb))}. The future completes with the first
     * value passed to the callback, on the thread that calls it; later calls are ignored. If
     * {@code start} throws, the future fails with that exception.
     *
     * @param <T> the type of the values
     * @param start starts the operation, given its callback
     * @return a future of the value
     */
    public static <T> CompletableFuture<T> fromCallback(Consumer<? super Consumer<T>> start) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            start.accept((Consumer<T>) result::complete);
        } catch (Throwable t) {
            result.completeExceptionally(t);
        }
        return result;
    }

    /**
     * As {@link #fromCallback}, for APIs whose callback receives a value or a failure:
     * {@code Futures.fromResultCallback(cb -> api.fetch(url, cb))} with a
     * {@code BiConsumer<T, Throwable>}; a non-null throwable fails the future with it.
     *
     * @param <T> the type of the values
     * @param start starts the operation, given its callback
     * @return a future of the value
     */
    public static <T> CompletableFuture<T> fromResultCallback(Consumer<? super BiConsumer<T, Throwable>> start) {
        CompletableFuture<T> result = new CompletableFuture<>();
        BiConsumer<T, Throwable> callback = (v, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(v);
            }
        };
        try {
            start.accept(callback);
        } catch (Throwable t) {
            result.completeExceptionally(t);
        }
        return result;
    }

    // ------------------------------------------------------------------------------ iteration

    /**
     * A {@link WaitIterator} over {@code futures}: their results in completion order, each with
     * its index in the list (Tornado's {@code gen.WaitIterator(*futures)}).
     *
     * @param <T> the type of the values
     * @param futures the futures
     * @return a {@link WaitIterator} over {@code futures}: their results in completion order, each with its index in the list (Tornado's {@code gen.WaitIterator(*futures)})
     */
    public static <T> WaitIterator<Integer, T> waitIterator(List<? extends CompletionStage<? extends T>> futures) {
        Map<Integer, CompletionStage<? extends T>> keyed = new LinkedHashMap<>();
        for (int i = 0; i < futures.size(); i++) {
            keyed.put(i, futures.get(i));
        }
        return new WaitIterator<>(keyed);
    }

    /**
     * A {@link WaitIterator} over the given futures, indexed by position.
     *
     * @param <T> the type of the values
     * @param futures the futures
     * @return a {@link WaitIterator} over the given futures, indexed by position
     */
    @SafeVarargs
    public static <T> WaitIterator<Integer, T> waitIterator(CompletionStage<? extends T>... futures) {
        return waitIterator(Arrays.asList(futures));
    }

    /**
     * A {@link WaitIterator} over keyed futures: their results in completion order, each with its
     * key (Tornado's {@code gen.WaitIterator(**futures)}).
     *
     * @param <K> the type of the keys
     * @param <T> the type of the values
     * @param futures the futures
     * @return a {@link WaitIterator} over keyed futures: their results in completion order, each with its key (Tornado's {@code gen.WaitIterator(**futures)})
     */
    public static <K, T> WaitIterator<K, T> waitIterator(Map<K, ? extends CompletionStage<? extends T>> futures) {
        return new WaitIterator<>(futures);
    }

    /**
     * Strips {@link CompletionException}/{@link ExecutionException} wrappers: the failure a
     * future's continuation should report.
     *
     * @param t the value
     * @return the stripped exception
     */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
