package io.gale.http;

import java.util.Map;

/**
 * A header value with parameters, such as {@code multipart/form-data; boundary="abc"} or
 * {@code form-data; name="f"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf}.
 *
 * <p>Immutable. Parameter names are lower-cased; values are unquoted and unescaped, and an RFC
 * 2231 / RFC 8187 extended parameter ({@code name*=charset'lang'value}) is decoded and stored
 * under its plain name, where it takes precedence over the plain form.
 *
 * <pre>{@code
 * HeaderValue ct = HttpUtil.parseContentType("multipart/form-data; boundary=\"abc\"");
 * ct.value();            // "multipart/form-data"
 * ct.param("boundary");  // "abc"
 * }</pre>
 *
 * @param value the part before the first {@code ;}, trimmed
 * @param params the parameters in order of appearance, keyed by lower-case name
 */
public record HeaderValue(String value, Map<String, String> params) {
    /**
     * Creates a {@code HeaderValue}; its components are described in the class comment.
     */
    public HeaderValue {
        // unmodifiable but ordered (Map.copyOf would lose the order of appearance)
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    }

    /**
     * Returns the parameter named {@code name} (case-insensitive), or {@code null}.
     *
     * @param name the name
     * @return the parameter named {@code name} (case-insensitive), or {@code null}
     */
    public String param(String name) {
        return params.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
