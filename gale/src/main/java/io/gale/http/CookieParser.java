package io.gale.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Browser-compatible {@code Cookie} request header parsing, Tornado's {@code parse_cookie}.
 *
 * <p>Stateless and thread-safe. Every character is visited a bounded number of times: Tornado
 * once unquoted values with repeated regex searches and string rebuilds, which made a crafted
 * header cost quadratic time (CVE-2024-7592). Here each chunk is scanned once for its
 * {@code =}, and a quoted value is unescaped in one pass.
 */
final class CookieParser {
    private CookieParser() {}

    static Map<String, String> parse(String header) {
        Map<String, String> cookies = new LinkedHashMap<>();
        if (header == null) return cookies;
        int n = header.length();
        int start = 0;
        while (start <= n) {
            int semi = header.indexOf(';', start);
            if (semi < 0) semi = n;
            int eq = -1;
            for (int i = start; i < semi; i++) {
                if (header.charAt(i) == '=') {
                    eq = i;
                    break;
                }
            }
            // A chunk without '=' is a value with an empty name (Mozilla bug 169091); Tornado
            // keeps it under "", but a nameless cookie cannot be addressed, so it is dropped.
            if (eq >= 0) {
                int ks = skipSpace(header, start, eq);
                int ke = trimSpace(header, ks, eq);
                if (ke > ks) {
                    int vs = skipSpace(header, eq + 1, semi);
                    int ve = trimSpace(header, vs, semi);
                    // Later duplicates replace earlier values but keep the first position,
                    // exactly as Tornado's dict does.
                    cookies.put(header.substring(ks, ke), unquote(header, vs, ve));
                }
            }
            start = semi + 1;
        }
        return cookies;
    }

    /**
     * Python's {@code http.cookies._unquote}: a value wrapped in double quotes loses them, and
     * inside, {@code \ooo} (three octal digits) is that byte as a character and {@code \c} is
     * {@code c}. Anything else is returned as is.
     */
    static String unquote(String s, int from, int to) {
        if (to - from < 2 || s.charAt(from) != '"' || s.charAt(to - 1) != '"') return s.substring(from, to);
        from++;
        to--;
        int bs = s.indexOf('\\', from);
        if (bs < 0 || bs >= to) return s.substring(from, to);
        StringBuilder sb = new StringBuilder(to - from);
        sb.append(s, from, bs);
        int i = bs;
        while (i < to) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= to) {
                sb.append(c);
                i++;
            } else if (i + 3 < to && octal(s.charAt(i + 1)) && octal(s.charAt(i + 2)) && octal(s.charAt(i + 3))
                    && s.charAt(i + 1) <= '3') {
                sb.append((char) (((s.charAt(i + 1) - '0') << 6) | ((s.charAt(i + 2) - '0') << 3) | (s.charAt(i + 3) - '0')));
                i += 4;
            } else {
                sb.append(s.charAt(i + 1));
                i += 2;
            }
        }
        return sb.toString();
    }

    private static boolean octal(char c) {
        return c >= '0' && c <= '7';
    }

    /** Python's {@code str.strip()} for the characters that can occur in a header. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
    }

    private static int skipSpace(String s, int i, int end) {
        while (i < end && isSpace(s.charAt(i))) i++;
        return i;
    }

    private static int trimSpace(String s, int from, int end) {
        while (end > from && isSpace(s.charAt(end - 1))) end--;
        return end;
    }
}
