package io.gale.demos.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * The demos' logging set-up: Logback with {@link LogFormatter} on standard error, configured in
 * code rather than from a {@code logback.xml}, whose XML machinery would cost the first request
 * tens of milliseconds. A demo started through {@code Demos} calls it from
 * {@link DemoLoggingProvider}; a JVM that uses Logback's own provider (the demos' tests) finds it
 * through {@code META-INF/services}.
 *
 * <p>Knobs (system properties, e.g. through {@code GALE_JAVA_OPTS}):
 * <table>
 * <caption>Demo logging settings</caption>
 * <tr><th>property</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code gale.log.color}</td><td>{@code auto}</td><td>{@code always} or {@code never};
 *     {@code auto} is never, since the JVM cannot see whether standard error is a terminal:
 *     {@code ./gale-demo} passes {@code always} when it is one, {@code TERM} is not
 *     {@code dumb} and {@code NO_COLOR} is unset</td></tr>
 * <tr><td>{@code gale.log.level}</td><td>{@code info}</td><td>the root level</td></tr>
 * <tr><td>{@code gale.log.levels}</td><td>none</td><td>per-logger levels,
 *     {@code gale.access=warn,io.gale.http=debug}</td></tr>
 * <tr><td>{@code logback.configurationFile}</td><td>none</td><td>a Logback XML file: when set,
 *     it configures Logback instead of this class</td></tr>
 * </table>
 *
 * <p>The demos' {@code --logging=LEVEL} option (Tornado's {@code --logging}) calls
 * {@link #setLevel}.
 */
public final class DemoLogging extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LogFormatter layout = new LogFormatter(colorWanted());
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("stderr");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.setLevel(Level.toLevel(System.getProperty("gale.log.level", "info"), Level.INFO));
        String levels = System.getProperty("gale.log.levels", "");
        for (String pair : levels.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                context.getLogger(pair.substring(0, eq).strip()).setLevel(Level.toLevel(pair.substring(eq + 1).strip(), null));
            }
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets the root level: {@code debug}, {@code info}, {@code warning}, {@code error} or {@code none}. */
    public static void setLevel(String level) {
        String l = level.toLowerCase(Locale.ROOT);
        Level lv = switch (l) {
            case "warning" -> Level.WARN;
            case "none" -> Level.OFF;
            default -> Level.toLevel(l, Level.INFO);
        };
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(lv);
        }
    }

    /**
     * {@code always}/{@code never} as set; {@code auto} (the default) means no colour, because a
     * JVM cannot tell whether its standard error is a terminal ({@code System.console()} speaks of
     * standard input and output, and on JDK 22+ costs loading a console provider at start):
     * {@code ./gale-demo} looks ({@code [ -t 2 ]}, {@code TERM}, {@code NO_COLOR}) and passes
     * {@code always} or {@code never}.
     */
    static boolean colorWanted() {
        String setting = System.getProperty("gale.log.color", "auto").toLowerCase(Locale.ROOT);
        return setting.equals("always") || setting.equals("true");
    }
}
