package io.gale.web;

import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
}
