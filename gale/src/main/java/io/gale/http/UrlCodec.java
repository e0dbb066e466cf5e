package io.gale.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Percent-encoding (RFC 3986) and {@code application/x-www-form-urlencoded} coding over bytes.
 *
 * <p>Stateless; all methods are thread-safe. Decoding works on byte ranges so that a form body
 * is split and decoded in place, without first turning the whole body into a {@code String}.
 */
final class UrlCodec {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** RFC 3986 unreserved characters: ALPHA / DIGIT / "-" / "." / "_" / "~". */
    private static final boolean[] UNRESERVED = new boolean[128];

    static {
        for (int c = 'a'; c <= 'z'; c++) UNRESERVED[c] = true;
        for (int c = 'A'; c <= 'Z'; c++) UNRESERVED[c] = true;
        for (int c = '0'; c <= '9'; c++) UNRESERVED[c] = true;
        UNRESERVED['-'] = UNRESERVED['.'] = UNRESERVED['_'] = UNRESERVED['~'] = true;
    }

    private UrlCodec() {}

    static String encode(String s, boolean plusForSpace) {
        return encode(s, plusForSpace, false);
    }

    /** As {@link #encode(String, boolean)}, leaving {@code /} as it is when {@code keepSlash} (Python's {@code quote}). */
    static String encode(String s, boolean plusForSpace, boolean keepSlash) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 128 || !(UNRESERVED[c] || (c == '/' && keepSlash))) break;
            i++;
        }
        if (i == n) return s; // common case: nothing to escape, no allocation
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int v = b & 0xff;
            if (v < 128 && (UNRESERVED[v] || (v == '/' && keepSlash))) {
                out.append((char) v);
            } else if (v == ' ' && plusForSpace) {
                out.append('+');
            } else {
                out.append('%').append(HEX[v >>> 4]).append(HEX[v & 0xf]);
            }
        }
        return out.toString();
    }

    /** Encodes pairs as {@code k=v&k2=v2} the way browsers and Python's {@code urlencode} do. */
    static void encodePairs(Iterable<? extends Map.Entry<String, String>> pairs, StringBuilder out) {
        boolean first = true;
        for (Map.Entry<String, String> e : pairs) {
            if (!first) out.append('&');
            first = false;
            out.append(encode(e.getKey(), true)).append('=');
            String v = e.getValue();
            out.append(encode(v == null ? "" : v, true));
        }
    }

    /**
     * Strict decoding of one component: a malformed escape or malformed UTF-8 is an
     * {@link IllegalArgumentException}.
     */
    static String decodeStrict(String s, boolean plusAsSpace) {
        if (s.indexOf('%') < 0 && (!plusAsSpace || s.indexOf('+') < 0)) return s;
        byte[] src = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[src.length];
        int n = decode(src, 0, src.length, plusAsSpace, true, out);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out, 0, n))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("invalid UTF-8 in percent-encoded string");
        }
    }

    /**
     * Lenient decoding of one component to bytes: a malformed escape is kept literally (Python's
     * {@code unquote_to_bytes}); the text is read as UTF-8.
     */
    static byte[] decodeToBytes(String s, boolean plusAsSpace) {
        byte[] src = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[src.length];
        int n = decode(src, 0, src.length, plusAsSpace, false, out);
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /**
     * Lenient decoding of one component: a malformed escape is kept literally and bytes that are
     * not UTF-8 become U+FFFD (Python's {@code unquote}).
     */
    static String decodeLenient(String s, boolean plusAsSpace) {
        if (s.indexOf('%') < 0 && (!plusAsSpace || s.indexOf('+') < 0)) return s;
        byte[] bytes = decodeToBytes(s, plusAsSpace);
        return utf8Lenient(bytes, 0, bytes.length);
    }

    /**
     * UTF-8 with each maximal ill-formed subpart replaced by one U+FFFD (Unicode's recommended
     * practice, which browsers and Python follow). Java's own decoder differs for encoded
     * surrogates ({@code ED A0 80}: one U+FFFD instead of three).
     */
    static String utf8Lenient(byte[] b, int from, int to) {
        StringBuilder out = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            int lead = b[i] & 0xff;
            if (lead < 0x80) {
                out.append((char) lead);
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xbf;
            if (lead >= 0xc2 && lead <= 0xdf) {
                need = 1;
            } else if (lead >= 0xe0 && lead <= 0xef) {
                need = 2;
                if (lead == 0xe0) lo = 0xa0; // no overlong forms
                if (lead == 0xed) hi = 0x9f; // no surrogates
            } else if (lead >= 0xf0 && lead <= 0xf4) {
                need = 3;
                if (lead == 0xf0) lo = 0x90;
                if (lead == 0xf4) hi = 0x8f; // nothing above U+10FFFF
            } else {
                out.append('\ufffd');
                i++;
                continue;
            }
            int cp = lead & (0x3f >> need);
            int j = i + 1;
            int got = 0;
            while (got < need && j < to) {
                int c = b[j] & 0xff;
                if (c < (got == 0 ? lo : 0x80) || c > (got == 0 ? hi : 0xbf)) break;
                cp = (cp << 6) | (c & 0x3f);
                j++;
                got++;
            }
            if (got == need) {
                out.appendCodePoint(cp);
            } else {
                out.append('\ufffd');
            }
            i = j;
        }
        return out.toString();
    }

    /**
     * Percent-decodes {@code src[from, to)} into {@code out} (which must hold {@code to - from}
     * bytes) and returns the decoded length. When not {@code strict}, a malformed escape is kept
     * literally (WHATWG URL and Python's {@code unquote} behave the same way).
     */
    static int decode(byte[] src, int from, int to, boolean plusAsSpace, boolean strict, byte[] out) {
        int n = 0;
        for (int i = from; i < to; i++) {
            byte b = src[i];
            if (b == '%') {
                int hi = i + 2 < to ? hexValue(src[i + 1]) : -1;
                int lo = hi >= 0 ? hexValue(src[i + 2]) : -1;
                if (lo >= 0) {
                    out[n++] = (byte) ((hi << 4) | lo);
                    i += 2;
                    continue;
                }
                if (strict) throw new IllegalArgumentException("malformed percent-escape at index " + (i - from));
                out[n++] = b;
            } else if (b == '+' && plusAsSpace) {
                out[n++] = ' ';
            } else {
                out[n++] = b;
            }
        }
        return n;
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') return b - '0';
        if (b >= 'a' && b <= 'f') return b - 'a' + 10;
        if (b >= 'A' && b <= 'F') return b - 'A' + 10;
        return -1;
    }

    /**
     * Parses {@code application/x-www-form-urlencoded} bytes into {@code into}, keeping blank
     * values and order (Python's {@code parse_qsl(keep_blank_values=True)}). Malformed escapes
     * are kept literally and malformed byte sequences become U+FFFD, as browsers do.
     *
     * @param maxFields the largest number of fields accepted; -1 for no limit
     * @return the number of fields parsed, or -1 if there were more than {@code maxFields}
     *     (the fields up to the limit are then already in {@code into})
     */
    static int parseForm(byte[] src, int from, int to, Charset charset, Map<String, List<String>> into, int maxFields) {
        byte[] scratch = null;
        int fields = 0;
        int start = from;
        while (start <= to) {
            int amp = indexOf(src, (byte) '&', start, to);
            if (amp < 0) amp = to;
            if (amp > start) {
                if (maxFields >= 0 && fields == maxFields) return -1;
                if (scratch == null) scratch = new byte[to - from];
                int eq = indexOf(src, (byte) '=', start, amp);
                String name;
                String value;
                if (eq < 0) {
                    name = decodeLenient(src, start, amp, charset, scratch);
                    value = "";
                } else {
                    name = decodeLenient(src, start, eq, charset, scratch);
                    value = decodeLenient(src, eq + 1, amp, charset, scratch);
                }
                into.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
                fields++;
            }
            start = amp + 1;
        }
        return fields;
    }

    static Map<String, List<String>> parseQuery(String qs, Charset charset) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (qs == null || qs.isEmpty()) return result;
        byte[] bytes = qs.getBytes(charset);
        parseForm(bytes, 0, bytes.length, charset, result, -1);
        return result;
    }

    private static String decodeLenient(byte[] src, int from, int to, Charset charset, byte[] scratch) {
        int n = decode(src, from, to, true, false, scratch);
        return new String(scratch, 0, n, charset);
    }

    static int indexOf(byte[] a, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) return i;
        }
        return -1;
    }
}
