package io.gale.demos.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.testing.TestServer;
import io.gale.web.Application;
import io.gale.web.RequestHandler;
import io.gale.web.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The browser harness against a page served by a Gale application: reading an element, a
 * script-made change waited for, a screenshot, and a second session whose cookies are its own.
 */
@Timeout(120)
class BrowserTest {
    private static Browser browser;
    private static TestServer server;

    /** A page whose script fills in an element a moment after load (something to wait for). */
    static final class PageHandler extends RequestHandler {
        public void get() {
            setHeader("Content-Type", "text/html; charset=utf-8");
            write("<!doctype html><title>smoke</title><h1 id=greeting>Hello from Gale</h1><p id=later></p>"
                    + "<script>setTimeout(() => document.getElementById('later').textContent = 'ready', 100)</script>");
        }
    }

    /** Sets a cookie on the first visit and shows the cookies the browser sent. */
    static final class CookieHandler extends RequestHandler {
        public void get() {
            String seen = getCookie("visitor", "none");
            if (seen.equals("none")) {
                setCookie("visitor", getArgument("name"));
            }
            setHeader("Content-Type", "text/html; charset=utf-8");
            write("<p id=seen>" + escape(seen) + "</p>");
        }

        private static String escape(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;");
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(new Application(List.of(
                Route.url("/", PageHandler::new),
                Route.url("/cookie", CookieHandler::new))));
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void readsAnElementAndWaitsForAScriptAndTakesAScreenshot(@TempDir Path dir) throws Exception {
        Browser.Session s = browser.session();
        s.get(server.baseUrl() + "/");
        assertThat(s.find(By.id("greeting")).getText()).isEqualTo("Hello from Gale");
        Boolean ready = s.waitUntil(d -> d.findElement(By.id("later")).getText().equals("ready"));
        assertThat(ready).isTrue();
        Path png = s.screenshot(dir.resolve("sub/page.png"));
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).hasSizeGreaterThan(100);
        assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    @Test
    void aSecondSessionHasCookiesOfItsOwn() {
        Browser.Session ann = browser.session();
        Browser.Session bob = browser.newSession();
        try {
            ann.get(server.baseUrl() + "/cookie?name=ann");
            bob.get(server.baseUrl() + "/cookie?name=bob");
            ann.get(server.baseUrl() + "/cookie");
            bob.get(server.baseUrl() + "/cookie");
            // Each window is driven in turn: the switch happens inside the session.
            assertThat(ann.find(By.id("seen")).getText()).isEqualTo("ann");
            assertThat(bob.find(By.id("seen")).getText()).isEqualTo("bob");
        } finally {
            bob.close();
        }
    }

    @Test
    void otherHostNamesDoNotResolve() {
        Browser.Session s = browser.session();
        String port = server.baseUrl().replaceAll(".*:", "");
        assertThatThrownBy(() -> s.get("http://gale-test.example:" + port + "/"))
                .hasMessageContaining("ERR_NAME_NOT_RESOLVED");
        s.get("http://localhost:" + port + "/");
        assertThat(s.find(By.id("greeting")).getText()).isEqualTo("Hello from Gale");
    }
}
