package io.gale.options;

import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text to typed values, the one place that knows the syntax of every option type, for the
 * command line, configuration files and environment variables alike.
 *
 * <table>
 * <caption>Accepted text per type</caption>
 * <tr><th>type</th><th>accepted</th></tr>
 * <tr><td>String</td><td>anything</td></tr>
 * <tr><td>int, long</td><td>decimal, optional sign ({@code 8888}, {@code -1}); in a list also
 *     inclusive ranges {@code 8000:8003}, as Tornado</td></tr>
 * <tr><td>double</td><td>Java's decimal syntax ({@code 0.5}, {@code 1e3})</td></tr>
 * <tr><td>boolean</td><td>{@code true false yes no on off 1 0}, any case (Tornado takes anything
 *     but {@code false 0 f} as true; a typo here is an error instead)</td></tr>
 * <tr><td>Duration</td><td>a number with a unit, several may follow each other:
 *     {@code 500ms}, {@code 30s}, {@code 1.5h}, {@code 1h 30m}, {@code 2 days}; units
 *     {@code us ms s m h d w} and their spelled-out forms; a bare number is seconds (as
 *     Tornado's timedelta options); ISO-8601 {@code PT30S} too</td></tr>
 * <tr><td>Path</td><td>a file system path, {@code ~/} expanded to the home directory</td></tr>
 * <tr><td>enum</td><td>a constant's name, any case, {@code -} for {@code _}</td></tr>
 * </table>
 *
 * <p>Lists ({@link OptionParser#defineList}) are comma-separated items of their element type;
 * blanks around items are ignored.
 */
final class ValueParser {
    private static final Pattern DURATION_PART = Pattern.compile(
            "\\s*([-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*([a-zA-Z]*)\\s*,?");
    private static final Pattern INT_RANGE = Pattern.compile("\\s*([-+]?\\d+)\\s*:\\s*([-+]?\\d+)\\s*");

    private ValueParser() {
    }

    /** Whether {@code type} is one this parser can read. */
    static boolean supports(Class<?> type) {
        return type == String.class || type == Integer.class || type == Long.class || type == Double.class
                || type == Boolean.class || type == Duration.class || type == Path.class || type.isEnum();
    }

    /**
     * The value of {@code text} as {@code type}.
     *
     * @throws IllegalArgumentException with a message for the user ({@code 'x' is not an integer})
     */
    static Object parse(Class<?> type, String text) {
        if (type == String.class) {
            return text;
        }
        String t = text.strip();
        if (type == Integer.class) {
            try {
                return Integer.valueOf(t);
            } catch (NumberFormatException e) {
                throw bad(text, "an integer");
            }
        }
        if (type == Long.class) {
            try {
                return Long.valueOf(t);
            } catch (NumberFormatException e) {
                throw bad(text, "an integer");
            }
        }
        if (type == Double.class) {
            try {
                return Double.valueOf(t);
            } catch (NumberFormatException e) {
                throw bad(text, "a number");
            }
        }
        if (type == Boolean.class) {
            return switch (t.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> Boolean.TRUE;
                case "false", "no", "off", "0" -> Boolean.FALSE;
                default -> throw bad(text, "a boolean (true/false, yes/no, on/off, 1/0)");
            };
        }
        if (type == Duration.class) {
            return duration(text);
        }
        if (type == Path.class) {
            try {
                if (t.equals("~") || t.startsWith("~/")) {
                    return Path.of(System.getProperty("user.home") + t.substring(1));
                }
                return Path.of(t);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("'" + text + "' is not a valid path: " + e.getReason());
            }
        }
        if (type.isEnum()) {
            String wanted = t.replace('-', '_');
            for (Object c : type.getEnumConstants()) {
                if (((Enum<?>) c).name().equalsIgnoreCase(wanted)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("'" + text + "' is not one of " + choices(type));
        }
        throw new IllegalArgumentException("unsupported option type " + type.getName());
    }

    /** Comma-separated items of {@code element}; integer types also take {@code lo:hi} ranges. */
    static List<Object> parseList(Class<?> element, String text) {
        List<Object> out = new ArrayList<>();
        if (text.isBlank()) {
            return out;
        }
        for (String item : text.split(",", -1)) {
            Matcher range = INT_RANGE.matcher(item);
            if ((element == Integer.class || element == Long.class) && range.matches()) {
                long lo = Long.parseLong(range.group(1));
                long hi = Long.parseLong(range.group(2));
                if (hi < lo || hi - lo > 65535) {
                    throw new IllegalArgumentException("'" + item.strip() + "' is not a range lo:hi of at most 65536 values");
                }
                for (long v = lo; v <= hi; v++) {
                    out.add(parse(element, Long.toString(v)));
                }
            } else {
                out.add(parse(element, element == String.class ? item.strip() : item));
            }
        }
        return out;
    }

    /** Tornado's timedelta syntax, or ISO-8601. */
    static Duration duration(String text) {
        String t = text.strip();
        if (t.regionMatches(true, 0, "PT", 0, 2) || t.regionMatches(true, 0, "P", 0, 1) && t.length() > 1
                && Character.isDigit(t.charAt(1))) {
            try {
                return Duration.parse(t);
            } catch (DateTimeParseException e) {
                throw bad(text, "a duration");
            }
        }
        Matcher m = DURATION_PART.matcher(t);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < t.length()) {
            if (!m.find(at) || m.start() != at || m.end() == at) {
                throw bad(text, "a duration (e.g. 30s, 500ms, 1h 30m)");
            }
            long unit = unitNanos(m.group(2));
            if (unit < 0) {
                throw new IllegalArgumentException("'" + text + "' is not a duration: unknown unit '" + m.group(2)
                        + "' (use us, ms, s, m, h, d or w)");
            }
            BigDecimal value = new BigDecimal(m.group(1));
            // Its order of magnitude before any arithmetic: 1e999999999 (or 1e-999999999) is a
            // dozen characters, but adding or rounding it computes a power of ten of that many
            // digits (seconds to hours of CPU). No duration reaches 10^20 units (a long holds
            // 2^63 ns, the smallest unit is 1,000 ns), and below 10^-30 of a unit a part rounds
            // to no nanosecond, so either refuse it or leave it out.
            long digits = (long) value.precision() - value.scale();
            if (value.signum() != 0 && digits > 20) {
                throw new IllegalArgumentException("'" + text + "' is too long a duration");
            }
            if (digits >= -30) {
                nanos = nanos.add(value.multiply(BigDecimal.valueOf(unit)));
            }
            at = m.end();
        }
        if (at == 0) {
            throw bad(text, "a duration (e.g. 30s, 500ms, 1h 30m)");
        }
        try {
            return Duration.ofNanos(nanos.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
    }

    private static long unitNanos(String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "us", "microsecond", "microseconds" -> 1_000L;
            case "ms", "millisecond", "milliseconds" -> 1_000_000L;
            case "", "s", "sec", "secs", "second", "seconds" -> 1_000_000_000L;
            case "m", "min", "mins", "minute", "minutes" -> 60_000_000_000L;
            case "h", "hr", "hrs", "hour", "hours" -> 3_600_000_000_000L;
            case "d", "day", "days" -> 86_400_000_000_000L;
            case "w", "wk", "week", "weeks" -> 604_800_000_000_000L;
            default -> -1;
        };
    }

    /** How a value reads in help text and error messages (lists comma-separated, durations short). */
    static String format(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> list) {
            // Joined by position, not by "something written yet": a leading empty item keeps its comma.
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < list.size(); i++) {
                sb.append(i > 0 ? "," : "").append(format(list.get(i)));
            }
            return sb.toString();
        }
        if (value instanceof Duration d) {
            return formatDuration(d);
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        return value.toString();
    }

    private static String formatDuration(Duration d) {
        // getNano, not toNanos: an ISO-8601 duration (PT...) may hold more than a long of
        // nanoseconds, which the short forms cannot (duration() refuses them): it stays ISO-8601.
        if (d.getNano() % 1_000_000 != 0 || d.isNegative() || d.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L) {
            return d.toString();
        }
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /** The type's name as help text shows it in place of a metavar ({@code INT}, {@code DURATION}). */
    static String metavar(Class<?> type) {
        if (type == Integer.class || type == Long.class) {
            return "INT";
        }
        if (type == Double.class) {
            return "NUMBER";
        }
        if (type == Duration.class) {
            return "DURATION";
        }
        if (type == Path.class) {
            return "PATH";
        }
        if (type.isEnum()) {
            return choices(type).replace(", ", "|");
        }
        return "VALUE";
    }

    static String choices(Class<?> enumType) {
        StringBuilder sb = new StringBuilder();
        for (Object c : enumType.getEnumConstants()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(format(c));
        }
        return sb.toString();
    }

    private static IllegalArgumentException bad(String text, String what) {
        return new IllegalArgumentException("'" + text + "' is not " + what);
    }

    /** The boxed type of a primitive (int.class → Integer.class), else the type itself. */
    static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        if (type == int.class) {
            return Integer.class;
        }
        if (type == long.class) {
            return Long.class;
        }
        if (type == double.class) {
            return Double.class;
        }
        if (type == boolean.class) {
            return Boolean.class;
        }
        throw new IllegalArgumentException("unsupported option type " + type.getName());
    }
}
