package io.gale.iostream;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.IOLoopOptions;
import io.gale.testing.GaleTesting;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Test helpers: run code on a loop thread and wait for its futures from the test thread. */
final class Loops {
    static final Duration WAIT = Duration.ofSeconds(20);

    private Loops() {}

    static IOLoop startLoop(String name) {
        IOLoop loop = new IOLoop(IOLoopOptions.builder().name(name).daemon(true).build());
        loop.startInBackground();
        return loop;
    }

    /** Runs {@code action} on the loop and returns its future (completed on the loop). */
    static <T> CompletableFuture<T> on(IOLoop loop, Supplier<? extends CompletableFuture<T>> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.addCallback(() -> {
            try {
                action.get().whenComplete((v, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(v);
                    }
                });
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** Runs {@code action} on the loop and waits for its value. */
    static <T> T call(IOLoop loop, Supplier<T> action) {
        return await(on(loop, () -> CompletableFuture.completedFuture(action.get())));
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("future failed", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("future did not complete within " + WAIT, e);
        }
    }

    /** The failure of {@code f}, unwrapped. */
    static Throwable failure(CompletableFuture<?> f) {
        try {
            Object v = f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure, got " + v);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
                t = t.getCause();
            }
            return t;
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("future did not complete within " + WAIT, e);
        }
    }

    /** Waits for a state reached by other threads (bounded), checking it on the loop. */
    static void awaitState(IOLoop loop, BooleanSupplier condition, String what) throws InterruptedException {
        GaleTesting.awaitCondition(() -> call(loop, condition::getAsBoolean), WAIT, () -> what);
    }
}
