package io.gale.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.locale.Locales;
import io.gale.testing.InMemoryClient;
import io.gale.testing.TestRequest;
import io.gale.testing.TestResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The namespace entries that come from the other parts of the web layer: {@code staticUrl()}
 * (static files), {@code xsrfFormHtml()} and {@code xsrfToken()} (XSRF), {@code locale}, {@code _()} and {@code pgettext()} (the request's
 * locale), as a Tornado template uses them.
 */
@Timeout(60)
class TemplateNamespaceTest {
    private static final String SECRET = "a-secret-of-at-least-thirty-two-bytes-0123456789";

    @TempDir
    static Path dir;

    @BeforeAll
    static void files() throws Exception {
        Files.writeString(dir.resolve("form.html"),
                "<form method=\"post\">{{ xsrfFormHtml() }}</form>|{{ xsrfToken() }}");
        Files.writeString(dir.resolve("i18n.html"), """
                {{ locale.code }}|{{ _("Sign out") }}|{{ _("%(n)d comment", "%(n)d comments", n) }}|\
                {{ pgettext("verb", "Post") }}|{{ _("<b>") }}""");
        Files.writeString(dir.resolve("static.html"), "<link href=\"{{ staticUrl('site.css') }}\">");
        Files.writeString(Files.createDirectories(dir.resolve("static")).resolve("site.css"), "body{}");
        Path translations = Files.createDirectories(dir.resolve("translations"));
        Files.writeString(translations.resolve("fr_FR.csv"), """
                "Sign out","Se déconnecter"
                "%(n)d comment","%(n)d commentaire",singular
                "%(n)d comments","%(n)d commentaires",plural
                "Post","Publier"
                "<b>","<i>"
                """);
    }

    private static Application app() throws Exception {
        Application app = new Application(List.of(), ApplicationSettings.builder()
                .templatePath(dir)
                .staticPath(dir.resolve("static"))
                .cookieSecret(SECRET)
                .xsrfCookies(true)
                .locales(Locales.loadTranslations(dir.resolve("translations")).withDefaultLocale("en_US"))
                .build());
        app.get("/form", h -> h.render("form.html"));
        app.get("/static-url", h -> h.render("static.html"));
        app.get("/i18n/([0-9]+)", h -> h.render("i18n.html", Map.of("n", Integer.parseInt(h.pathArgs().get(0)))));
        return app;
    }

    @Test
    void xsrfFormHtmlIsAHiddenFieldWhoseTokenMatchesTheCookieAndIsNotEscapedTwice() throws Exception {
        try (InMemoryClient client = new InMemoryClient(app())) {
            TestResponse r = client.fetch("/form");
            assertThat(r.code()).isEqualTo(200);
            Matcher m = Pattern.compile("<form method=\"post\"><input type=\"hidden\" name=\"_xsrf\" value=\"([^\"]+)\"/></form>\\|(.+)")
                    .matcher(r.text());
            assertThat(m.matches()).as(r.text()).isTrue();
            // The field's token and xsrfToken() are the same token of this page, both masked (version 2).
            assertThat(m.group(1)).startsWith("2|").isEqualTo(m.group(2).replace("&#39;", "'"));
            assertThat(r.header("Set-Cookie")).startsWith("_xsrf=2|");
        }
    }

    @Test
    void staticUrlIsVersionedByTheFilesContent() throws Exception {
        try (InMemoryClient client = new InMemoryClient(app())) {
            TestResponse r = client.fetch("/static-url");
            // Tornado's version: the SHA-512 of the file's content, in hex.
            assertThat(r.text()).isEqualTo("<link href=\"/static/site.css?v=" + sha512("body{}") + "\">");
        }
    }

    private static String sha512(String text) throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("SHA-512").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(d);
    }

    @Test
    void underscoreTranslatesInTheRequestsLocaleWithPluralsAndIsEscaped() throws Exception {
        try (InMemoryClient client = new InMemoryClient(app())) {
            TestResponse fr = client.fetch(TestRequest.get("/i18n/3").header("Accept-Language", "fr-FR,fr;q=0.9"));
            assertThat(fr.text()).isEqualTo("fr_FR|Se déconnecter|%(n)d commentaires|Publier|&lt;i&gt;");
            TestResponse one = client.fetch(TestRequest.get("/i18n/1").header("Accept-Language", "fr-fr"));
            assertThat(one.text()).isEqualTo("fr_FR|Se déconnecter|%(n)d commentaire|Publier|&lt;i&gt;");
            TestResponse en = client.fetch(TestRequest.get("/i18n/2").header("Accept-Language", "de"));
            assertThat(en.text()).isEqualTo("en_US|Sign out|%(n)d comments|Post|&lt;b&gt;");
        }
    }
}
