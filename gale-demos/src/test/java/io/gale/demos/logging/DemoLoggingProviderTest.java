package io.gale.demos.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import io.gale.demos.testing.DemoProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SLF4J provider the demos name: the same Logback context as Logback's own provider with
 * {@link DemoLogging} as its configurator, without Logback's class-path scans.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DemoLoggingProviderTest {
    @Test
    void configuresLogbackAsDemoLoggingDoes() {
        DemoLoggingProvider provider = new DemoLoggingProvider(); // a context of its own: SLF4J's is untouched
        provider.initialize();
        LoggerContext context = (LoggerContext) provider.getLoggerFactory();
        assertThat(context.getName()).isEqualTo("default");
        assertThat(context.isStarted()).isTrue();
        assertThat(context.getMDCAdapter()).isSameAs(provider.getMDCAdapter());
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender("stderr")).isInstanceOf(ConsoleAppender.class);
        assertThat(root.getAppender("stderr").isStarted()).isTrue();
        assertThat(root.getLevel()).isEqualTo(Level.toLevel(System.getProperty("gale.log.level", "info")));
        context.stop();
    }

    /** End to end: a demo started as ./gale-demo starts it logs its access lines in Tornado's format. */
    @Test
    void aDemoLogsThroughIt() throws Exception {
        try (DemoProcess demo = DemoProcess.start("helloworld", "--logging=info");
                HttpClient client = HttpClient.newHttpClient()) {
            for (String path : new String[] {"/", "/missing"}) {
                client.send(HttpRequest.newBuilder(URI.create(demo.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.discarding());
            }
            demo.terminate(Duration.ofSeconds(20));
            assertThat(demo.outputTail().lines())
                    .anyMatch(l -> l.matches("\\[I \\d{6} \\d\\d:\\d\\d:\\d\\d access] 200 GET / \\(127\\.0\\.0\\.1\\) [\\d.]+ms"))
                    .anyMatch(l -> l.matches("\\[W \\d{6} \\d\\d:\\d\\d:\\d\\d access] 404 GET /missing \\(127\\.0\\.0\\.1\\) [\\d.]+ms"))
                    .noneMatch(l -> l.contains("SLF4J"));
        }
    }
}
