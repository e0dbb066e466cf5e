package io.gale.web;

import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.testing.InMemoryClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP methods a public handler inherits from a package-private base class: javac reaches them
 * through bridge methods in the public class, which dispatch must take for the methods themselves.
 */
@Timeout(30)
class InheritedHandlerMethodsTest {
    static class Base extends RequestHandler {
        public void get(String id) {
            write("base get " + id);
        }

        public void delete(String id) {
            write("deleted " + id);
        }
    }

    public static final class Derived extends Base {
    }

    @Test
    void methodsOfAPackagePrivateBaseAreDispatched() {
        InMemoryClient client = new InMemoryClient(new Application(List.of(url("/x/([0-9]+)", Derived.class))));
        assertThat(client.fetch("/x/3").text()).isEqualTo("base get 3");
        assertThat(client.fetch(io.gale.testing.TestRequest.of("DELETE", "/x/7")).text())
                .isEqualTo("deleted 7");
        assertThat(client.fetch(io.gale.testing.TestRequest.of("POST", "/x/3")).code())
                .isEqualTo(405);
    }
}
