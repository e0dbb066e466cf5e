package io.gale.locale;

import java.util.List;
import java.util.Map;

/**
 * Translations read from a gettext {@code .mo} or {@code .po} file ({@code GettextLocale}), with
 * the lookups of Python's {@code gettext.GNUTranslations} that Tornado uses:
 * <ul>
 * <li>{@code translate(message)}: the entry without a plural whose msgid is {@code message}, else
 *     {@code message}. (An entry with a plural is not found this way, as in Python.)</li>
 * <li>{@code translate(message, plural, n)}: form {@code rule(n)} of the plural entry of
 *     {@code message}; when there is none, or the rule gives no valid form, {@code message} for
 *     {@code n == 1} and {@code plural} otherwise.</li>
 * <li>{@code pgettext}: the same with the key {@code context + "\u0004" + message}; a missing
 *     singular gives {@code message} untranslated, a missing plural falls back to the plural
 *     lookup without context (Tornado's rules).</li>
 * </ul>
 * The header entry (empty msgid) is not a message: {@code translate("")} is {@code ""}.
 */
final class GettextCatalog implements Catalog {
    /** Joins context and msgid in gettext's keys. */
    static final char CONTEXT_SEPARATOR = '\u0004';

    private final Map<String, String> singular;
    private final Map<String, List<String>> plural;
    private final PluralForms rule;

    GettextCatalog(Map<String, String> singular, Map<String, List<String>> plural, PluralForms rule) {
        this.singular = Map.copyOf(singular);
        this.plural = Map.copyOf(plural);
        this.rule = rule;
    }

    @Override
    public String translate(String message) {
        return singular.getOrDefault(message, message);
    }

    @Override
    public String translate(String message, String pluralMessage, long count) {
        String found = lookupPlural(message, count);
        return found != null ? found : count == 1 ? message : pluralMessage;
    }

    private String lookupPlural(String key, long count) {
        List<String> forms = plural.get(key);
        if (forms == null) {
            return null;
        }
        int i = rule.index(count);
        return i >= 0 && i < forms.size() ? forms.get(i) : null;
    }

    @Override
    public String pgettext(String context, String message) {
        return singular.getOrDefault(context + CONTEXT_SEPARATOR + message, message);
    }

    @Override
    public String pgettext(String context, String message, String pluralMessage, long count) {
        String found = lookupPlural(context + CONTEXT_SEPARATOR + message, count);
        return found != null ? found : translate(message, pluralMessage, count);
    }

    @Override
    public boolean isEmpty() {
        return singular.isEmpty() && plural.isEmpty();
    }

    Map<String, String> singular() {
        return singular;
    }

    Map<String, List<String>> plural() {
        return plural;
    }

    PluralForms rule() {
        return rule;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GettextCatalog g && g.singular.equals(singular) && g.plural.equals(plural)
                && g.rule.equals(rule);
    }

    @Override
    public int hashCode() {
        return singular.hashCode() * 31 + plural.hashCode();
    }

    @Override
    public String toString() {
        return "GettextCatalog[" + singular.size() + " messages, " + plural.size() + " plurals, plural=" + rule + "]";
    }
}
