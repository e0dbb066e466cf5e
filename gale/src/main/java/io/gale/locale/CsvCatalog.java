package io.gale.locale;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * Translations read from Tornado's CSV format ({@code CSVLocale}): three tables by the rows'
 * plural indicator. With a plural message, a count of 1 looks in the "singular" table, any other
 * count in the "plural" table for the plural message; without, the "unknown" table. Contexts
 * are not supported: {@code pgettext} ignores the context (and logs a warning once per
 * catalogue, where Tornado logs on every call).
 */
final class CsvCatalog implements Catalog {
    static final CsvCatalog EMPTY = new CsvCatalog(Map.of(), Map.of(), Map.of());

    private final Map<String, String> singular;
    private final Map<String, String> plural;
    private final Map<String, String> unknown;
    private final AtomicBoolean warned = new AtomicBoolean();

    CsvCatalog(Map<String, String> singular, Map<String, String> plural, Map<String, String> unknown) {
        this.singular = Map.copyOf(singular);
        this.plural = Map.copyOf(plural);
        this.unknown = Map.copyOf(unknown);
    }

    @Override
    public String translate(String message) {
        return unknown.getOrDefault(message, message);
    }

    @Override
    public String translate(String message, String pluralMessage, long count) {
        if (count != 1) {
            return plural.getOrDefault(pluralMessage, pluralMessage);
        }
        return singular.getOrDefault(message, message);
    }

    @Override
    public String pgettext(String context, String message) {
        warnContext();
        return translate(message);
    }

    @Override
    public String pgettext(String context, String message, String pluralMessage, long count) {
        warnContext();
        return translate(message, pluralMessage, count);
    }

    private void warnContext() {
        if (!isEmpty() && warned.compareAndSet(false, true)) {
            LoggerFactory.getLogger("gale.general").warn("pgettext is not supported by CSV translations: "
                    + "the context is ignored");
        }
    }

    @Override
    public boolean isEmpty() {
        return singular.isEmpty() && plural.isEmpty() && unknown.isEmpty();
    }

    /** The three tables, for tests. */
    Map<String, Map<String, String>> tables() {
        return Map.of("singular", singular, "plural", plural, "unknown", unknown);
    }
}
