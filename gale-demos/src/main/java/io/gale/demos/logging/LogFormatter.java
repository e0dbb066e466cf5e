package io.gale.demos.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.util.TimeZone;

/**
 * Tornado's {@code LogFormatter} as a Logback layout: one line per event,
 * {@code [I 251206 15:48:01 access] 200 GET / (127.0.0.1) 0.52ms}, that is the level's initial,
 * the local date and time ({@code yyMMdd HH:mm:ss}), the logger's last name segment (the class,
 * or {@code access} for {@code gale.access}), then the message; a stack trace follows on lines
 * indented by four spaces. With colour (a terminal) the bracketed prefix is blue for DEBUG and
 * TRACE, green for INFO, yellow for WARN and red for ERROR, as Tornado's.
 *
 * <p>Cost: the time text is made by hand once per second (no {@code java.time} formatter, whose
 * first use costs tens of milliseconds: the first access-log line is written before the first
 * response goes out). Thread-safe: Logback's appender serialises calls, and the one-second cache
 * is an immutable pair swapped atomically.
 */
public final class LogFormatter extends LayoutBase<ILoggingEvent> {
    private static final String RESET = "\033[0m";

    private final boolean color;
    private volatile CachedSecond second = new CachedSecond(Long.MIN_VALUE, "");

    private record CachedSecond(long epochSecond, String text) {
    }

    /** A formatter with colours on or off. */
    public LogFormatter(boolean color) {
        this.color = color;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder sb = new StringBuilder(96);
        Level level = event.getLevel();
        if (color) {
            sb.append(colorOf(level));
        }
        sb.append('[').append(initial(level)).append(' ').append(time(event.getTimeStamp())).append(' ')
                .append(shortName(event.getLoggerName())).append(']');
        if (color) {
            sb.append(RESET);
        }
        sb.append(' ');
        indent(sb, event.getFormattedMessage());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            sb.append('\n');
            indent(sb, "    " + ThrowableProxyUtil.asString(thrown).stripTrailing());
        }
        return sb.append('\n').toString();
    }

    /** Appends {@code text} with every line after the first indented by four spaces. */
    private static void indent(StringBuilder sb, String text) {
        if (text == null) {
            sb.append("null");
            return;
        }
        int from = 0;
        int nl;
        while ((nl = text.indexOf('\n', from)) >= 0) {
            int end = nl > from && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
            sb.append(text, from, end).append("\n    ");
            from = nl + 1;
            while (from < text.length() && text.charAt(from) == '\t') {
                from++; // Logback indents stack frames with a tab: the four spaces replace it
            }
        }
        sb.append(text, from, text.length());
    }

    static char initial(Level level) {
        return level.levelStr.charAt(0);
    }

    private static String colorOf(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> "\033[31m";
            case Level.WARN_INT -> "\033[33m";
            case Level.INFO_INT -> "\033[32m";
            default -> "\033[34m";
        };
    }

    /** {@code io.gale.web.RequestDispatcher} → {@code RequestDispatcher}; {@code gale.access} → {@code access}. */
    static String shortName(String logger) {
        int dot = logger.lastIndexOf('.');
        return dot < 0 || dot == logger.length() - 1 ? logger : logger.substring(dot + 1);
    }

    /** {@code yyMMdd HH:mm:ss} in the default time zone, made once per second. */
    String time(long epochMillis) {
        long s = Math.floorDiv(epochMillis, 1000);
        CachedSecond c = second;
        if (c.epochSecond() != s) {
            c = new CachedSecond(s, format(epochMillis, TimeZone.getDefault()));
            second = c;
        }
        return c.text();
    }

    /** The civil date and time of {@code epochMillis} in {@code zone} (days to y/m/d after Hinnant). */
    static String format(long epochMillis, TimeZone zone) {
        long local = Math.floorDiv(epochMillis + zone.getOffset(epochMillis), 1000);
        long days = Math.floorDiv(local, 86400);
        int secs = (int) Math.floorMod(local, 86400);
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        char[] t = new char[15];
        two(t, 0, (int) Math.floorMod(year, 100));
        two(t, 2, (int) month);
        two(t, 4, (int) day);
        t[6] = ' ';
        two(t, 7, secs / 3600);
        t[9] = ':';
        two(t, 10, secs / 60 % 60);
        t[12] = ':';
        two(t, 13, secs % 60);
        return new String(t);
    }

    private static void two(char[] t, int at, int v) {
        t[at] = (char) ('0' + v / 10);
        t[at + 1] = (char) ('0' + v % 10);
    }
}
