package io.gale.demos.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LogFormatterTest {
    private static final LoggerContext CONTEXT = new LoggerContext();

    private static LoggingEvent event(String logger, Level level, String message, Throwable t) {
        Logger l = CONTEXT.getLogger(logger);
        LoggingEvent e = new LoggingEvent("fqcn", l, level, message, t, null);
        e.setTimeStamp(1_764_945_001_000L); // 2025-12-05 14:30:01 UTC
        return e;
    }

    @Test
    void tornadoStyleLineWithoutColour() {
        TimeZone utc = TimeZone.getTimeZone("UTC");
        TimeZone before = TimeZone.getDefault();
        TimeZone.setDefault(utc);
        try {
            LogFormatter f = new LogFormatter(false);
            assertThat(f.doLayout(event("gale.access", Level.INFO, "200 GET / (127.0.0.1) 0.52ms", null)))
                    .isEqualTo("[I 251205 14:30:01 access] 200 GET / (127.0.0.1) 0.52ms\n");
            assertThat(f.doLayout(event("io.gale.web.RequestDispatcher", Level.WARN, "two\nlines", null)))
                    .isEqualTo("[W 251205 14:30:01 RequestDispatcher] two\n    lines\n");
        } finally {
            TimeZone.setDefault(before);
        }
    }

    @Test
    void colouredPrefixPerLevel() {
        LogFormatter f = new LogFormatter(true);
        assertThat(f.doLayout(event("a", Level.ERROR, "x", null))).startsWith("\033[31m[E ").contains("a]\033[0m x");
        assertThat(f.doLayout(event("a", Level.WARN, "x", null))).startsWith("\033[33m[W ");
        assertThat(f.doLayout(event("a", Level.INFO, "x", null))).startsWith("\033[32m[I ");
        assertThat(f.doLayout(event("a", Level.DEBUG, "x", null))).startsWith("\033[34m[D ");
    }

    @Test
    void stackTraceIndented() {
        String s = new LogFormatter(false).doLayout(event("a.B", Level.ERROR, "Uncaught exception",
                new IllegalStateException("boom")));
        assertThat(s).contains("] Uncaught exception\n    java.lang.IllegalStateException: boom\n    at ");
        assertThat(s.lines().skip(1)).allMatch(l -> l.startsWith("    "));
        assertThat(s).endsWith("\n").doesNotContain("\t");
    }

    @Test
    void datesAcrossZonesAndYears() {
        assertThat(LogFormatter.format(0, TimeZone.getTimeZone("UTC"))).isEqualTo("700101 00:00:00");
        assertThat(LogFormatter.format(951_825_600_000L, TimeZone.getTimeZone("UTC"))).isEqualTo("000229 12:00:00");
        assertThat(LogFormatter.format(1_764_945_001_000L, TimeZone.getTimeZone("Asia/Tokyo"))).isEqualTo("251205 23:30:01");
        assertThat(LogFormatter.format(-1000, TimeZone.getTimeZone("UTC"))).isEqualTo("691231 23:59:59");
    }
}
