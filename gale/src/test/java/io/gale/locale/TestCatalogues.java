package io.gale.locale;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the test catalogues are (src/test/resources/io/gale/locale, see its README.md). */
final class TestCatalogues {
    /** The locales with both a CSV file and a gettext catalogue. */
    static final List<String> BOTH = List.of("en_GB", "es_ES", "fa_IR", "fr_FR", "zh_CN");
    /** The locales with a gettext catalogue. */
    static final List<String> GETTEXT = List.of("en_GB", "es_ES", "fa_IR", "fr_FR", "pl_PL", "zh_CN");

    private TestCatalogues() {
    }

    static Path root() {
        try {
            return Path.of(TestCatalogues.class.getResource("/io/gale/locale/README.md").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path csvDir() {
        return root().resolve("csv");
    }

    static Path gettextDir() {
        return root().resolve("gettext");
    }

    static byte[] po(String code) throws IOException {
        return Files.readAllBytes(gettextDir().resolve(code).resolve("LC_MESSAGES/gale.po"));
    }

    static byte[] mo(String code) throws IOException {
        return Files.readAllBytes(gettextDir().resolve(code).resolve("LC_MESSAGES/gale.mo"));
    }

    static byte[] csv(String code) throws IOException {
        return Files.readAllBytes(csvDir().resolve(code + ".csv"));
    }
}
