package io.gale.locale;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Jazzer fuzz targets for the locale parsers that read bytes Gale does not control: the
 * Accept-Language chooser (every request), and the .mo, .po and CSV readers and the plural-forms
 * evaluator (translation files). Under {@code mvn test} they replay the seeds in
 * {@code src/test/resources/io/gale/locale/LocaleFuzzTestInputs/<target>/}; see docs/testing.md
 * to fuzz for real. The only acceptable outcomes: a value, or a {@link TranslationFormatException}.
 */
class LocaleFuzzTest {
    private static final Locales LOCALES;

    static {
        try {
            LOCALES = Locales.loadTranslations(TestCatalogues.csvDir()).withDefaultLocale("en");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Accept-Language field values: always a supported locale. */
    @FuzzTest(maxDuration = "30s")
    void acceptLanguage(FuzzedDataProvider data) {
        String first = data.consumeString(4096);
        String second = data.consumeRemainingAsString();
        Locale l = LOCALES.fromAcceptLanguage(List.of(first, second), "en_US");
        assertThat(LOCALES.supportedLocales()).contains(l.code());
        assertThat(LOCALES.get(first.split(",")).code()).isIn(LOCALES.supportedLocales());
    }

    /** Compiled gettext catalogues. */
    @FuzzTest(maxDuration = "30s")
    void moParser(FuzzedDataProvider data) {
        long count = data.consumeLong();
        byte[] bytes = data.consumeRemainingAsBytes();
        try {
            GettextCatalog c = MoParser.parse(bytes, "fuzz.mo");
            c.translate("a", "b", count);
            c.pgettext("c", "a", "b", count);
        } catch (TranslationFormatException expected) {
            assertThat(expected.getMessage()).startsWith("fuzz.mo");
        }
    }

    /** Source gettext catalogues. */
    @FuzzTest(maxDuration = "30s")
    void poParser(FuzzedDataProvider data) {
        long count = data.consumeLong();
        byte[] bytes = data.consumeRemainingAsBytes();
        try {
            GettextCatalog c = PoParser.parse(bytes, "fuzz.po");
            c.translate("a", "b", count);
        } catch (TranslationFormatException expected) {
            assertThat(expected.getMessage()).startsWith("fuzz.po");
        }
    }

    /** Tornado's CSV translation files, in a detected or a given encoding. */
    @FuzzTest(maxDuration = "30s")
    void csvParser(FuzzedDataProvider data) {
        boolean latin1 = data.consumeBoolean();
        byte[] bytes = data.consumeRemainingAsBytes();
        try {
            CsvParser.parse(bytes, latin1 ? StandardCharsets.ISO_8859_1 : null, "fuzz.csv").translate("a", "b", 2);
        } catch (TranslationFormatException expected) {
            assertThat(expected.getMessage()).startsWith("fuzz.csv");
        }
    }

    /** Plural-Forms expressions, evaluated for a count. */
    @FuzzTest(maxDuration = "30s")
    void pluralForms(FuzzedDataProvider data) {
        long n = data.consumeLong();
        String expression = data.consumeRemainingAsString();
        try {
            PluralForms p = PluralForms.fromHeader("nplurals=2; plural=" + expression);
            assertThat(p.index(n)).isGreaterThanOrEqualTo(-1);
        } catch (TranslationFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
