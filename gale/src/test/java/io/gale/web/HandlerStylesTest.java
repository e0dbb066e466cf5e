package io.gale.web;

import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.concurrent.Coroutines;
import io.gale.concurrent.Futures;
import io.gale.testing.InMemoryClient;
import io.gale.testing.TestRequest;
import io.gale.testing.TestResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The seed's handler styles, each end to end through an application. */
@Timeout(30)
class HandlerStylesTest {
    /** Completes futures from another thread, like a real asynchronous client. */
    static CompletableFuture<String> fetchElsewhere(String value) {
        return CompletableFuture.supplyAsync(() -> "fetched " + value);
    }

    /** (1) synchronous, on the loop. */
    public static final class Sync extends RequestHandler {
        public void get() {
            write("sync on " + (loop().inLoop() ? "loop" : "other"));
        }
    }

    /** (2) callback style: the handler finishes itself from a loop callback. */
    public static final class Callback extends RequestHandler {
        @Asynchronous
        public void get() {
            loop().callLater(Duration.ofMillis(1), () -> {
                write("callback done");
                finish();
            });
        }
    }

    /** (2) also from a future completed elsewhere: hand the callback to the loop. */
    @Asynchronous
    public static final class CallbackFromFuture extends RequestHandler {
        public void get() {
            loop().addFuture(fetchElsewhere("x"), (body, error) -> {
                write(body);
                finish();
            });
        }
    }

    /** (3) future style. */
    public static final class FutureStyle extends RequestHandler {
        public CompletionStage<?> get(String kind) {
            return switch (kind) {
                case "ok" -> fetchElsewhere("f").thenAccept(this::write);
                case "http" -> CompletableFuture.failedFuture(new HttpError(409));
                default -> fetchElsewhere("f").thenAccept(s -> {
                    throw new IllegalStateException("failed later");
                });
            };
        }
    }

    /** (3) several requests at once: r1, r2 = yield [fetch(1), fetch(2)]. */
    public static final class Parallel extends RequestHandler {
        public CompletionStage<?> get() {
            return Futures.all(List.of(fetchElsewhere("1"), fetchElsewhere("2")))
                    .thenAccept(both -> write(String.join(",", both)));
        }
    }

    /** (4) coroutine style on a virtual thread. */
    @RunOnVirtualThread
    public static final class Coroutine extends RequestHandler {
        public void get() throws InterruptedException {
            String a = Coroutines.await(fetchElsewhere("a"));
            Thread.sleep(1); // not synchronisation: the handler blocks on purpose (allowed here)
            List<String> both = Coroutines.await(Futures.all(List.of(fetchElsewhere("b"), fetchElsewhere("c"))));
            write(Map.of("a", a, "both", both, "virtual", Thread.currentThread().isVirtual()));
            Coroutines.await(flush());
            write("|tail");
        }
    }

    /** (4) per method. */
    public static final class MixedThreads extends RequestHandler {
        @RunOnVirtualThread
        public void get() {
            write("get virtual=" + Thread.currentThread().isVirtual());
        }

        public void post() {
            write("post virtual=" + Thread.currentThread().isVirtual());
        }
    }

    /** onFinish runs after the response is handed over, so the client may see it first. */
    private static final java.util.concurrent.BlockingQueue<String> finished = new java.util.concurrent.LinkedBlockingQueue<>();

    public static final class Lifecycle extends RequestHandler {
        private final StringBuilder trace = new StringBuilder();

        @Override
        protected void initialize(Map<String, Object> initArgs) {
            trace.append("initialize,");
        }

        @Override
        protected void prepare() {
            trace.append("prepare,");
        }

        public void get() {
            trace.append("get");
            write(trace.toString());
        }

        @Override
        protected void onFinish() {
            finished.add(trace.toString());
        }
    }

    private static Application app(ApplicationSettings settings) {
        return new Application(List.of(
                url("/sync", Sync.class),
                url("/callback", Callback.class),
                url("/callback-future", CallbackFromFuture.class),
                url("/future/(\\w+)", FutureStyle.class),
                url("/parallel", Parallel.class),
                url("/coroutine", Coroutine.class),
                url("/mixed", MixedThreads.class),
                url("/lifecycle", Lifecycle.class)), settings);
    }

