package io.gale.guide.queues;

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
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// The first requests load Pebble, Jackson and the handlers on the loop: over 2 s (the default
// threshold) on a busy CI machine; blocking for real still fails the test.
@GaleTest(blockedThresholdMillis = 10_000)
@Timeout(60)
class SpiderTest {
    /** /site/N links to every /site/M (M < 20), to an outside page and to itself, like httpbin's /links. */
    public static final class Site extends RequestHandler {
        public void get(String n) {
            StringBuilder page = new StringBuilder("<html><body>");
            for (int m = 0; m < 20; m++) {
                page.append("<a href=\"").append(m).append("\">").append(m).append("</a> ");
            }
            page.append("<a href=\"/outside\">out</a> <a href=\"#top\">top</a></body></html>");
            write(page.toString());
        }
    }

    public static final class Outside extends RequestHandler {
        public void get() {
            throw new AssertionError("the spider left its base URL");
        }
    }

    @TestApplication
    static Application app() {
        return new Application(List.of(url("/site/([0-9]+)", Site.class), url("/outside", Outside.class)));
    }

    @Test
    void crawlsEveryPageOnce(AsyncHttpClient client, TestServer server) {
        Spider spider = new Spider(client, server.url("/site/0"));
        Set<String> fetched = await(Coroutines.spawn(client.loop(), () -> spider.crawl(5)));
        assertThat(fetched).hasSize(20)                       // /site/0 .. /site/19, each once
                .contains(server.url("/site/0"), server.url("/site/19"));
    }

    @Test
    void runsFromMain(TestServer server) {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            Spider.main(new String[] {server.url("/site/0")});
        } finally {
            System.setOut(out);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("Done, fetched 20 URLs." + System.lineSeparator());
    }
}
