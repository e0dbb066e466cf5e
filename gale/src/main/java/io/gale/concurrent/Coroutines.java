package io.gale.concurrent;

import io.gale.ioloop.IOLoop;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Coroutine-style code on virtual threads: {@link #await} reads like Tornado's {@code yield} /
 * {@code await}, {@link #spawn} starts a coroutine bound to a loop.
 *
 * <pre>{@code
 * CompletableFuture<String> title = Coroutines.spawn(loop, () -> {
 *     Response r = Coroutines.await(client.fetch(url));   // r = yield client.fetch(url)
 *     Coroutines.await(Futures.sleep(Duration.ofSeconds(1)));
 *     return r.title();
 * });
 * }</pre>
 *
 * <p>Threading: a coroutine is a virtual thread, so it may block (JDBC, files) without stalling
 * a loop; {@code await} parks it until the future completes. Each coroutine runs in a
 * {@link CoroutineContext}: one coroutine runs on one thread at a time and its context's
 * callbacks never run alongside it, while different coroutines run in parallel on all cores.
 * State they share must be thread-safe: use this package's locks and queues. Never call
 * {@code await} on a loop thread: it would block every connection of the loop, so it fails at
 * once instead.
 */
public final class Coroutines {
    private static final ThreadFactory COROUTINE_THREADS =
            Thread.ofVirtual().name("gale-coroutine-", 0).factory();

    private Coroutines() {
    }

    /**
     * Waits for {@code future} and returns its value, or throws its failure <em>unwrapped</em>:
     * the original exception object, with its own type and stack, never a
     * {@code CompletionException}/{@code ExecutionException} wrapper. Checked exceptions are
     * thrown as they are although this method does not declare them (catch them as
     * {@code Exception} if you need to). Inside a {@link CoroutineContext} the context is released
     * while waiting, so the coroutine's callbacks can run.
     *
     * <p>Call it on a virtual thread (a coroutine from {@link #spawn}, a virtual-thread handler) or
     * any other non-loop thread.
     *
     * @param <T> the type of the values
     * @param future the future
     * @return the value
     * @throws IllegalStateException at once, when called on an {@link IOLoop} thread
     * @throws CancellationException if the future was cancelled, or if the waiting thread is
     *     interrupted (the interrupt flag is then set again, and the exception's cause is the
     *     {@link InterruptedException}); cancelling a {@link #spawn} result interrupts its coroutine
     */
    public static <T> T await(CompletionStage<T> future) {
        Objects.requireNonNull(future, "future");
        IOLoop loop = IOLoop.current();
        if (loop != null && loop.inLoop()) {
            throw new IllegalStateException("Coroutines.await() called on the IOLoop thread of " + loop.name()
                    + ": blocking there would stall every connection of the loop. Run this code on a virtual "
                    + "thread instead: Coroutines.spawn(loop, () -> ...) or a virtual-thread handler; on the "
                    + "loop, chain the future (thenApply/whenComplete) instead of awaiting it.");
        }
        CompletableFuture<T> f = asFuture(future);
        if (!f.isDone()) {
            // Block on a private signal, never on f itself: a thread blocked in f.get() helps run
            // f's pending continuations, which would move loop-side continuations (thenApply on
            // the loop) onto this coroutine's thread.
            CompletableFuture<Void> signal = new CompletableFuture<>();
            f.whenComplete((v, e) -> signal.complete(null));
            waitFor(signal, f);
        }
        try {
            return f.getNow(null);
        } catch (CancellationException e) {
            throw e;
        } catch (RuntimeException e) { // CompletionException
            throw sneakyThrow(Futures.unwrap(e));
        }
    }

    /** The stage itself when it is a full CompletableFuture, else a copy (minimal stages, other kinds). */
    private static <T> CompletableFuture<T> asFuture(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture();
        } catch (UnsupportedOperationException e) {
            return copy(stage);
        }
    }

    private static <T> CompletableFuture<T> copy(CompletionStage<T> stage) {
        CompletableFuture<T> f = new CompletableFuture<>();
        stage.whenComplete((v, e) -> {
            if (e != null) {
                f.completeExceptionally(Futures.unwrap(e));
            } else {
                f.complete(v);
            }
        });
        return f;
    }

    /** Blocks until {@code f} is done, releasing the caller's context while blocked. */
    private static void waitFor(CompletableFuture<Void> signal, CompletableFuture<?> f) {
        CoroutineContext ctx = CoroutineContext.current();
        ReentrantLock lock = ctx == null ? null : ctx.lock;
        int holds = lock == null ? 0 : lock.getHoldCount();
        for (int i = 0; i < holds; i++) {
            lock.unlock();
        }
        try {
            signal.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            CancellationException ce = new CancellationException("interrupted while awaiting " + f);
            ce.initCause(e);
            throw ce;
        } catch (ExecutionException e) {
            throw new AssertionError("the signal never fails", e);
        } finally {
            for (int i = 0; i < holds; i++) {
                lock.lock();
            }
        }
    }

    /**
     * Starts {@code body} as a coroutine on a new virtual thread, in a new
     * {@link CoroutineContext} bound to {@code loop} ({@link IOLoop#current()} returns
     * {@code loop} inside it). The returned future completes on {@code loop}'s thread with the
     * body's value or exception (so {@code loop} must be running for it to complete);
     * cancelling it interrupts the coroutine, whose pending {@link #await} then throws a
     * {@link CancellationException}.
     *
     * @param <T> the type of the values
     * @param loop the loop
     * @param body the body
     * @return the started completable future
     */
    public static <T> CompletableFuture<T> spawn(IOLoop loop, Callable<T> body) {
        return spawn(new CoroutineContext(loop), body);
    }

    /**
     * As {@link #spawn(IOLoop, Callable)} for a body without a result.
     *
     * @param loop the loop
     * @param body the body
     * @return a future that completes when it is done, or fails with the error
     */
    public static CompletableFuture<Void> spawn(IOLoop loop, Runnable body) {
        return spawn(new CoroutineContext(loop), body);
    }

    /**
     * As {@link #spawn(IOLoop, Callable)} on the current loop, else {@link IOLoop#instance()}.
     *
     * @param <T> the type of the values
     * @param body the body
     * @return a future of the value
     */
    public static <T> CompletableFuture<T> spawn(Callable<T> body) {
        return spawn(Futures.defaultLoop(), body);
    }

    /**
     * As {@link #spawn(IOLoop, Runnable)} on the current loop, else {@link IOLoop#instance()}.
     *
     * @param body the body
     * @return a future that completes when it is done, or fails with the error
     */
    public static CompletableFuture<Void> spawn(Runnable body) {
        return spawn(Futures.defaultLoop(), body);
    }

    /**
     * As {@link #spawn(IOLoop, Runnable)} in an existing context.
     *
     * @param context the coroutine context
     * @param body the body
     * @return a future that completes when it is done, or fails with the error
     */
    public static CompletableFuture<Void> spawn(CoroutineContext context, Runnable body) {
        Objects.requireNonNull(body, "body");
        return spawn(context, () -> {
            body.run();
            return null;
        });
    }

    /**
     * Starts {@code body} as a coroutine in {@code context}: it never runs at the same time as
     * the context's other coroutines and callbacks. The future completes on the context's loop.
     *
     * @param <T> the type of the values
     * @param context the coroutine context
     * @param body the body
     * @return the started completable future
     */
    public static <T> CompletableFuture<T> spawn(CoroutineContext context, Callable<T> body) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(body, "body");
        IOLoop loop = context.loop();
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = COROUTINE_THREADS.newThread(() -> {
            context.enter();
            T value = null;
            Throwable failure = null;
            context.lock.lock();
            try {
                value = body.call();
            } catch (Throwable t) {
                failure = t;
            } finally {
                context.lock.unlock();
                context.exit();
            }
            T v = value;
            Throwable e = failure;
            loop.addCallback(() -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(v);
                }
            });
        });
        result.whenComplete((v, e) -> {
            if (result.isCancelled()) {
                thread.interrupt();
            }
        });
        thread.start();
        return result;
    }

    /**
     * Starts {@code body} as a coroutine in {@code context}, like {@link #spawn(CoroutineContext,
     * Runnable)}, but with nothing to report when it ends: no future, and no task for the loop at
     * the end. A coroutine whose last act hands work to its loop (a handler's response) then costs
     * the loop one wake-up instead of two. The body handles its own failures; one that escapes is
     * logged on {@code gale.concurrent} and goes nowhere else.
     *
     * @param context the coroutine context
     * @param body the body
     */
    public static void launch(CoroutineContext context, Runnable body) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(body, "body");
        COROUTINE_THREADS.newThread(() -> {
            context.enter();
            context.lock.lock();
            try {
                body.run();
            } catch (Throwable t) {
                org.slf4j.LoggerFactory.getLogger("gale.concurrent").error("Uncaught exception in a launched coroutine", t);
            } finally {
                context.lock.unlock();
                context.exit();
            }
        }).start();
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }
}
