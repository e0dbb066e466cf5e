package io.gale.concurrent;

import static io.gale.concurrent.TestLoops.completionThread;
import static io.gale.concurrent.TestLoops.failure;
import static io.gale.concurrent.TestLoops.get;
import static io.gale.concurrent.TestLoops.onLoop;
import static io.gale.concurrent.TestLoops.threadOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.ioloop.IOLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class QueueTest {
    private static final Duration SHORT = Duration.ofMillis(5);

    private final TestLoops loops = new TestLoops();
    private final IOLoop loop = loops.start();

    @BeforeEach
    void bindTimersToTheTestLoop() {
        loop.makeCurrent();
    }

    @AfterEach
    void close() {
        loops.close();
    }

    // ----------------------------------------------------------------------------- basics

    @Test
    void fifoPutAndGet() throws Exception {
        Queue<String> q = new Queue<>();
        assertThat(q.maxsize()).isZero();
        assertThat(q.empty()).isTrue();
        assertThat(q.put("a")).isCompleted();
        q.putNow("b");
        assertThat(q.qsize()).isEqualTo(2);
        assertThat(q.full()).isFalse();
        assertThat(get(q.get())).isEqualTo("a");
        assertThat(q.getNow()).isEqualTo("b");
        assertThat(q.empty()).isTrue();
    }

    @Test
    void nowVariantsThrowQueueFullAndQueueEmpty() {
        Queue<Integer> q = new Queue<>(1);
        assertThatThrownBy(q::getNow).isInstanceOf(QueueEmptyException.class);
        q.putNow(1);
        assertThat(q.full()).isTrue();
        assertThatThrownBy(() -> q.putNow(2)).isInstanceOf(QueueFullException.class);
    }

    @Test
    void invalidArgumentsAreRejected() {
        assertThatThrownBy(() -> new Queue<>(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Queue<String>().putNow(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void getWaitsForAPutAndGettersAreServedInFifoOrder() throws Exception {
        Queue<Integer> q = new Queue<>();
        CompletableFuture<Integer> first = q.get();
        CompletableFuture<Integer> second = q.get();
        assertThat(first).isNotDone();
        q.putNow(1);
        assertThat(q.put(2)).isCompleted();
        assertThat(first).isCompletedWithValue(1);
        assertThat(second).isCompletedWithValue(2);
        assertThat(q.qsize()).isZero();
    }

    @Test
    void putWaitsForRoomAndPuttersAreServedInFifoOrder() throws Exception {
        Queue<Integer> q = new Queue<>(1);
        q.putNow(0);
        CompletableFuture<Void> p1 = q.put(1);
        CompletableFuture<Void> p2 = q.put(2);
        assertThat(p1).isNotDone();
        assertThat(q.getNow()).isZero();
        assertThat(p1).isCompleted();
        assertThat(p2).isNotDone();
        assertThat(get(q.get())).isEqualTo(1);
        assertThat(p2).isCompleted();
        assertThat(q.getNow()).isEqualTo(2);
    }

    // ----------------------------------------------------------------- timeouts and cancellation

    @Test
    void aTimedOutGetDoesNotSwallowALaterPut() throws Exception {
        Queue<String> q = new Queue<>();
        CompletableFuture<String> timedOut = q.get(SHORT);
        assertThat(failure(timedOut)).isInstanceOf(TimeoutException.class).hasMessageContaining("Queue.get");
        q.putNow("kept");
        assertThat(q.getNow()).isEqualTo("kept");
    }

    @Test
    void aCancelledGetDoesNotSwallowALaterPut() throws Exception {
        Queue<String> q = new Queue<>();
        CompletableFuture<String> cancelled = q.get();
        CompletableFuture<String> live = q.get();
        cancelled.cancel(false);
        q.putNow("x");
        assertThat(live).isCompletedWithValue("x");
        q.putNow("y");
        assertThat(q.getNow()).isEqualTo("y");
    }

    @Test
    void aTimedOutPutDoesNotPutItsItem() throws Exception {
        Queue<String> q = new Queue<>(1);
        q.putNow("a");
        assertThat(failure(q.put("never", SHORT))).isInstanceOf(TimeoutException.class);
        assertThat(q.getNow()).isEqualTo("a");
        assertThat(q.empty()).isTrue();
        assertThatThrownBy(q::getNow).isInstanceOf(QueueEmptyException.class);
    }

    @Test
    void zeroTimeoutsMeanNow() throws Exception {
        Queue<String> q = new Queue<>(1);
        assertThat(failure(q.get(Duration.ZERO))).isInstanceOf(TimeoutException.class);
        q.putNow("a");
        assertThat(failure(q.put("b", Duration.ZERO))).isInstanceOf(TimeoutException.class);
        assertThat(q.get(Duration.ZERO)).isCompletedWithValue("a");
        assertThat(q.queuedGetters()).isZero();
    }

    @Test
    void aGetterAlreadyHandedAnItemRefusesCancellation() {
        Queue<String> q = new Queue<>();
        CompletableFuture<String> g = q.get();
        q.putNow("x");
        assertThat(g.cancel(false)).isFalse();
        assertThat(g).isCompletedWithValue("x");
    }

    @Test
    void timeoutRacingAPutLosesNoItem() throws Exception {
        Queue<Integer> q = new Queue<>();
        CyclicBarrier start = new CyclicBarrier(2);
        AtomicReference<Throwable> producerError = new AtomicReference<>();
        int rounds = 300;
        Thread producer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    start.await(30, TimeUnit.SECONDS);
                    if (i % 2 == 0) {
                        Thread.onSpinWait();
                    }
                    q.putNow(i);
                }
            } catch (Throwable t) {
                producerError.set(t);
            }
        });
        for (int i = 0; i < rounds; i++) {
            CompletableFuture<Integer> g = q.get(Duration.ofNanos(50_000 + (i % 7) * 100_000));
            start.await(30, TimeUnit.SECONDS);
            Integer got;
            try {
                got = g.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
                got = null;
            }
            if (got == null) {
                got = get(q.get()); // the item the timed-out getter must not have taken
            }
            assertThat(got).isEqualTo(i);
            assertThat(q.qsize()).isZero();
        }
        producer.join(30_000);
        assertThat(producerError.get()).isNull();
    }

    @Test
    void cancelRacingAPutLosesNoItem() throws Exception {
        Queue<Integer> q = new Queue<>();
        int rounds = 2000;
        CyclicBarrier start = new CyclicBarrier(2);
        List<CompletableFuture<Integer>> getters = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            getters.add(null);
        }
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread canceller = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    start.await(30, TimeUnit.SECONDS);
                    synchronized (getters) {
                        getters.get(i).cancel(false);
                    }
                }
            } catch (Throwable t) {
                error.set(t);
            }
        });
        for (int i = 0; i < rounds; i++) {
            CompletableFuture<Integer> g = q.get();
            synchronized (getters) {
                getters.set(i, g);
            }
            start.await(30, TimeUnit.SECONDS);
            q.putNow(i);
            // Either the getter won the item (and refused the cancel) or the item is still queued.
            while (!g.isDone()) {
                Thread.onSpinWait();
            }
            if (g.isCancelled()) {
                assertThat(q.getNow()).isEqualTo(i);
            } else {
                assertThat(g.getNow(null)).isEqualTo(i);
            }
            assertThat(q.qsize()).isZero();
        }
        canceller.join(30_000);
        assertThat(error.get()).isNull();
    }

    // ------------------------------------------------------------------------- completion thread

    @Test
    void aGetFromALoopThreadCompletesOnThatLoop() throws Exception {
        Queue<String> q = new Queue<>();
        CompletableFuture<Thread> thread = onLoop(loop, () -> completionThread(q.get()));
        q.putNow("x"); // on the test thread
        assertThat(get(thread)).isSameAs(threadOf(loop));
    }

    // ---------------------------------------------------------------------------- taskDone/join

    @Test
    void joinWaitsUntilEveryItemIsDone() throws Exception {
        Queue<Integer> q = new Queue<>();
        assertThat(q.join()).isCompleted();
        q.putNow(1);
        q.putNow(2);
        CompletableFuture<Void> joined = q.join();
        q.getNow();
        q.getNow();
        q.taskDone();
        assertThat(joined).isNotDone();
        q.taskDone();
        assertThat(joined).isCompleted();
        assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("too many");
    }

    @Test
    void itemsHandedStraightToAGetterCountAsUnfinished() {
        Queue<Integer> q = new Queue<>();
        CompletableFuture<Integer> g = q.get();
        q.putNow(1);
        assertThat(g).isCompletedWithValue(1);
        CompletableFuture<Void> joined = q.join();
        assertThat(joined).isNotDone();
        q.taskDone();
        assertThat(joined).isCompleted();
    }

    @Test
    void joinTimesOut() throws Exception {
        Queue<Integer> q = new Queue<>();
        q.putNow(1);
        assertThat(failure(q.join(SHORT))).isInstanceOf(TimeoutException.class);
    }

    // ------------------------------------------------------------------------ priority and LIFO

    @Test
    void priorityQueueHandsOutTheSmallestFirst() {
        PriorityQueue<Integer> q = new PriorityQueue<>();
        for (int i : new int[] {5, 1, 4, 2, 3}) {
            q.putNow(i);
        }
        List<Integer> out = new ArrayList<>();
        while (!q.empty()) {
            out.add(q.getNow());
        }
        assertThat(out).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void priorityQueueTakesAComparator() {
        PriorityQueue<String> q = new PriorityQueue<>(0, Comparator.comparing(String::length).reversed());
        q.putNow("a");
        q.putNow("ccc");
        q.putNow("bb");
        assertThat(q.getNow()).isEqualTo("ccc");
        assertThat(q.getNow()).isEqualTo("bb");
    }

    @Test
    void aFullPriorityQueueConsidersAWaitingPuttersItem() {
        // Tornado puts the waiting putter's item before taking: the best of all comes out.
        PriorityQueue<Integer> q = new PriorityQueue<>(2);
        q.putNow(5);
        q.putNow(3);
        CompletableFuture<Void> putter = q.put(1);
        assertThat(q.getNow()).isEqualTo(1);
        assertThat(putter).isCompleted();
        assertThat(q.qsize()).isEqualTo(2);
    }

    @Test
    void lifoQueueHandsOutTheNewestFirst() {
        LifoQueue<Integer> q = new LifoQueue<>();
        q.putNow(1);
        q.putNow(2);
        q.putNow(3);
        assertThat(q.getNow()).isEqualTo(3);
        assertThat(q.getNow()).isEqualTo(2);
        assertThat(q.getNow()).isEqualTo(1);
    }

    // -------------------------------------------------------------------------------- stress

    @Test
    void manyProducersAndConsumersOnThreadsDeliverEveryItemExactlyOnce() throws Exception {
        int producers = 4;
        int perProducer = 25_000;
        int total = producers * perProducer;
        Queue<Integer> q = new Queue<>(64);
        AtomicIntegerArray seen = new AtomicIntegerArray(total);
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        for (int p = 0; p < producers; p++) {
            int base = p * perProducer;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < perProducer; i++) {
                        Coroutines.await(q.put(base + i));
                    }
                } catch (Throwable t) {
                    error.set(t);
                }
            }));
        }
        for (int c = 0; c < 4; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    while (true) {
                        int item = Coroutines.await(q.get());
                        if (item < 0) {
                            return;
                        }
                        seen.incrementAndGet(item);
                        q.taskDone();
                    }
                } catch (Throwable t) {
                    error.set(t);
                }
            }));
        }
        for (int i = 0; i < producers; i++) {
            threads.get(i).join(50_000);
        }
        q.join().get(50, TimeUnit.SECONDS);
        for (int c = 0; c < 4; c++) {
            q.putNow(-1); // stop the consumers
        }
        for (Thread t : threads) {
            t.join(50_000);
        }
        assertThat(error.get()).isNull();
        for (int i = 0; i < total; i++) {
            assertThat(seen.get(i)).as("item %d", i).isEqualTo(1);
        }
    }
}
