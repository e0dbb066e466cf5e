package io.gale.httpclient;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.IOLoopOptions;
import io.gale.testing.GaleTesting;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Test helpers: a background loop and waiting for client futures from the test thread. */
final class ClientTesting {
    static final long WAIT_SECONDS = 30;

    private ClientTesting() {
    }

    static IOLoop startLoop(String name) {
        IOLoop loop = new IOLoop(IOLoopOptions.builder().name(name).daemon(true).build());
        loop.startInBackground();
        return loop;
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("future failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("future did not complete in time", e);
        }
    }

    /** The failure of {@code f}, unwrapped. */
    static Throwable failure(CompletableFuture<?> f) {
        try {
            Object v = f.get(WAIT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + v);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            while (t instanceof CompletionException && t.getCause() != null) {
                t = t.getCause();
            }
            return t;
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("future did not complete in time", e);
        }
    }

    /** Evaluates {@code s} on the loop. */
    static <T> T onLoop(IOLoop loop, Supplier<T> s) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.addCallback(() -> f.complete(s.get()));
        return await(f);
    }

    /** Waits (bounded) until {@code condition}, evaluated on the loop, holds. */
    static void awaitOnLoop(IOLoop loop, BooleanSupplier condition, String what) throws InterruptedException {
        GaleTesting.awaitCondition(() -> onLoop(loop, condition::getAsBoolean), Duration.ofSeconds(WAIT_SECONDS),
                () -> what);
    }
}
