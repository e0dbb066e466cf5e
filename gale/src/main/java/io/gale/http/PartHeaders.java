package io.gale.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The header block of one multipart part. Immutable and thread-safe.
 *
 * <p>Names are matched case-insensitively; {@link #asMap()} is keyed by lower-case names, in
 * order of first appearance. Convenience accessors read {@code Content-Disposition} and
 * {@code Content-Type}.
 */
public final class PartHeaders {
    static final PartHeaders EMPTY = new PartHeaders(Map.of());

    private final Map<String, List<String>> headers;
    private HeaderValue disposition; // parsed lazily; racy but idempotent

    PartHeaders(Map<String, List<String>> headers) {
        LinkedHashMap<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.headers = Collections.unmodifiableMap(copy);
    }

    /**
     * The first value of the header {@code name}, or {@code null}.
     *
     * @param name the name
     * @return the first value of the header {@code name}, or {@code null}
     */
    public String get(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null ? null : v.get(0);
    }

    /**
     * All values of the header {@code name}, possibly empty.
     *
     * @param name the name
     * @return all values of the header {@code name}, possibly empty
     */
    public List<String> getAll(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /**
     * The lower-case header names.
     *
     * @return the lower-case header names
     */
    public Set<String> names() {
        return headers.keySet();
    }

    /**
     * All headers, keyed by lower-case name; unmodifiable.
     *
     * @return all headers, keyed by lower-case name; unmodifiable
     */
    public Map<String, List<String>> asMap() {
        return headers;
    }

    /**
     * The parsed {@code Content-Disposition} (empty value when absent).
     *
     * @return the parsed {@code Content-Disposition} (empty value when absent)
     */
    public HeaderValue contentDisposition() {
        HeaderValue d = disposition;
        if (d == null) disposition = d = HeaderParams.parse(get("content-disposition"));
        return d;
    }

    /**
     * The {@code name} parameter of {@code Content-Disposition}, or {@code null}.
     *
     * @return the {@code name} parameter of {@code Content-Disposition}, or {@code null}
     */
    public String name() {
        return contentDisposition().param("name");
    }

    /**
     * The {@code filename} (or RFC 2231 {@code filename*}) parameter, or {@code null}.
     *
     * @return the {@code filename} (or RFC 2231 {@code filename*}) parameter, or {@code null}
     */
    public String filename() {
        return contentDisposition().param("filename");
    }

    /**
     * The {@code Content-Type} header, or {@code null}.
     *
     * @return the {@code Content-Type} header, or {@code null}
     */
    public String contentType() {
        return get("content-type");
    }

    @Override
    public String toString() {
        return headers.toString();
    }
}
