package io.gale.locale;

/**
 * The translations of one locale, as {@link Locale} looks them up: Tornado's {@code CSVLocale}
 * or {@code GettextLocale} behaviour. Implementations are immutable and thread-safe.
 */
sealed interface Catalog permits CsvCatalog, GettextCatalog {
    /** The translation of {@code message}, or {@code message} itself. */
    String translate(String message);

    /** The singular or plural translation for {@code count}, or the untranslated form the count selects. */
    String translate(String message, String pluralMessage, long count);

    String pgettext(String context, String message);

    String pgettext(String context, String message, String pluralMessage, long count);

    /** Whether the catalogue holds no translation at all. */
    boolean isEmpty();
}
