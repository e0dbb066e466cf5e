package io.gale.autoreload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dev mode end to end: a real supervisor process and real child JVMs, the application compiled
 * at test time into the watched class directory. One run per way of watching (the JDK's
 * {@code WatchService} and polling), each walking: first version serving; a class edited and
 * recompiled while a client opens a new connection after another and a request is in flight →
 * the new version answers, no connection failed, the request in flight was answered by the old
 * version as it drained; a class file that cannot be loaded → the new child fails, the old one
 * keeps serving; a main that throws → the same; fixed → the newest version serves.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AutoreloadProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"watch-service", "polling"})
    void restartsOnChangesAndKeepsServingThroughFailures(String watcher) throws Exception {
        TestApp app = new TestApp(dir);
        app.writeAll("v1");
        try (SupervisorProcess supervisor = new SupervisorProcess(app.classes(),
                List.of("--watcher=" + watcher, "--quiet-period=50ms", "--poll-interval=100ms", "--drain-timeout=20s"),
                TestApp.MAIN)) {
            supervisor.awaitLine("supervising app\\.Main; watching .* by " + (watcher.equals("polling") ? "polling" : "WatchService"), WAIT);
            Matcher serving = supervisor.awaitLine("version 1 \\(pid \\d+\\) serving on 127\\.0\\.0\\.1:(\\d+)", WAIT);
            int port = Integer.parseInt(serving.group(1));
            assertThat(TestApp.get(port, "/")).isEqualTo(Map.entry(200, "v1"));

            // a request in flight across the restart, and new connections one after another throughout it
            CompletableFuture<Map.Entry<Integer, String>> slow = CompletableFuture.supplyAsync(() -> fetch(port, "/slow"));
            Hammer hammer = new Hammer(port);
            hammer.awaitFirstAnswers();

            app.changeHello("v2");
            supervisor.awaitLine("file.*changed: starting version 2", WAIT);
            supervisor.awaitLine("version 2 \\(pid \\d+\\) serving on 127\\.0\\.0\\.1:" + port + ", \\d+ ms after the change", WAIT);
            assertThat(TestApp.get(port, "/")).isEqualTo(Map.entry(200, "v2"));
            assertThat(slow.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("answered by version 1 while it drained")
                    .isEqualTo(Map.entry(200, "slow done"));
            supervisor.awaitLine("version 1 \\(pid \\d+\\) stopped", WAIT);
            hammer.stop();
            assertThat(hammer.failures).as("requests that failed during the restart").isEmpty();
            assertThat(hammer.answers.get()).as("requests answered during the restart").isGreaterThan(1);
            assertThat(hammer.bodies).contains("v1", "v2");

            app.corruptHello();
            supervisor.awaitLine("version 3 \\(pid \\d+\\) failed to start \\(cannot load app\\.Hello: java\\.lang\\.ClassFormatError.*\\); "
                    + "version 2 \\(pid \\d+\\) keeps serving", WAIT);
            assertThat(TestApp.get(port, "/")).isEqualTo(Map.entry(200, "v2"));

            app.changeHello("v4");
            app.breakMain();
            supervisor.awaitLine("version \\d+ \\(pid \\d+\\) failed to start \\(exit status 1\\); version 2 \\(pid \\d+\\) keeps serving", WAIT);
            assertThat(supervisor.output()).contains("java.lang.IllegalStateException: broken on purpose");
            assertThat(TestApp.get(port, "/")).isEqualTo(Map.entry(200, "v2"));

            app.fixMain();
            supervisor.awaitLine("version \\d+ \\(pid \\d+\\) serving on 127\\.0\\.0\\.1:" + port, WAIT);
            assertThat(TestApp.get(port, "/")).isEqualTo(Map.entry(200, "v4"));
        }
    }

    private static Map.Entry<Integer, String> fetch(int port, String path) {
        try {
            return TestApp.get(port, path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** New connections one after another on a thread of its own, each a GET of {@code /}. */
    private static final class Hammer {
        final List<String> failures = new CopyOnWriteArrayList<>();
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final AtomicInteger answers = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final CompletableFuture<Void> first = new CompletableFuture<>();
        private final Thread thread;

        Hammer(int port) {
            thread = Thread.ofPlatform().name("hammer").start(() -> {
                while (running.get()) {
                    try {
                        Map.Entry<Integer, String> r = TestApp.get(port, "/");
                        if (r.getKey() != 200) {
                            failures.add("status " + r);
                        } else if (!bodies.contains(r.getValue())) {
                            bodies.add(r.getValue());
                        }
                        answers.incrementAndGet();
                        first.complete(null);
                    } catch (IOException | RuntimeException e) {
                        failures.add(e.toString());
                    }
                }
            });
        }

        void awaitFirstAnswers() throws Exception {
            first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(WAIT.toMillis());
        }
    }
}
