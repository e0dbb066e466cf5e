package io.gale.concurrent;

import static io.gale.concurrent.TestLoops.completionThread;
import static io.gale.concurrent.TestLoops.failure;
import static io.gale.concurrent.TestLoops.get;
import static io.gale.concurrent.TestLoops.hold;
import static io.gale.concurrent.TestLoops.onLoop;
import static io.gale.concurrent.TestLoops.threadOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.ioloop.IOLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class FuturesTest {
    private final TestLoops loops = new TestLoops();
    private final IOLoop loop = loops.start();

    @AfterEach
    void close() {
        loops.close();
    }

    // ------------------------------------------------------------------------------------- all

    @Test
    void allKeepsInputOrderWhateverTheCompletionOrder() throws Exception {
        CompletableFuture<String> a = new CompletableFuture<>();
        CompletableFuture<String> b = new CompletableFuture<>();
        CompletableFuture<String> c = new CompletableFuture<>();
        CompletableFuture<List<String>> all = Futures.all(List.of(a, b, c));
        c.complete("c");
        a.complete("a");
        assertThat(all).isNotDone();
        b.complete("b");
        assertThat(get(all)).containsExactly("a", "b", "c");
    }

    @Test
    void allAcceptsNullResultsAndVarargs() throws Exception {
        CompletableFuture<List<String>> all =
                Futures.all(CompletableFuture.completedFuture("x"), CompletableFuture.completedFuture(null));
        assertThat(get(all)).containsExactly("x", null);
    }

    @Test
    void allOfNothingIsAnEmptyList() throws Exception {
        assertThat(get(Futures.<String>all(List.of()))).isEmpty();
    }

    @Test
    void allFailsAtOnceWithTheFirstFailureUnwrapped() throws Exception {
        CompletableFuture<String> a = new CompletableFuture<>();
        CompletableFuture<String> b = new CompletableFuture<>();
        CompletableFuture<String> c = new CompletableFuture<>();
        CompletableFuture<List<String>> all = Futures.all(a, b, c);
        IOException first = new IOException("first");
        b.completeExceptionally(first);
        assertThat(all).isCompletedExceptionally();
        assertThat(failure(all)).isSameAs(first);
        // A later failure does not replace the first (it is logged).
        c.completeExceptionally(new IllegalStateException("second"));
        a.complete("late");
        assertThat(failure(all)).isSameAs(first);
    }

    @Test
    void allUnwrapsFailuresOfDerivedStages() throws Exception {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        CompletableFuture<Integer> derived = CompletableFuture.completedFuture(1).thenApply(x -> {
            throw boom;
        });
        assertThat(failure(Futures.all(derived))).isSameAs(boom);
    }

    @Test
    void allOfAMapKeepsKeysInInputOrder() throws Exception {
        CompletableFuture<Integer> one = new CompletableFuture<>();
        CompletableFuture<Integer> two = new CompletableFuture<>();
        Map<String, CompletableFuture<Integer>> in = new LinkedHashMap<>();
        in.put("z", one);
        in.put("a", two);
        CompletableFuture<Map<String, Integer>> all = Futures.all(in);
        two.complete(2);
        one.complete(1);
        Map<String, Integer> out = get(all);
        assertThat(out).containsExactly(Map.entry("z", 1), Map.entry("a", 2));
    }

    @Test
    void allOfAMapFailsWithTheFirstFailure() throws Exception {
        CompletableFuture<Integer> one = new CompletableFuture<>();
        IOException e = new IOException("x");
        CompletableFuture<Map<String, Integer>> all =
                Futures.all(Map.of("a", one, "b", CompletableFuture.<Integer>failedFuture(e)));
        assertThat(failure(all)).isSameAs(e);
    }

    // ------------------------------------------------------------------------------------- any

    @Test
    void anyCompletesWithTheFirstValue() throws Exception {
        CompletableFuture<String> a = new CompletableFuture<>();
        CompletableFuture<String> b = new CompletableFuture<>();
        CompletableFuture<String> any = Futures.any(a, b);
        assertThat(any).isNotDone();
        b.complete("b");
        a.complete("a");
        assertThat(get(any)).isEqualTo("b");
    }

    @Test
    void anyCompletesWithTheFirstFailureUnwrapped() throws Exception {
        CompletableFuture<String> a = new CompletableFuture<>();
        CompletableFuture<String> b = new CompletableFuture<>();
        CompletableFuture<String> any = Futures.any(List.of(a, b));
        IOException e = new IOException("first");
        a.completeExceptionally(e);
        b.complete("b");
        assertThat(failure(any)).isSameAs(e);
    }

    @Test
    void anyOfNothingIsRejected() {
        assertThatThrownBy(() -> Futures.any(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------------------ withTimeout

    @Test
    void withTimeoutFailsWithATimeoutNamingTheDurationOnTheLoopAndLeavesTheFutureAlone() throws Exception {
        CompletableFuture<String> slow = new CompletableFuture<>();
        Duration timeout = Duration.ofMillis(20);
        // Created and observed on the loop, so the timer cannot fire before we listen.
        CompletableFuture<Thread> thread = onLoop(loop, () -> completionThread(Futures.withTimeout(slow, timeout)));
        CompletableFuture<String> result = onLoop(loop, () -> Futures.withTimeout(slow, timeout));
        assertThat(get(thread)).isSameAs(threadOf(loop));
        Throwable t = failure(result);
        assertThat(t).isInstanceOf(TimeoutException.class).hasMessageContaining(timeout.toString());
        assertThat(slow).isNotDone();
        slow.completeExceptionally(new IOException("late failure: logged, not thrown"));
    }

    @Test
    void withTimeoutCanCancelTheWrappedFuture() throws Exception {
        CompletableFuture<String> slow = new CompletableFuture<>();
        CompletableFuture<String> result = Futures.withTimeout(loop, slow, Duration.ofMillis(5), true);
        assertThat(failure(result)).isInstanceOf(TimeoutException.class);
        assertThat(slow).isCancelled();
    }

    @Test
    void withTimeoutDeliversAnEarlierResultOnTheLoopThread() throws Exception {
        CompletableFuture<String> inner = new CompletableFuture<>();
        CompletableFuture<String> result = onLoop(loop, () -> Futures.withTimeout(inner, Duration.ofHours(1)));
        CompletableFuture<Thread> thread = completionThread(result);
        inner.complete("value"); // on the test thread
        assertThat(get(thread)).isSameAs(threadOf(loop));
        assertThat(result.getNow(null)).isEqualTo("value");
    }

    @Test
    void withTimeoutPassesAnEarlierFailureThroughUnwrapped() throws Exception {
        IOException e = new IOException("x");
        CompletableFuture<String> inner = new CompletableFuture<>();
        CompletableFuture<String> result = Futures.withTimeout(loop, inner.thenApply(s -> s), Duration.ofHours(1), false);
        inner.completeExceptionally(e);
        assertThat(failure(result)).isSameAs(e);
    }

    @Test
    void shortFormsUseTheCurrentLoop() throws Exception {
        Thread loopThread = threadOf(loop);
        loop.makeCurrent(); // this test thread now belongs to the loop, as a coroutine would
        var held = hold(loop);
        CompletableFuture<Void> slept = Futures.sleep(Duration.ofMillis(1));
        CompletableFuture<Thread> thread = completionThread(slept);
        held.countDown();
        assertThat(get(thread)).isSameAs(loopThread);
        assertThat(failure(Futures.withTimeout(new CompletableFuture<>(), Duration.ofMillis(1))))
                .isInstanceOf(TimeoutException.class);
    }

    // --------------------------------------------------------------------------- sleep / moment

    @Test
    void sleepCompletesOnTheLoopThreadNoEarlierThanTheDelay() throws Exception {
        Thread loopThread = threadOf(loop);
        var held = hold(loop);
        long start = System.nanoTime();
        CompletableFuture<Void> slept = Futures.sleep(loop, Duration.ofMillis(10));
        CompletableFuture<Thread> thread = completionThread(slept);
        held.countDown();
        assertThat(get(thread)).isSameAs(loopThread);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(10).toNanos());
    }

    @Test
    void cancellingASleepIsAllowed() {
        CompletableFuture<Void> slept = Futures.sleep(loop, Duration.ofHours(1));
        assertThat(slept.cancel(false)).isTrue();
    }

    @Test
    void momentLetsCallbacksQueuedBeforeItRunFirst() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = onLoop(loop, () -> {
            loop.addCallback(() -> order.add("queued before"));
            CompletableFuture<Void> m = Futures.moment().thenRun(() -> order.add("after moment"));
            order.add("same callback");
            return m;
        });
        get(done);
        assertThat(order).containsExactly("same callback", "queued before", "after moment");
    }

    // ----------------------------------------------------------------------------- callbacks

    interface LegacyApi {
        void fetch(String url, Consumer<String> callback);

        void fetchOrFail(String url, BiConsumer<String, Throwable> callback);
    }

    private final LegacyApi api = new LegacyApi() {
        @Override
        public void fetch(String url, Consumer<String> callback) {
            loop.addCallback(() -> callback.accept("body of " + url));
        }

        @Override
        public void fetchOrFail(String url, BiConsumer<String, Throwable> callback) {
            loop.addCallback(() -> callback.accept(null, new IOException("no " + url)));
        }
    };

    @Test
    void fromCallbackTurnsACallbackApiIntoAFuture() throws Exception {
        CompletableFuture<String> f = Futures.fromCallback(cb -> api.fetch("/x", cb));
        assertThat(get(f)).isEqualTo("body of /x");
    }

    @Test
    void fromResultCallbackFailsWithTheGivenError() throws Exception {
        CompletableFuture<String> f = Futures.fromResultCallback(cb -> api.fetchOrFail("/y", cb));
        assertThat(failure(f)).isInstanceOf(IOException.class).hasMessage("no /y");
    }

    @Test
    void fromCallbackFailsIfStartingThrowsAndIgnoresSecondCalls() throws Exception {
        IllegalStateException e = new IllegalStateException("cannot start");
        assertThat(failure(Futures.<String>fromCallback(cb -> {
            throw e;
        }))).isSameAs(e);
        CompletableFuture<String> twice = Futures.fromCallback(cb -> {
            cb.accept("first");
            cb.accept("second");
        });
        assertThat(get(twice)).isEqualTo("first");
    }

    // -------------------------------------------------------------------------- WaitIterator

    @Test
    void waitIteratorHandsOutResultsInCompletionOrderWithTheirIndex() throws Exception {
        List<CompletableFuture<String>> fs = List.of(new CompletableFuture<>(), new CompletableFuture<>(),
                new CompletableFuture<>());
        WaitIterator<Integer, String> it = Futures.waitIterator(fs);
        List<String> seen = new ArrayList<>();

        assertThat(it.hasNext()).isTrue();
        CompletableFuture<String> first = it.next();
        assertThat(first).isNotDone();
        // Read the index in the continuation, as documented.
        CompletableFuture<String> firstSeen = first.thenApply(v -> v + "@" + it.currentIndex());
        fs.get(2).complete("c");
        seen.add(get(firstSeen));

        fs.get(0).complete("a"); // completes before next() is called
        seen.add(get(it.next()) + "@" + it.currentIndex());
        IOException e = new IOException("b failed");
        CompletableFuture<String> third = it.next();
        fs.get(1).completeExceptionally(e);
        assertThat(failure(third)).isSameAs(e);
        assertThat(it.currentIndex()).isEqualTo(1);
        assertThat(it.currentFuture()).isSameAs(fs.get(1));

        assertThat(seen).containsExactly("c@2", "a@0");
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void waitIteratorOverAlreadyDoneFuturesFollowsInputOrder() throws Exception {
        WaitIterator<Integer, String> it = Futures.waitIterator(
                CompletableFuture.completedFuture("x"), CompletableFuture.completedFuture("y"));
        assertThat(get(it.next())).isEqualTo("x");
        assertThat(it.currentIndex()).isZero();
        assertThat(get(it.next())).isEqualTo("y");
        assertThat(it.currentIndex()).isEqualTo(1);
    }

    @Test
    void waitIteratorOverAMapGivesKeys() throws Exception {
        CompletableFuture<Integer> slow = new CompletableFuture<>();
        Map<String, CompletableFuture<Integer>> in = new LinkedHashMap<>();
        in.put("slow", slow);
        in.put("fast", CompletableFuture.completedFuture(1));
        WaitIterator<String, Integer> it = Futures.waitIterator(in);
        assertThat(get(it.next())).isEqualTo(1);
        assertThat(it.currentIndex()).isEqualTo("fast");
        CompletableFuture<Integer> next = it.next();
        slow.complete(2);
        assertThat(get(next)).isEqualTo(2);
        assertThat(it.currentIndex()).isEqualTo("slow");
    }

    @Test
    void waitIteratorRejectsANextWhileThePreviousIsPending() {
        WaitIterator<Integer, String> it =
                Futures.waitIterator(new CompletableFuture<String>(), new CompletableFuture<String>());
        it.next();
        assertThatThrownBy(it::next).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void emptyWaitIteratorHasNothing() {
        assertThat(Futures.<String>waitIterator(List.of()).hasNext()).isFalse();
    }
}
