package io.gale.demos.blog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.demos.DemoOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The blog's pieces alone: slugs, password hashes, Markdown's safety, {@code --db} URLs, options. */
@Timeout(60)
class BlogPartsTest {
    @Test
    void slugsAsTornadoMakesThem() {
        assertThat(Slugs.fromTitle("Hello, World!")).isEqualTo("hello-world");
        assertThat(Slugs.fromTitle("  Crème brûlée à la carte ")).isEqualTo("creme-brulee-a-la-carte");
        assertThat(Slugs.fromTitle("snake_case and CamelCase")).isEqualTo("snake_case-and-camelcase");
        assertThat(Slugs.fromTitle("ﬁne ½")).isEqualTo("fine-1-2"); // NFKD: ligature and fraction decomposed
        assertThat(Slugs.fromTitle("日本語")).isEqualTo("entry");        // nothing ASCII left
        assertThat(Slugs.fromTitle("--- !!! ---")).isEqualTo("entry");
        assertThat(Slugs.fromTitle("a日本b")).isEqualTo("ab");          // word characters join, as Python's \w
        assertThat(Slugs.fromTitle("emoji 🎉 party")).isEqualTo("emoji-party");
        String longTitle = "word ".repeat(200);
        String slug = Slugs.fromTitle(longTitle);
        assertThat(slug.length()).isLessThanOrEqualTo(Slugs.MAX_LENGTH).isGreaterThan(Slugs.MAX_LENGTH / 2);
        assertThat(slug).doesNotEndWith("-").matches("[a-z0-9_-]+");
        assertThat(Slugs.fromTitle("x".repeat(500))).hasSize(Slugs.MAX_LENGTH);
    }

