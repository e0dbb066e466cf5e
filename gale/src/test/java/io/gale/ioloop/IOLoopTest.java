package io.gale.ioloop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class IOLoopTest {
    private final List<IOLoop> toClose = new ArrayList<>();

    private IOLoop newLoop() {
        IOLoop loop = new IOLoop();
        toClose.add(loop);
        return loop;
    }

    private IOLoop startedLoop() {
        IOLoop loop = newLoop();
        loop.startInBackground();
        return loop;
    }

    @AfterEach
    void closeLoops() {
        toClose.forEach(IOLoop::close);
    }

    /** Runs {@code r} on the loop and waits for it. */
    private static <T> T onLoop(IOLoop loop, java.util.concurrent.Callable<T> r) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.addCallback(() -> {
            try {
                f.complete(r.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void runOrSubmitRunsAtOnceOnTheLoopAndInOrderFromElsewhere() throws Exception {
        IOLoop loop = startedLoop();
        List<String> seen = onLoop(loop, () -> {
            List<String> order = new ArrayList<>();
            loop.addCallback(() -> order.add("queued earlier"));
            loop.runOrSubmit(() -> order.add("now"));
            order.add("after the call");
            return List.copyOf(order); // before the queued callback runs
        });
        assertThat(seen).containsExactly("now", "after the call"); // the queued callback runs later
        List<Integer> fromOutside = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            loop.runOrSubmit(() -> {
                fromOutside.add(n);
                threads.add(Thread.currentThread());
            });
        }
        onLoop(loop, () -> null); // behind the hundred (FIFO per thread)
        assertThat(fromOutside).hasSize(100).isSorted();
        assertThat(threads).allMatch(t -> t != Thread.currentThread());
    }

    @Test
    void addCallbackBatchedFromVirtualThreadsNeverLeavesACallbackBehindASleepingLoop() throws Exception {
        IOLoop loop = startedLoop();
        // Rounds of virtual threads handing over together, the loop asleep between rounds: a
        // callback left queued without a wake-up would hang a round (and fail on the timeout).
        for (int round = 0; round < 500; round++) {
            int threads = 1 + round % 8;
            CountDownLatch ran = new CountDownLatch(threads);
            AtomicInteger onLoop = new AtomicInteger();
            for (int i = 0; i < threads; i++) {
                Thread.ofVirtual().start(() -> loop.addCallbackBatched(() -> {
                    if (loop.inLoop()) {
                        onLoop.incrementAndGet();
                    }
                    ran.countDown();
                }));
            }
            assertThat(ran.await(30, TimeUnit.SECONDS)).as("round %d", round).isTrue();
            assertThat(onLoop).hasValue(threads);
        }
    }

    @Test
    void addCallbackBatchedKeepsTheOrderOfItsThreadAndIsAddCallbackElsewhere() throws Exception {
        IOLoop loop = startedLoop();
        List<String> order = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            loop.addCallback(() -> order.add("virtual 1"));
            loop.addCallbackBatched(() -> order.add("virtual 2"));
            loop.addCallback(() -> done.complete(null));
        }).join();
        done.get(30, TimeUnit.SECONDS);
        assertThat(order).containsExactly("virtual 1", "virtual 2");
        CompletableFuture<Boolean> fromPlatform = new CompletableFuture<>();
        loop.addCallbackBatched(() -> fromPlatform.complete(loop.inLoop()));
        assertThat(fromPlatform.get(30, TimeUnit.SECONDS)).isTrue();
        List<String> seen = onLoop(loop, () -> {
            List<String> local = new ArrayList<>();
            loop.addCallbackBatched(() -> local.add("later"));
            local.add("now");
            return List.copyOf(local);
        });
        assertThat(seen).as("on the loop it is queued, not run").containsExactly("now");
    }

    @Test
    void supplyOrSubmitReturnsTheStageOnTheLoopAndRelaysItElsewhere() throws Exception {
        IOLoop loop = startedLoop();
        CompletableFuture<String> inner = CompletableFuture.completedFuture("x");
        assertThat(onLoop(loop, () -> loop.supplyOrSubmit(() -> inner) == inner))
                .as("on the loop: the stage itself, nothing allocated").isTrue();
        assertThat(loop.supplyOrSubmit(() -> CompletableFuture.completedFuture("from outside")).get(30, TimeUnit.SECONDS))
                .isEqualTo("from outside");
        CompletableFuture<Boolean> ranOnLoop = loop.supplyOrSubmit(() -> CompletableFuture.completedFuture(loop.inLoop()));
        assertThat(ranOnLoop.get(30, TimeUnit.SECONDS)).isTrue();
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<Object> thrownOutside = loop.supplyOrSubmit(() -> {
            throw boom;
        });
        assertThatThrownBy(() -> thrownOutside.get(30, TimeUnit.SECONDS)).hasCause(boom);
        CompletableFuture<Object> thrownOnLoop = onLoop(loop, () -> loop.supplyOrSubmit(() -> {
            throw boom;
        }));
        assertThat(thrownOnLoop).as("a throw becomes a failed future on the loop too").isCompletedExceptionally();
        CompletableFuture<Object> failed = loop.supplyOrSubmit(() -> CompletableFuture.failedFuture(boom));
        assertThatThrownBy(() -> failed.get(30, TimeUnit.SECONDS)).hasCause(boom);
        NoClassDefFoundError missing = new NoClassDefFoundError("a class the work needs");
        CompletableFuture<Object> errorOutside = loop.supplyOrSubmit(() -> {
            throw missing;
        });
        assertThatThrownBy(() -> errorOutside.get(30, TimeUnit.SECONDS))
                .as("an Error fails the future too: the caller does not wait forever").hasCause(missing);
        assertThat(loop.supplyOrSubmit(() -> CompletableFuture.completedFuture("after")).get(30, TimeUnit.SECONDS))
                .as("the loop goes on").isEqualTo("after");
    }

    @Test
    void callbacksRunInOrderAndCallbacksAddedDuringARunWaitForTheNextIteration() throws Exception {
        IOLoop loop = newLoop();
        List<String> order = new ArrayList<>();
        String result = loop.runSync(() -> {
            CompletableFuture<String> done = new CompletableFuture<>();
            loop.addCallback(() -> {
                order.add("a");
                loop.addCallback(() -> {
                    order.add("c");
                    done.complete(String.join(",", order));
                });
            });
            loop.addCallback(() -> order.add("b"));
            return done;
        }, Duration.ofSeconds(10));
        assertThat(result).isEqualTo("a,b,c");
    }

    @Test
    void currentIsTheLoopOnItsThreadAndNoneElsewhere() throws Exception {
        IOLoop loop = startedLoop();
        assertThat(onLoop(loop, IOLoop::current)).isSameAs(loop);
        assertThat(onLoop(loop, loop::inLoop)).isTrue();
        assertThat(IOLoop.current()).isNull();
        assertThat(loop.inLoop()).isFalse();
    }

    @Test
    void timersFireInDeadlineOrderAndNeverEarly() throws Exception {
        IOLoop loop = startedLoop();
        int n = 300;
        Random random = new Random(42);
        List<long[]> fired = Collections.synchronizedList(new ArrayList<>()); // {deadline, seq, firedAt}
        CountDownLatch all = new CountDownLatch(n);
        onLoop(loop, () -> {
            for (int i = 0; i < n; i++) {
                long delay = TimeUnit.MILLISECONDS.toNanos(random.nextInt(40));
                long deadline = loop.time() + delay;
                long seq = i;
                loop.callAt(deadline, () -> {
                    fired.add(new long[] {deadline, seq, loop.time()});
                    all.countDown();
                });
            }
            return null;
        });
        assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < n; i++) {
            long[] f = fired.get(i);
            assertThat(f[2]).as("timer fired early").isGreaterThanOrEqualTo(f[0]);
            if (i > 0) {
                long[] prev = fired.get(i - 1);
                boolean ordered = prev[0] < f[0] || (prev[0] == f[0] && prev[1] < f[1]);
                assertThat(ordered).as("timer %d fired before an earlier deadline", i).isTrue();
            }
        }
    }

    @Test
    void timersWithEqualDeadlinesRunInInsertionOrder() throws Exception {
        IOLoop loop = newLoop();
        List<Integer> order = new ArrayList<>();
        loop.runSync(() -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            long deadline = loop.time() + TimeUnit.MILLISECONDS.toNanos(5);
            for (int i = 0; i < 50; i++) {
                int k = i;
                loop.callAt(deadline, () -> order.add(k));
            }
            loop.callAt(deadline, () -> done.complete(null));
            return done;
        }, Duration.ofSeconds(10));
        assertThat(order).hasSize(50).isSorted();
    }

    @Test
    void cancelledTimerDoesNotRunAndCancellingTwiceOrAfterRunIsHarmless() throws Exception {
        IOLoop loop = startedLoop();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch ran = new CountDownLatch(1);
        io.gale.ioloop.Timeout cancelled = loop.callLater(Duration.ofMillis(20), runs::incrementAndGet);
        io.gale.ioloop.Timeout kept = loop.callLater(Duration.ofMillis(40), ran::countDown);
        assertThat(cancelled.cancel()).isTrue();
        assertThat(cancelled.cancel()).isFalse();
        assertThat(cancelled.isCancelled()).isTrue();
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kept.cancel()).as("cancel after run").isFalse();
        assertThat(runs).hasValue(0);
        assertThat(onLoop(loop, loop::pendingTimers)).isZero();
    }

    @Test
    void cancellingOneHundredThousandTimersReleasesThemPromptly() throws Exception {
        IOLoop loop = startedLoop();
        int n = 100_000;
        List<io.gale.ioloop.Timeout> timers = onLoop(loop, () -> {
            List<io.gale.ioloop.Timeout> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(loop.callLater(Duration.ofSeconds(60 + i % 1000), () -> {}));
            }
            return list;
        });
        assertThat(onLoop(loop, loop::pendingTimers)).isEqualTo(n);
        // Half cancelled on the loop, half from this thread.
        onLoop(loop, () -> {
            for (int i = 0; i < n; i += 2) {
                timers.get(i).cancel();
            }
            return null;
        });
        for (int i = 1; i < n; i += 2) {
            timers.get(i).cancel();
        }
        assertThat(onLoop(loop, loop::pendingTimers)).isZero();
    }

    @Test
    void crossThreadCallbacksAreNeitherLostNorReorderedPerThread() throws Exception {
        IOLoop loop = startedLoop();
        int threads = 8;
        int perThread = 100_000;
        int[] lastSeen = new int[threads]; // loop thread only
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicInteger total = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(threads * perThread);
        List<Thread> producers = new ArrayList<>();
        java.util.Arrays.fill(lastSeen, -1);
        for (int t = 0; t < threads; t++) {
            int id = t;
            producers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    int seq = i;
                    loop.addCallback(() -> {
                        if (lastSeen[id] != seq - 1) {
                            outOfOrder.incrementAndGet();
                        }
                        lastSeen[id] = seq;
                        total.incrementAndGet();
                        done.countDown();
                    });
                }
            }));
        }
        for (Thread p : producers) {
            p.join();
        }
        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(total).hasValue(threads * perThread);
        assertThat(outOfOrder).hasValue(0);
    }

    @Test
    void anExceptionInACallbackIsIsolated() throws Exception {
        IOLoop loop = startedLoop();
        CountDownLatch after = new CountDownLatch(2);
        loop.addCallback(() -> {
            throw new IllegalStateException("boom (expected by the test)");
        });
        loop.addCallback(after::countDown);
        loop.callLater(Duration.ofMillis(1), () -> {
            throw new IllegalStateException("timer boom (expected by the test)");
        });
        loop.callLater(Duration.ofMillis(2), after::countDown);
        assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(loop.isRunning()).isTrue();
    }

    @Test
    void runSyncReturnsTheResultAndCanRunAgain() throws Exception {
        IOLoop loop = newLoop();
        assertThat(loop.runSync(() -> CompletableFuture.completedFuture(7), null)).isEqualTo(7);
        String second = loop.runSync(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            loop.callLater(Duration.ofMillis(5), () -> f.complete("later"));
            return f;
        }, Duration.ofSeconds(10));
        assertThat(second).isEqualTo("later");
        assertThat(loop.isRunning()).isFalse();
    }

    @Test
    void runSyncTimeoutNamesTheTimeout() {
        IOLoop loop = newLoop();
        assertThatThrownBy(() -> loop.runSync(CompletableFuture::new, Duration.ofMillis(50)))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("PT0.05S");
    }

    @Test
    void runSyncRethrowsTheOriginalFailure() {
        IOLoop loop = newLoop();
        IOException failure = new IOException("disk on fire");
        assertThatThrownBy(() -> loop.runSync(() -> CompletableFuture.failedFuture(failure), Duration.ofSeconds(5)))
                .isSameAs(failure);
    }

    @Test
    void runSyncFailsClearlyWhenTheLoopIsStoppedFirst() {
        IOLoop loop = newLoop();
        assertThatThrownBy(() -> loop.runSync(() -> {
                    loop.stop();
                    return new CompletableFuture<>();
                }, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stopped before the future completed");
    }

    @Test
    void startTwiceOrAfterCloseFails() throws Exception {
        IOLoop loop = startedLoop();
        onLoop(loop, () -> null);
        assertThatThrownBy(loop::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
        loop.close();
        IOLoop closed = newLoop();
        closed.close();
        assertThatThrownBy(closed::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void addFutureAndRunInExecutorDeliverOnTheLoop() throws Exception {
        IOLoop loop = startedLoop();
        CompletableFuture<Boolean> onLoopThread = new CompletableFuture<>();
        CompletableFuture<String> source = new CompletableFuture<>();
        loop.addFuture(source, (v, e) -> onLoopThread.complete(loop.inLoop() && "x".equals(v) && e == null));
        Thread.ofPlatform().start(() -> source.complete("x"));
        assertThat(onLoopThread.get(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Boolean> fromExecutor = new CompletableFuture<>();
        loop.addCallback(() -> loop.runInExecutor(null, () -> Thread.currentThread().getName())
                .whenComplete((name, e) -> fromExecutor.complete(loop.inLoop() && name.startsWith("gale-executor"))));
        assertThat(fromExecutor.get(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        loop.addCallback(() -> loop.runInExecutor(null, () -> {
            throw new IOException("blocking call failed");
        }).whenComplete((v, e) -> failure.complete(e)));
        assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class).hasMessage("blocking call failed");
    }

    @Test
    void registeredChannelGetsReadinessAndInterestCanBeChanged() throws Exception {
        IOLoop loop = startedLoop();
        Pipe pipe = Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            CopyOnWriteArrayList<String> got = new CopyOnWriteArrayList<>();
            CountDownLatch first = new CountDownLatch(1);
            AtomicReference<ChannelRegistration> reg = new AtomicReference<>();
            onLoop(loop, () -> {
                reg.set(loop.register(pipe.source(), SelectionKey.OP_READ, ops -> {
                    ByteBuffer buf = ByteBuffer.allocate(64);
                    try {
                        int n = pipe.source().read(buf);
                        got.add(new String(buf.array(), 0, Math.max(n, 0)));
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                    first.countDown();
                    throw new IllegalStateException("handler failure (expected by the test)");
                }));
                return null;
            });
            pipe.sink().write(ByteBuffer.wrap("hello".getBytes()));
            assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(got).containsExactly("hello");
            // No interest: data stays unread.
            onLoop(loop, () -> {
                reg.get().setInterest(0);
                return null;
            });
            pipe.sink().write(ByteBuffer.wrap("more".getBytes()));
            onLoop(loop, () -> null); // a full iteration with the data ready
            onLoop(loop, () -> null);
            assertThat(got).containsExactly("hello");
            assertThat(loop.isRunning()).isTrue();
            onLoop(loop, () -> {
                reg.get().cancel();
                return null;
            });
        } finally {
            pipe.sink().close();
            pipe.source().close();
        }
    }

    @Test
    void registerOffTheLoopFailsWithAClearMessage() throws Exception {
        IOLoop loop = startedLoop();
        Pipe pipe = Pipe.open();
        try {
            assertThatThrownBy(() -> loop.register(pipe.source(), SelectionKey.OP_READ, ops -> {}))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("loop thread");
        } finally {
            pipe.sink().close();
            pipe.source().close();
        }
    }

    @Test
    void watchdogReportsAStalledLoopOncePerStall() throws Exception {
        List<BlockedLoopReport> reports = new CopyOnWriteArrayList<>();
        CountDownLatch reported = new CountDownLatch(1);
        IOLoop loop = new IOLoop(IOLoopOptions.builder()
                .name("stalling-loop")
                .blockedThreshold(Duration.ofMillis(100))
                .onBlocked(r -> {
                    reports.add(r);
                    reported.countDown();
                }).build());
        toClose.add(loop);
        loop.startInBackground();
        CountDownLatch stallOver = new CountDownLatch(1);
        loop.addCallback(() -> {
            try {
                // Blocks the loop until the watchdog has seen it, then a while longer.
                reported.await(30, TimeUnit.SECONDS);
                new CountDownLatch(1).await(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stallOver.countDown();
        });
        assertThat(stallOver.await(40, TimeUnit.SECONDS)).isTrue();
        assertThat(reports).hasSize(1);
        BlockedLoopReport r = reports.get(0);
        assertThat(r.loop()).isSameAs(loop);
        assertThat(r.blockedFor()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(r.stack()).anySatisfy(e -> assertThat(e.getMethodName()).contains("watchdogReportsAStalledLoop"));
    }

    @Test
    void watchdogAlsoSeesAnIoHandlerThatBlocks() throws Exception {
        CountDownLatch reported = new CountDownLatch(1);
        List<BlockedLoopReport> reports = new CopyOnWriteArrayList<>();
        IOLoop loop = new IOLoop(IOLoopOptions.builder()
                .name("blocking-handler-loop")
                .blockedThreshold(Duration.ofMillis(100))
                .onBlocked(r -> {
                    reports.add(r);
                    reported.countDown();
                }).build());
        toClose.add(loop);
        loop.startInBackground();
        Pipe pipe = Pipe.open();
        try {
            CountDownLatch handled = new CountDownLatch(1);
            onLoop(loop, () -> loop.register(pipe.source(), SelectionKey.OP_READ, ops -> {
                try {
                    pipe.source().read(ByteBuffer.allocate(16));
                    reported.await(30, TimeUnit.SECONDS); // blocks inside the I/O dispatch
                } catch (IOException | InterruptedException e) {
                    throw new RuntimeException(e);
                }
                handled.countDown();
            }));
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            assertThat(handled.await(40, TimeUnit.SECONDS)).isTrue();
            assertThat(reports).hasSize(1);
            assertThat(reports.get(0).stack()).anySatisfy(e -> assertThat(e.getMethodName()).contains("watchdogAlsoSeesAnIoHandler"));
        } finally {
            pipe.sink().close();
            pipe.source().close();
        }
    }

    @Test
    void anIdleLoopUsesAlmostNoCpu() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        IOLoop loop = startedLoop();
        long threadId = onLoop(loop, () -> Thread.currentThread().threadId());
        long before = mx.getThreadCpuTime(threadId);
        new CountDownLatch(1).await(1, TimeUnit.SECONDS); // deliberately idle for a second
        long used = mx.getThreadCpuTime(threadId) - before;
        // A spinning loop would burn close to the full second.
        assertThat(used).isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
    }

    @Test
    void stopFromAnotherThreadEndsStart() throws Exception {
        IOLoop loop = newLoop();
        Thread t = loop.startInBackground();
        onLoop(loop, () -> null);
        loop.stop();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(loop.isRunning()).isFalse();
    }
}
