package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HttpDateTest {
    private static final Instant RFC_EXAMPLE = Instant.parse("1994-11-06T08:49:37Z");

    @Test
    void formatsImfFixdateWithTwoDigitDay() {
        assertThat(HttpUtil.formatTimestamp(RFC_EXAMPLE)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpUtil.formatTimestamp(0L)).isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
        assertThat(HttpUtil.formatTimestamp(Instant.parse("2024-02-29T23:59:59.999Z"))).isEqualTo("Thu, 29 Feb 2024 23:59:59 GMT");
        assertThatThrownBy(() -> HttpUtil.formatTimestamp(Instant.parse("+10000-01-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatAgreesWithJdkAndRoundTripsOnRandomInstants() {
        Random r = new Random(42);
        DateTimeFormatter jdk = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.ROOT);
        for (int i = 0; i < 2000; i++) {
            Instant t = Instant.ofEpochSecond(r.nextLong(253402300799L)); // up to 9999-12-31
            String s = HttpUtil.formatTimestamp(t);
            assertThat(s).isEqualTo(jdk.format(ZonedDateTime.ofInstant(t, java.time.ZoneOffset.UTC)));
            assertThat(HttpUtil.parseHttpDate(s)).contains(t);
        }
    }

    @Test
    void formatAgreesWithJdkAtCalendarEdges() {
        // uuuu: the proleptic year (year 0 exists), as HttpDates prints it; yyyy would be year-of-era
        DateTimeFormatter jdk = DateTimeFormatter.ofPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'", java.util.Locale.ROOT);
        List<String> edges = List.of("0000-01-01T00:00:00Z", "0000-02-29T12:00:00Z", "0000-03-01T00:00:00Z",
                "1582-10-15T00:00:00Z", "1899-12-31T23:59:59Z", "1900-02-28T00:00:00Z", "1900-03-01T00:00:00Z",
                "1969-12-31T23:59:59Z", "1970-01-01T00:00:01Z", "2000-02-29T00:00:00Z", "2000-03-01T00:00:00Z",
                "2100-02-28T23:59:59Z", "2100-03-01T00:00:00Z", "2400-02-29T06:07:08Z", "9999-12-31T23:59:59Z");
        for (String e : edges) {
            Instant t = Instant.parse(e);
            assertThat(HttpDates.format(t.getEpochSecond())).as(e)
                    .isEqualTo(jdk.format(ZonedDateTime.ofInstant(t, java.time.ZoneOffset.UTC)));
        }
        assertThatThrownBy(() -> HttpDates.format(Instant.parse("-0001-12-31T23:59:59Z").getEpochSecond()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpDates.format(Long.MIN_VALUE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpDates.format(Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesTheThreeForms() {
        assertThat(HttpUtil.parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT")).contains(RFC_EXAMPLE);
        assertThat(HttpUtil.parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT")).contains(RFC_EXAMPLE);
        assertThat(HttpUtil.parseHttpDate("Sun Nov  6 08:49:37 1994")).contains(RFC_EXAMPLE);
        assertThat(HttpUtil.parseHttpDate("Thu Nov 16 08:49:37 1994")).contains(Instant.parse("1994-11-16T08:49:37Z"));
        assertThat(HttpUtil.parseHttpDate("  Sun, 06 Nov 1994 08:49:37 GMT ")).contains(RFC_EXAMPLE);
    }

    @Test
    void rfc850TwoDigitYearUsesFiftyYearWindow() {
        assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT", 2026)).contains(RFC_EXAMPLE);
        assertThat(HttpDates.parse("Tuesday, 01-Jan-30 00:00:00 GMT", 2026)).contains(Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(HttpDates.parse("Tuesday, 01-Jan-30 00:00:00 GMT", 2090)).contains(Instant.parse("2130-01-01T00:00:00Z"));
    }

    @Test
    void rejectsMalformedDatesWithoutThrowing() {
        List<String> bad = List.of("", "garbage", "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 UTC",
                "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
                "Sun, 06 Nov 1994 08:60:00 GMT", "Xyz, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 19a4 08:49:37 GMT",
                "Sun, 06 Nov 1994 08-49-37 GMT", "Sunday, 06-Nov-1994 08:49:37 GMT", "Sun Nov 6 08:49:37 1994",
                "Funday, 06-Nov-94 08:49:37 GMT", "sun, 06 nov 1994 08:49:37 gmt", "Sun, 06 Nov 1994 08:49:37 GMT extra",
                "Sun,");
        for (String s : bad) assertThat(HttpUtil.parseHttpDate(s)).as(s).isEqualTo(Optional.empty());
        assertThat(HttpUtil.parseHttpDate(null)).isEmpty();
    }

    @Test
    void acceptsLeapSecond() {
        assertThat(HttpUtil.parseHttpDate("Sat, 31 Dec 2016 23:59:60 GMT")).contains(Instant.parse("2016-12-31T23:59:59Z"));
    }
}
