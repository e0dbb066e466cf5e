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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Lock, Semaphore, BoundedSemaphore, Event, Condition. */
@Timeout(60)
class LocksTest {
    private static final Duration SHORT = Duration.ofMillis(5);

    private final TestLoops loops = new TestLoops();
    private final IOLoop loop = loops.start();

    @BeforeEach
    void bindTimersToTheTestLoop() {
        loop.makeCurrent(); // timeouts of waits started on this thread use the test loop
    }

    @AfterEach
    void close() {
        loops.close();
    }

    // ------------------------------------------------------------------------------------- Lock

    @Test
    void lockIsExclusiveAndHandsOverInFifoOrder() throws Exception {
        Lock lock = new Lock();
        assertThat(lock.acquire()).isCompleted();
        assertThat(lock.isLocked()).isTrue();
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int id = i;
            waiters.add(lock.acquire().thenRun(() -> order.add(id)));
        }
        for (int i = 0; i < 5; i++) {
            assertThat(waiters.get(i)).isNotDone();
            lock.release();
            get(waiters.get(i));
        }
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
        lock.release();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void releasingAnUnlockedLockFails() {
        Lock lock = new Lock();
        assertThatThrownBy(lock::release).isInstanceOf(IllegalStateException.class)
                .hasMessage("release unlocked lock");
    }

    @Test
    void tryAcquireTakesOnlyAFreeLock() {
        Lock lock = new Lock();
        assertThat(lock.tryAcquire()).isTrue();
        assertThat(lock.tryAcquire()).isFalse();
    }

    @Test
    void aTimedOutLockWaiterIsNeverHandedTheLock() throws Exception {
        Lock lock = new Lock();
        lock.acquire();
        CompletableFuture<Void> timedOut = lock.acquire(SHORT);
        assertThat(failure(timedOut)).isInstanceOf(TimeoutException.class).hasMessageContaining("Lock.acquire");
        CompletableFuture<Void> next = lock.acquire();
        lock.release();
        get(next); // went to the live waiter, not the timed-out one
        lock.release();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void aCancelledLockWaiterIsSkippedAndAGrantedOneRefusesCancellation() throws Exception {
        Lock lock = new Lock();
        lock.acquire();
        CompletableFuture<Void> cancelled = lock.acquire();
        CompletableFuture<Void> second = lock.acquire();
        assertThat(cancelled.cancel(false)).isTrue();
        lock.release();
        assertThat(second).isCompleted(); // granted on this (non-loop) thread, inline
        assertThat(second.cancel(false)).isFalse();
        assertThat(lock.isLocked()).isTrue();
    }

    @Test
    void zeroTimeoutMeansNow() throws Exception {
        Lock lock = new Lock();
        assertThat(lock.acquire(Duration.ZERO)).isCompleted();
        assertThat(failure(lock.acquire(Duration.ZERO))).isInstanceOf(TimeoutException.class);
        assertThat(lock.queuedWaiters()).isZero();
    }

    @Test
    void aWaiterFromALoopThreadCompletesOnThatLoopWhoeverReleases() throws Exception {
        Lock lock = new Lock();
        lock.acquire();
        CompletableFuture<Thread> thread = onLoop(loop, () -> completionThread(lock.acquire()));
        lock.release(); // on the test thread
        assertThat(get(thread)).isSameAs(threadOf(loop));
    }

    @Test
    void aWaiterFromAnotherThreadCompletesOnTheReleasingThread() throws Exception {
        Lock lock = new Lock();
        lock.acquire();
        CompletableFuture<Thread> thread = completionThread(lock.acquire());
        onLoop(loop, () -> {
            lock.release();
            return null;
        });
        assertThat(get(thread)).isSameAs(threadOf(loop));
        CompletableFuture<Thread> second = completionThread(lock.acquire());
        lock.release();
        assertThat(get(second)).isSameAs(Thread.currentThread());
    }

    @Test
    void outsideCompletionOfAWaiterAbandonsIt() throws Exception {
        Lock lock = new Lock();
        lock.acquire();
        CompletableFuture<Void> w = lock.acquire();
        assertThat(w.complete(null)).isTrue(); // e.g. completeOnTimeout by the user
        lock.release();
        assertThat(lock.isLocked()).isFalse();
    }

    @Test
    void abandonedWaitersDoNotPileUp() {
        Lock lock = new Lock();
        lock.acquire();
        for (int i = 0; i < 10_000; i++) {
            lock.acquire().cancel(false);
        }
        assertThat(lock.queuedWaiters()).isLessThan(40);
    }

    @Test
    void lockWorksFromManyCoroutines() throws Exception {
        Lock lock = new Lock();
        int[] counter = {0};
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(Coroutines.spawn(loop, () -> {
                for (int j = 0; j < 100; j++) {
                    Coroutines.await(lock.acquire());
                    try {
                        int v = counter[0];
                        Thread.yield();
                        counter[0] = v + 1;
                    } finally {
                        lock.release();
                    }
                }
            }));
        }
        get(Futures.all(all));
        assertThat(counter[0]).isEqualTo(5000);
    }

