package io.gale.autoreload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dev mode with {@code --sources}: the supervisor compiles saved sources itself. A saved edit →
 * compiled (with the class that names it), one restart for the compile's class files, the new
 * version serves; a source that does not compile → javac's error printed, the serving version
 * keeps serving and no restart happens; fixed → the next version serves.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class AutoreloadSourcesTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void compilesSavedSourcesAndKeepsServingThroughACompileError() throws Exception {
        TestApp app = new TestApp(dir);
        app.writeAll("v1");
        try (SupervisorProcess supervisor = new SupervisorProcess(app.classes(),
                List.of("--sources=" + app.sources(), "--quiet-period=50ms"), TestApp.MAIN)) {
            Matcher serving = supervisor.awaitLine("version 1 \\(pid \\d+\\) serving on 127\\.0\\.0\\.1:(\\d+)", WAIT);
            int port = Integer.parseInt(serving.group(1));
            assertThat(TestApp.get(port, "/")).isEqualTo(Map.entry(200, "v1"));

            app.editHello("v2");
            // Main names Hello, so it is compiled with it
            supervisor.awaitLine("compiled Hello\\.java and 1 file using it in \\d+ ms", WAIT);
            // javac writes the class files one after the other: one restart for all (version 2)
            supervisor.awaitLine("\\d files? \\(.*Hello\\.class.*\\) changed: starting version 2", WAIT);
            supervisor.awaitLine("version 2 \\(pid \\d+\\) serving on 127\\.0\\.0\\.1:" + port + ", \\d+ ms after the change", WAIT);
            assertThat(TestApp.get(port, "/")).isEqualTo(Map.entry(200, "v2"));

            app.editHelloBroken();
            supervisor.awaitLine("compile failed \\(Hello\\.java\\); version 2 \\(pid \\d+\\) keeps serving", WAIT);
            supervisor.awaitLine("Hello\\.java:\\d+: error: cannot find symbol", WAIT);
            assertThat(TestApp.get(port, "/")).isEqualTo(Map.entry(200, "v2"));

            app.editHello("v3");
            supervisor.awaitLine("compiled Hello\\.java", WAIT);
            supervisor.awaitLine("version 3 \\(pid \\d+\\) serving on 127\\.0\\.0\\.1:" + port, WAIT);
            assertThat(TestApp.get(port, "/")).isEqualTo(Map.entry(200, "v3"));
            assertThat(supervisor.output()).as("the broken source started no version").doesNotContain("failed to start")
                    .doesNotContain("starting version 4");
        }
    }
}
