package io.gale.guide.coroutines;

import static io.gale.testing.GaleTesting.await;
import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.concurrent.Coroutines;
import io.gale.httpclient.AsyncHttpClient;
import io.gale.httpclient.HttpResponse;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.PeriodicCallback;
import io.gale.testing.GaleTest;
import io.gale.testing.TestApplication;
import io.gale.testing.TestServer;
import io.gale.web.Application;
import io.gale.web.RequestHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// The first requests load Pebble, Jackson and the handlers on the loop: over 2 s (the default
// threshold) on a busy CI machine; blocking for real still fails the test.
@GaleTest(blockedThresholdMillis = 10_000)
@Timeout(30)
class PatternsTest {
    /** /page/N answers "page N" and, below 3, names the next page in X-Next. */
    public static final class Page extends RequestHandler {
        public void get(String n) {
            int i = Integer.parseInt(n);
            if (i < 3) {
                setHeader("X-Next", request().protocol() + "://" + request().host() + "/page/" + (i + 1));
            }
            write("page " + n);
        }
    }

    public static final class Posts extends RequestHandler {
        public void get(String name) {
            write(name.equals("ann") ? "12" : "0");
        }
    }

    @TestApplication
    static Application app() {
        return new Application(List.of(url("/page/([0-9]+)", Page.class), url("/posts/(\\w+)", Posts.class),
                url("/profile/(\\w+)", ProfileHandler.class)));
    }

    @Test
    void spawn(IOLoop loop, AsyncHttpClient client, TestServer server) {
        assertThat(await(Patterns.pageSize(loop, client, server.url("/page/7")))).isEqualTo("page 7".length());
    }

    @Test
    void blocking(IOLoop loop) {
        assertThat(await(Coroutines.spawn(loop, () -> Patterns.readReport(loop)))).isEqualTo("report / report");
    }

    @Test
    void parallel(AsyncHttpClient client, TestServer server) {
        List<HttpResponse> both = await(Coroutines.spawn(client.loop(),
                () -> Patterns.both(client, server.url("/page/1"), server.url("/page/2"))));
        assertThat(both).extracting(HttpResponse::text).containsExactly("page 1", "page 2");
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("a", server.url("/page/5"));
        urls.put("b", server.url("/page/6"));
        Map<String, HttpResponse> named = await(Coroutines.spawn(client.loop(), () -> Patterns.byName(client, urls)));
        assertThat(named.get("b").text()).isEqualTo("page 6");
    }

    @Test
    void interleaved(AsyncHttpClient client, TestServer server) {
        assertThat(await(Coroutines.spawn(client.loop(), () -> Patterns.interleaved(client, server.url("/page/1")))))
                .isEqualTo("computed while fetching: 200");
    }

    @Test
    void loops(AsyncHttpClient client, TestServer server) {
        assertThat(await(Coroutines.spawn(client.loop(), () -> Patterns.fetchUntilEmpty(client, server.url("/page/0")))))
                .isEqualTo(4);
    }

    @Test
    void background(IOLoop loop) throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        await(Patterns.minuteLoop(loop, runs, 3));
        assertThat(runs).hasValue(3);
        CountDownLatch ticks = new CountDownLatch(2);
        PeriodicCallback ticker = Patterns.everySecond(loop, ticks::countDown);
        try {
            assertThat(ticks.await(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            ticker.stop();
        }
    }

    @Test
    void virtualThreadHandler(TestServer server) {
        HttpResponse r = server.fetch("/profile/ann");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{\"name\":\"ann\",\"posts\":12}");
    }
}
