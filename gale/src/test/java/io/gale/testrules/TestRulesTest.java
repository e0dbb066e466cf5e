package io.gale.testrules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rules of docs/testing.md that a reading of the sources can check, over every module's test
 * sources (gale, gale-testing, gale-demos, gale-bench, gale-guide, and the test gale-archetype
 * generates):
 *
 * <ul>
 *   <li>every class that declares tests is bounded by a JUnit {@code @Timeout} (on the class, or
 *       on each test method). Classes whose only tests are Jazzer {@code @FuzzTest}s are exempt:
 *       a regression run executes the stored inputs only, and a campaign is bounded by its
 *       {@code maxDuration};</li>
 *   <li>{@code Thread.sleep} (or {@code parkNanos}, {@code TimeUnit}'s sleep) is not
 *       synchronisation: each call says why it is not, with a
 *       comment holding "not synchronisation" on its line or the two lines above (a handler
 *       that blocks on purpose, a bounded poll of a condition, time that must pass);</li>
 *   <li>no upper bound on elapsed wall-clock time: a slow machine must not fail a test. A lower
 *       bound (a timer that must not fire early) is allowed: load cannot break it.</li>
 * </ul>
 *
 * <p>Text rules on purpose: a check that needs no compiler runs in a second and is obvious
 * to read. Each rule is also checked against a counter-example, so the check itself can fail.
 */
@Timeout(60)
class TestRulesTest {
    private static final Pattern TEST_ANNOTATION = Pattern.compile(
            "^\\s*@(Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate)\\b", Pattern.MULTILINE);
    private static final Pattern FUZZ_ANNOTATION = Pattern.compile("^\\s*@FuzzTest\\b", Pattern.MULTILINE);
    private static final Pattern TIMEOUT_ANNOTATION = Pattern.compile("^\\s*@Timeout\\b", Pattern.MULTILINE);
    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
            "^(public |abstract |final |sealed |non-sealed )*(class|interface|record|enum) ", Pattern.MULTILINE);
    private static final Pattern ELAPSED = Pattern.compile("nanoTime|currentTimeMillis|elapsed|Duration\\.between");
    private static final Pattern UPPER_BOUND = Pattern.compile("\\.(isLessThan|isLessThanOrEqualTo|isBetween|isStrictlyBetween)\\(");
    private static final String SLEEP_REASON = "not synchronisation";
    /** Ways to wait for time to pass: Thread.sleep, LockSupport.parkNanos, TimeUnit's sleep. */
    private static final Pattern SLEEP = Pattern.compile(
            "Thread\\.sleep\\(|parkNanos\\(|(NANOSECONDS|MICROSECONDS|MILLISECONDS|SECONDS|MINUTES)\\.sleep\\(");

    @Test
    void everyTestClassRunsUnderATimeout() {
        List<String> missing = new ArrayList<>();
        for (Path file : testSources()) {
            String problem = timeoutProblem(read(file));
            if (problem != null) {
                missing.add(file + ": " + problem);
            }
        }
        assertThat(missing).as("test classes without @Timeout").isEmpty();
    }

    @Test
    void sleepsSayWhyTheyAreNotSynchronisation() {
        List<String> found = new ArrayList<>();
        for (Path file : testSources()) {
            found.addAll(unexplainedSleeps(file.toString(), read(file)));
        }
        assertThat(found).as("Thread.sleep without a '" + SLEEP_REASON + "' comment").isEmpty();
    }

    @Test
    void noUpperBoundOnElapsedTime() {
        List<String> found = new ArrayList<>();
        for (Path file : testSources()) {
            found.addAll(upperBoundsOnElapsedTime(file.toString(), read(file)));
        }
        assertThat(found).as("assertions that a slow machine could fail").isEmpty();
    }

    @Test
    void theRulesCatchTheirCounterExamples() {
        assertThat(timeoutProblem("class A {\n    @Test\n    void a() {}\n}\n")).isNotNull();
        assertThat(timeoutProblem("@Timeout(5)\nclass A {\n    @Test\n    void a() {}\n}\n")).isNull();
        assertThat(timeoutProblem("class A {\n    @Test\n    @Timeout(5)\n    void a() {}\n    @Test\n    void b() {}\n}\n"))
                .isNotNull();
        assertThat(timeoutProblem("class A {\n    @FuzzTest\n    void a(byte[] b) {}\n}\n")).isNull();
        assertThat(timeoutProblem("class Helper {\n    void a() {}\n}\n")).isNull();

        assertThat(unexplainedSleeps("A", "void a() {\n    Thread.sleep(10);\n}\n")).hasSize(1);
        assertThat(unexplainedSleeps("A", "void a() {\n    LockSupport.parkNanos(5_000_000);\n}\n")).hasSize(1);
        assertThat(unexplainedSleeps("A", "void a() {\n    TimeUnit.MILLISECONDS.sleep(5);\n}\n")).hasSize(1);
        assertThat(unexplainedSleeps("A", "void a() {\n    // not synchronisation: a handler that blocks\n\n    Thread.sleep(10);\n}\n"))
                .isEmpty();

        assertThat(upperBoundsOnElapsedTime("A", "assertThat(System.nanoTime() - start).isLessThan(100);\n")).hasSize(1);
        assertThat(upperBoundsOnElapsedTime("A", "assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(5));\n"))
                .isEmpty();
        assertThat(upperBoundsOnElapsedTime("A", "assertThat(size).isLessThan(100);\n")).isEmpty();
    }

    /** Null when {@code source} declares no test or is bounded; else what is wrong. */
    static String timeoutProblem(String source) {
        long tests = TEST_ANNOTATION.matcher(source).results().count();
        if (tests == 0) {
            return null; // a helper, or a class of Jazzer targets only
        }
        var typeStart = TOP_LEVEL_TYPE.matcher(source);
        int classLine = typeStart.find() ? typeStart.start() : source.length();
        var timeouts = TIMEOUT_ANNOTATION.matcher(source);
        long methodTimeouts = 0;
        while (timeouts.find()) {
            if (timeouts.start() < classLine) {
                return null;
            }
            methodTimeouts++;
        }
        return methodTimeouts >= tests ? null : tests + " tests, " + methodTimeouts + " with @Timeout, none on the class";
    }

    static List<String> unexplainedSleeps(String name, String source) {
        List<String> found = new ArrayList<>();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (SLEEP.matcher(lines[i]).find() && !explained(lines, i)) {
                found.add(name + ":" + (i + 1) + ": " + lines[i].strip());
            }
        }
        return found;
    }

    private static boolean explained(String[] lines, int i) {
        for (int j = Math.max(0, i - 2); j <= i; j++) {
            if (lines[j].contains(SLEEP_REASON)) {
                return true;
            }
        }
        return false;
    }

    static List<String> upperBoundsOnElapsedTime(String name, String source) {
        List<String> found = new ArrayList<>();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.contains("assertThat(") && ELAPSED.matcher(line).find() && UPPER_BOUND.matcher(line).find()) {
                found.add(name + ":" + (i + 1) + ": " + line.strip());
            }
        }
        return found;
    }

    /** The test sources of every module; the build runs this from gale/, the repository one up. */
    private static List<Path> testSources() {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> roots = List.of(root.resolve("gale/src/test/java"), root.resolve("gale-testing/src/test/java"),
                root.resolve("gale-testing/src/shared/java"), root.resolve("gale-demos/src/test/java"),
                root.resolve("gale-bench/src/test/java"), root.resolve("gale-guide/src/test/java"),
                root.resolve("gale-archetype/src/main/resources/archetype-resources/src/test/java"));
        List<Path> files = new ArrayList<>();
        for (Path dir : roots) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                // this file's counter-examples would trip its own rules
                walk.filter(p -> p.toString().endsWith(".java") && !p.endsWith("TestRulesTest.java"))
                        .sorted()
                        .forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertThat(files).as("test sources under " + root).hasSizeGreaterThan(100);
        return files;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
