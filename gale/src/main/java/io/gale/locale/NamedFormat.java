package io.gale.locale;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * Python's {@code "%(name)s" % mapping}, which Tornado's translated strings use for their
 * placeholders ({@code _("%(name)s liked this") % {"name": n}}); the same message files work
 * in Gale:
 *
 * <pre>{@code
 * String msg = NamedFormat.format(locale.translate("%(name)s liked this"), Map.of("name", user));
 * }</pre>
 *
 * <p>Understood: {@code %%}, and {@code %(key)} followed by optional flags {@code -} (left
 * align) and {@code 0} (zero pad), an optional width, and the conversion {@code s} (the value's
 * {@code String.valueOf}) or {@code d}/{@code i} (a number as an integer, truncated as Python's
 * {@code int()}). Since translators edit these strings, a placeholder that is malformed, uses
 * another conversion or names a missing key is kept as it is instead of failing (where Python
 * raises). Stateless and thread-safe.
 */
public final class NamedFormat {
    private NamedFormat() {
    }

    /**
     * {@code template} with its {@code %(key)s}/{@code %(key)d} placeholders filled from {@code values}.
     *
     * @param template the template
     * @param values the values
     * @return the string
     */
    public static String format(String template, Map<String, ?> values) {
        int pct = template.indexOf('%');
        if (pct < 0) {
            return template;
        }
        StringBuilder out = new StringBuilder(template.length() + 16).append(template, 0, pct);
        int i = pct;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            int next = placeholder(template, i, values, out);
            if (next < 0) {
                out.append('%');
                i++;
            } else {
                i = next;
            }
        }
        return out.toString();
    }

    /** Formats the placeholder at {@code at} into {@code out}; returns the index after it, or -1 if it is not one. */
    private static int placeholder(String t, int at, Map<String, ?> values, StringBuilder out) {
        int i = at + 1;
        if (i < t.length() && t.charAt(i) == '%') {
            out.append('%');
            return i + 1;
        }
        if (i >= t.length() || t.charAt(i) != '(') {
            return -1;
        }
        int close = t.indexOf(')', i);
        if (close < 0) {
            return -1;
        }
        String key = t.substring(i + 1, close);
        i = close + 1;
        boolean left = false;
        boolean zero = false;
        while (i < t.length() && (t.charAt(i) == '-' || t.charAt(i) == '0')) {
            left |= t.charAt(i) == '-';
            zero |= t.charAt(i) == '0';
            i++;
        }
        int width = 0;
        while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9' && width < 1000) {
            width = width * 10 + (t.charAt(i++) - '0');
        }
        if (i >= t.length() || "sdi".indexOf(t.charAt(i)) < 0 || !values.containsKey(key)) {
            return -1;
        }
        char conversion = t.charAt(i);
        Object value = values.get(key);
        String text;
        if (conversion == 's') {
            text = String.valueOf(value);
            zero = false;
        } else {
            BigInteger n = integer(value);
            if (n == null) {
                return -1;
            }
            text = n.toString();
        }
        int pad = width - text.length();
        if (pad <= 0) {
            out.append(text);
        } else if (left) {
            out.append(text).repeat(' ', pad);
        } else if (zero) {
            int sign = text.startsWith("-") ? 1 : 0;
            out.append(text, 0, sign).repeat('0', pad).append(text, sign, text.length());
        } else {
            out.repeat(' ', pad).append(text);
        }
        return i + 1;
    }

    private static BigInteger integer(Object value) {
        if (value instanceof BigInteger b) {
            return b;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigInteger.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigDecimal d) {
            return d.toBigInteger();
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? new BigDecimal(d).toBigInteger() : null;
        }
        return null;
    }
}
