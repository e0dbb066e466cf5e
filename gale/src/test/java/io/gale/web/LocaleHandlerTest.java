package io.gale.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServer;
import io.gale.locale.Locale;
import io.gale.locale.Locales;
import io.gale.testing.InMemoryClient;
import io.gale.testing.TestRequest;
import io.gale.testing.TestResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RequestHandler.locale(): Accept-Language over a real socket, getUserLocale, setLocale. */
@Timeout(60)
class LocaleHandlerTest {
    static final Instant NOW = Instant.parse("2025-01-15T17:20:30Z");
    static final AtomicInteger userLocaleCalls = new AtomicInteger();
    static HttpServer server;
    static Application app;
    static String base;
    static final HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Says, in the request's language, when something happened. */
    public static final class HomeHandler extends RequestHandler {
        public void get() {
            Locale l = locale();
            write(l.code() + "|" + l.translate("Sign out") + "|" + l.formatDate(NOW.minusSeconds(86_400)) + "|"
                    + (locale() == l));
        }
    }

    /** A stored user preference wins over the browser's (?lang= stands in for a user record). */
    public static final class UserHandler extends RequestHandler {
        @Override
        protected Locale getUserLocale() {
            userLocaleCalls.incrementAndGet();
            String lang = getArgument("lang", null);
            return lang == null ? null : settings().locales().get(lang);
        }

        public void get() {
            write(locale().code() + "," + locale().code() + "," + getBrowserLocale().code());
        }
    }

    /** Sets the locale explicitly (Tornado: self.locale = ...). */
    public static final class ForcedHandler extends RequestHandler {
        @Override
        protected void prepare() {
            setLocale(settings().locales().get("zh_CN"));
        }

        public void get() {
            write(locale().translate("Sign out"));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Path catalogues = Path.of(LocaleHandlerTest.class.getResource("/io/gale/locale/README.md").toURI()).getParent();
        Locales locales = Locales.loadGettextTranslations(catalogues.resolve("gettext"), "gale")
                .withClock(Clock.fixed(NOW, ZoneOffset.UTC));
        app = new Application(List.of(Route.url("/", HomeHandler.class), Route.url("/user", UserHandler.class),
                Route.url("/forced", ForcedHandler.class)), ApplicationSettings.builder().locales(locales).build());
        server = app.listen(0, "127.0.0.1");
        base = "http://127.0.0.1:" + server.boundPorts().get(0);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static String get(String path, String acceptLanguage) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (acceptLanguage != null) {
            b.header("Accept-Language", acceptLanguage);
        }
        var r = jdk.send(b.build(), BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void browserLocaleOverASocket() throws Exception {
        assertThat(get("/", "fr-FR,fr;q=0.9,en;q=0.8")).isEqualTo("fr_FR|Se d\u00e9connecter|hier \u00e0 17:20|true");
        assertThat(get("/", "de-DE, es-ES;q=0.5, zh-CN;q=0.7"))
                .isEqualTo("zh_CN|\u9000\u51fa|\u6628\u5929 \u4e0b\u53485:20|true");
        assertThat(get("/", "es-es")).isEqualTo("es_ES|Cerrar sesi\u00f3n|ayer a las 17:20|true");
        assertThat(get("/", "en-GB")).isEqualTo("en_GB|Log out|yesterday at 17:20|true");
        assertThat(get("/", null)).isEqualTo("en_US|Sign out|yesterday at 5:20 pm|true");
        assertThat(get("/", "pt-BR")).isEqualTo("en_US|Sign out|yesterday at 5:20 pm|true");
    }

    @Test
    void hostileHeadersGiveTheDefaultLocale() throws Exception {
        // 4,000 ranges (52 KB, under the server's 64 KiB header limit), then invalid q-values.
        assertThat(get("/", "xx-YY;q=0.5, ".repeat(4000) + "fr-FR")).startsWith("en_US|");
        assertThat(get("/", "fr-FR;q=abc, es-ES;q=2, zh-CN;q=-1, en-GB;q=NaN")).startsWith("en_US|");
        // 10,000 ranges in memory (no socket header limit there).
        try (InMemoryClient client = new InMemoryClient(app)) {
            TestResponse r = client.fetch(TestRequest.get("/").header("Accept-Language", "xx-YY;q=0.5, ".repeat(10_000)));
            assertThat(r.text()).startsWith("en_US|");
            TestResponse two = client.fetch(TestRequest.get("/").header("Accept-Language", "de")
                    .header("Accept-Language", "es-ES;q=0.5"));
            assertThat(two.text()).as("every Accept-Language field counts").startsWith("es_ES|");
        }
    }

    @Test
    void userLocaleWinsAndIsAskedOnce() throws Exception {
        userLocaleCalls.set(0);
        assertThat(get("/user?lang=pl-PL", "fr-FR")).isEqualTo("pl_PL,pl_PL,fr_FR");
        assertThat(userLocaleCalls.get()).isEqualTo(1);
        assertThat(get("/user", "fr-FR")).isEqualTo("fr_FR,fr_FR,fr_FR");
        assertThat(get("/forced", "fr-FR")).isEqualTo("\u9000\u51fa");
    }

    @Test
    void defaultSettingsKnowOnlyEnglish() {
        Application plain = new Application(List.of(Route.url("/", HomeHandler.class)));
        try (InMemoryClient client = new InMemoryClient(plain)) {
            assertThat(client.fetch(TestRequest.get("/").header("Accept-Language", "fr-FR")).text())
                    .startsWith("en_US|Sign out|");
        }
        assertThat(ApplicationSettings.defaults().locales()).isSameAs(Locales.defaults());
        assertThat(ApplicationSettings.builder().locales(app.settings().locales()).build().toBuilder().build().locales())
                .isSameAs(app.settings().locales());
    }
}
