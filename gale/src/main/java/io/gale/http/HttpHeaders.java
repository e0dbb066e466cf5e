package io.gale.http;

import io.gale.internal.http.HeadersAccess;
import io.gale.internal.http.HttpChars;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * HTTP header fields: a case-insensitive, multi-valued map that keeps insertion order.
 *
 * <pre>{@code
 * HttpHeaders h = new HttpHeaders()
 *     .add("Content-Type", "text/plain")
 *     .add("Set-Cookie", "a=1")
 *     .add("Set-Cookie", "b=2");
 * h.get("content-type");                              // "text/plain"
 * h.getAll("SET-COOKIE");                             // ["a=1", "b=2"]
 * h.containsValue("Connection", "close", true);      // token search in comma-separated values
 * h.forEach((name, value) -> System.out.println(name + ": " + value));
 * }</pre>
 *
 * <p>Names are compared ASCII-case-insensitively; each entry keeps the spelling it was added with.
 * {@link #add} and {@link #set} reject names that are not RFC 9110 tokens and values that are not
 * RFC 9110 field values ({@link #isValidValue}: HTAB, SP, visible ASCII and 0x80-0xFF; no CR, LF,
 * NUL or other control), with {@link IllegalArgumentException}, so a header can never split a
 * message. This is the one value rule of Gale: the parsers apply it to what they read, so every
 * instance holds only valid values, and encoders copy them without checking again.
 *
 * <p>Storage is one flat array of alternating names and values: header counts are small, so a
 * linear scan beats hashing and allocates nothing per lookup.
 *
 * <p>Not thread-safe: an instance belongs to one request or response (one thread at a time).
 */
public final class HttpHeaders implements Iterable<Map.Entry<String, String>> {

    /** names at even, values at odd indexes; {@code size * 2} slots used. */
    private String[] entries;
    private int size;

    /** Creates an empty header map. */
    public HttpHeaders() {
        entries = new String[16];
    }

    private HttpHeaders(String[] entries, int size) {
        this.entries = entries;
        this.size = size;
    }

    /**
     * Whether {@code value} may be sent as a field value (RFC 9110 section 5.5): HTAB, SP, visible
     * ASCII and obs-text (0x80-0xFF) only. What {@link #add} and {@link #set} require; the same
     * rule applies to reason phrases. Leading and trailing SP/HTAB pass: on the wire they are
     * optional whitespace around the value, which readers strip.
     *
     * @param value the value
     * @return whether {@code value} may be sent as a field value (RFC 9110 section 5.5): HTAB, SP, visible ASCII and obs-text (0x80-0xFF) only
     */
    public static boolean isValidValue(String value) {
        return HttpChars.isFieldValue(value);
    }

    /**
     * Returns an independent copy of these headers.
     *
     * @return this HTTP headers
     */
    public HttpHeaders copy() {
        return new HttpHeaders(Arrays.copyOf(entries, Math.max(entries.length, 2)), size);
    }

    /**
     * Appends a field line, keeping any existing values of the same name.
     *
     * @param name the name
     * @param value the value
     * @return this, for chaining
     * @throws IllegalArgumentException if the name is not a token or the value is not {@link #isValidValue valid}
     */
    public HttpHeaders add(String name, String value) {
        validate(name, value);
        addUnchecked(name, value);
        return this;
    }

    /**
     * Replaces all values of {@code name} with {@code value} (at the position of the first one, or
     * appended if absent).
     *
     * @param name the name
     * @param value the value
     * @return this, for chaining
     * @throws IllegalArgumentException if the name is not a token or the value is not {@link #isValidValue valid}
     */
    public HttpHeaders set(String name, String value) {
        validate(name, value);
        int first = indexOf(name, 0);
        if (first < 0) {
            addUnchecked(name, value);
            return this;
        }
        entries[first * 2 + 1] = value;
        removeFrom(name, first + 1);
        return this;
    }

    /**
     * Returns the first value of {@code name}, or null if absent.
     *
     * @param name the name
     * @return the first value of {@code name}, or null if absent
     */
    public String get(String name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : entries[i * 2 + 1];
    }

    /**
     * Returns the first value of {@code name}, or {@code defaultValue} if absent.
     *
     * @param name the name
     * @param defaultValue returned when there is none
     * @return the first value of {@code name}, or {@code defaultValue} if absent
     */
    public String get(String name, String defaultValue) {
        String v = get(name);
        return v == null ? defaultValue : v;
    }

    /**
     * Returns all values of {@code name} in order (an empty list if absent); the list is a snapshot.
     *
     * @param name the name
     * @return all values of {@code name} in order (an empty list if absent); the list is a snapshot
     */
    public List<String> getAll(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            out.add(entries[i * 2 + 1]);
        }
        return out;
    }

    /**
     * Whether at least one field named {@code name} is present.
     *
     * @param name the name
     * @return whether at least one field named {@code name} is present
     */
    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    /**
     * Whether any value of {@code name}, read as a comma-separated list, holds {@code token}
     * (surrounding optional whitespace ignored). Example: {@code Connection: keep-alive, Upgrade}
     * contains {@code "upgrade"} with {@code ignoreCase}.
     *
     * @param name the name
     * @param token the token
     * @param ignoreCase the ignore case
     * @return whether any value of {@code name}, read as a comma-separated list, holds {@code token} (surrounding optional whitespace ignored)
     */
    public boolean containsValue(String name, String token, boolean ignoreCase) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (listContains(entries[i * 2 + 1], token, ignoreCase)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Removes every field named {@code name}; returns whether any was present.
     *
     * @param name the name
     * @return whether any was present
     */
    public boolean remove(String name) {
        int first = indexOf(name, 0);
        if (first < 0) {
            return false;
        }
        removeFrom(name, first);
        return true;
    }

    /**
     * The number of field lines (a name with two values counts twice).
     *
     * @return the number of field lines (a name with two values counts twice)
     */
    public int size() {
        return size;
    }

    /**
     * Whether there are no fields.
     *
     * @return whether there are no fields
     */
    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * Distinct names in order of first appearance, with the spelling of their first occurrence.
     *
     * @return the names
     */
    public List<String> names() {
        List<String> out = new ArrayList<>(size);
        outer:
        for (int i = 0; i < size; i++) {
            String n = entries[i * 2];
            for (String seen : out) {
                if (seen.equalsIgnoreCase(n)) {
                    continue outer;
                }
            }
            out.add(n);
        }
        return out;
    }

    /**
     * Calls {@code action} with each (name, value) field line in order.
     *
     * @param action the action
     */
    public void forEach(BiConsumer<? super String, ? super String> action) {
        for (int i = 0; i < size; i++) {
            action.accept(entries[i * 2], entries[i * 2 + 1]);
        }
    }

    /**
     * The name of the {@code i}-th field line, 0-based.
     *
     * @param i the index, from 0
     * @return the name of the {@code i}-th field line, 0-based
     */
    public String nameAt(int i) {
        Objects.checkIndex(i, size);
        return entries[i * 2];
    }

    /**
     * The value of the {@code i}-th field line, 0-based.
     *
     * @param i the index, from 0
     * @return the value of the {@code i}-th field line, 0-based
     */
    public String valueAt(int i) {
        Objects.checkIndex(i, size);
        return entries[i * 2 + 1];
    }

    /** Iterates over the field lines in order; entries are immutable snapshots. */
    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public Map.Entry<String, String> next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                int i = next++;
                return Map.entry(entries[i * 2], entries[i * 2 + 1]);
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HttpHeaders other) || other.size != size) {
            return false;
        }
        for (int i = 0; i < size * 2; i += 2) {
            if (!entries[i].equalsIgnoreCase(other.entries[i]) || !entries[i + 1].equals(other.entries[i + 1])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = size;
        for (int i = 0; i < size * 2; i += 2) {
            h = 31 * h + asciiLowerHash(entries[i]);
            h = 31 * h + entries[i + 1].hashCode();
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("HttpHeaders[");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(entries[i * 2]).append(": ").append(entries[i * 2 + 1]);
        }
        return sb.append(']').toString();
    }

    // ---- package-private fast paths for the codec (input already validated) ----

    static {
        // io.gale.internal.http's parser reaches the fast paths below through this, not as API
        HeadersAccess.install(new HeadersAccess.Access() {
            @Override
            public void addUnchecked(HttpHeaders headers, String name, String value) {
                headers.addUnchecked(name, value);
            }

            @Override
            public void setLastValue(HttpHeaders headers, String value) {
                headers.setLastValue(value);
            }

            @Override
            public int indexOf(HttpHeaders headers, String name, int from) {
                return headers.indexOf(name, from);
            }

            @Override
            public String knownName(byte[] a, int off, int len) {
                return HttpHeaderNames.lookup(a, off, len);
            }
        });
    }

    void addUnchecked(String name, String value) {
        int slot = size * 2;
        if (slot + 2 > entries.length) {
            entries = Arrays.copyOf(entries, entries.length * 2);
        }
        entries[slot] = name;
        entries[slot + 1] = value;
        size++;
    }

    /** Replaces the value of the last field line (used to unfold obs-fold in responses). */
    void setLastValue(String value) {
        entries[size * 2 - 1] = value;
    }

    /** Index (in field lines) of the first field named {@code name} at or after {@code from}, or -1. */
    int indexOf(String name, int from) {
        String[] e = entries;
        int n = size;
        for (int i = from; i < n; i++) {
            String candidate = e[i * 2];
            // identity first: the parser hands out interned names, callers often use the same constants
            if (candidate == name || candidate.equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private void removeFrom(String name, int from) {
        int w = from;
        for (int r = from; r < size; r++) {
            if (!entries[r * 2].equalsIgnoreCase(name)) {
                entries[w * 2] = entries[r * 2];
                entries[w * 2 + 1] = entries[r * 2 + 1];
                w++;
            }
        }
        Arrays.fill(entries, w * 2, size * 2, null);
        size = w;
    }

    static boolean listContains(String value, String token, boolean ignoreCase) {
        int len = value.length();
        int start = 0;
        while (start <= len) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? len : comma;
            int s = start;
            int e = end;
            while (s < e && isOws(value.charAt(s))) {
                s++;
            }
            while (e > s && isOws(value.charAt(e - 1))) {
                e--;
            }
            if (e - s == token.length() && value.regionMatches(ignoreCase, s, token, 0, e - s)) {
                return true;
            }
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return false;
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private static int asciiLowerHash(String s) {
        int h = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            h = 31 * h + (c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        return h;
    }

    /**
     * Whether {@link #add} and {@link #set} accept {@code name}: a non-empty RFC 9110 token. For
     * protocol code that validates received fields itself and reports errors as values.
     *
     * @param name the name
     * @return whether {@link #add} and {@link #set} accept {@code name}: a non-empty RFC 9110 token
     */
    public static boolean isValidName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x7F || !HttpChars.isTchar(c)) {
                return false;
            }
        }
        return true;
    }

    private static void validate(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        if (!isValidName(name)) {
            throw new IllegalArgumentException("header name is not a token: " + name);
        }
        if (!HttpChars.isFieldValue(value)) {
            throw new IllegalArgumentException("Unsafe header value for " + name + " (RFC 9110 section 5.5: HTAB, SP, "
                    + "visible characters and 0x80-0xFF only): " + printable(value));
        }
    }

    /** The value with control characters shown as '?', for messages. */
    private static String printable(String value) {
        StringBuilder sb = new StringBuilder(Math.min(value.length(), 200));
        for (int i = 0; i < value.length() && i < 200; i++) {
            char c = value.charAt(i);
            sb.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return sb.toString();
    }
}