    @Test
    void passwordsHashWithSaltAndVerify() {
        Passwords p = new Passwords(1_000);
        String h1 = p.hash("correct horse");
        String h2 = p.hash("correct horse");
        assertThat(h1).startsWith("pbkdf2_sha256$1000$").isNotEqualTo(h2); // salted
        assertThat(p.verify("correct horse", h1)).isTrue();
        assertThat(p.verify("correct horse", h2)).isTrue();
        assertThat(p.verify("correct horsE", h1)).isFalse();
        assertThat(p.verify("pässwörd", p.hash("pässwörd"))).isTrue();
        // a hash keeps its own iteration count
        assertThat(new Passwords(2_000).verify("correct horse", h1)).isTrue();
        for (String junk : new String[] {"", "$$$", "bcrypt$x$y$z", "pbkdf2_sha256$0$AA$AA", "pbkdf2_sha256$99999999999$AA$AA",
                "pbkdf2_sha256$1000$!!$AA", h1.substring(0, h1.length() - 4)}) {
            assertThat(p.verify("correct horse", junk)).as(junk).isFalse();
        }
        p.verifyNothing("anything");
        assertThat(Passwords.DEFAULT_ITERATIONS).isGreaterThanOrEqualTo(600_000);
        assertThatThrownBy(() -> new Passwords(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void markdownHtmlIsSafeForEveryReader() {
        assertThat(Markdown.toHtml("# Title\n\n*em* **strong** `code`")).isEqualTo(
                "<h1>Title</h1>\n<p><em>em</em> <strong>strong</strong> <code>code</code></p>\n");
        String html = Markdown.toHtml("<script>alert(1)</script>\n\ntext <img src=x onerror=alert(1)> "
                + "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) ![c](vbscript:x) [ok](https://example.com/?a=1&b=2)");
        assertThat(html).doesNotContain("<script", "<img src=x", "javascript:", "JaVaScRiPt:", "vbscript:")
                .contains("&lt;script&gt;", "href=\"https://example.com/?a=1&amp;b=2\"");
        // well-formed XHTML: void elements closed, so the feed could carry it as xhtml too
        assertThat(Markdown.toHtml("a  \nb\n\n---\n\n![i](https://example.com/i.png)")).contains("<br />", "<hr />", "/>");
    }

    @Test
    void dbUrls() {
        Database.Target pg = Database.jdbcUrl("postgresql://blog:s3cret@db.example:5433/blog?sslmode=disable");
        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/blog?sslmode=disable");
        assertThat(pg.user()).isEqualTo("blog");
        assertThat(pg.password()).isEqualTo("s3cret");
        assertThat(pg.description()).doesNotContain("s3cret");
        Database.Target bare = Database.jdbcUrl("postgres://localhost/blog");
        assertThat(bare.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/blog");
        assertThat(bare.user()).isNull();
        Database.Target h2 = Database.jdbcUrl("h2:data/blog");
        assertThat(h2.jdbcUrl()).startsWith("jdbc:h2:file:/").contains("data/blog");
        assertThat(Database.jdbcUrl(Database.DEFAULT).jdbcUrl()).contains("blog-data/blog");
        assertThat(Database.jdbcUrl("jdbc:postgresql://h/db?user=u&password=p").description()).contains("password=***")
                .doesNotContain("password=p");
        assertThatThrownBy(() -> Database.jdbcUrl("mysql://x/y")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> Database.jdbcUrl("postgresql://host-only")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void newAuthorChecks() {
        BlogLimits l = BlogLimits.DEFAULTS;
        assertThat(Credentials.newAuthorProblem("a@b.c", "Ann", "12345678", l)).isNull();
        assertThat(Credentials.newAuthorProblem("", "Ann", "12345678", l)).contains("all needed");
        assertThat(Credentials.newAuthorProblem("ab.c", "Ann", "12345678", l)).contains("not an email");
        assertThat(Credentials.newAuthorProblem("a @b.c", "Ann", "12345678", l)).contains("not an email");
        assertThat(Credentials.newAuthorProblem("a@b.c", "Ann", "1234567", l)).contains("password");
        assertThat(Credentials.newAuthorProblem("a@b.c", "A".repeat(101), "12345678", l)).contains("at most 100");
        assertThat(Credentials.newAuthorProblem("a@b.c", "Ann", "p".repeat(1025), l)).contains("password");
    }

    @Test
    void firstAuthorFromTheCommandLine(@TempDir Path dir) throws Exception {
        BlogDemo.Config config = new BlogDemo.Config(0, "h2:" + dir.resolve("blog"), "T", "a@b.c", "Ann",
                "long enough", null, false);
        try (Database db = Database.open(config.db())) {
            Blog blog = BlogDemo.open(db, config, new Passwords(1_000));
            Author a = blog.store().authorByEmail("a@b.c").orElseThrow();
            assertThat(blog.passwords().verify("long enough", a.hashedPassword())).isTrue();
            // a second start with other --author-* options changes nothing
            BlogDemo.open(db, new BlogDemo.Config(0, config.db(), "T", "b@b.c", "Bob", "another one", null, false),
                    new Passwords(1_000));
            assertThat(blog.store().authorByEmail("b@b.c")).isEmpty();
            assertThatThrownBy(() -> BlogDemo.open(db, new BlogDemo.Config(0, config.db(), "T", "c@b.c", "C", "short",
                    null, false), new Passwords(1_000))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password");
            // the cookie secret is made once and kept
            String secret = blog.store().cookieSecret();
            assertThat(secret).hasSizeGreaterThanOrEqualTo(40).isEqualTo(blog.store().cookieSecret());
        }
    }

    @Test
    void commandLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        BlogDemo.Config[] config = new BlogDemo.Config[1];
        int status = DemoOptions.run("blog", print, print, demo -> {
            config[0] = BlogDemo.parseArgs(demo, new String[] {"--port", "0", "--db", "postgresql://u@h/d",
                    "--author-email", "a@b.c", "--author-name", "Ann", "--title", "Mine"});
            return 0;
        });
        assertThat(status).isZero();
        assertThat(config[0].db()).isEqualTo("postgresql://u@h/d");
        assertThat(config[0].title()).isEqualTo("Mine");
        assertThat(config[0].authorEmail()).isEqualTo("a@b.c");
        int help = DemoOptions.run("blog", print, print, demo -> {
            BlogDemo.parseArgs(demo, new String[] {"--help"});
            return 99;
        });
        assertThat(help).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--db", "--author-email", "GALE_AUTHOR_PASSWORD");
        assertThat(DemoOptions.run("blog", print, print, demo -> {
            BlogDemo.parseArgs(demo, new String[] {"extra"});
            return 0;
        })).isEqualTo(2);
    }
}
