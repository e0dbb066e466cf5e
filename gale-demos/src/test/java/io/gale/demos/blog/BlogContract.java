package io.gale.demos.blog;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The blog over real sockets, the same tests against each database (subclasses say which):
 * Tornado's first-run flow, compose and edit, home page, archive, entry pages and the Atom feed;
 * and bad input: a duplicate slug, a 10 MB body, a missing entry, SQL metacharacters in every
 * field, stale and missing XSRF tokens, an off-site {@code next}, a forged login cookie. The
 * browser is {@link BlogClient} (the JDK's HttpClient with a cookie jar).
 *
 * <p>One server and database per class; the first author is created in {@link #start()} through
 * {@code /auth/create}, with quotes, semicolons and comment markers in every field.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BlogContract {
    /** The first author: SQL metacharacters in every field, to be stored and compared as data. */
    static final String EMAIL = "o'hara+\"--\"@example.com";
    static final String NAME = "Robert'); DROP TABLE authors; --";
    static final String PASSWORD = "p'; DELETE FROM entries; -- \\ % _ \"";
    /** Tests hash with fewer rounds than the demo's default: the same code, a fraction of the CPU. */
    static final int TEST_ITERATIONS = 10_000;

    private Database db;
    private TestServer server;
    BlogStore store;
    /** Logged in as the author. */
    BlogClient author;

    /** The {@code --db} value of the database under test. */
    abstract String dbUrl() throws Exception;

    /** Releases what {@link #dbUrl()} started. */
    void stopDatabase() throws Exception {
    }

    @BeforeAll
    void start() throws Exception {
        db = Database.open(dbUrl());
        store = new BlogStore(db);
        Blog blog = new Blog(store, "Test \"Blog\" <&>", new Passwords(TEST_ITERATIONS), BlogLimits.DEFAULTS);
        server = TestServer.start(BlogDemo.application(blog, "test secret " + getClass().getName(), false));
        author = new BlogClient(server.baseUrl());

        // Tornado's first run: / -> /compose -> login -> /auth/create
        assertRedirect(author.get("/"), "/compose");
        assertRedirect(author.get("/compose"), "/auth/login?next=%2Fcompose");
        assertRedirect(author.get("/auth/login?next=%2Fcompose"), "/auth/create?next=%2Fcompose");
        HttpResponse<String> form = author.get("/auth/create?next=%2Fcompose");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("name=\"email\"", "name=\"name\"", "name=\"password\"", "name=\"_xsrf\"");
        HttpResponse<String> created = author.post("/auth/create",
                Map.of("email", EMAIL, "name", NAME, "password", PASSWORD, "next", "/compose"));
        assertRedirect(created, "/compose");
        assertThat(author.cookie(BaseHandler.USER_COOKIE)).isNotNull();
        assertThat(store.authorByEmail(EMAIL)).hasValueSatisfying(a -> assertThat(a.name()).isEqualTo(NAME));
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (db != null) {
            db.close();
        }
        stopDatabase();
    }

    // ----------------------------------------------------------------------------- the flow

    @Test
    void composedEntryShowsOnHomeArchiveItsPageAndTheFeed() throws Exception {
        String slug = publish("A *day* at the sea", "Sun, **sand** and `code`.\n\n- one\n- two");
        assertThat(slug).isEqualTo("a-day-at-the-sea");

        BlogClient visitor = new BlogClient(author.base());
        String home = visitor.get("/").body();
        assertThat(home).contains("A *day* at the sea", "<strong>sand</strong>", "<code>code</code>", "<li>one</li>")
                .contains("href=\"/entry/a-day-at-the-sea\"")
                .contains("/static/blog.css?v=")          // staticUrl, versioned
                .doesNotContain("Edit this post");        // visitors get no edit link
        assertThat(visitor.get("/archive").body()).contains("href=\"/entry/a-day-at-the-sea\"");
        HttpResponse<String> page = visitor.get("/entry/a-day-at-the-sea");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>A *day* at the sea &middot; Test &quot;Blog&quot; &lt;&amp;&gt;</title>");
        assertThat(author.get("/entry/a-day-at-the-sea").body()).contains("Edit this post");

        HttpResponse<String> feed = visitor.get("/feed");
        assertThat(feed.headers().firstValue("Content-Type")).hasValue("application/atom+xml; charset=UTF-8");
        List<AtomFeed.FeedEntry> entries = AtomFeed.validate(feed.body());
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.title()).isEqualTo("A *day* at the sea");
            assertThat(e.id()).isEqualTo(author.base() + "/entry/a-day-at-the-sea");
            assertThat(e.contentType()).isEqualTo("html");
            assertThat(e.content()).contains("<strong>sand</strong>");
        });
        assertThat(entries.size()).isLessThanOrEqualTo(FeedHandler.ENTRIES);

        HttpResponse<String> css = visitor.get("/static/blog.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
    }

    @Test
    void editKeepsTheSlugAndChangesTheText() throws Exception {
        String slug = publish("Draft to edit", "first version");
        int id = store.bySlug(slug).orElseThrow().id();
        HttpResponse<String> form = author.get("/compose?id=" + id);
        assertThat(form.body()).contains("value=\"Draft to edit\"", "first version", "name=\"id\" value=\"" + id + "\"");
        assertRedirect(author.post("/compose", Map.of("id", "" + id, "title", "Edited title", "markdown", "second *version*")),
                "/entry/" + slug);
        Entry e = store.byId(id).orElseThrow();
        assertThat(e.title()).isEqualTo("Edited title");
        assertThat(e.html()).contains("<em>version</em>");
        assertThat(e.updated()).isAfterOrEqualTo(e.published());
        assertThat(author.post("/compose", Map.of("id", "999999", "title", "x", "markdown", "y")).statusCode()).isEqualTo(404);
        assertThat(author.get("/compose?id=1%20OR%201=1").statusCode()).isEqualTo(400);
    }

    @Test
    void logoutThenLoginAgain() throws Exception {
        BlogClient c = new BlogClient(author.base());
        HttpResponse<String> wrong = c.login(EMAIL, PASSWORD + "x", "/");
        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).contains("Incorrect email or password.");
        assertThat(c.cookie(BaseHandler.USER_COOKIE)).isNull();
        assertThat(c.login("nobody@example.com", PASSWORD, "/").body()).contains("Incorrect email or password.");

        assertRedirect(c.login(EMAIL, PASSWORD, "/archive"), "/archive");
        assertThat(c.get("/archive").body()).contains("Sign out", "Robert&#39;); DROP TABLE authors; --");
        assertThat(c.get("/compose").statusCode()).isEqualTo(200);
        assertThat(c.get("/auth/logout?next=%2Farchive").body()).contains("id=\"sign-out\"");
        assertRedirect(c.post("/auth/logout", Map.of("next", "/archive")), "/archive");
        assertRedirect(c.get("/compose"), "/auth/login?next=%2Fcompose");
    }

    // --------------------------------------------------------------------------- bad input

    @Test
    void duplicateTitlesGetNumberedSlugs() throws Exception {
        String first = publish("Same title", "one");
        String second = publish("Same title", "two");
        String third = publish("Same  title!", "three");
        assertThat(first).isEqualTo("same-title");
        assertThat(second).isEqualTo("same-title-2");
        assertThat(third).isEqualTo("same-title-3");
        assertThat(author.get("/entry/same-title").body()).contains("<p>one</p>");
        assertThat(author.get("/entry/same-title-2").body()).contains("<p>two</p>");
        assertThat(publish("¿¡", "nothing left of the title")).startsWith("entry");
    }

    @Test
    void tenMegabyteBodyIsRefusedAndNothingStored() throws Exception {
        int before = store.all().size();
        String big = "x".repeat(10 * 1024 * 1024);
        HttpRequest request = HttpRequest.newBuilder(URI.create(author.base() + "/compose"))
                .timeout(Duration.ofSeconds(60)).expectContinue(true)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(BlogClient.form(Map.of("_xsrf", author.xsrf(),
                        "title", "Huge", "markdown", big)), StandardCharsets.UTF_8)).build();
        HttpResponse<String> r = author.http().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(store.all()).hasSize(before);

        // Under the body limit but over the Markdown limit: the form again, text kept, nothing stored.
        String long_ = "y".repeat(BlogLimits.DEFAULTS.maxMarkdownChars() + 1);
        HttpResponse<String> tooLong = author.post("/compose", Map.of("title", "Long", "markdown", long_));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("The text is longer than", long_.substring(0, 1000));
        assertThat(author.post("/compose", Map.of("title", "x".repeat(513), "markdown", "z")).statusCode()).isEqualTo(400);
        assertThat(author.post("/compose", Map.of("title", "", "markdown", "z")).body()).contains("The title is missing.");
        assertThat(store.all()).hasSize(before);
    }

    @Test
    void missingEntryIsTheBlogsOwn404Page() throws Exception {
        HttpResponse<String> r = author.get("/entry/no-such-entry");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("id=\"status\">404: Not Found", "id=\"header\"", "There is nothing here");
        HttpResponse<String> other = new BlogClient(author.base()).get("/no/such/page");
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.body()).contains("id=\"status\">404: Not Found", "Sign in");
    }

    @Test
    void sqlMetacharactersInEveryFieldAreData() throws Exception {
        String title = "Robert'); DROP TABLE entries; -- \" \\ % _ ; /* */";
        String markdown = "' OR '1'='1'; --\n\n\"; DELETE FROM authors WHERE '1'='1\" \\x00 %s _";
        String slug = publish(title, markdown);
        assertThat(slug).isEqualTo("robert-drop-table-entries-_"); // "_" is a word character, as in Tornado
        Entry stored = store.bySlug(slug).orElseThrow();
        assertThat(stored.title()).isEqualTo(title);
        assertThat(stored.markdown()).isEqualTo(markdown);
        // the page shows them escaped, the tables are all there
        assertThat(author.get("/entry/" + slug).body()).contains("Robert&#39;); DROP TABLE entries; -- &quot; \\ % _ ; /* */");
        assertThat(store.authorByEmail(EMAIL)).isPresent();

        // in the path, the id, the login form
        assertThat(author.get("/entry/x'%20OR%20'1'='1").statusCode()).isEqualTo(404);
        assertThat(author.get("/entry/%27%3B%20DROP%20TABLE%20entries%3B--").statusCode()).isEqualTo(404);
        assertThat(author.get("/compose?id=1;DROP%20TABLE%20entries").statusCode()).isEqualTo(400);
        BlogClient c = new BlogClient(author.base());
        assertThat(c.login("' OR '1'='1", "' OR '1'='1", "/").body()).contains("Incorrect email or password.");
        assertThat(c.login(EMAIL + "' --", "x", "/").body()).contains("Incorrect email or password.");
        assertThat(c.cookie(BaseHandler.USER_COOKIE)).isNull();
        // the first author's fields held them too (start()); a second author is refused
        HttpResponse<String> again = c.post("/auth/create", Map.of("email", "x@example.com", "name", "'; --",
                "password", "long enough'; --"));
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(store.authorByEmail("x@example.com")).isEmpty();
        assertThat(store.all()).anySatisfy(e -> assertThat(e.slug()).isEqualTo(slug));
    }

    @Test
    void staleOrMissingXsrfTokenIsRefused() throws Exception {
        int before = store.all().size();
        String real = author.xsrf();
        // A token from another session: well-formed, signed by nobody's cookie here.
        BlogClient other = new BlogClient(author.base());
        String foreign = other.xsrf();
        assertThat(foreign).isNotEqualTo(real);
        assertThat(author.postRaw("/compose", Map.of("_xsrf", foreign, "title", "Stale", "markdown", "x")).statusCode())
                .isEqualTo(403);
        assertThat(author.postRaw("/compose", Map.of("title", "No token", "markdown", "x")).statusCode()).isEqualTo(403);
        assertThat(author.postRaw("/compose", Map.of("_xsrf", "2|00|00|0", "title", "Junk", "markdown", "x"))
                .statusCode()).isEqualTo(403);
        assertThat(other.postRaw("/auth/login", Map.of("_xsrf", real, "email", EMAIL, "password", PASSWORD)).statusCode())
                .isEqualTo(403);
        assertThat(other.cookie(BaseHandler.USER_COOKIE)).isNull();
        assertThat(store.all()).hasSize(before);
        // a visitor with a valid token still cannot compose
        assertThat(other.post("/compose", Map.of("title", "Anonymous", "markdown", "x")).statusCode()).isEqualTo(403);
        assertThat(store.all()).hasSize(before);
    }

    @Test
    void offSiteNextGoesHome() throws Exception {
        BlogClient c = new BlogClient(author.base());
        for (String next : List.of("//evil.example/", "https://evil.example/", "/\\evil.example", "http:evil", "")) {
            assertRedirect(c.login(EMAIL, PASSWORD, next), "/");
            assertRedirect(c.post("/auth/logout", Map.of("next", next)), "/");
        }
        assertThat(c.get("/auth/login?next=%2F%2Fevil.example").body()).contains("name=\"next\" value=\"/\"");
    }

    @Test
    void forgedLoginCookieIsNobody() throws Exception {
        String real = author.cookie(BaseHandler.USER_COOKIE);
        BlogClient c = new BlogClient(author.base());
        for (String forged : List.of("1", real.replace("MQ==", "Mg=="), real.substring(0, real.length() - 2) + "00")) {
            HttpResponse<String> r = c.http().send(HttpRequest.newBuilder(URI.create(author.base() + "/compose"))
                    .header("Cookie", BaseHandler.USER_COOKIE + "=" + forged).build(), HttpResponse.BodyHandlers.ofString());
            assertRedirect(r, "/auth/login?next=%2Fcompose");
        }
    }

    // ----------------------------------------------------------------------------- helpers

    private static final Pattern ENTRY = Pattern.compile("/entry/([a-z0-9_-]+)");

    /** Publishes an entry as the author; returns its slug. */
    String publish(String title, String markdown) throws Exception {
        HttpResponse<String> r = author.post("/compose", Map.of("title", title, "markdown", markdown));
        assertThat(r.statusCode()).as("compose answer %s", r.body()).isEqualTo(302);
        Matcher m = ENTRY.matcher(r.headers().firstValue("Location").orElseThrow());
        assertThat(m.matches()).isTrue();
        return m.group(1);
    }

    static void assertRedirect(HttpResponse<String> r, String location) {
        assertThat(r.statusCode()).as("status of %s: %s", r.uri(), r.body()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).hasValue(location);
    }
}
