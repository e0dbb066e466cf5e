package io.gale.guide.async;

import static io.gale.testing.GaleTesting.await;
import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.concurrent.Coroutines;
import io.gale.httpclient.AsyncHttpClient;
import io.gale.testing.GaleTest;
import io.gale.testing.TestApplication;
import io.gale.testing.TestServer;
import io.gale.web.Application;
import io.gale.web.RequestHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// The first requests load Pebble, Jackson and the handlers on the loop: over 2 s (the default
// threshold) on a busy CI machine; blocking for real still fails the test.
@GaleTest(blockedThresholdMillis = 10_000)
@Timeout(30)
class FetchingTest {
    public static final class Page extends RequestHandler {
        public void get() {
            write("page " + getArgument("n", "0"));
        }
    }

    @TestApplication
    static Application app() {
        return new Application(List.of(url("/page", Page.class)));
    }

    @Test
    void blocking(TestServer server) {
        assertThat(Fetching.synchronousFetch(server.url("/page?n=1"))).isEqualTo("page 1");
    }

    @Test
    void callback(AsyncHttpClient client, TestServer server) {
        CompletableFuture<String> got = new CompletableFuture<>();
        client.loop().addCallback(() -> Fetching.asynchronousFetch(client, server.url("/page?n=2"), got::complete));
        assertThat(await(got)).isEqualTo("page 2");
    }

    @Test
    void future(AsyncHttpClient client, TestServer server) {
        assertThat(await(Fetching.asyncFetchFuture(client, server.url("/page?n=3")))).isEqualTo("page 3");
    }

    @Test
    void coroutine(AsyncHttpClient client, TestServer server) {
        CompletableFuture<String> text = Coroutines.spawn(client.loop(),
                () -> Fetching.fetchCoroutine(client, server.url("/page?n=4")));
        assertThat(await(text)).isEqualTo("page 4");
    }

    @Test
    void fromCallback() {
        Fetching.LegacyClient legacy = (u, onBody) -> new Thread(() -> onBody.accept("body of " + u)).start();
        assertThat(await(Fetching.fetchWith(legacy, "x"))).isEqualTo("body of x");
    }
}