    // -------------------------------------------------------------------------------- Semaphore

    @Test
    void semaphoreCountsPermits() throws Exception {
        Semaphore sem = new Semaphore(2);
        assertThat(sem.acquire()).isCompleted();
        assertThat(sem.acquire()).isCompleted();
        assertThat(sem.value()).isZero();
        CompletableFuture<Void> third = sem.acquire();
        assertThat(third).isNotDone();
        sem.release();
        assertThat(third).isCompleted();
        assertThat(sem.value()).isZero();
        sem.release();
        sem.release();
        sem.release(); // unbounded
        assertThat(sem.value()).isEqualTo(3);
        assertThat(new Semaphore().value()).isEqualTo(1);
    }

    @Test
    void semaphoreRejectsANegativeValue() {
        assertThatThrownBy(() -> new Semaphore(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void semaphoreTimeoutFailsAndLeavesThePermitForLaterWaiters() throws Exception {
        Semaphore sem = new Semaphore(0);
        CompletableFuture<Void> timedOut = sem.acquire(SHORT);
        assertThat(failure(timedOut)).isInstanceOf(TimeoutException.class)
                .hasMessageContaining(SHORT.toString());
        sem.release();
        assertThat(sem.value()).isEqualTo(1);
    }

    @Test
    void boundedSemaphoreRejectsReleasesAboveItsInitialValue() {
        BoundedSemaphore sem = new BoundedSemaphore(2);
        sem.acquire();
        sem.release();
        assertThatThrownBy(sem::release).isInstanceOf(IllegalStateException.class)
                .hasMessage("Semaphore released too many times");
        assertThat(sem.value()).isEqualTo(2);
    }

    // ------------------------------------------------------------------------------------ Event

    @Test
    void eventWakesAllWaitersAndStaysSetUntilCleared() throws Exception {
        Event event = new Event();
        assertThat(event.isSet()).isFalse();
        CompletableFuture<Void> a = event.await();
        CompletableFuture<Void> b = event.await();
        assertThat(a).isNotDone();
        event.set();
        assertThat(a).isCompleted();
        assertThat(b).isCompleted();
        assertThat(event.await()).isCompleted();
        event.clear();
        assertThat(event.isSet()).isFalse();
        assertThat(event.await()).isNotDone();
    }

    @Test
    void eventWaitTimesOut() throws Exception {
        Event event = new Event();
        assertThat(failure(event.await(SHORT))).isInstanceOf(TimeoutException.class);
        assertThat(failure(event.await(Duration.ZERO))).isInstanceOf(TimeoutException.class);
        event.set();
        assertThat(event.await(Duration.ZERO)).isCompleted();
    }

    // -------------------------------------------------------------------------------- Condition

    @Test
    void conditionSignalWakesTheOldestWaitersFirst() throws Exception {
        Condition cond = new Condition();
        List<CompletableFuture<Boolean>> ws = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ws.add(cond.await());
        }
        cond.signal();
        assertThat(ws.get(0)).isCompletedWithValue(true);
        assertThat(ws.get(1)).isNotDone();
        cond.signal(2);
        assertThat(ws.get(1)).isCompletedWithValue(true);
        assertThat(ws.get(2)).isCompletedWithValue(true);
        assertThat(ws.get(3)).isNotDone();
        cond.signalAll();
        assertThat(ws.get(3)).isCompletedWithValue(true);
        cond.signal(0);
        cond.signal(-1);
        cond.signal(); // nobody waits: no effect, no memory
        assertThat(cond.await()).isNotDone();
    }

    @Test
    void conditionTimeoutCompletesWithFalseAndIsNotCountedAsWoken() throws Exception {
        Condition cond = new Condition();
        CompletableFuture<Boolean> timedOut = cond.await(SHORT);
        CompletableFuture<Boolean> live = cond.await();
        assertThat(get(timedOut)).isFalse();
        cond.signal(1);
        assertThat(live).isCompletedWithValue(true);
        assertThat(cond.await(Duration.ZERO)).isCompletedWithValue(false);
    }
}
