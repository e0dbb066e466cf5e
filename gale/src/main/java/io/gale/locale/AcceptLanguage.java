package io.gale.locale;

import java.util.List;

/**
 * Chooses a locale from {@code Accept-Language} field values (RFC 9110 section 12.5.4) as
 * Tornado's {@code get_browser_locale} does: the language ranges are tried by quality, highest
 * first and, at equal quality, in the order sent; the first one the application supports (fully,
 * {@code fr-CA} as {@code fr_CA}, or by its language, {@code fr}) wins. A range with quality 0, or
 * with a quality that is not an RFC {@code qvalue} (0 to 1 with at most three decimals; Tornado
 * would accept {@code q=2}, {@code q=1e3} or {@code q=inf}), is ignored; {@code *} matches
 * nothing, as in Tornado.
 *
 * <p>Bounded for hostile headers: one pass, no sorting, no splitting into arrays; at most
 * {@link LocaleLimits#MAX_ACCEPT_LANGUAGE_RANGES} ranges are looked at (later ones are ignored),
 * a tag longer than {@link LocaleLimits#MAX_LANGUAGE_TAG_LENGTH} is ignored, and a lookup
 * allocates only the normalised tag. The pass stops at the first supported range of quality 1,
 * which nothing after it can beat. Stateless and thread-safe.
 */
final class AcceptLanguage {
    private AcceptLanguage() {
    }

    /**
     * The best supported locale of the field values. When none is supported: the default locale
     * of {@code locales} if some range had a quality above 0, else the closest locale to
     * {@code defaultCode} (Tornado's two fallbacks).
     */
    static Locale choose(List<String> values, Locales locales, String defaultCode) {
        Locale best = null;
        int bestQ = 0;
        int ranges = 0;
        boolean anyRange = false;
        for (String v : values) {
            int pos = 0;
            int n = v.length();
            while (pos <= n && ranges < LocaleLimits.MAX_ACCEPT_LANGUAGE_RANGES) {
                int comma = v.indexOf(',', pos);
                int end = comma < 0 ? n : comma;
                int start = skipBlanks(v, pos, end);
                pos = end + 1;
                if (start == end) {
                    // An empty list element (RFC 9110 allows them): no range to look at, but Tornado
                    // counts it as one of quality 1 that matches nothing, which picks the fallback.
                    anyRange = true;
                    continue;
                }
                ranges++;
                int semi = indexOf(v, ';', start, end);
                int tagEnd = semi < 0 ? end : semi;
                int q = semi < 0 ? 1000 : quality(v, semi, end);
                anyRange |= q > 0;
                if (q <= bestQ) {
                    continue; // ignored (q=0 or invalid), or an earlier range already wins
                }
                int tagLast = trimEnd(v, start, tagEnd);
                if (tagLast - start > LocaleLimits.MAX_LANGUAGE_TAG_LENGTH || tagLast == start) {
                    continue;
                }
                Locale match = locales.match(v.substring(start, tagLast));
                if (match != null) {
                    best = match;
                    bestQ = q;
                    if (q == 1000) {
                        return best;
                    }
                }
            }
        }
        return best != null ? best : anyRange ? locales.defaultLocale() : locales.get(defaultCode);
    }

    private static int indexOf(String s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private static int skipBlanks(String s, int from, int to) {
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        return from;
    }

    private static int trimEnd(String s, int from, int to) {
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return to;
    }

    /**
     * The quality in thousandths from the parameters in {@code s[semi, end)}: the first
     * {@code q=} parameter's value if it is a valid qvalue, 0 if it is not; 1000 without one.
     */
    static int quality(String s, int semi, int end) {
        int p = semi;
        while (p < end) {
            int start = skipBlanks(s, p + 1, end);
            int next = indexOf(s, ';', start, end);
            int paramEnd = next < 0 ? end : next;
            if (paramEnd - start >= 2 && (s.charAt(start) == 'q' || s.charAt(start) == 'Q') && s.charAt(start + 1) == '=') {
                return qvalue(s, start + 2, trimEnd(s, start + 2, paramEnd));
            }
            p = paramEnd;
        }
        return 1000;
    }

    /** RFC 9110's {@code qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )} in thousandths; 0 if invalid. */
    static int qvalue(String s, int from, int to) {
        int len = to - from;
        if (len < 1 || len > 5) {
            return 0;
        }
        char first = s.charAt(from);
        if (first != '0' && first != '1') {
            return 0;
        }
        if (len > 1 && s.charAt(from + 1) != '.') {
            return 0;
        }
        int value = 0;
        int scale = 100;
        for (int i = from + 2; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9' || (first == '1' && c != '0')) {
                return 0;
            }
            value += (c - '0') * scale;
            scale /= 10;
        }
        return first == '1' ? 1000 : value;
    }
}
