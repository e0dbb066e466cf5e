package io.gale.http2;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Canonical lower-case field names of HTTP/2 (RFC 9113 section 8.2.1 requires lower case on the
 * wire). The HPACK decoder turns literal name octets into these very String instances, and the
 * encoder maps the spellings Gale's {@code HttpHeaders} use ({@code Content-Type}) to them, so
 * neither allocates a name string for a known field and table lookups mostly hit identity.
 *
 * <p>The names are the static table's (RFC 7541 Appendix A, the same instances) plus common ones
 * it lacks. Immutable; thread-safe.
 */
final class Http2Names {
    private Http2Names() {
    }

    /** Common names beyond the static table (requests from browsers and API clients, responses from Gale). */
    private static final String[] EXTRA = {
        "access-control-allow-credentials", "access-control-allow-headers", "access-control-allow-methods",
        "access-control-expose-headers", "access-control-max-age", "access-control-request-headers",
        "access-control-request-method", "alt-svc", "connection", "content-security-policy", "dnt", "early-data",
        "forwarded", "grpc-accept-encoding", "grpc-encoding", "grpc-message", "grpc-status", "grpc-timeout",
        "keep-alive", "origin", "pragma", "priority", "proxy-connection", "sec-ch-ua", "sec-ch-ua-mobile",
        "sec-ch-ua-platform", "sec-fetch-dest", "sec-fetch-mode", "sec-fetch-site", "sec-fetch-user",
        "sec-websocket-accept", "sec-websocket-extensions", "sec-websocket-key", "sec-websocket-protocol",
        "sec-websocket-version",
        "te", "timing-allow-origin", "trailer", "upgrade", "upgrade-insecure-requests", "x-content-type-options",
        "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-frame-options", "x-real-ip",
        "x-requested-with", "x-xsrftoken", "x-csrftoken", ":protocol",
    };

    /** Open-addressing table keyed by a hash of the octets; power-of-two length, at most half full. */
    private static final String[] TABLE = new String[256];
    private static final byte[][] TABLE_BYTES = new byte[256][];
    /** Spellings (exact) to the canonical lower-case instance: lower case and Title-Case forms. */
    private static final Map<String, String> BY_SPELLING = new HashMap<>(512);

    static {
        for (int i = 1; i <= HpackStaticTable.LENGTH; i++) {
            add(HpackStaticTable.name(i));
        }
        for (String n : EXTRA) {
            add(n);
        }
        // Spellings Gale's HttpHeaderNames uses that Title-Case does not produce.
        for (String odd : new String[] {"ETag", "WWW-Authenticate", "DNT", "TE", "X-Real-IP", "X-XSRFToken",
            "X-CSRFToken", "Sec-WebSocket-Accept", "Sec-WebSocket-Extensions", "Sec-WebSocket-Key",
            "Sec-WebSocket-Protocol", "Sec-WebSocket-Version"}) {
            BY_SPELLING.put(odd, BY_SPELLING.get(odd.toLowerCase(Locale.ROOT)));
        }
    }

    private static void add(String name) {
        if (BY_SPELLING.containsKey(name)) {
            return;
        }
        byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
        int i = hash(b, 0, b.length) & (TABLE.length - 1);
        while (TABLE[i] != null) {
            i = (i + 1) & (TABLE.length - 1);
        }
        TABLE[i] = name;
        TABLE_BYTES[i] = b;
        BY_SPELLING.put(name, name);
        BY_SPELLING.put(titleCase(name), name);
    }

    private static String titleCase(String name) {
        char[] c = name.toCharArray();
        boolean start = true;
        for (int i = 0; i < c.length; i++) {
            if (start && c[i] >= 'a' && c[i] <= 'z') {
                c[i] = (char) (c[i] - 32);
            }
            start = c[i] == '-';
        }
        return new String(c);
    }

    private static int hash(byte[] a, int off, int len) {
        int h = len;
        for (int i = off, end = off + len; i < end; i++) {
            h = h * 31 + a[i];
        }
        return h ^ (h >>> 16);
    }

    /** Every known spelling to its canonical lower-case instance (read-only). */
    static Map<String, String> spellings() {
        return java.util.Collections.unmodifiableMap(BY_SPELLING);
    }

    /**
     * The canonical instance for the name octets {@code a[off, off+len)} if they spell a known
     * lower-case name exactly, else a new String (octets as ISO-8859-1).
     */
    static String name(byte[] a, int off, int len) {
        int mask = TABLE.length - 1;
        for (int i = hash(a, off, len) & mask; TABLE[i] != null; i = (i + 1) & mask) {
            byte[] b = TABLE_BYTES[i];
            if (b.length == len && java.util.Arrays.equals(b, 0, len, a, off, off + len)) {
                return TABLE[i];
            }
        }
        return new String(a, off, len, StandardCharsets.ISO_8859_1);
    }

    /**
     * The lower-case form of a field name for the wire: the canonical instance for known names in
     * lower or Title-Case spelling (no allocation), the name itself if already lower case, else a
     * lower-cased copy.
     */
    static String lowerCase(String name) {
        String known = BY_SPELLING.get(name);
        if (known != null) {
            return known;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return name.toLowerCase(Locale.ROOT);
            }
        }
        return name;
    }
}
