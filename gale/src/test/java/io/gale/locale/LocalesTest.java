package io.gale.locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Loading, choosing and using locales (the breadth of formatting is in TornadoLocaleInteropTest). */
@Timeout(60)
class LocalesTest {
    /** Wednesday 2025-01-15 17:20:30 UTC. */
    static final Instant NOW = Instant.parse("2025-01-15T17:20:30Z");

    static Locales csv() throws Exception {
        return Locales.loadTranslations(TestCatalogues.csvDir()).withClock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static Locales gettext() throws Exception {
        return Locales.loadGettextTranslations(TestCatalogues.gettextDir(), "gale").withClock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void defaultsKnowOnlyEnglish() {
        Locales d = Locales.defaults();
        assertThat(d.supportedLocales()).containsExactly("en_US");
        assertThat(d.get("fr_FR", "de").code()).isEqualTo("en_US");
        assertThat(d.get().code()).isEqualTo("en_US");
        assertThat(d.defaultLocale().translate("Sign out")).isEqualTo("Sign out");
        assertThat(d.defaultLocale().name()).isEqualTo("English (US)");
    }

    @Test
    void closestMatch() throws Exception {
        Locales l = csv();
        assertThat(l.supportedLocales()).containsExactlyInAnyOrder("en_GB", "es_ES", "fa_IR", "fr_FR", "zh_CN", "en_US");
        assertThat(l.get("fr-fr").code()).isEqualTo("fr_FR");
        assertThat(l.get("FR_fr").code()).isEqualTo("fr_FR");
        assertThat(l.get("fr").code()).as("a language does not match its regions, as in Tornado").isEqualTo("en_US");
        assertThat(l.get("zh-Hans-CN", "es-ES").code()).as("three parts are skipped").isEqualTo("es_ES");
        assertThat(l.get(null, "", "xx", "zh_CN").code()).isEqualTo("zh_CN");
        assertThat(l.getClosest("en").code()).isEqualTo("en_US");
        assertThat(l.get("en_AU").code()).as("unsupported: the default").isEqualTo("en_US");

        Locales withLanguages = l.withDefaultLocale("es");
        assertThat(withLanguages.supportedLocales()).contains("es");
        assertThat(withLanguages.get("es-MX").code()).as("es_MX falls back to its language").isEqualTo("es");
        assertThat(withLanguages.get("de").code()).isEqualTo("es");
        assertThat(withLanguages.get("ES").code()).isEqualTo("es");
    }

    @Test
    void namesAndDirection() throws Exception {
        Locales l = csv();
        assertThat(l.get("fr_FR").name()).isEqualTo("Fran\u00e7ais");
        assertThat(l.get("zh_CN").name()).isEqualTo("\u4e2d\u6587(\u7b80\u4f53)");
        assertThat(l.get("fa_IR").rtl()).isTrue();
        assertThat(l.get("fr_FR").rtl()).isFalse();
        assertThat(l.withDefaultLocale("xx_YY").defaultLocale().name()).isEqualTo("Unknown");
        assertThat(l.withDefaultLocale("he_IL").defaultLocale().rtl()).isTrue();
        assertThat(l.get("fr_FR")).hasToString("fr_FR");
    }

    @Test
    void translateCsvAndGettext() throws Exception {
        for (Locales l : List.of(csv(), gettext())) {
            Locale fr = l.get("fr_FR");
            Locale es = l.get("es_ES");
            Locale zh = l.get("zh_CN");
            Locale en = l.get("en_US");
            assertThat(fr.translate("Sign out")).isEqualTo("Se d\u00e9connecter");
            assertThat(es.translate("Sign out")).isEqualTo("Cerrar sesi\u00f3n");
            assertThat(zh.translate("Sign out")).isEqualTo("\u9000\u51fa");
            assertThat(l.get("en_GB").translate("Sign out")).isEqualTo("Log out");
            assertThat(en.translate("Sign out")).isEqualTo("Sign out");
            assertThat(es.translate("%(n)d comment", "%(n)d comments", 1)).isEqualTo("%(n)d comentario");
            assertThat(es.translate("%(n)d comment", "%(n)d comments", 3)).isEqualTo("%(n)d comentarios");
            assertThat(en.translate("%(n)d comment", "%(n)d comments", 3)).isEqualTo("%(n)d comments");
            assertThat(NamedFormat.format(es.translate("%(name)s liked this", "%(name)s liked this", 2),
                    Map.of("name", "Ana y Luis"))).isEqualTo("A Ana y Luis les gust\u00f3 esto");
        }
        // Where the formats differ: French zero (CSV: count != 1 is plural; gettext: n > 1), contexts.
        assertThat(csv().get("fr_FR").translate("%(n)d comment", "%(n)d comments", 0)).isEqualTo("%(n)d commentaires");
        assertThat(gettext().get("fr_FR").translate("%(n)d comment", "%(n)d comments", 0)).isEqualTo("%(n)d commentaire");
        assertThat(csv().get("fr_FR").pgettext("law", "right")).isEqualTo("right");
        assertThat(gettext().get("fr_FR").pgettext("law", "right")).isEqualTo("droit");
        Locale pl = gettext().get("pl_PL");
        assertThat(List.of(1, 2, 5, 22, 25).stream().map(n -> pl.translate("%(n)d comment", "%(n)d comments", n)).toList())
                .containsExactly("%(n)d komentarz", "%(n)d komentarze", "%(n)d komentarzy", "%(n)d komentarze",
                        "%(n)d komentarzy");
    }

    @Test
    void formatDateExamples() throws Exception {
        Locales l = csv();
        Locale en = l.get("en_US");
        assertThat(en.formatDate(NOW.minusSeconds(3 * 60))).isEqualTo("3 minutes ago");
        assertThat(en.formatDate(NOW.minusSeconds(1))).isEqualTo("1 second ago");
        assertThat(en.formatDate(NOW.minusSeconds(90))).isEqualTo("2 minutes ago"); // 1.5 rounds half to even
        assertThat(en.formatDate(NOW.minusSeconds(150))).isEqualTo("2 minutes ago"); // 2.5 too
        assertThat(en.formatDate(NOW.minusSeconds(86_400))).isEqualTo("yesterday at 5:20 pm");
        assertThat(en.formatDate(NOW.minusSeconds(86_400), 0, true, true, false)).isEqualTo("yesterday");
        assertThat(en.formatDate(NOW.minusSeconds(3 * 86_400))).isEqualTo("Sunday at 5:20 pm");
        assertThat(en.formatDate(NOW.minusSeconds(3 * 60), 0, false, false, false)).isEqualTo("5:17 pm");
        assertThat(en.formatDate(NOW, 0, true, false, true)).isEqualTo("January 15, 2025 at 5:20 pm");
        assertThat(en.formatDate(NOW.minusSeconds(100 * 86_400), 300, true, false, false)).isEqualTo("October 7 at 12:20 pm");
        assertThat(l.get("fr_FR").formatDate(NOW.minusSeconds(86_400))).isEqualTo("hier \u00e0 17:20");
        assertThat(l.get("zh_CN").formatDate(NOW.minusSeconds(86_400))).isEqualTo("\u6628\u5929 \u4e0b\u53485:20");
        assertThat(l.get("es_ES").formatDate(NOW.minusSeconds(400 * 86_400))).isEqualTo("12 de diciembre de 2023 a las 17:20");
        assertThat(l.get("fr_FR").formatDay(NOW)).isEqualTo("mercredi 15 janvier");
        assertThat(l.get("fr_FR").formatDay(NOW, -120, false)).isEqualTo("15 janvier");
        assertThat(l.get("zh_CN").formatDay(NOW.minusSeconds(17 * 3600 + 21 * 60))).isEqualTo("\u4e00\u6708\u0031\u0034\u65e5 \u661f\u671f\u4e8c");
    }

    @Test
    void futureDates() throws Exception {
        Locale en = csv().get("en_US");
        assertThat(en.formatDate(NOW.plusSeconds(30))).as("clock skew: now").isEqualTo("0 seconds ago");
        assertThat(en.formatDate(NOW.plusSeconds(61))).isEqualTo("January 15, 2025 at 5:21 pm");
        assertThat(en.formatDate(NOW.plusSeconds(30), 0, false, false, false)).isEqualTo("January 15, 2025 at 5:21 pm");
        // Tornado looks at the seconds part only and would say "0 seconds ago" here.
        assertThat(en.formatDate(NOW.plusSeconds(86_400 + 30))).isEqualTo("January 16, 2025 at 5:21 pm");
    }

    @Test
    void listsAndNumbers() throws Exception {
        Locales l = csv();
        assertThat(l.get("en_US").list(List.of())).isEmpty();
        assertThat(l.get("en_US").list(List.of("A"))).isEqualTo("A");
        assertThat(l.get("en_US").list(List.of("A", "B"))).isEqualTo("A and B");
        assertThat(l.get("fr_FR").list(List.of("A", "B", "C"))).isEqualTo("A, B et C");
        assertThat(l.get("fa_IR").list(List.of("A", "B", "C"))).isEqualTo("A \u0648 B \u0648 C");
        assertThat(l.get("en_US").list(List.of(1, 2))).isEqualTo("1 and 2");
        Locale en = l.get("en_US");
        assertThat(en.friendlyNumber(0)).isEqualTo("0");
        assertThat(en.friendlyNumber(1234567)).isEqualTo("1,234,567");
        assertThat(en.friendlyNumber(-123)).as("Tornado writes -,123").isEqualTo("-123");
        assertThat(en.friendlyNumber(-123456)).isEqualTo("-123,456");
        assertThat(en.friendlyNumber(Long.MIN_VALUE)).isEqualTo("-9,223,372,036,854,775,808");
        assertThat(l.get("fr_FR").friendlyNumber(1234567)).isEqualTo("1234567");
        assertThat(l.withDefaultLocale("en").defaultLocale().friendlyNumber(1000)).isEqualTo("1,000");
    }

    @Test
    void loadingProblems(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("fr_FR.csv"), "\"Yes\",\"Oui\"\n");
        Files.writeString(dir.resolve("French.csv"), "\"Yes\",\"Oui\"\n");   // bad name: skipped
        Files.writeString(dir.resolve("de.txt"), "\"Yes\",\"Ja\"\n");        // not .csv: ignored
        Files.createDirectory(dir.resolve("es.csv"));                          // not a file: ignored
        Locales l = Locales.loadTranslations(dir);
        assertThat(l.supportedLocales()).containsExactlyInAnyOrder("fr_FR", "en_US");
        Files.write(dir.resolve("de_DE.csv"), new byte[] {'"', (byte) 0xff, '"', ',', 'x'});
        assertThatThrownBy(() -> Locales.loadTranslations(dir)).isInstanceOf(TranslationFormatException.class)
                .hasMessageContaining("de_DE.csv: not valid UTF-8");
        assertThat(Locales.loadTranslations(dir, StandardCharsets.ISO_8859_1).get("de_DE").translate("\u00ff"))
                .isEqualTo("x");
        assertThatThrownBy(() -> Locales.loadTranslations(dir.resolve("missing"))).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void gettextLoadingProblems(@TempDir Path dir) throws Exception {
        Path fr = Files.createDirectories(dir.resolve("fr/LC_MESSAGES"));
        Path de = Files.createDirectories(dir.resolve("de/LC_MESSAGES"));
        Path es = Files.createDirectories(dir.resolve("es/LC_MESSAGES"));
        Files.createDirectories(dir.resolve("it"));
        Files.createDirectories(dir.resolve(".hidden/LC_MESSAGES"));
        Files.write(fr.resolve("app.mo"), new MoWriter().utf8Header(null).add("Yes", "Oui").bytes());
        Files.writeString(fr.resolve("app.po"), "msgid \"Yes\"\nmsgstr \"PO LOSES\"\n");
        Files.writeString(de.resolve("app.po"), "msgid \"Yes\"\nmsgstr \"Ja\"\n");
        Files.write(es.resolve("app.mo"), new byte[] {1, 2, 3});
        Files.write(dir.resolve(".hidden/LC_MESSAGES/app.mo"), new MoWriter().add("Yes", "x").bytes());
        Locales l = Locales.loadGettextTranslations(dir, "app");
        assertThat(l.supportedLocales()).containsExactlyInAnyOrder("fr", "de", "en_US");
        assertThat(l.get("fr").translate("Yes")).isEqualTo("Oui");
        assertThat(l.get("de-AT").translate("Yes")).isEqualTo("Ja");
        assertThat(Locales.loadGettextTranslations(dir, "other").supportedLocales()).containsExactly("en_US");
        assertThatThrownBy(() -> Locales.loadGettextTranslations(dir, "../app")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Locales.loadGettextTranslations(dir, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namedFormat() {
        Map<String, Object> v = Map.of("name", "Ana", "n", 7, "big", new java.math.BigInteger("123456789012345678901"),
                "f", 3.9, "neg", -5);
        assertThat(NamedFormat.format("%(name)s has %(n)d, %(n)i", v)).isEqualTo("Ana has 7, 7");
        assertThat(NamedFormat.format("100%% %(big)d %(f)d", v)).isEqualTo("100% 123456789012345678901 3");
        assertThat(NamedFormat.format("[%(n)3d][%(n)-3d][%(n)03d][%(neg)04d][%(name)5s][%(name)-5s]", v))
                .isEqualTo("[  7][7  ][007][-005][  Ana][Ana  ]");
        // Kept as they are: missing keys, other conversions, unclosed, positional, non-numbers for %d.
        assertThat(NamedFormat.format("%(missing)s %(n)x %(name %s %d %(name)d 5%", v))
                .isEqualTo("%(missing)s %(n)x %(name %s %d %(name)d 5%");
        assertThat(NamedFormat.format("plain", v)).isEqualTo("plain");
    }
}
