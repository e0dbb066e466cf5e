package io.gale.http;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parser for {@code value; name=token; name2="quoted \" string"} header values
 * (Content-Type, Content-Disposition). One left-to-right pass, linear in the input.
 *
 * <p>Stateless and thread-safe.
 */
final class HeaderParams {
    private HeaderParams() {}

    static HeaderValue parse(String header) {
        if (header == null) return new HeaderValue("", Map.of());
        int n = header.length();
        int semi = nextSemicolon(header, 0);
        String value = header.substring(0, semi).strip();
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, String> extended = null;
        int i = semi + 1;
        while (i < n) {
            int end = nextSemicolon(header, i);
            int eq = indexOf(header, '=', i, end); // bounded by end: linear even for "a;a;a;..."
            if (eq >= 0) {
                String name = header.substring(i, eq).strip().toLowerCase(Locale.ROOT);
                String raw = header.substring(eq + 1, end).strip();
                if (!name.isEmpty()) {
                    if (name.endsWith("*")) {
                        String decoded = decodeExtended(unquote(raw));
                        if (decoded != null) {
                            if (extended == null) extended = new LinkedHashMap<>();
                            extended.put(name.substring(0, name.length() - 1), decoded);
                        }
                    } else {
                        params.putIfAbsent(name, unquote(raw));
                    }
                }
            }
            // a parameter without '=' carries nothing: skipped, as Tornado and browsers do
            i = end + 1;
        }
        if (extended != null) params.putAll(extended);
        return new HeaderValue(value, params);
    }

    private static int indexOf(String s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) return i;
        }
        return -1;
    }

    /** Index of the next {@code ;} at or after {@code from} outside a quoted-string, or the length. */
    private static int nextSemicolon(String s, int from) {
        boolean quoted = false;
        int n = s.length();
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
            } else if (c == '"') {
                quoted = true;
            } else if (c == ';') {
                return i;
            }
        }
        return n;
    }

    /**
     * Removes the quotes of a quoted-string. Only {@code \"} and {@code \\} are unescaped:
     * browsers do not escape backslashes in multipart filenames (old IE sent
     * {@code filename="C:\dir\a.txt"}), so full quoted-pair unescaping would mangle them.
     */
    static String unquote(String v) {
        if (v.length() < 2 || v.charAt(0) != '"' || v.charAt(v.length() - 1) != '"') return v;
        String inner = v.substring(1, v.length() - 1);
        if (inner.indexOf('\\') < 0) return inner;
        StringBuilder sb = new StringBuilder(inner.length());
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\\' && i + 1 < inner.length()) {
                char next = inner.charAt(i + 1);
                if (next == '"' || next == '\\') {
                    sb.append(next);
                    i++;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Decodes {@code charset'lang'pct-encoded}; {@code null} when malformed or the charset is unknown. */
    private static String decodeExtended(String v) {
        int q1 = v.indexOf('\'');
        int q2 = q1 < 0 ? -1 : v.indexOf('\'', q1 + 1);
        if (q2 < 0) return null;
        Charset cs;
        try {
            String name = v.substring(0, q1);
            cs = name.equalsIgnoreCase("utf-8") ? StandardCharsets.UTF_8 : Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return null;
        }
        byte[] src = v.substring(q2 + 1).getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[src.length];
        try {
            int len = UrlCodec.decode(src, 0, src.length, false, true, out);
            return new String(out, 0, len, cs);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
