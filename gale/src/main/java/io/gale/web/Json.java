package io.gale.web;

import io.gale.escape.Escape;

/**
 * JSON encoding of handler output (Tornado's {@code json_encode}): {@link Escape#jsonEncodeUtf8},
 * which escapes {@code <}, {@code >} and {@code &} so JSON embedded in HTML can never close a
 * {@code <script>} element. Thread-safe.
 */
final class Json {
    private Json() {
    }

    /** @throws IllegalArgumentException if Jackson cannot encode {@code value} */
    static byte[] encode(Object value) {
        return Escape.jsonEncodeUtf8(value);
    }
}