    @Test
    void synchronousHandlerRunsOnTheLoopAndFinishesOnReturn() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.defaults()))) {
            assertThat(c.fetch("/sync").text()).isEqualTo("sync on loop");
        }
    }

    @Test
    void callbackHandlerKeepsTheRequestOpenUntilItFinishes() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.defaults()))) {
            TestResponse r = c.fetch("/callback");
            assertThat(r.text()).isEqualTo("callback done");
            assertThat(r.violations()).isEmpty();
            assertThat(c.fetch("/callback-future").text()).isEqualTo("fetched x");
        }
    }

    @Test
    void futureHandlerFinishesWhenItsStageCompletes() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.defaults()))) {
            TestResponse ok = c.fetch("/future/ok");
            assertThat(ok.text()).isEqualTo("fetched f");
            assertThat(ok.violations()).isEmpty();
            assertThat(c.fetch("/future/http").code()).isEqualTo(409);
            assertThat(c.fetch("/future/crash").code()).isEqualTo(500);
            assertThat(c.fetch("/parallel").text()).isEqualTo("fetched 1,fetched 2");
        }
    }

    @Test
    void coroutineHandlerAwaitsOnAVirtualThreadAndItsOutputGoesThroughTheLoop() {
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.defaults()))) {
            TestResponse r = c.fetch("/coroutine");
            assertThat(r.violations()).as("the connection was only touched on its loop").isEmpty();
            assertThat(r.text()).endsWith("|tail");
            assertThat(r.json().get("a").asText()).isEqualTo("fetched a");
            assertThat(r.json().get("both").toString()).isEqualTo("[\"fetched b\",\"fetched c\"]");
            assertThat(r.json().get("virtual").asBoolean()).isTrue();
            assertThat(r.pieces()).hasSize(2);
            assertThat(new String(r.pieces().get(0))).contains("\"virtual\":true").contains("\"a\":\"fetched a\"");
            assertThat(r.header("Content-Length")).as("flushed: streamed").isNull();

            assertThat(c.fetch("/mixed").text()).isEqualTo("get virtual=true");
            assertThat(c.fetch(TestRequest.post("/mixed", "")).text()).isEqualTo("post virtual=false");
        }
    }

    @Test
    void applicationSettingPutsEveryHandlerOnVirtualThreads() {
        Application app = app(ApplicationSettings.builder().virtualThreads(true).build());
        app.get("/lambda", h -> h.write("lambda virtual=" + Thread.currentThread().isVirtual()));
        try (InMemoryClient c = new InMemoryClient(app)) {
            assertThat(c.fetch("/sync").text()).isEqualTo("sync on other");
            assertThat(c.fetch(TestRequest.post("/mixed", "")).text()).isEqualTo("post virtual=true");
            assertThat(c.fetch("/lambda").text()).isEqualTo("lambda virtual=true");
            assertThat(c.fetch("/future/ok").text()).isEqualTo("fetched f");
            assertThat(c.fetch("/future/http").code()).isEqualTo(409);
        }
    }

    @Test
    void loopHandlerHearsOfAClientThatWentAwayDuringAsynchronousWork() throws Exception {
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        Application app = new Application(List.of(url("/poll", () -> new RequestHandler() {
            @Asynchronous
            public void get() {
                started.countDown(); // a long poll: nothing to answer yet
            }

            @Override
            protected void onConnectionClose() {
                if (loop().inLoop() && isConnectionClosed()) {
                    closed.countDown();
                }
            }
        })));
        try (InMemoryClient c = new InMemoryClient(app)) {
            InMemoryClient.Exchange ex = c.start(TestRequest.get("/poll"));
            assertThat(started.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            c.loop().addCallback(ex.connection()::clientClosed);
            assertThat(closed.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void lifecycleOrder() {
        finished.clear();
        try (InMemoryClient c = new InMemoryClient(app(ApplicationSettings.defaults()))) {
            assertThat(c.fetch("/lifecycle").text()).isEqualTo("initialize,prepare,get");
        }
        try {
            assertThat(finished.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("initialize,prepare,get");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(finished).isEmpty();
    }
}
