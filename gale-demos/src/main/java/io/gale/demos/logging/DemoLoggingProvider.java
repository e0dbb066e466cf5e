package io.gale.demos.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LogbackServiceProvider;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.CoreConstants;

/**
 * The SLF4J provider the demos name ({@code -Dslf4j.provider}, set by {@code Demos}): Logback,
 * configured by {@link DemoLogging} directly instead of through Logback's auto-configuration.
 *
 * <p>Why: before it asks any configurator, Logback's auto-configuration reads its two jars'
 * version files and lists the {@code Configurator} services of the whole class path, which opens
 * and indexes every jar on it (jars the JVM otherwise never opens when its classes come from the
 * start-up cache). In hello world's start-up profile that was half of Logback's initialisation,
 * 20 ms of CPU on the second core while the main thread starts the server. The result is the
 * same context: the {@code default} name, Logback's MDC adapter, the appender and levels of
 * {@link DemoLogging}.
 *
 * <p>With {@code -Dlogback.configurationFile} set, Logback's own initialisation runs unchanged,
 * so an XML configuration works as it does with Logback's provider.
 */
public final class DemoLoggingProvider extends LogbackServiceProvider {
    @Override
    public void initialize() {
        if (System.getProperty("logback.configurationFile") != null) {
            super.initialize();
            return;
        }
        LoggerContext context = (LoggerContext) getLoggerFactory();
        context.setName(CoreConstants.DEFAULT_CONTEXT_NAME);
        context.setMDCAdapter((LogbackMDCAdapter) getMDCAdapter());
        DemoLogging configurator = new DemoLogging();
        configurator.setContext(context);
        configurator.configure(context);
        context.start();
    }
}
