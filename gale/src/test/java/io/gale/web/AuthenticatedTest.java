package io.gale.web;

import io.gale.testing.InMemoryClient;
import io.gale.testing.TestRequest;
import io.gale.testing.TestResponse;

import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Authenticated}: the login redirect, 403, and where {@code next} may point. */
@Timeout(30)
class AuthenticatedTest {
    /** The user is the plain "user" cookie: enough to test the guard (SignedCookieTest signs it). */
    abstract static class CookieUser extends RequestHandler {
        @Override
        protected Object getCurrentUser() {
            return getCookie("user");
        }
    }

    public static final class Account extends CookieUser {
        @Authenticated
        public void get() {
            write("account of " + currentUser());
        }

        @Authenticated
        public void post() {
            write("saved for " + currentUser());
        }

        public void put() {
            write("open");
        }
    }

    @Authenticated
    public static final class Admin extends CookieUser {
        public void get(String path) {
            write("admin " + path);
        }

        public void delete(String path) {
            write("deleted " + path);
        }
    }

    /** The login page depends on the request. */
    public static final class PerRequestLogin extends CookieUser {
        @Override
        protected String getLoginUrl() {
            return "/login/" + getQueryArgument("realm", "default");
        }

        @Authenticated
        public void get() {
            write("in");
        }
    }

    /** An asynchronous user from a store, completed off the loop. */
    public static final class AsyncUser extends RequestHandler {
        static final AtomicInteger ASKED = new AtomicInteger();

        @Override
        protected CompletionStage<String> getCurrentUser() {
            ASKED.incrementAndGet();
            String name = getCookie("user");
            return CompletableFuture.supplyAsync(() -> name, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
        }

        @Authenticated
        public void get() {
            write("async " + currentUser() + (loop().inLoop() ? " on the loop" : " OFF the loop"));
        }
    }

    @StreamRequestBody
    @Authenticated
    public static final class Upload extends CookieUser {
        static final AtomicInteger PIECES = new AtomicInteger();

        @Override
        protected CompletionStage<?> dataReceived(ByteBuffer chunk) {
            PIECES.incrementAndGet();
            return null;
        }

        public void post() {
            write("uploaded by " + currentUser());
        }
    }

    private static final List<Route> ROUTES = List.of(url("/account", Account.class), url("/admin/(.*)", Admin.class),
            url("/realm", PerRequestLogin.class), url("/async", AsyncUser.class), url("/upload", Upload.class),
            url("(/.*)", Admin.class));

    private static InMemoryClient client(String loginUrl) {
        return new InMemoryClient(new Application(ROUTES, ApplicationSettings.builder().loginUrl(loginUrl).build()));
    }

    private static TestResponse as(InMemoryClient c, String user, TestRequest r) {
        return c.fetch(user == null ? r : r.header("Cookie", "user=" + user));
    }

    @Test
    void getAndHeadWithoutAUserGoToTheLoginPage() {
        try (InMemoryClient c = client("/login")) {
            TestResponse r = c.fetch("/account");
            assertThat(r.code()).isEqualTo(302);
            assertThat(r.header("Location")).isEqualTo("/login?next=%2Faccount");
            r = c.fetch(TestRequest.of("HEAD", "/admin/x?y=1&z=%2F"));
            assertThat(r.code()).isEqualTo(302);
            assertThat(r.header("Location")).isEqualTo("/login?next=%2Fadmin%2Fx%3Fy%3D1%26z%3D%252F");
            assertThat(as(c, "ann", TestRequest.get("/account")).text()).isEqualTo("account of ann");
            assertThat(as(c, "ann", TestRequest.get("/admin/x")).text()).isEqualTo("admin x");
        }
    }

    @Test
    void otherMethodsWithoutAUserAre403() {
        try (InMemoryClient c = client("/login")) {
            assertThat(c.fetch(TestRequest.post("/account", "a=1")).code()).isEqualTo(403);
            assertThat(c.fetch(TestRequest.of("DELETE", "/admin/x")).code()).isEqualTo(403);
            assertThat(c.fetch(TestRequest.of("PUT", "/account")).text()).as("not annotated").isEqualTo("open");
            assertThat(as(c, "ann", TestRequest.post("/account", "a=1")).text()).isEqualTo("saved for ann");
            assertThat(as(c, "ann", TestRequest.of("DELETE", "/admin/x")).text()).isEqualTo("deleted x");
        }
    }

    @Test
    void nextNeverPointsOffSite() {
        try (InMemoryClient c = client("/login")) {
            for (String uri : List.of("//evil.example/x", "//evil.example", "/\\evil.example", "http://evil.example//evil.example/",
                    "///evil.example")) {
                TestResponse r = c.fetch(uri);
                assertThat(r.code()).as(uri).isEqualTo(302);
                assertThat(r.header("Location")).as(uri).isEqualTo("/login?next=%2F");
            }
            // encoded slashes stay encoded: a path on this host
            assertThat(c.fetch("/%2F%2Fevil.example").header("Location")).isEqualTo("/login?next=%2F%252F%252Fevil.example");
        }
    }

    @Test
    void aLoginUrlWithAQueryIsUsedAsItIsAndAnAbsoluteOneKeepsNextRelative() {
        try (InMemoryClient c = client("/login?from=app")) {
            assertThat(c.fetch("/account").header("Location")).isEqualTo("/login?from=app");
        }
        try (InMemoryClient c = client("https://sso.example/login")) {
            assertThat(c.fetch("/account").header("Location")).isEqualTo("https://sso.example/login?next=%2Faccount");
        }
    }

    @Test
    void getLoginUrlIsOverridableAndTheSettingIsRequiredOtherwise() {
        try (InMemoryClient c = client(null)) {
            assertThat(c.fetch("/realm?realm=staff").header("Location")).isEqualTo("/login/staff?next=%2Frealm%3Frealm%3Dstaff");
            assertThat(c.fetch("/account").code()).as("no loginUrl: a server error").isEqualTo(500);
            assertThat(as(c, "ann", TestRequest.get("/account")).code()).isEqualTo(200);
        }
    }

    @Test
    void anAsynchronousUserIsResolvedBeforeTheMethodOnTheLoop() {
        try (InMemoryClient c = client("/login")) {
            AsyncUser.ASKED.set(0);
            assertThat(as(c, "zoe", TestRequest.get("/async")).text()).isEqualTo("async zoe on the loop");
            assertThat(c.fetch("/async").header("Location")).isEqualTo("/login?next=%2Fasync");
            assertThat(AsyncUser.ASKED).hasValue(2);
        }
    }

    @Test
    void aStreamedUploadWithoutAUserIsRefusedBeforeItsBody() {
        try (InMemoryClient c = client("/login")) {
            Upload.PIECES.set(0);
            TestResponse r = c.fetch(TestRequest.post("/upload", "piece one").body("piece two"));
            assertThat(r.code()).isEqualTo(403);
            assertThat(Upload.PIECES).hasValue(0);
            assertThat(as(c, "ann", TestRequest.post("/upload", "piece one").body("piece two")).text())
                    .isEqualTo("uploaded by ann");
            assertThat(Upload.PIECES).hasValue(2);
        }
    }
}
