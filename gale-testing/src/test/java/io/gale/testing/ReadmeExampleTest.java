package io.gale.testing;

import static io.gale.testing.GaleTesting.await;
import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.httpclient.AsyncHttpClient;
import io.gale.httpclient.HttpResponse;
import io.gale.web.Application;
import io.gale.web.ApplicationSettings;
import io.gale.web.RequestHandler;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's "Testing your application" example, compiled and run (keep the two in step). */
@GaleTest
@Timeout(30)
class ReadmeExampleTest {
    public static final class Hello extends RequestHandler {
        public void get() {
            write(Map.of("hello", getArgument("name", "world")));
        }
    }

    @TestApplication
    static Application app() {
        return new Application(List.of(url("/", Hello.class)), ApplicationSettings.builder().jsonErrors(true).build());
    }

    @Test
    void overASocket(TestServer server) {
        HttpResponse r = server.fetch("/?name=ann");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.json().get("hello").asText()).isEqualTo("ann");
    }

    @Test
    void inMemory(InMemoryClient client) {
        TestResponse r = client.fetch("/nowhere");
        assertThat(r.code()).isEqualTo(404);
        assertThat(r.json().get("title").asText()).isEqualTo("Not Found");
    }

    @Test
    void withTheAsyncClient(AsyncHttpClient client, TestServer server) {
        assertThat(await(client.fetch(server.url("/"))).text()).isEqualTo("{\"hello\":\"world\"}");
    }
}
