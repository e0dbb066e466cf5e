package io.gale.guide.templates;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.httpclient.HttpResponse;
import io.gale.testing.GaleTest;
import io.gale.testing.TestApplication;
import io.gale.testing.TestServer;
import io.gale.web.Application;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// The first requests load Pebble, Jackson and the handlers on the loop: over 2 s (the default
// threshold) on a busy CI machine; blocking for real still fails the test.
@GaleTest(blockedThresholdMillis = 10_000)
@Timeout(30)
class PagesTest {
    static Path staticDir() throws Exception {
        return Path.of(PagesTest.class.getResource("/static").toURI());
    }

    @TestApplication
    static Application app() throws Exception {
        return Pages.makeApp(staticDir());
    }

    @Test
    void rendersThePage(TestServer server) {
        HttpResponse r = server.fetch("/");
        assertThat(r.code()).isEqualTo(200);
        String page = r.text();
        assertThat(page).contains("<title>Latest &lt;entries&gt;</title>")
                .contains("<a href=\"/entry/hello\">Hello, world</a>")
                .contains("name=\"_xsrf\"")
                .containsPattern("href=\"/static/site\\.css\\?v=[0-9a-f]+\"")
                .containsPattern("href=\"/static/entry\\.css\\?v=[0-9a-f]+\"");
        assertThat(page.split("entry\\.css", -1)).hasSize(2);    // linked once
    }

    @Test
    void servesStaticFiles(TestServer server) {
        HttpResponse css = server.fetch("/static/site.css");
        assertThat(css.code()).isEqualTo(200);
        assertThat(css.text()).contains("font-family");
        assertThat(server.fetch("/entry/hello").text()).isEqualTo("hello");
    }
}
