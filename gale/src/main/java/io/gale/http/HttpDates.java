package io.gale.http;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * HTTP-date (RFC 9110 section 5.6.7): formatting as IMF-fixdate and parsing of the three
 * accepted forms.
 *
 * <p>Stateless and thread-safe. Hand-written rather than {@code DateTimeFormatter} based: the
 * JDK's RFC 1123 formatter prints one-digit days ({@code 6 Nov}), which IMF-fixdate forbids,
 * and a fixed-layout scanner is much cheaper on a per-request path.
 */
final class HttpDates {
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] LONG_DAYS = {
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
    };
    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };

    private HttpDates() {}

    /** Formats as {@code Sun, 06 Nov 1994 08:49:37 GMT}; sub-second precision is dropped. */
    static String format(Instant instant) {
        return format(instant.getEpochSecond());
    }

    /**
     * Formats seconds since the epoch. Plain arithmetic on the proleptic Gregorian calendar
     * rather than {@code LocalDateTime}: the first response's Date header would otherwise
     * initialise java.time's chronology and formatter tables (tens of ms at start-up).
     */
    static String format(long epochSecond) {
        long epochDay = Math.floorDiv(epochSecond, 86400L);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86400L);
        // Civil date of epochDay: count from 0000-03-01 so that the leap day ends a year, then
        // split into 400-year eras (146097 days), years of the era, and days of the year.
        long fromMarch = epochDay + 719468L;
        long era = Math.floorDiv(fromMarch, 146097L);
        int dayOfEra = (int) (fromMarch - era * 146097L);
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int monthFromMarch = (5 * dayOfYear + 2) / 153;
        int dayOfMonth = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
        int month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
        long year = era * 400 + yearOfEra + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("year outside HTTP-date range: " + year);
        }
        int dayOfWeek = (int) Math.floorMod(epochDay + 3, 7L); // 1970-01-01 was a Thursday; 0 = Monday
        return format((int) year, month, dayOfMonth, dayOfWeek, secondOfDay);
    }

    private static String format(int year, int month, int dayOfMonth, int dayOfWeek, int secondOfDay) {
        char[] c = new char[29];
        String day = DAYS[dayOfWeek];
        c[0] = day.charAt(0);
        c[1] = day.charAt(1);
        c[2] = day.charAt(2);
        c[3] = ',';
        c[4] = ' ';
        two(c, 5, dayOfMonth);
        c[7] = ' ';
        String mon = MONTHS[month - 1];
        c[8] = mon.charAt(0);
        c[9] = mon.charAt(1);
        c[10] = mon.charAt(2);
        c[11] = ' ';
        two(c, 12, year / 100);
        two(c, 14, year % 100);
        c[16] = ' ';
        two(c, 17, secondOfDay / 3600);
        c[19] = ':';
        two(c, 20, secondOfDay / 60 % 60);
        c[22] = ':';
        two(c, 23, secondOfDay % 60);
        c[25] = ' ';
        c[26] = 'G';
        c[27] = 'M';
        c[28] = 'T';
        return new String(c);
    }

    private static void two(char[] c, int at, int v) {
        c[at] = (char) ('0' + v / 10);
        c[at + 1] = (char) ('0' + v % 10);
    }

    static Optional<Instant> parse(String s, int currentYear) {
        if (s == null) return Optional.empty();
        String v = s.strip();
        try {
            int comma = v.indexOf(',');
            if (comma == 3) return Optional.ofNullable(parseImfFixdate(v));
            if (comma > 3) return Optional.ofNullable(parseRfc850(v, comma, currentYear));
            if (comma < 0) return Optional.ofNullable(parseAsctime(v));
        } catch (DateTimeException e) {
            // e.g. "31 Feb": syntactically fine, but not a date
        }
        return Optional.empty();
    }

    /** {@code Sun, 06 Nov 1994 08:49:37 GMT} */
    private static Instant parseImfFixdate(String v) {
        if (v.length() != 29 || dayIndex(DAYS, v, 0, 3) < 0) return null;
        if (v.charAt(4) != ' ' || v.charAt(7) != ' ' || v.charAt(11) != ' ' || v.charAt(16) != ' ') return null;
        if (!v.startsWith(" GMT", 25)) return null;
        int day = digits(v, 5, 2);
        int month = month(v, 8);
        int year = digits(v, 12, 4);
        return build(year, month, day, v, 17);
    }

    /** {@code Sunday, 06-Nov-94 08:49:37 GMT} */
    private static Instant parseRfc850(String v, int comma, int currentYear) {
        if (dayIndex(LONG_DAYS, v, 0, comma) < 0) return null;
        int p = comma + 1;
        if (v.length() != p + 23 || v.charAt(p) != ' ' || v.charAt(p + 3) != '-' || v.charAt(p + 7) != '-'
                || v.charAt(p + 10) != ' ' || !v.startsWith(" GMT", p + 19)) {
            return null;
        }
        int day = digits(v, p + 1, 2);
        int month = month(v, p + 4);
        int yy = digits(v, p + 8, 2);
        if (yy < 0) return null;
        // RFC 9110: a two-digit year more than 50 years in the future means the most recent
        // past year with the same last two digits: a 100-year window around now.
        int year = currentYear / 100 * 100 + yy;
        if (year > currentYear + 50) year -= 100;
        else if (year <= currentYear - 50) year += 100;
        return build(year, month, day, v, p + 11);
    }

    /** {@code Sun Nov  6 08:49:37 1994} */
    private static Instant parseAsctime(String v) {
        if (v.length() != 24 || dayIndex(DAYS, v, 0, 3) < 0) return null;
        if (v.charAt(3) != ' ' || v.charAt(7) != ' ' || v.charAt(10) != ' ' || v.charAt(19) != ' ') return null;
        int month = month(v, 4);
        int day = v.charAt(8) == ' ' ? digits(v, 9, 1) : digits(v, 8, 2);
        int year = digits(v, 20, 4);
        return build(year, month, day, v, 11);
    }

    private static Instant build(int year, int month, int day, String v, int timeAt) {
        if (year < 0 || month < 0 || day < 0) return null;
        if (v.charAt(timeAt + 2) != ':' || v.charAt(timeAt + 5) != ':') return null;
        int h = digits(v, timeAt, 2);
        int m = digits(v, timeAt + 3, 2);
        int sec = digits(v, timeAt + 6, 2);
        if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60) return null;
        if (sec == 60) sec = 59; // leap second: the grammar allows it, java.time does not
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86400L + h * 3600L + m * 60L + sec);
    }

    private static int dayIndex(String[] names, String v, int from, int to) {
        for (int i = 0; i < names.length; i++) {
            String n = names[i];
            if (n.length() == to - from && v.startsWith(n, from)) return i;
        }
        return -1;
    }

    private static int month(String v, int at) {
        for (int i = 0; i < 12; i++) {
            if (v.startsWith(MONTHS[i], at)) return i + 1;
        }
        return -1;
    }

    /** Parses exactly {@code count} ASCII digits, or returns -1. */
    private static int digits(String v, int at, int count) {
        int r = 0;
        for (int i = at; i < at + count; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') return -1;
            r = r * 10 + (c - '0');
        }
        return r;
    }
}
