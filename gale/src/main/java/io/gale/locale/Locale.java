package io.gale.locale;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One locale of an application (Tornado's {@code tornado.locale.Locale}): its translations and
 * the locale-aware formatting of dates, lists and numbers. Obtained from the application's
 * {@link Locales} ({@code locales.get("fr_FR")}, or {@code handler.locale()} for a request):
 *
 * <pre>{@code
 * Locale fr = locales.get("fr-FR", "en");
 * fr.translate("Sign out");                                          // "Se déconnecter"
 * NamedFormat.format(fr.translate("%(n)d comment", "%(n)d comments", n), Map.of("n", n));
 * fr.formatDate(entry.published());                                  // "il y a 3 minutes"
 * fr.list(List.of("Anne", "Bob", "Chloé"));                           // "Anne, Bob et Chloé"
 * }</pre>
 *
 * <p>Translation follows the catalogue the locale was loaded from: Tornado's CSV rules (a count
 * of 1 is singular, anything else plural) or gettext's (the catalogue's {@code Plural-Forms}
 * rule); without a translation the message comes back unchanged (the plural message when the
 * count asks for it). The default locale usually has no catalogue: its messages are the source
 * strings.
 *
 * <p>Dates: {@link #formatDate} and {@link #formatDay} take an {@link Instant}; the local time is
 * the instant minus {@code gmtOffset} minutes (Tornado's convention, that of JavaScript's
 * {@code Date.getTimezoneOffset()}: 300 for UTC-5, -60 for UTC+1). Relative dates are measured
 * against the clock of the {@link Locales} ({@link Locales#withClock}). The date format strings
 * ({@code "%(month_name)s %(day)s at %(time)s"}, month and weekday names) are themselves
 * translated, so a catalogue controls them; the time of day is 12-hour for {@code en} and
 * {@code en_US} ("5:20 pm"), 12-hour with 上午/下午 for {@code zh_CN}, and 24-hour otherwise.
 *
 * <p>Immutable and thread-safe: one instance serves every request.
 */
public final class Locale {
    private static final Set<String> TWELVE_HOUR = Set.of("en", "en_US", "zh_CN");

    private final String code;
    private final boolean rtl;
    private final Catalog catalog;
    private final Clock clock;
    private final String[] months;
    private final String[] weekdays;

    Locale(String code, Catalog catalog, Clock clock) {
        this.code = Objects.requireNonNull(code, "code");
        this.rtl = code.startsWith("fa") || code.startsWith("ar") || code.startsWith("he");
        this.catalog = catalog;
        this.clock = clock;
        this.months = translateAll("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December");
        this.weekdays = translateAll("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");
    }

    private String[] translateAll(String... messages) {
        String[] out = new String[messages.length];
        for (int i = 0; i < messages.length; i++) {
            out[i] = translate(messages[i]);
        }
        return out;
    }

    /**
     * The locale code, such as {@code fr_FR} or {@code es}.
     *
     * @return the locale code, such as {@code fr_FR} or {@code es}
     */
    public String code() {
        return code;
    }

    /**
     * The locale's name in its own language ("Français"), or "Unknown" for a code Tornado's table lacks.
     *
     * @return the locale's name in its own language ("Français"), or "Unknown" for a code Tornado's table lacks
     */
    public String name() {
        return LocaleNames.name(code); // the table is read on first use, not when an application starts
    }

    /**
     * Whether the language is written right to left (codes starting with fa, ar or he, as Tornado decides).
     *
     * @return whether the language is written right to left (codes starting with fa, ar or he, as Tornado decides)
     */
    public boolean rtl() {
        return rtl;
    }

    // ----------------------------------------------------------------------------- translation

    /**
     * The translation of {@code message} (Tornado's {@code translate(message)}, {@code _()} in templates).
     *
     * @param message the detail message
     * @return the translation of {@code message} (Tornado's {@code translate(message)}, {@code _()} in templates)
     */
    public String translate(String message) {
        return catalog.translate(message);
    }

    /**
     * The translation of {@code message} or {@code pluralMessage}, whichever {@code count} asks
     * for (Tornado's {@code translate(message, plural_message, count)}).
     *
     * @param message the detail message
     * @param pluralMessage the plural form of the message
     * @param count the count
     * @return the translation of {@code message} or {@code pluralMessage}, whichever {@code count} asks for (Tornado's {@code translate(message, plural_message, count)})
     */
    public String translate(String message, String pluralMessage, long count) {
        return catalog.translate(message, pluralMessage, count);
    }

    /**
     * The translation of {@code message} in {@code context} ({@code pgettext("law", "right")});
     * gettext catalogues only: CSV translations ignore the context.
     *
     * @param context the message context (gettext's {@code msgctxt})
     * @param message the detail message
     * @return the translation of {@code message} in {@code context} ({@code pgettext("law", "right")}); gettext catalogues only: CSV translations ignore the context
     */
    public String pgettext(String context, String message) {
        return catalog.pgettext(context, message);
    }

    /**
     * The plural form of {@link #pgettext(String, String)}.
     *
     * @param context the message context (gettext's {@code msgctxt})
     * @param message the detail message
     * @param pluralMessage the plural form of the message
     * @param count the count
     * @return the plural form of {@link #pgettext(String, String)}
     */
    public String pgettext(String context, String message, String pluralMessage, long count) {
        return catalog.pgettext(context, message, pluralMessage, count);
    }

    // ---------------------------------------------------------------------------------- dates

    /**
     * {@code formatDate(date, 0, true, false, false)}: "3 minutes ago", "yesterday at 5:20 pm", ...
     *
     * @param date the time
     * @return the string
     */
    public String formatDate(Instant date) {
        return formatDate(date, 0, true, false, false);
    }

    /**
     * {@code formatDate(date, gmtOffset, true, false, false)}.
     *
     * @param date the time
     * @param gmtOffset the offset from UTC, in minutes
     * @return the string
     */
    public String formatDate(Instant date, int gmtOffset) {
        return formatDate(date, gmtOffset, true, false, false);
    }

    /**
     * Formats {@code date} (Tornado's {@code format_date}), meant for dates in the past:
     * <ul>
     * <li>{@code relative}, less than a day ago: "N seconds ago" (under 50 s), "N minutes ago"
     *     (under 50 min), "N hours ago" (rounded half to even, as Python's {@code round});</li>
     * <li>today (not relative): the time; the day before today's date, less than 48 hours ago and
     *     relative: "yesterday at 5:20 pm"; less than 5 days ago: "Monday at 5:20 pm"; less than
     *     334 days ago: "April 3 at 5:20 pm"; older: "April 3, 2019 at 5:20 pm";</li>
     * <li>{@code shorter} drops the time ("yesterday", "Monday", "April 3", "April 3, 2019");
     *     {@code fullFormat} always gives the last form.</li>
     * </ul>
     * A date up to a minute in the future counts as now when {@code relative} (clock skew); other
     * future dates get the full format. (Tornado compares only the seconds part of the difference,
     * so a date a day and 30 seconds ahead also counted as now; Gale compares the whole difference.)
     *
     * @param date the time
     * @param gmtOffset minutes to subtract from UTC for the local time (JavaScript's
     *     {@code getTimezoneOffset()})
     * @param relative the relative
     * @param shorter the shorter
     * @param fullFormat the full format
     * @return the formatted string
     */
    public String formatDate(Instant date, int gmtOffset, boolean relative, boolean shorter, boolean fullFormat) {
        Instant now = clock.instant();
        if (date.isAfter(now)) {
            if (relative && Duration.between(now, date).getSeconds() < 60) {
                date = now;
            } else {
                fullFormat = true;
            }
        }
        LocalDateTime localDate = local(date, gmtOffset);
        LocalDateTime localYesterday = local(now, gmtOffset).minusHours(24);
        long difference = Duration.between(date, now).getSeconds(); // floor, as Python's timedelta
        long days = Math.floorDiv(difference, 86_400);
        long seconds = Math.floorMod(difference, 86_400);

        String format = null;
        if (!fullFormat) {
            if (relative && days == 0) {
                if (seconds < 50) {
                    return NamedFormat.format(translate("1 second ago", "%(seconds)d seconds ago", seconds),
                            Map.of("seconds", seconds));
                }
                if (seconds < 50 * 60) {
                    long minutes = (long) Math.rint(seconds / 60.0);
                    return NamedFormat.format(translate("1 minute ago", "%(minutes)d minutes ago", minutes),
                            Map.of("minutes", minutes));
                }
                long hours = (long) Math.rint(seconds / 3600.0);
                return NamedFormat.format(translate("1 hour ago", "%(hours)d hours ago", hours), Map.of("hours", hours));
            }
            if (days == 0) {
                format = translate("%(time)s");
            } else if (days == 1 && localDate.getDayOfMonth() == localYesterday.getDayOfMonth() && relative) {
                format = shorter ? translate("yesterday") : translate("yesterday at %(time)s");
            } else if (days < 5) {
                format = shorter ? translate("%(weekday)s") : translate("%(weekday)s at %(time)s");
            } else if (days < 334) { // 11 months: "April 3" of last year would confuse
                format = shorter ? translate("%(month_name)s %(day)s") : translate("%(month_name)s %(day)s at %(time)s");
            }
        }
        if (format == null) {
            format = shorter ? translate("%(month_name)s %(day)s, %(year)s")
                    : translate("%(month_name)s %(day)s, %(year)s at %(time)s");
        }
        return NamedFormat.format(format, Map.of(
                "month_name", months[localDate.getMonthValue() - 1],
                "weekday", weekdays[localDate.getDayOfWeek().getValue() - 1],
                "day", Integer.toString(localDate.getDayOfMonth()),
                "year", Integer.toString(localDate.getYear()),
                "time", timeOfDay(localDate)));
    }

    private static LocalDateTime local(Instant instant, int gmtOffset) {
        return LocalDateTime.ofInstant(instant.minusSeconds(gmtOffset * 60L), ZoneOffset.UTC);
    }

    private String timeOfDay(LocalDateTime t) {
        int hour = t.getHour();
        String minute = (t.getMinute() < 10 ? "0" : "") + t.getMinute();
        int twelve = hour % 12 == 0 ? 12 : hour % 12;
        if (!TWELVE_HOUR.contains(code)) {
            return hour + ":" + minute;
        }
        if (code.equals("zh_CN")) {
            return (hour >= 12 ? "\u4e0b\u5348" : "\u4e0a\u5348") + twelve + ":" + minute;
        }
        return twelve + ":" + minute + (hour >= 12 ? " pm" : " am");
    }

    /**
     * {@code formatDay(date, 0, true)}: "Monday, January 22".
     *
     * @param date the time
     * @return the string
     */
    public String formatDay(Instant date) {
        return formatDay(date, 0, true);
    }

    /**
     * The day of {@code date} (Tornado's {@code format_day}): "Monday, January 22", or without
     * the day of the week ("January 22") when {@code dow} is false.
     *
     * @param date the time
     * @param gmtOffset the offset from UTC, in minutes
     * @param dow the dow
     * @return the day of {@code date} (Tornado's {@code format_day}): "Monday, January 22", or without the day of the week ("January 22") when {@code dow} is false
     */
    public String formatDay(Instant date, int gmtOffset, boolean dow) {
        LocalDateTime d = local(date, gmtOffset);
        String month = months[d.getMonthValue() - 1];
        String day = Integer.toString(d.getDayOfMonth());
        if (dow) {
            return NamedFormat.format(translate("%(weekday)s, %(month_name)s %(day)s"), Map.of(
                    "month_name", month, "weekday", weekdays[d.getDayOfWeek().getValue() - 1], "day", day));
        }
        return NamedFormat.format(translate("%(month_name)s %(day)s"), Map.of("month_name", month, "day", day));
    }

    // --------------------------------------------------------------------------- lists, numbers

    /**
     * The parts as a list in words (Tornado's {@code list}): "A, B and C", "A and B", "A", or ""
     * for none; the "and" comes from the translation of {@code "%(commas)s and %(last)s"}, and
     * Persian ({@code fa}) joins with " و ".
     *
     * @param parts the parts
     * @return the parts as a list in words (Tornado's {@code list}): "A, B and C", "A and B", "A", or "" for none; the "and" comes from the translation of {@code "%(commas)s and %(last)s"}, and Persian ({@code fa}) joins with " و "
     */
    public String list(List<?> parts) {
        if (parts.isEmpty()) {
            return "";
        }
        if (parts.size() == 1) {
            return String.valueOf(parts.get(0));
        }
        String comma = code.startsWith("fa") ? " \u0648 " : ", ";
        StringBuilder commas = new StringBuilder();
        for (int i = 0; i < parts.size() - 1; i++) {
            if (i > 0) {
                commas.append(comma);
            }
            commas.append(parts.get(i));
        }
        return NamedFormat.format(translate("%(commas)s and %(last)s"),
                Map.of("commas", commas.toString(), "last", String.valueOf(parts.get(parts.size() - 1))));
    }

    /**
     * {@code value} with thousands separated by commas for {@code en} and {@code en_US}
     * ("1,234,567"), as plain digits otherwise (Tornado's {@code friendly_number}). Negative
     * numbers keep their sign in front ("-123,456", where Tornado writes "-,123,456").
     *
     * @param value the value
     * @return the string
     */
    public String friendlyNumber(long value) {
        String digits = Long.toString(value);
        if (!code.equals("en") && !code.equals("en_US")) {
            return digits;
        }
        int sign = value < 0 ? 1 : 0;
        int n = digits.length() - sign;
        StringBuilder sb = new StringBuilder(digits.length() + n / 3).append(digits, 0, sign);
        for (int i = 0; i < n; i++) {
            if (i > 0 && (n - i) % 3 == 0) {
                sb.append(',');
            }
            sb.append(digits.charAt(sign + i));
        }
        return sb.toString();
    }

    /** The code. */
    @Override
    public String toString() {
        return code;
    }

    Catalog catalog() {
        return catalog;
    }
}
