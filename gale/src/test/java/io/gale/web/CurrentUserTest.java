package io.gale.web;

import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.concurrent.Coroutines;
import io.gale.testing.InMemoryClient;
import io.gale.testing.TestRequest;
import io.gale.testing.TestResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CurrentUserTest {
    /** The user comes from a cookie; getCurrentUser counts how often it is asked. */
    public static final class WhoAmI extends RequestHandler {
        private int asked;

        @Override
        protected Object getCurrentUser() {
            asked++;
            return getCookie("user");
        }

        public void get() {
            Object first = currentUser();
            Object second = currentUser();
            write(first + "/" + second + "/asked " + asked);
        }
    }

    /** prepare() sets the user; getCurrentUser is then never asked. */
    public static final class SetInPrepare extends RequestHandler {
        @Override
        protected void prepare() {
            setCurrentUser("admin");
        }

        @Override
        protected Object getCurrentUser() {
            throw new AssertionError("not asked when set");
        }

        public void get() {
            write("user " + currentUser());
        }
    }

    @Test
    void currentUserIsAskedOnceAndCanBeSet() {
        Application app = new Application(List.of(url("/me", WhoAmI.class), url("/admin", SetInPrepare.class)));
        try (InMemoryClient c = new InMemoryClient(app)) {
            assertThat(c.fetch(TestRequest.get("/me").header("Cookie", "user=ann")).text()).isEqualTo("ann/ann/asked 1");
            assertThat(c.fetch("/me").text()).isEqualTo("null/null/asked 1");
            assertThat(c.fetch("/admin").text()).isEqualTo("user admin");
        }
    }

    /** A user looked up asynchronously, completed by a loop timer; the method sees it already resolved. */
    public static final class AsyncLookup extends RequestHandler {
        static final AtomicInteger ASKED = new AtomicInteger();

        @Override
        protected CompletionStage<String> getCurrentUser() {
            ASKED.incrementAndGet();
            CompletableFuture<String> f = new CompletableFuture<>();
            String name = getCookie("user");
            loop().callLater(Duration.ofMillis(10), () -> f.complete(name));
            return f;
        }

        public void get() {
            write("user " + currentUser() + ", " + currentUser());
        }
    }

    /** prepareAsync sets the user from a stage completed on another thread; getCurrentUser is then not asked. */
    public static final class PrepareAsync extends RequestHandler {
        @Override
        protected CompletionStage<?> prepareAsync() {
            return CompletableFuture.supplyAsync(() -> "from prepareAsync",
                    CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS)).thenAccept(this::setCurrentUser);
        }

        @Override
        protected CompletionStage<String> getCurrentUser() {
            throw new AssertionError("set by prepareAsync");
        }

        public void get() {
            write(currentUser() + (loop().inLoop() ? " on the loop" : " OFF the loop"));
        }
    }

    /** The order: prepare, prepareAsync, the user, the method. */
    public static final class Order extends RequestHandler {
        private final StringBuilder trace = new StringBuilder();

        @Override
        protected void prepare() {
            trace.append("prepare ");
        }

        @Override
        protected CompletionStage<?> prepareAsync() {
            trace.append("prepareAsync ");
            return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS));
        }

        @Override
        protected CompletionStage<String> getCurrentUser() {
            trace.append("getCurrentUser ");
            return CompletableFuture.completedFuture("u");
        }

        public void get() {
            write(trace.append("get").toString());
        }
    }

    /** Failures of the asynchronous steps become error pages; a finished response skips the method. */
    public static final class Failing extends RequestHandler {
        @Override
        protected CompletionStage<?> prepareAsync() {
            return switch (getQueryArgument("fail", "")) {
                case "prepare" -> CompletableFuture.failedFuture(new HttpError(404));
                case "redirect" -> {
                    redirect("/elsewhere");
                    yield null;
                }
                case "later" -> CompletableFuture.runAsync(() -> { }); // completes off the loop
                default -> null;
            };
        }

        @Override
        protected CompletionStage<String> getCurrentUser() {
            if (getQueryArgument("fail", "").equals("user")) {
                return CompletableFuture.failedFuture(new IllegalStateException("user store down"));
            }
            return CompletableFuture.completedFuture("ok");
        }

        public void get() {
            write("method ran for " + currentUser());
        }
    }

    /** currentUser() in prepare, on the loop, before the asynchronous user is known: a clear error. */
    public static final class TooEarly extends RequestHandler {
        @Override
        protected void prepare() {
            currentUser();
        }

        @Override
        protected CompletionStage<String> getCurrentUser() {
            return new CompletableFuture<>();
        }

        public void get() {
            write("never");
        }

        @Override
        protected void writeError(int statusCode, Throwable error) {
            write(statusCode + " " + error.getMessage());
        }
    }

    /** On a virtual thread getCurrentUser may block, and a stage is awaited wherever it is asked. */
    @RunOnVirtualThread
    public static final class Blocking extends RequestHandler {
        @Override
        protected Object getCurrentUser() {
            return Coroutines.await(CompletableFuture.supplyAsync(() -> "blocked-for",
                    CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS)));
        }

        @Authenticated
        public void get() {
            write(currentUser() + (Thread.currentThread().isVirtual() ? " virtual" : " platform"));
        }
    }

    @RunOnVirtualThread
    public static final class VirtualStage extends RequestHandler {
        @Override
        protected CompletionStage<String> getCurrentUser() {
            return CompletableFuture.supplyAsync(() -> getCookie("user"),
                    CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS));
        }

        @Override
        protected void prepare() {
            // before the framework resolves it: on a virtual thread, currentUser() waits
            setHeader("X-Prepared-For", String.valueOf(currentUser()));
        }

        @Authenticated
        public void get() {
            write("virtual " + currentUser());
        }
    }

    private static Application asyncApp() {
        return new Application(List.of(url("/lookup", AsyncLookup.class), url("/prepare", PrepareAsync.class),
                url("/order", Order.class), url("/failing", Failing.class), url("/early", TooEarly.class),
                url("/blocking", Blocking.class), url("/virtual", VirtualStage.class)),
                ApplicationSettings.builder().loginUrl("/login").build());
    }

    @Test
    void anAsynchronousGetCurrentUserIsResolvedBeforeTheMethodOnce() {
        try (InMemoryClient c = new InMemoryClient(asyncApp())) {
            AsyncLookup.ASKED.set(0);
            assertThat(c.fetch(TestRequest.get("/lookup").header("Cookie", "user=ann")).text()).isEqualTo("user ann, ann");
            assertThat(c.fetch("/lookup").text()).isEqualTo("user null, null");
            assertThat(AsyncLookup.ASKED).hasValue(2);
        }
    }

    @Test
    void prepareAsyncIsWaitedForAndTheMethodRunsOnTheLoop() {
        try (InMemoryClient c = new InMemoryClient(asyncApp())) {
            assertThat(c.fetch("/prepare").text()).isEqualTo("from prepareAsync on the loop");
            assertThat(c.fetch("/order").text()).isEqualTo("prepare prepareAsync getCurrentUser get");
        }
    }

    @Test
    void failuresOfTheAsynchronousStepsBecomeErrorPages() {
        try (InMemoryClient c = new InMemoryClient(asyncApp())) {
            assertThat(c.fetch("/failing?fail=prepare").code()).isEqualTo(404);
            assertThat(c.fetch("/failing?fail=user").code()).isEqualTo(500);
            TestResponse r = c.fetch("/failing?fail=redirect");
            assertThat(r.code()).isEqualTo(302);
            assertThat(r.text()).isEmpty();
            assertThat(c.fetch("/failing?fail=later").text()).isEqualTo("method ran for ok");
            assertThat(c.fetch("/failing").text()).isEqualTo("method ran for ok");
            TestResponse early = c.fetch("/early");
            assertThat(early.code()).isEqualTo(500);
            assertThat(early.text()).contains("before getCurrentUser()'s stage completed");
        }
    }

    @Test
    void onAVirtualThreadTheUserMayBlockOrBeAStage() {
        try (InMemoryClient c = new InMemoryClient(asyncApp())) {
            assertThat(c.fetch("/blocking").text()).isEqualTo("blocked-for virtual");
            TestResponse r = c.fetch(TestRequest.get("/virtual").header("Cookie", "user=zoe"));
            assertThat(r.text()).isEqualTo("virtual zoe");
            assertThat(r.header("X-Prepared-For")).isEqualTo("zoe");
            assertThat(c.fetch("/virtual").header("Location")).isEqualTo("/login?next=%2Fvirtual");
        }
    }
}
