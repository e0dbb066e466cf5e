package io.gale.bench.peers;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header value (RFC 9110 IMF-fixdate) for peers whose framework does not add one.
 * TechEmpower requires {@code Server} and {@code Date} on every response; its Vert.x and Netty
 * entries format the date once a second and reuse the string, and so do these peers, so that every
 * server in a run does the same work per response.
 */
final class HttpDate {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);

    private HttpDate() {}

    /** The current time as an HTTP date; callers cache it and refresh it once a second. */
    static String now() {
        return FORMAT.format(ZonedDateTime.now(ZoneOffset.UTC));
    }
}
