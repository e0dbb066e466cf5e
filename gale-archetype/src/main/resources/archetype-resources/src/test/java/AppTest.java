package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gale.httpclient.HttpResponse;
import io.gale.testing.GaleTest;
import io.gale.testing.InMemoryClient;
import io.gale.testing.TestApplication;
import io.gale.testing.TestResponse;
import io.gale.testing.TestServer;
import io.gale.web.Application;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The application served on a free port for each test (gale-testing's @GaleTest). A test fails
 * when the server's loop is blocked; the first requests of a test run load Pebble, Jackson and
 * the handlers on the loop, which can take over the default 2 s on a busy CI machine, hence the
 * higher threshold (blocking for real still fails the test).
 */
@GaleTest(blockedThresholdMillis = 10_000)
@Timeout(30)
class AppTest {
    @TestApplication
    static Application app() {
        return App.makeApp();
    }

    @Test
    void rendersThePage(TestServer server) {
        HttpResponse page = server.fetch("/?name=%3CGale%3E");
        assertEquals(200, page.code());
        assertTrue(page.text().contains("<h1>Hello, &lt;Gale&gt;!</h1>"), page.text());
        assertTrue(page.text().matches("(?s).*href=\"/static/site\\.css\\?v=[0-9a-f]+\".*"), page.text());
    }

    @Test
    void servesStaticFiles(TestServer server) {
        HttpResponse css = server.fetch("/static/site.css");
        assertEquals(200, css.code());
        assertTrue(css.text().contains("font-family"));
    }

    @Test
    void answersJson(InMemoryClient client) {         // no socket: the fastest handler tests
        TestResponse r = client.fetch("/api/hello?name=Ann");
        assertEquals(200, r.code());
        assertEquals("{\"greeting\":\"Hello, Ann!\",\"name\":\"Ann\"}", r.text());
    }

    @Test
    void unknownPathsAre404(InMemoryClient client) {
        assertEquals(404, client.fetch("/nowhere").code());
    }
}
