package io.gale.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.event.Level;

/**
 * Asserts that a log line was (or was not) written while a block ran (Tornado's
 * {@code ExpectLog}): a line of a logger (or one of its children), at a level or above, whose
 * message (arguments filled in) contains a match of a regular expression.
 *
 * <pre>{@code
 * try (ExpectLog e = ExpectLog.expect("gale.application", Level.ERROR, "Uncaught exception")) {
 *     assertThat(server.fetch("/broken").code()).isEqualTo(500);
 * }   // fails here unless such a line was logged
 *
 * try (ExpectLog e = ExpectLog.expectNone("gale", Level.WARN, ".*")) {
 *     server.fetch("/");
 * }   // fails here if gale logged a warning or an error
 * }</pre>
 *
 * <p>Lines an {@link #expect} matched are not printed (they are the test's to see, not noise),
 * and do not count as unexpected errors for {@link GaleTest}. While it is open, an expectation
 * below a logger's configured level still sees that logger's lines (as Tornado's {@code level}
 * argument does), without printing them. Lines from every thread count: the server's loop, a
 * virtual thread, the test.
 *
 * <p>Needs Logback as the SLF4J binding (gale-testing brings it; see docs/testing.md). Thread-safe;
 * meant for one test at a time in a JVM (JUnit's default): with tests running in parallel, lines
 * of another test would be seen too.
 */
public final class ExpectLog implements AutoCloseable {
    private final String logger;
    private final Level level;
    private final Pattern pattern;
    private final boolean required;
    private final List<LogEvent> matched = new ArrayList<>();
    private boolean closed;

    private ExpectLog(String logger, Level level, String regex, boolean required) {
        this.logger = logger == null ? "" : logger;
        this.level = Objects.requireNonNull(level, "level");
        this.pattern = Pattern.compile(regex);
        this.required = required;
    }

    /**
     * Starts watching for a line of {@code logger} (a name, or "" for every logger) at
     * {@code level} or above matching {@code regex} ({@link java.util.regex.Matcher#find}); the
     * block must log one.
     *
     * @param logger the logger
     * @param level the level
     * @param regex the regular expression
     * @return the started expect log
     */
    public static ExpectLog expect(String logger, Level level, String regex) {
        ExpectLog e = new ExpectLog(logger, level, regex, true);
        LogCapture.add(e);
        return e;
    }

    /**
     * As {@link #expect(String, Level, String)} at any level.
     *
     * @param logger the logger
     * @param regex the regular expression
     * @return the result (see {@link #expect(String, Level, String)})
     */
    public static ExpectLog expect(String logger, String regex) {
        return expect(logger, Level.TRACE, regex);
    }

    /**
     * Starts watching for lines the block must not log (they are printed as usual).
     *
     * @param logger the logger
     * @param level the level
     * @param regex the regular expression
     * @return the started expect log
     */
    public static ExpectLog expectNone(String logger, Level level, String regex) {
        ExpectLog e = new ExpectLog(logger, level, regex, false);
        LogCapture.add(e);
        return e;
    }

    /**
     * The lines matched so far.
     *
     * @return the lines matched so far
     */
    public synchronized List<LogEvent> matched() {
        return List.copyOf(matched);
    }

    /** Whether a line of {@code name} at {@code eventLevel} concerns this expectation. */
    boolean forces(String name, Level eventLevel) {
        return covers(name) && eventLevel.toInt() >= level.toInt();
    }

    private boolean covers(String name) {
        return logger.isEmpty() || name.equals(logger) || (name.startsWith(logger) && name.length() > logger.length()
                && name.charAt(logger.length()) == '.');
    }

    /** Takes a line if it matches; true when an {@link #expect} claims it (it is then not printed). */
    boolean offer(LogEvent e) {
        if (!forces(e.logger(), e.level()) || !pattern.matcher(e.message()).find()) {
            return false;
        }
        synchronized (this) {
            if (closed) {
                return false;
            }
            matched.add(e);
        }
        return required;
    }

    /**
     * Stops watching.
     *
     * @throws AssertionError if an {@link #expect} saw no matching line, or an
     *     {@link #expectNone} saw one
     */
    @Override
    public void close() {
        List<LogEvent> seen;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            seen = List.copyOf(matched);
        }
        LogCapture.remove(this);
        if (required && seen.isEmpty()) {
            throw new AssertionError("expected a log line of " + describe() + "; none was logged");
        }
        if (!required && !seen.isEmpty()) {
            throw new AssertionError("expected no log line of " + describe() + ", but got:\n  "
                    + String.join("\n  ", seen.stream().map(LogEvent::toString).toList()));
        }
    }

    private String describe() {
        return (logger.isEmpty() ? "any logger" : logger) + " at " + level + " or above matching /" + pattern + "/";
    }
}
