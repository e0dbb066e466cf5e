package io.gale.demos.blog;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.testing.TestServer;
import io.gale.demos.testing.Browser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The blog in headless Chromium (embedded H2): the first run creates the author through the
 * form, then log out, log in, compose an entry in Markdown, see it on the home page and in the
 * Atom feed (fetched by the page's own browser, parsed and checked). Takes the main page's
 * screenshot ({@code docs/demos/blog.png}, see {@link Browser#demoScreenshot}).
 */
@Timeout(180)
class BlogBrowserTest {
    @TempDir
    static Path dir;
    private static Database db;
    private static TestServer server;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        db = Database.open("h2:" + dir.resolve("blog"));
        Blog blog = new Blog(new BlogStore(db), "Gale Blog", new Passwords(BlogContract.TEST_ITERATIONS), BlogLimits.DEFAULTS);
        server = TestServer.start(BlogDemo.application(blog, "browser test secret, long enough for SignedValues", false));
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
        if (db != null) {
            db.close();
        }
    }

    @Test
    void logInComposeAndSeeTheEntryOnTheHomePageAndInTheFeed() throws Exception {
        Browser.Session s = browser.session();
        // First run: / -> /compose -> /auth/login -> /auth/create
        s.get(server.baseUrl() + "/");
        s.waitUntil(d -> d.getCurrentUrl().contains("/auth/create"));
        s.find(By.name("email")).sendKeys("ann@example.com");
        s.find(By.name("name")).sendKeys("Ann Author");
        s.find(By.name("password")).sendKeys("correct horse battery");
        s.find(By.id("create")).click();
        s.waitUntil(d -> d.getCurrentUrl().endsWith("/compose"));

        // Sign out, then in again through the login form
        s.find(By.cssSelector("#logout button")).click();
        s.waitUntil(d -> d.getCurrentUrl().contains("/auth/login"));
        s.find(By.id("email")).sendKeys("ann@example.com");
        s.find(By.id("password")).sendKeys("correct horse battery");
        s.find(By.id("sign-in")).click();
        s.waitUntil(d -> d.getCurrentUrl().endsWith("/compose"));
        assertThat(s.find(By.id("author")).getText()).isEqualTo("Ann Author");

        // Compose
        s.find(By.name("title")).sendKeys("Hello from Gale");
        s.find(By.name("markdown")).sendKeys("Gale is a *non-blocking* web framework.\n\n"
                + "- templates with **UI modules**\n- JDBC on virtual threads\n\n<b>markup is shown as text</b>");
        s.find(By.id("publish")).click();
        s.waitUntil(d -> d.getCurrentUrl().endsWith("/entry/hello-from-gale"));

        // A second entry, so that the home page shows a list
        s.get(server.baseUrl() + "/compose");
        s.find(By.name("title")).sendKeys("Tornado's blog, in Java");
        s.find(By.name("markdown")).sendKeys("Entries are written in [Markdown](https://commonmark.org/), "
                + "kept in H2 or PostgreSQL, and published in an `Atom` feed.");
        s.find(By.id("publish")).click();
        s.waitUntil(d -> d.getCurrentUrl().endsWith("/entry/tornado-s-blog-in-java"));

        // Home page
        s.get(server.baseUrl() + "/");
        List<WebElement> titles = s.waitUntil(d -> {
            List<WebElement> t = d.findElements(By.cssSelector(".entry h1 a"));
            return t.size() == 2 ? t : null;
        });
        assertThat(titles.get(0).getText()).isEqualTo("Tornado's blog, in Java");
        assertThat(titles.get(1).getText()).isEqualTo("Hello from Gale");
        WebElement body = s.findAll(By.cssSelector(".entry .body")).get(1);
        assertThat(body.findElement(By.tagName("em")).getText()).isEqualTo("non-blocking");
        assertThat(body.getText()).contains("<b>markup is shown as text</b>");
        assertThat(body.findElements(By.tagName("b"))).isEmpty();
        s.screenshot(Browser.demoScreenshot("blog"));

        // The feed, as the browser gets it
        String feed = (String) ((org.openqa.selenium.JavascriptExecutor) s.driver()).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('/feed').then(r => r.text()).then(done, e => done('ERROR ' + e));");
        List<AtomFeed.FeedEntry> entries = AtomFeed.validate(feed);
        assertThat(entries).extracting(AtomFeed.FeedEntry::title)
                .containsExactly("Tornado's blog, in Java", "Hello from Gale");
        assertThat(entries.get(1).content()).contains("<em>non-blocking</em>");
    }
}
