package io.gale.web;

import io.gale.testing.GaleTesting;
import io.gale.testing.InMemoryClient;
import io.gale.testing.TestRequest;
import io.gale.testing.TestResponse;

import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class VirtualThreadTest {
    /** Blocks its virtual thread on plain java.util.concurrent primitives (like JDBC would). */
    @RunOnVirtualThread
    static final class Blocking extends RequestHandler {
        private final CountDownLatch entered;
        private final CountDownLatch gate;
        private final AtomicBoolean inMethod;
        private final AtomicBoolean closeOverlapped;
        private final CountDownLatch closed;

        Blocking(CountDownLatch entered, CountDownLatch gate, AtomicBoolean inMethod, AtomicBoolean closeOverlapped,
                CountDownLatch closed) {
            this.entered = entered;
            this.gate = gate;
            this.inMethod = inMethod;
            this.closeOverlapped = closeOverlapped;
            this.closed = closed;
        }

        public void get() throws InterruptedException {
            inMethod.set(true);
            entered.countDown();
            boolean opened = gate.await(20, TimeUnit.SECONDS);
            write(opened ? "done" : "gate timed out");
            inMethod.set(false);
        }

        @Override
        protected void onConnectionClose() {
            closeOverlapped.set(inMethod.get());
            closed.countDown();
        }
    }

    private static Application app(ApplicationSettings settings, CountDownLatch entered, CountDownLatch gate) {
        return app(settings, entered, gate, new AtomicBoolean(), new AtomicBoolean(), new CountDownLatch(1));
    }

    private static Application app(ApplicationSettings settings, CountDownLatch entered, CountDownLatch gate,
            AtomicBoolean inMethod, AtomicBoolean overlapped, CountDownLatch closed) {
        return new Application(List.of(url("/block", () -> new Blocking(entered, gate, inMethod, overlapped, closed))),
                settings);
    }

    @Test
    void differentRequestsBlockInParallel() throws Exception {
        // Each request waits until both are inside the handler: serialised requests would never get there.
        CountDownLatch bothInside = new CountDownLatch(2);
        Application app = new Application(List.of(url("/meet", () -> new RequestHandler() {
            @RunOnVirtualThread
            public void get() throws InterruptedException {
                bothInside.countDown();
                write(bothInside.await(20, TimeUnit.SECONDS) ? "met" : "alone");
            }
        })));
        try (InMemoryClient c = new InMemoryClient(app)) {
            InMemoryClient.Exchange a = c.start(TestRequest.get("/meet"));
            InMemoryClient.Exchange b = c.start(TestRequest.get("/meet"));
            assertThat(a.response().get(30, TimeUnit.SECONDS).text()).isEqualTo("met");
            assertThat(b.response().get(30, TimeUnit.SECONDS).text()).isEqualTo("met");
        }
    }

    @Test
    void floodBeyondTheLimitIsQueuedThenRejectedWith503AndNothingIsLost() throws Exception {
        CountDownLatch entered = new CountDownLatch(2);
        CountDownLatch gate = new CountDownLatch(1);
        ApplicationSettings settings = ApplicationSettings.builder().maxVirtualThreadRequests(2)
                .virtualThreadQueueSize(1).virtualThreadAdmissionTimeout(Duration.ofSeconds(30)).build();
        Application app = app(settings, entered, gate);
        try (InMemoryClient c = new InMemoryClient(app)) {
            List<InMemoryClient.Exchange> admitted = List.of(c.start(TestRequest.get("/block")),
                    c.start(TestRequest.get("/block")));
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(app.admission().inUse()).isEqualTo(2);

            InMemoryClient.Exchange queued = c.start(TestRequest.get("/block"));
            List<InMemoryClient.Exchange> rejected = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                rejected.add(c.start(TestRequest.get("/block")));
            }
            for (InMemoryClient.Exchange r : rejected) {
                TestResponse resp = r.response().get(10, TimeUnit.SECONDS);
                assertThat(resp.code()).isEqualTo(503);
                assertThat(resp.violations()).isEmpty();
            }
            assertThat(queued.response().isDone()).as("waits for a permit").isFalse();

            gate.countDown();
            for (InMemoryClient.Exchange e : admitted) {
                assertThat(e.response().get(20, TimeUnit.SECONDS).text()).isEqualTo("done");
            }
            assertThat(queued.response().get(20, TimeUnit.SECONDS).text()).isEqualTo("done");
            awaitPermitsReturned(app); // while the loop still runs: permits go back there
        }
    }

    private static void awaitPermitsReturned(Application app) throws InterruptedException {
        // Permits go back on the loop right after each response: nothing announces it.
        GaleTesting.awaitCondition(() -> app.admission().inUse() == 0, () -> app.admission().inUse() + " permits in use");
    }

    @Test
    void aQueuedRequestGets503WhenItsWaitTimesOut() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        ApplicationSettings settings = ApplicationSettings.builder().maxVirtualThreadRequests(1)
                .virtualThreadQueueSize(5).virtualThreadAdmissionTimeout(Duration.ofMillis(50)).build();
        Application app = app(settings, entered, gate);
        try (InMemoryClient c = new InMemoryClient(app)) {
            InMemoryClient.Exchange first = c.start(TestRequest.get("/block"));
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(c.fetch("/block").code()).isEqualTo(503);
            gate.countDown();
            assertThat(first.response().get(20, TimeUnit.SECONDS).text()).isEqualTo("done");
            awaitPermitsReturned(app);
        }
    }

    @Test
    void connectionCloseIsNotDeliveredWhileTheCoroutineRuns() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        AtomicBoolean inMethod = new AtomicBoolean();
        AtomicBoolean overlapped = new AtomicBoolean(true);
        CountDownLatch closed = new CountDownLatch(1);
        Application app = app(ApplicationSettings.defaults(), entered, gate, inMethod, overlapped, closed);
        try (InMemoryClient c = new InMemoryClient(app)) {
            InMemoryClient.Exchange ex = c.start(TestRequest.get("/block"));
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
            c.loop().addCallback(ex.connection()::clientClosed);
            // The close must wait for the running method; give a racing delivery a chance to show.
            assertThat(closed.await(200, TimeUnit.MILLISECONDS)).isFalse();
            gate.countDown();
            assertThat(closed.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(overlapped.get()).isFalse();
            awaitPermitsReturned(app);
        }
    }

    @Test
    void admissionHandsPermitsToWaitersInOrder() {
        VirtualThreadAdmission a = new VirtualThreadAdmission(1, 2, Duration.ofSeconds(30));
        try (InMemoryClient c = new InMemoryClient(new Application())) {
            AtomicInteger granted = new AtomicInteger();
            AtomicInteger rejected = new AtomicInteger();
            List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
            a.acquire(c.loop(), () -> order.add("a"), rejected::incrementAndGet);
            a.acquire(c.loop(), () -> order.add("b"), rejected::incrementAndGet);
            a.acquire(c.loop(), () -> order.add("c"), rejected::incrementAndGet);
            a.acquire(c.loop(), granted::incrementAndGet, () -> order.add("d rejected"));
            assertThat(order).containsExactly("a", "d rejected");
            a.release();
            a.release();
            java.util.concurrent.CompletableFuture<Void> barrier = new java.util.concurrent.CompletableFuture<>();
            c.loop().addCallback(() -> barrier.complete(null));
            barrier.join();
            assertThat(order).containsExactly("a", "d rejected", "b", "c");
            assertThat(a.inUse()).isEqualTo(1);
            a.release();
            assertThat(a.inUse()).isZero();
            assertThat(rejected.get()).isZero();
        }
    }
}
