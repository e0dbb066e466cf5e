package io.gale.http2;

import io.gale.http.HttpHeaders;

/**
 * The field rules of RFC 9113 section 8.2 in one place, for what Gale receives (checked by
 * {@link Http2Fields}) and what it sends (applied by {@link Http2Connection} before encoding):
 * <ul>
 * <li>names are lower case on the wire (8.2.1): received upper case is malformed, sent names are
 *     lower-cased; names must also be RFC 9110 tokens, the same rule as
 *     {@link HttpHeaders#isValidName} for HTTP/1.1 (stricter than 8.2.1's minimum, so that every
 *     accepted field fits {@code HttpHeaders});</li>
 * <li>values follow {@link HttpHeaders#isValidValue} (RFC 9110 section 5.5: no NUL, CR, LF or
 *     other controls, nothing above 0xFF) and neither start nor end with SP or HTAB (8.2.1):
 *     received ones are malformed, sent ones are trimmed (HTTP/1.1's optional whitespace) and
 *     refused with {@link IllegalArgumentException} otherwise;</li>
 * <li>connection-specific fields ({@code connection}, {@code keep-alive},
 *     {@code proxy-connection}, {@code transfer-encoding}, {@code upgrade}) and {@code te} with any
 *     value but {@code trailers} (8.2.2): received, malformed; sent, left out, since HTTP/1.1 code
 *     may set them and HTTP/2 carries their meaning in its framing;</li>
 * <li>{@code host} is sent as {@code :authority} instead (8.3.1).</li>
 * </ul>
 * Stateless.
 */
final class Http2HeaderRules {
    private Http2HeaderRules() {
    }

    /** Whether {@code lowerName} is a connection-specific field (RFC 9113 section 8.2.2). */
    static boolean isConnectionSpecific(String lowerName) {
        return switch (lowerName) {
            case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" -> true;
            default -> false;
        };
    }

    /** Why a received field name is invalid (section 8.2.1), or null; pseudo-header names are checked elsewhere. */
    static String checkName(String name) {
        if (!HttpHeaders.isValidName(name)) {
            return "invalid field name";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return "upper-case field name";
            }
        }
        return null;
    }

    /**
     * Why a received field value is invalid, or null: section 8.2.1 forbids NUL, CR, LF and
     * leading or trailing whitespace; other characters RFC 9110 section 5.5 does not allow (the
     * rule {@link HttpHeaders#isValidValue} applies to every field Gale holds) are malformed too,
     * as 8.2.1 permits.
     */
    static String checkValue(String value) {
        if (!HttpHeaders.isValidValue(value)) {
            return "field value with characters RFC 9110 does not allow (NUL, CR, LF, controls)";
        }
        int n = value.length();
        if (n > 0 && (isOws(value.charAt(0)) || isOws(value.charAt(n - 1)))) {
            return "field value with leading or trailing whitespace";
        }
        return null;
    }

    /** Why a received field is not allowed in HTTP/2 at all (section 8.2.2), or null. */
    static String checkAllowed(String lowerName, String value) {
        if (isConnectionSpecific(lowerName)) {
            return "connection-specific field " + lowerName;
        }
        if (lowerName.equals("te") && !value.equals("trailers")) {
            return "te other than trailers";
        }
        return null;
    }

    /**
     * Whether a field of a message to send is left out: connection-specific fields, {@code te}
     * other than {@code trailers}, {@code host} (sent as {@code :authority}), and
     * {@code http2-settings} (an h2c upgrade's own field, connection-specific by RFC 7540 section
     * 3.2.1 whether or not {@code Connection} names it).
     */
    static boolean omitOnSend(String lowerName, String value) {
        if (isConnectionSpecific(lowerName) || lowerName.equals("host") || lowerName.equals("http2-settings")) {
            return true;
        }
        return lowerName.equals("te") && !trimOws(value).equalsIgnoreCase("trailers");
    }

    /**
     * A value to send: trimmed of leading and trailing SP and HTAB.
     *
     * @throws IllegalArgumentException if {@link HttpHeaders#isValidValue} refuses it (NUL, CR,
     *     LF, controls, chars above 0xFF: HPACK strings are octets)
     */
    static String sendValue(String name, String value) {
        if (!HttpHeaders.isValidValue(value)) {
            throw new IllegalArgumentException("value of " + name + " is not a valid field value (RFC 9110 section 5.5)");
        }
        return trimOws(value);
    }

    static String trimOws(String v) {
        int s = 0;
        int e = v.length();
        while (s < e && isOws(v.charAt(s))) {
            s++;
        }
        while (e > s && isOws(v.charAt(e - 1))) {
            e--;
        }
        return s == 0 && e == v.length() ? v : v.substring(s, e);
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
