package io.gale.locale;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Choosing a locale from Accept-Language, including hostile headers. */
@Timeout(60)
class AcceptLanguageTest {
    static Locales locales;

    @BeforeAll
    static void load() throws Exception {
        locales = Locales.loadTranslations(TestCatalogues.csvDir()); // en_GB es_ES fa_IR fr_FR zh_CN + en_US
    }

    private static String choose(String header) {
        return locales.fromAcceptLanguage(header, "en_US").code();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "fr-FR,fr;q=0.9,en;q=0.8|fr_FR",
            "de-DE, es-es;q=0.7, zh-CN;q=0.8|zh_CN",
            "en-GB;q=0.5, es-ES;q=0.9|es_ES",
            "es-ES;q=0.5, fr-FR;q=0.5|es_ES",
            "fr-FR;q=0, es-ES;q=0.001|es_ES",
            "  fr-FR ;  q=0.5 , es-ES;q=0.4|fr_FR",
            "fr-FR;Q=0.5, es-ES;q=0.4|fr_FR",
            "fr-FR;level=1;q=0.2, es-ES;q=0.3|es_ES",
            "fr-FR;q=1.000, es-ES|fr_FR",
            "fr-FR;q=0.5, es-ES;q=1.0|es_ES",
            "*, fr-FR;q=0.1|fr_FR",
            ",,, ,fr-FR,,|fr_FR",
            "zh-Hans-CN, zh-CN;q=0.9|zh_CN",
            "fr-FR;q=1.5, es-ES;q=0.1|es_ES",
            "fr-FR;q=2, es-ES;q=0.1|es_ES",
            "fr-FR;q=-1, es-ES;q=0.1|es_ES",
            "fr-FR;q=abc, es-ES;q=0.1|es_ES",
            "fr-FR;q=1e3, es-ES;q=0.1|es_ES",
            "fr-FR;q=inf, es-ES;q=0.1|es_ES",
            "fr-FR;q=NaN, es-ES;q=0.1|es_ES",
            "fr-FR;q=0.0001, es-ES;q=0.1|es_ES",
            "fr-FR;q=.5, es-ES;q=0.1|es_ES",
            "fr-FR;q=, es-ES;q=0.1|es_ES",
            "fr-FR;q=1.01, es-ES;q=0.1|es_ES",
            "fr-FR;q= 0.5, es-ES;q=0.1|es_ES",
            "fr-FR;q=0.5 , es-ES;q=0.1|fr_FR",
    })
    void choice(String header, String expected) {
        assertThat(choose(header)).isEqualTo(expected);
    }

    @Test
    void fallbacks() {
        Locales fr = locales.withDefaultLocale("fr_FR");
        // No header, or no range with a quality above 0: the closest locale to the default argument.
        assertThat(fr.fromAcceptLanguage((String) null, "en_US").code()).isEqualTo("fr_FR");
        assertThat(fr.fromAcceptLanguage((String) null, "en-GB").code()).isEqualTo("en_GB");
        assertThat(fr.fromAcceptLanguage("de;q=0", "en_GB").code()).isEqualTo("en_GB");
        // An empty field value counts as a range that matches nothing, as in Tornado.
        assertThat(fr.fromAcceptLanguage("", "en_GB").code()).isEqualTo("fr_FR");
        // Ranges, none supported: the locales' default (Tornado's locale.get(*codes)).
        assertThat(fr.fromAcceptLanguage("de, it", "en_GB").code()).isEqualTo("fr_FR");
        assertThat(fr.fromAcceptLanguage(List.of("de", "es-ES;q=0.2"), "en_GB").code()).as("several fields").isEqualTo("es_ES");
        assertThat(fr.fromAcceptLanguage(List.of(), "en_GB").code()).isEqualTo("en_GB");
    }

    @Test
    void longTagsAreIgnored() {
        assertThat(choose("fr-FR" + "x".repeat(60) + ", es-ES;q=0.2")).isEqualTo("es_ES");
        assertThat(choose("fr-" + "FR".repeat(40))).isEqualTo("en_US");
    }

    @Test
    void tenThousandRanges() {
        String junk = "xx-YY;q=0.5, ".repeat(10_000);
        assertThat(choose(junk)).isEqualTo("en_US");
        assertThat(choose("fr-FR;q=abc, ".repeat(10_000))).isEqualTo("en_US");
        assertThat(choose(";;;;,".repeat(10_000))).isEqualTo("en_US");
        assertThat(choose("es-ES;q=0.1, " + junk)).as("within the first 100 ranges").isEqualTo("es_ES");
        assertThat(choose("xx;q=0.5, ".repeat(99) + "es-ES;q=0.1, " + junk)).isEqualTo("es_ES");
        assertThat(choose("xx;q=0.5, ".repeat(100) + "es-ES")).as("the 101st range is not looked at").isEqualTo("en_US");
        assertThat(choose(",".repeat(60_000) + "es-ES")).as("empty elements are not ranges").isEqualTo("es_ES");
    }

    @Test
    void allocationIsBoundedWhateverTheHeader() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<String> headers = List.of("xx-YY;q=0.5, ".repeat(10_000), "fr-FR;q=abc, ".repeat(10_000),
                "a".repeat(60_000), ";".repeat(60_000), ("de-DE-x-" + "y".repeat(40) + ",").repeat(1000));
        for (String h : headers) {
            for (int i = 0; i < 200; i++) {
                choose(h); // warm up: class loading and compilation allocate too
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            String code = choose(h);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(code).isEqualTo("en_US");
            // At most 100 looked-up tags of at most 64 chars, a few strings each: well under 64 KiB.
            assertThat(allocated).as("bytes allocated for a " + h.length() + "-char header").isLessThan(64 * 1024);
        }
    }

    @Test
    void qvalues() {
        assertThat(AcceptLanguage.qvalue("1", 0, 1)).isEqualTo(1000);
        assertThat(AcceptLanguage.qvalue("1.", 0, 2)).isEqualTo(1000);
        assertThat(AcceptLanguage.qvalue("0.5", 0, 3)).isEqualTo(500);
        assertThat(AcceptLanguage.qvalue("0.05", 0, 4)).isEqualTo(50);
        assertThat(AcceptLanguage.qvalue("0.123", 0, 5)).isEqualTo(123);
        assertThat(AcceptLanguage.qvalue("0", 0, 1)).isZero();
        assertThat(AcceptLanguage.qvalue("0.1234", 0, 6)).isZero();
        assertThat(AcceptLanguage.qvalue("1.001", 0, 5)).isZero();
        assertThat(AcceptLanguage.qvalue("01", 0, 2)).isZero();
    }
}
