package io.gale.http;

import java.nio.charset.StandardCharsets;

/**
 * The {@code Date} field line for responses (RFC 9110 section 6.6.1), formatted once per second
 * instead of once per response.
 *
 * <p>Thread-safe: the current line lives in an immutable holder behind a volatile field; loops
 * racing at a second boundary may each format it once, which is harmless.
 */
final class DateCache {
    private DateCache() {
    }

    private record Line(long second, byte[] bytes, String value) {
    }

    private static volatile Line current = format(System.currentTimeMillis() / 1000);

    /** {@code "Date: <IMF-fixdate>\r\n"} for the current second; the caller must not modify it. */
    static byte[] dateLine() {
        long second = System.currentTimeMillis() / 1000;
        Line l = current;
        if (l.second != second) {
            l = format(second);
            current = l;
        }
        return l.bytes;
    }

    /** The field value alone (an IMF-fixdate) for the current second, for HTTP/2's {@code date}. */
    static String dateValue() {
        long second = System.currentTimeMillis() / 1000;
        Line l = current;
        if (l.second != second) {
            l = format(second);
            current = l;
        }
        return l.value;
    }

    private static Line format(long second) {
        String v = HttpDates.format(second);
        String s = "Date: " + v + "\r\n";
        return new Line(second, s.getBytes(StandardCharsets.ISO_8859_1), v);
    }
}
