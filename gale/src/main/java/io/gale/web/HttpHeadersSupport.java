package io.gale.web;

/** Header-value helpers the web layer needs. Stateless. */
final class HttpHeadersSupport {
    private HttpHeadersSupport() {
    }

    /** Whether a comma-separated header value lists {@code token} (case-insensitive). */
    static boolean listContains(String value, String token) {
        for (String item : value.split(",")) {
            if (item.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks an outgoing header value as Tornado 6.5 does: HTAB, visible ASCII, SP and obs-text
     * (0x80-0xFF) only, so no header can be split or smuggled.
     *
     * @throws IllegalArgumentException "Unsafe header value"
     */
    static String checkValue(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                throw new IllegalArgumentException("Unsafe header value for " + name + ": " + value.replaceAll("[\\x00-\\x1f\\x7f]", "?"));
            }
        }
        return value;
    }
}
