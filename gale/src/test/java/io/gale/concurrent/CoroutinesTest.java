package io.gale.concurrent;

import static io.gale.concurrent.Coroutines.await;
import static io.gale.concurrent.TestLoops.completionThread;
import static io.gale.concurrent.TestLoops.failure;
import static io.gale.concurrent.TestLoops.get;
import static io.gale.concurrent.TestLoops.onLoop;
import static io.gale.concurrent.TestLoops.threadOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.ioloop.IOLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CoroutinesTest {
    private final TestLoops loops = new TestLoops();
    private final IOLoop loop = loops.start();

    @AfterEach
    void close() {
        loops.close();
    }

    // ----------------------------------------------------------------------------------- launch

    @Test
    void launchRunsTheBodyAsACoroutineOfItsContextAndAFailureGoesNowhere() throws Exception {
        CoroutineContext context = new CoroutineContext(loop);
        CompletableFuture<Object[]> seen = new CompletableFuture<>();
        Coroutines.launch(context, () -> seen.complete(new Object[] {Thread.currentThread().isVirtual(),
                IOLoop.current(), CoroutineContext.current()}));
        Object[] s = seen.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(s[0]).isEqualTo(true);
        assertThat(s[1]).isSameAs(loop);
        assertThat(s[2]).isSameAs(context);

        // a failing body does not stop the next coroutine of the same context (its lock was released)
        Coroutines.launch(context, () -> {
            throw new IllegalStateException("expected in this test");
        });
        CompletableFuture<String> after = new CompletableFuture<>();
        Coroutines.launch(context, () -> after.complete("ran"));
        assertThat(after.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("ran");
    }

    // ------------------------------------------------------------------------------------ await

    @Test
    void awaitOnALoopThreadFailsAtOnceSayingWhatToDoInstead() throws Exception {
        Throwable t = onLoop(loop, () -> {
            try {
                await(new CompletableFuture<String>());
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        });
        assertThat(t).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("IOLoop thread")
                .hasMessageContaining("Coroutines.spawn")
                .hasMessageContaining("virtual-thread handler");
    }

    @Test
    void awaitReturnsTheValueOnAnyNonLoopThread() {
        CompletableFuture<String> f = new CompletableFuture<>();
        loop.addCallback(() -> f.complete("v"));
        assertThat(await(f)).isEqualTo("v");
    }

    @Test
    void awaitRethrowsTheOriginalCheckedExceptionObject() {
        IOException e = new IOException("original");
        CompletableFuture<String> f = new CompletableFuture<>();
        loop.addCallback(() -> f.completeExceptionally(e));
        assertThatThrownBy(() -> await(f)).isSameAs(e);
    }

    @Test
    void awaitUnwrapsFailuresOfDerivedStagesAndMinimalStages() {
        IllegalArgumentException e = new IllegalArgumentException("original");
        CompletableFuture<String> source = new CompletableFuture<>();
        CompletableFuture<String> derived = source.thenApply(s -> s + "!");
        CompletionStage<String> minimal = source.minimalCompletionStage();
        source.completeExceptionally(e);
        assertThatThrownBy(() -> await(derived)).isSameAs(e);
        assertThatThrownBy(() -> await(minimal)).isSameAs(e);
    }

    @Test
    void awaitOfACancelledFutureThrowsCancellation() {
        CompletableFuture<String> f = new CompletableFuture<>();
        f.cancel(false);
        assertThatThrownBy(() -> await(f)).isInstanceOf(CancellationException.class);
    }

    @Test
    void interruptWhileAwaitingThrowsCancellationAndKeepsTheFlag() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flag = new AtomicBoolean();
        CompletableFuture<String> never = new CompletableFuture<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                await(never);
            } catch (Throwable e) {
                thrown.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        t.interrupt();
        t.join(30_000);
        assertThat(thrown.get()).isInstanceOf(CancellationException.class)
                .hasCauseInstanceOf(InterruptedException.class);
        assertThat(flag).isTrue();
    }

    @Test
    void awaitDoesNotStealLoopContinuationsFromTheLoop() throws Exception {
        // A loop-side continuation on the awaited future must still run on the loop.
        CompletableFuture<String> f = new CompletableFuture<>();
        CompletableFuture<Thread> continuation = onLoop(loop, () -> completionThread(f));
        CompletableFuture<String> awaited = Coroutines.spawn(loop, () -> await(f));
        loop.addCallback(() -> f.complete("x"));
        assertThat(get(awaited)).isEqualTo("x");
        assertThat(get(continuation)).isSameAs(threadOf(loop));
    }

    // ------------------------------------------------------------------------------------ spawn

    @Test
    void spawnRunsOnAVirtualThreadBoundToTheLoopAndCompletesOnTheLoop() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<String> result = Coroutines.spawn(loop, () -> {
            go.await();
            assertThat(Thread.currentThread().isVirtual()).isTrue();
            assertThat(IOLoop.current()).isSameAs(loop);
            assertThat(CoroutineContext.current()).isNotNull();
            return await(Futures.sleep(Duration.ofMillis(1))) == null ? "slept" : "?";
        });
        CompletableFuture<Thread> thread = completionThread(result);
        go.countDown();
        assertThat(get(thread)).isSameAs(threadOf(loop));
        assertThat(result.getNow(null)).isEqualTo("slept");
    }

    @Test
    void spawnFailsWithTheBodysExceptionObject() throws Exception {
        IOException e = new IOException("body failed");
        CompletableFuture<Object> result = Coroutines.spawn(loop, () -> {
            throw e;
        });
        assertThat(failure(result)).isSameAs(e);
    }

    @Test
    void spawnOfARunnableCompletesWithNull() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        CompletableFuture<Void> result = Coroutines.spawn(loop, () -> ran.set(true));
        assertThat(get(result)).isNull();
        assertThat(ran).isTrue();
    }

    @Test
    void cancellingASpawnedCoroutineInterruptsItsAwait() throws Exception {
        CountDownLatch awaiting = new CountDownLatch(1);
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        CompletableFuture<String> result = Coroutines.spawn(loop, () -> {
            CompletableFuture<String> never = new CompletableFuture<>();
            awaiting.countDown();
            try {
                return await(never);
            } catch (CancellationException e) {
                seen.complete(e);
                throw e;
            }
        });
        awaiting.await(30, TimeUnit.SECONDS);
        result.cancel(true);
        assertThat(get(seen)).isInstanceOf(CancellationException.class);
    }

    @Test
    void tenThousandCoroutinesEachAwaitingATimerOnOneLoopAllComplete() throws Exception {
        int n = 10_000;
        List<CompletableFuture<Integer>> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int id = i;
            all.add(Coroutines.spawn(loop, () -> {
                await(Futures.sleep(Duration.ofMillis(1 + id % 10)));
                return id;
            }));
        }
        List<Integer> results = Futures.all(all).get(60, TimeUnit.SECONDS);
        assertThat(results).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(results.get(i)).isEqualTo(i);
        }
    }

    @Test
    void twoCoroutinesRunInParallel() throws Exception {
        // Each waits (blocking, not await) for the other to arrive: only possible in parallel.
        CountDownLatch both = new CountDownLatch(2);
        CompletableFuture<Boolean> a = Coroutines.spawn(loop, () -> {
            both.countDown();
            return both.await(30, TimeUnit.SECONDS);
        });
        CompletableFuture<Boolean> b = Coroutines.spawn(loop, () -> {
            both.countDown();
            return both.await(30, TimeUnit.SECONDS);
        });
        assertThat(get(a)).isTrue();
        assertThat(get(b)).isTrue();
    }

    // --------------------------------------------------------------------------------- context

    @Test
    void contextCallbacksRunWhileTheCoroutineAwaitsAndCanCompleteWhatItAwaits() throws Exception {
        CoroutineContext ctx = new CoroutineContext(loop);
        CompletableFuture<String> result = Coroutines.spawn(ctx, () -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            // Would deadlock if await kept the context locked.
            ctx.execute(() -> {
                assertThat(CoroutineContext.current()).isSameAs(ctx);
                assertThat(IOLoop.current()).isSameAs(loop);
                f.complete("from callback");
            });
            return await(f);
        });
        assertThat(get(result)).isEqualTo("from callback");
    }

    @Test
    void contextCallbacksNeverOverlapTheCoroutineBodyAndRunInOrder() throws Exception {
        CoroutineContext ctx = new CoroutineContext(loop);
        AtomicInteger inside = new AtomicInteger();
        AtomicBoolean overlap = new AtomicBoolean();
        List<Integer> order = new CopyOnWriteArrayList<>();
        int callbacks = 500;
        CountDownLatch allRan = new CountDownLatch(callbacks);
        Runnable section = () -> {
            if (inside.incrementAndGet() != 1) {
                overlap.set(true);
            }
            Thread.onSpinWait();
            inside.decrementAndGet();
        };
        CompletableFuture<Void> body = Coroutines.spawn(ctx, () -> {
            for (int i = 0; i < 200; i++) {
                section.run();
                await(Futures.moment());
                section.run();
            }
        });
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < callbacks; i++) {
                int id = i;
                ctx.execute(() -> {
                    section.run();
                    order.add(id);
                    allRan.countDown();
                });
            }
        });
        get(body);
        assertThat(allRan.await(30, TimeUnit.SECONDS)).isTrue();
        producer.join();
        assertThat(overlap).isFalse();
        for (int i = 0; i < callbacks; i++) {
            assertThat(order.get(i)).isEqualTo(i);
        }
    }

    @Test
    void twoCoroutinesInOneContextNeverOverlap() throws Exception {
        CoroutineContext ctx = new CoroutineContext(loop);
        AtomicInteger inside = new AtomicInteger();
        AtomicBoolean overlap = new AtomicBoolean();
        Runnable body = () -> {
            for (int i = 0; i < 200; i++) {
                if (inside.incrementAndGet() != 1) {
                    overlap.set(true);
                }
                Thread.yield();
                inside.decrementAndGet();
                await(Futures.moment());
            }
        };
        CompletableFuture<Void> a = Coroutines.spawn(ctx, body);
        CompletableFuture<Void> b = Coroutines.spawn(ctx, body);
        get(a);
        get(b);
        assertThat(overlap).isFalse();
    }

    @Test
    void aFailingContextCallbackIsLoggedAndDoesNotStopTheNext() throws Exception {
        CoroutineContext ctx = new CoroutineContext(loop);
        CompletableFuture<String> next = new CompletableFuture<>();
        ctx.execute(() -> {
            throw new IllegalStateException("expected in test");
        });
        ctx.execute(() -> next.complete("ran"));
        assertThat(get(next)).isEqualTo("ran");
    }
}
