package io.gale.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Sees every log call of the process through a Logback {@link TurboFilter} (called for each call,
 * before Logback's level check): hands what an active {@link ExpectLog} or {@link Recorder} wants
 * to them, swallows the lines an expectation matched (Tornado's {@code ExpectLog} keeps expected
 * lines out of the output), and lets an expectation below a logger's level see its lines.
 *
 * <p>Why Logback and not any SLF4J binding: SLF4J has no hook to watch calls, so the choice was a
 * provider of our own wrapping the user's binding (which breaks every cast of SLF4J's loggers to
 * the binding's classes, as in code that configures Logback) or the binding's own hook. Logback
 * is the binding Gale's demos and templates use; gale-testing depends on it.
 *
 * <p>Threading: the filter runs on every logging thread; expectations and recorders are held in
 * copy-on-write lists. A {@code LoggerContext.reset()} (a reconfiguration) would drop the filter:
 * a reset-resistant listener adds it back.
 */
final class LogCapture extends TurboFilter {
    private static final LogCapture INSTANCE = new LogCapture();
    private static final List<ExpectLog> EXPECTATIONS = new CopyOnWriteArrayList<>();
    private static final List<Recorder> RECORDERS = new CopyOnWriteArrayList<>();

    private LogCapture() {
        setName("gale-testing");
        start();
    }

    /**
     * Installs the filter (once per logger context).
     *
     * @throws IllegalStateException when SLF4J is not bound to Logback, saying how to fix it
     */
    static void install() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            throw new IllegalStateException("gale-testing watches log lines through Logback, but SLF4J is bound to "
                    + factory.getClass().getName() + ". Keep ch.qos.logback:logback-classic on the test class path "
                    + "(gale-testing brings it) and remove the other binding from it, or choose Logback with "
                    + "-Dslf4j.provider=ch.qos.logback.classic.spi.LogbackServiceProvider; see docs/testing.md.");
        }
        synchronized (INSTANCE) {
            if (!context.getTurboFilterList().contains(INSTANCE)) {
                context.addTurboFilter(INSTANCE);
            }
            if (context.getCopyOfListenerList().stream().noneMatch(l -> l instanceof ReAdd)) {
                context.addListener(new ReAdd());
            }
        }
    }

    static void add(ExpectLog e) {
        install();
        EXPECTATIONS.add(e);
    }

    static void remove(ExpectLog e) {
        EXPECTATIONS.remove(e);
    }

    static Recorder startRecording() {
        install();
        Recorder r = new Recorder();
        RECORDERS.add(r);
        return r;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == null || (EXPECTATIONS.isEmpty() && RECORDERS.isEmpty())) {
            return FilterReply.NEUTRAL;
        }
        org.slf4j.event.Level slf4jLevel = org.slf4j.event.Level.intToLevel(Level.toLocationAwareLoggerInteger(level));
        String name = logger.getName();
        boolean forced = false;
        for (ExpectLog e : EXPECTATIONS) {
            if (e.forces(name, slf4jLevel)) {
                forced = true;
                break;
            }
        }
        if (format == null) {
            return forced ? FilterReply.ACCEPT : FilterReply.NEUTRAL; // an isXEnabled() check
        }
        boolean enabled = level.isGreaterOrEqual(logger.getEffectiveLevel());
        if (!enabled && !forced) {
            return FilterReply.NEUTRAL;
        }
        Throwable thrown = t != null ? t : MessageFormatter.getThrowableCandidate(params);
        String message = MessageFormatter.basicArrayFormat(format, params);
        LogEvent event = new LogEvent(slf4jLevel, name, message, thrown, Thread.currentThread().getName());
        boolean expected = false;
        for (ExpectLog e : EXPECTATIONS) {
            expected |= e.offer(event);
        }
        for (Recorder r : RECORDERS) {
            r.add(event, expected);
        }
        return expected || !enabled ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    /** Puts the filter back after a {@code LoggerContext.reset()}. */
    private static final class ReAdd implements LoggerContextListener {
        @Override
        public boolean isResetResistant() {
            return true;
        }

        @Override
        public void onStart(LoggerContext context) {
        }

        @Override
        public void onReset(LoggerContext context) {
            context.addTurboFilter(INSTANCE);
        }

        @Override
        public void onStop(LoggerContext context) {
        }

        @Override
        public void onLevelChange(Logger logger, Level level) {
        }
    }

    /** What was logged while a test ran, and which lines an expectation claimed. */
    static final class Recorder {
        private final List<LogEvent> unexpectedErrors = new ArrayList<>();

        private synchronized void add(LogEvent e, boolean expected) {
            if (!expected && e.level() == org.slf4j.event.Level.ERROR) {
                unexpectedErrors.add(e);
            }
        }

        /** Stops recording; returns the ERROR lines no expectation claimed. */
        synchronized List<LogEvent> stop() {
            RECORDERS.remove(this);
            return List.copyOf(unexpectedErrors);
        }
    }
}
