package io.gale.concurrent;

import io.gale.ioloop.IOLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Started loops for a test, closed afterwards; helpers to run code on a loop and wait. */
final class TestLoops implements AutoCloseable {
    private final List<IOLoop> loops = new ArrayList<>();

    IOLoop start() {
        IOLoop loop = new IOLoop();
        loops.add(loop);
        loop.startInBackground();
        try {
            onLoop(loop, () -> null); // running before the test starts (and before it may close it)
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return loop;
    }

    @Override
    public void close() {
        IOLoop.clearCurrent();
        loops.forEach(IOLoop::close);
    }

    /** Runs {@code r} on the loop thread and returns its result. */
    static <T> T onLoop(IOLoop loop, Callable<T> r) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.addCallback(() -> {
            try {
                f.complete(r.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return get(f);
    }

    /** The loop's thread (waits for one iteration). */
    static Thread threadOf(IOLoop loop) throws Exception {
        return onLoop(loop, Thread::currentThread);
    }

    /**
     * Holds the loop thread until the returned latch is counted down, so nothing on the loop (a
     * timer, say) can run before the test has registered what it observes.
     */
    static java.util.concurrent.CountDownLatch hold(IOLoop loop) throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        loop.addCallback(() -> {
            held.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        held.await(30, TimeUnit.SECONDS);
        return release;
    }

    static <T> T get(CompletionStage<T> f) throws Exception {
        return f.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** The failure of {@code f} (unwrapped), waiting for it; fails if it succeeds. */
    static Throwable failure(CompletionStage<?> f) throws Exception {
        try {
            f.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
        throw new AssertionError("expected " + f + " to fail");
    }

    /**
     * The thread that completes {@code f}: register before it can complete (the caller's thread
     * if it already has). Wait on the returned future, never on {@code f}: a thread blocked in
     * {@code f.get()} may run f's continuations itself.
     */
    static CompletableFuture<Thread> completionThread(CompletionStage<?> f) {
        return f.handle((v, e) -> Thread.currentThread()).toCompletableFuture();
    }
}
