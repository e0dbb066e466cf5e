package io.gale.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.gale.httpclient.HttpResponse;
import io.gale.web.Application;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The rules {@link GaleTest} enforces, checked by running small test classes (the fixtures below,
 * enabled only while this test runs them) in JUnit's engine test kit: each must fail, or pass, for
 * the right reason.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GaleExtensionRulesTest {
    private static final String FIXTURES = "gale.testing.fixtures";

    @BeforeEach
    void enableFixtures() {
        System.setProperty(FIXTURES, "true");
    }

    @AfterEach
    void disableFixtures() {
        System.clearProperty(FIXTURES);
        System.clearProperty("gale.test.timeout");
    }

    private static Events run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().testEvents();
    }

    private static Throwable onlyFailure(Events events) {
        List<Event> failed = events.failed().list();
        assertThat(failed).hasSize(1);
        return failed.get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
    }

    @Test
    void anUnexpectedErrorLineFailsTheTest() {
        Throwable t = onlyFailure(run(LogsAnError.class));
        assertThat(t).isInstanceOf(AssertionError.class).hasMessageContaining("unexpected ERROR log line")
                .hasMessageContaining("gale.application").hasMessageContaining("Uncaught exception GET /fail");
    }

    @Test
    void allowErrorLogsLetsItPass() {
        run(AllowsErrors.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Test
    void aBlockedLoopFailsTheTestWithTheLoopsStack() {
        Throwable t = onlyFailure(run(BlocksTheLoop.class));
        assertThat(t).hasMessageContaining("was blocked for");
        // Class loading on a busy machine may hold the loop past the threshold too: one of the
        // reports (each a failure with the loop's stack) is the handler's.
        List<Throwable> reports = new java.util.ArrayList<>(List.of(t.getSuppressed()));
        reports.add(t);
        assertThat(reports).anyMatch(r -> java.util.Arrays.stream(r.getStackTrace())
                .anyMatch(e -> e.getClassName().equals(TodoApp.Block.class.getName())));
    }

    @Test
    void aTestWithoutTimeoutGetsTheDefaultLimit() {
        System.setProperty("gale.test.timeout", "0.3");
        Throwable t = onlyFailure(run(NeverFinishes.class));
        assertThat(t).isInstanceOf(java.util.concurrent.TimeoutException.class).hasMessageContaining("timed out after 300 ms");
    }

    @Test
    void oneServerPerClass() {
        run(SharedServer.class).assertStatistics(s -> s.succeeded(2).failed(0));
        assertThat(SharedServer.ports).hasSize(2).containsOnly(SharedServer.ports.get(0));
    }

    @Test
    void aPerClassServerNeedsAStaticApplicationOrOneInstance() {
        Throwable t = onlyFailure(run(InstanceAppPerClass.class));
        assertThat(t).hasMessageContaining("is not static, but the server is shared by the class");
    }

    @Test
    void noApplicationIsSaid() {
        assertThat(onlyFailure(run(NoApplication.class))).hasMessageContaining("has no @TestApplication");
    }

    // ------------------------------------------------------------------------------ fixtures

    @GaleTest
    @EnabledIfSystemProperty(named = FIXTURES, matches = "true")
    static class LogsAnError {
        @TestApplication
        static Application app() {
            return TodoApp.application();
        }

        @Test
        void fails(TestServer server) {
            assertThat(server.fetch("/fail").code()).isEqualTo(500);
        }
    }

    @GaleTest
    @EnabledIfSystemProperty(named = FIXTURES, matches = "true")
    static class AllowsErrors {
        @TestApplication
        static Application app() {
            return TodoApp.application();
        }

        @Test
        @AllowErrorLogs("the 500 is the point")
        void passes(TestServer server) {
            assertThat(server.fetch("/fail").code()).isEqualTo(500);
        }
    }

    @GaleTest(blockedThresholdMillis = 200)
    @EnabledIfSystemProperty(named = FIXTURES, matches = "true")
    static class BlocksTheLoop {
        @TestApplication
        Application app = TodoApp.application();

        @Test
        void blocks(TestServer server) {
            HttpResponse r = server.fetch("/block?ms=1500");
            assertThat(r.text()).isEqualTo("slept");
        }
    }

    @GaleTest
    @EnabledIfSystemProperty(named = FIXTURES, matches = "true")
    static class NeverFinishes {
        @Test
        void waits() {
            GaleTesting.await(new CompletableFuture<>(), java.time.Duration.ofMinutes(5));
        }
    }

    @GaleTest(lifecycle = GaleTest.Lifecycle.PER_CLASS)
    @EnabledIfSystemProperty(named = FIXTURES, matches = "true")
    static class SharedServer {
        static final List<Integer> ports = new java.util.concurrent.CopyOnWriteArrayList<>();

        @TestApplication
        static final Application APP = TodoApp.application();

        @Test
        void first(TestServer server) {
            ports.add(server.port());
        }

        @Test
        void second(TestServer server) {
            ports.add(server.port());
        }
    }

    @GaleTest(lifecycle = GaleTest.Lifecycle.PER_CLASS)
    @EnabledIfSystemProperty(named = FIXTURES, matches = "true")
    static class InstanceAppPerClass {
        @TestApplication
        Application app = TodoApp.application();

        @Test
        void test(TestServer server) {
        }
    }

    @GaleTest
    @EnabledIfSystemProperty(named = FIXTURES, matches = "true")
    static class NoApplication {
        @Test
        void test(TestServer server) {
        }
    }
}
