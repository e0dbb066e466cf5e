package io.gale.http2;

import java.util.HashMap;
import java.util.Map;

/**
 * The HPACK static table (RFC 7541 Appendix A): 61 fixed entries, indexes 1 to 61. Its name
 * strings are the canonical instances {@link Http2Names} hands out, so decoded names that match
 * it are identical objects.
 *
 * <p>Immutable; thread-safe.
 */
final class HpackStaticTable {
    private HpackStaticTable() {
    }

    /** Number of entries; dynamic table indexes start after it. */
    static final int LENGTH = 61;

    private static final String[] NAMES = new String[LENGTH + 1];
    private static final String[] VALUES = new String[LENGTH + 1];
    /** Name to its first (lowest) index; entries with one name are consecutive in the table. */
    private static final Map<String, Integer> FIRST_INDEX = new HashMap<>(128);

    static {
        String[] table = {
            ":authority", "",
            ":method", "GET",
            ":method", "POST",
            ":path", "/",
            ":path", "/index.html",
            ":scheme", "http",
            ":scheme", "https",
            ":status", "200",
            ":status", "204",
            ":status", "206",
            ":status", "304",
            ":status", "400",
            ":status", "404",
            ":status", "500",
            "accept-charset", "",
            "accept-encoding", "gzip, deflate",
            "accept-language", "",
            "accept-ranges", "",
            "accept", "",
            "access-control-allow-origin", "",
            "age", "",
            "allow", "",
            "authorization", "",
            "cache-control", "",
            "content-disposition", "",
            "content-encoding", "",
            "content-language", "",
            "content-length", "",
            "content-location", "",
            "content-range", "",
            "content-type", "",
            "cookie", "",
            "date", "",
            "etag", "",
            "expect", "",
            "expires", "",
            "from", "",
            "host", "",
            "if-match", "",
            "if-modified-since", "",
            "if-none-match", "",
            "if-range", "",
            "if-unmodified-since", "",
            "last-modified", "",
            "link", "",
            "location", "",
            "max-forwards", "",
            "proxy-authenticate", "",
            "proxy-authorization", "",
            "range", "",
            "referer", "",
            "refresh", "",
            "retry-after", "",
            "server", "",
            "set-cookie", "",
            "strict-transport-security", "",
            "transfer-encoding", "",
            "user-agent", "",
            "vary", "",
            "via", "",
            "www-authenticate", "",
        };
        for (int i = 1; i <= LENGTH; i++) {
            String name = table[(i - 1) * 2];
            // one String instance per name, shared by consecutive entries
            NAMES[i] = i > 1 && name.equals(NAMES[i - 1]) ? NAMES[i - 1] : name;
            VALUES[i] = table[(i - 1) * 2 + 1];
            FIRST_INDEX.putIfAbsent(NAMES[i], i);
        }
    }

    /** Name of entry {@code index} (1 to 61). */
    static String name(int index) {
        return NAMES[index];
    }

    /** Value of entry {@code index} (1 to 61). */
    static String value(int index) {
        return VALUES[index];
    }

    /** The lowest index with this (lower-case) name, or 0. */
    static int nameIndex(String name) {
        Integer i = FIRST_INDEX.get(name);
        return i == null ? 0 : i;
    }

    /**
     * For the encoder: the index of the entry equal to ({@code name}, {@code value}) if there is
     * one; otherwise minus the index of the first entry with that name; 0 if the name is absent.
     */
    static int find(String name, String value) {
        int first = nameIndex(name);
        if (first == 0) {
            return 0;
        }
        int exact = findValue(first, value);
        return exact > 0 ? exact : -first;
    }

    /** The index of the entry equal to (name of entry {@code first}, {@code value}), or 0. */
    static int findValue(int first, String value) {
        String n = NAMES[first];
        for (int i = first; i <= LENGTH && NAMES[i] == n; i++) {
            if (VALUES[i].equals(value)) {
                return i;
            }
        }
        return 0;
    }
}
