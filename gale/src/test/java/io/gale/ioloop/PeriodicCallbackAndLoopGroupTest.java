package io.gale.ioloop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PeriodicCallbackAndLoopGroupTest {

    @Test
    void followingDeadlineKeepsAFixedScheduleAndSkipsMissedRuns() {
        long p = 100;
        assertThat(PeriodicCallback.followingDeadline(1000, 1000, p)).isEqualTo(1100); // on time
        assertThat(PeriodicCallback.followingDeadline(1000, 1030, p)).isEqualTo(1100); // a little late
        assertThat(PeriodicCallback.followingDeadline(1000, 1350, p)).isEqualTo(1400); // 3 runs missed: skipped
        assertThat(PeriodicCallback.followingDeadline(1000, 1400, p)).isEqualTo(1500); // exactly on a slot
        assertThat(PeriodicCallback.followingDeadline(1000, 950, p)).isEqualTo(1100); // early wake-up
    }

    @Test
    void runsRepeatedlyUntilStopped() throws Exception {
        IOLoop loop = new IOLoop();
        loop.startInBackground();
        try {
            CountDownLatch fiveRuns = new CountDownLatch(5);
            AtomicBoolean onLoop = new AtomicBoolean(true);
            PeriodicCallback pc = new PeriodicCallback(() -> {
                onLoop.compareAndSet(true, loop.inLoop());
                fiveRuns.countDown();
            }, Duration.ofMillis(5));
            pc.start(loop);
            assertThat(pc.isRunning()).isTrue();
            assertThat(fiveRuns.await(20, TimeUnit.SECONDS)).isTrue();
            pc.stop();
            assertThat(pc.isRunning()).isFalse();
            assertThat(onLoop).isTrue();
            // After stop has been processed no timer of it is left.
            CompletableFuture<Integer> pending = new CompletableFuture<>();
            loop.addCallback(() -> pending.complete(loop.pendingTimers()));
            assertThat(pending.get(10, TimeUnit.SECONDS)).isZero();
        } finally {
            loop.close();
        }
    }

    @Test
    void asyncCallbackRunsNeverOverlap() throws Exception {
        IOLoop loop = new IOLoop();
        loop.startInBackground();
        try {
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            CountDownLatch runs = new CountDownLatch(4);
            PeriodicCallback pc = PeriodicCallback.ofAsync(() -> {
                if (inFlight.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                CompletableFuture<Void> work = new CompletableFuture<>();
                // Each run takes several periods to finish, on another thread.
                loop.callLater(Duration.ofMillis(15), () -> Thread.ofVirtual().start(() -> {
                    inFlight.decrementAndGet();
                    runs.countDown();
                    work.complete(null);
                }));
                return work;
            }, Duration.ofMillis(2), 0);
            pc.start(loop);
            assertThat(runs.await(20, TimeUnit.SECONDS)).isTrue();
            pc.stop();
            assertThat(overlaps).hasValue(0);
        } finally {
            loop.close();
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new PeriodicCallback(() -> {}, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeriodicCallback(() -> {}, Duration.ofMillis(1), 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoopGroup(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void loopGroupHandsOutLoopsRoundRobinAndShutsDownAfterQueuedWork() throws Exception {
        LoopGroup group = new LoopGroup(3).start();
        Set<IOLoop> seen = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            seen.add(group.next());
        }
        assertThat(seen).hasSize(3).containsExactlyInAnyOrderElementsOf(group.loops());
        assertThat(group.next()).isSameAs(group.loops().get(0));

        AtomicInteger ran = new AtomicInteger();
        for (IOLoop loop : group.loops()) {
            for (int i = 0; i < 1000; i++) {
                loop.addCallback(ran::incrementAndGet);
            }
        }
        assertThat(group.shutdownGracefully(Duration.ofSeconds(20))).isTrue();
        assertThat(ran).hasValue(3000);
        for (IOLoop loop : group.loops()) {
            assertThat(loop.isRunning()).isFalse();
            assertThat(loop.isClosed()).isTrue();
        }
    }
}
