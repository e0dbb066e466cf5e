package io.gale.guide;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the user's guide ({@code docs/guide/*.md}) and its samples in step, so that no sample can
 * rot: every fenced block that follows a marker
 *
 * <pre>{@code <!-- sample: gale-guide/src/test/java/io/gale/guide/intro/HelloWorld.java#app -->}</pre>
 *
 * must equal the region of that file between the lines holding {@code tag::app[]} and
 * {@code end::app[]} (other marker lines inside it dropped, common indentation removed), or the
 * whole file when the marker names no tag. Every {@code ```java} block must have a marker, and a
 * marked Java sample must be a test itself or be named by a {@code *Test.java} in its own
 * directory, so each sample is compiled and run by this module's tests.
 *
 * <p>After editing a sample, {@code -Dgale.guide.update=true} rewrites the guide's blocks from
 * the sources (then review the diff).
 */
@Timeout(30)
class GuideSamplesTest {
    private static final Pattern MARKER = Pattern.compile("^<!-- sample: (\\S+?)(?:#([\\w-]+))? -->\\s*$");
    private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");

    static Path repository() {
        return Path.of(System.getProperty("gale.repository", "..")).toAbsolutePath().normalize();
    }

    static List<Path> chapters() throws IOException {
        try (Stream<Path> files = Files.list(repository().resolve("docs/guide"))) {
            return files.filter(f -> f.toString().endsWith(".md")).sorted().toList();
        }
    }

    @Test
    void everySampleInTheGuideIsItsSource() throws IOException {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path chapter : chapters()) {
            checked += check(chapter, Boolean.getBoolean("gale.guide.update"), problems);
        }
        assertThat(problems).as("guide samples").isEmpty();
        assertThat(checked).as("samples checked").isGreaterThan(20);
    }

    @Test
    void aChangedOrUnmarkedSampleIsReported(@TempDir Path dir) throws IOException {
        String marker = "<!-- sample: gale-guide/src/test/java/io/gale/guide/intro/HelloWorld.java#app -->";
        List<String> source = sample("gale-guide/src/test/java/io/gale/guide/intro/HelloWorld.java", "app");
        List<String> good = new ArrayList<>(List.of("# t", marker, "```java"));
        good.addAll(source);
        good.add("```");
        Path chapter = dir.resolve("t.md");
        Files.write(chapter, good);
        List<String> problems = new ArrayList<>();
        assertThat(check(chapter, false, problems)).isEqualTo(1);
        assertThat(problems).isEmpty();

        List<String> edited = new ArrayList<>(good);
        edited.set(5, edited.get(5) + " // edited in the guide only");
        Files.write(chapter, edited);
        check(chapter, false, problems);
        assertThat(problems).singleElement().asString().contains("t.md:3: differs from");

        problems.clear();
        check(chapter, true, problems);                       // update mode rewrites the block
        assertThat(Files.readAllLines(chapter)).isEqualTo(good);

        Files.write(chapter, List.of("```java", "class Unchecked {}", "```",
                "<!-- sample: gale-guide/nowhere/X.java#a -->", "```java", "```",
                "<!-- sample: gale-guide/src/test/java/io/gale/guide/intro/HelloWorld.java#nope -->", "```java", "```"));
        check(chapter, false, problems);
        assertThat(problems).hasSize(3);
        assertThat(problems.get(0)).contains("without a <!-- sample");
        assertThat(problems.get(1)).contains("no file gale-guide/nowhere/X.java");
        assertThat(problems.get(2)).contains("no region tag::nope[]");
    }

    /** Checks (or with {@code update} rewrites) one chapter's samples; returns how many it compared. */
    static int check(Path chapter, boolean update, List<String> problems) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(chapter));
        boolean changed = false;
        int checked = 0;
        String where = chapter.startsWith(repository()) ? repository().relativize(chapter).toString()
                : chapter.getFileName().toString();
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (!fence.matches() || fence.group(1).isEmpty()) {
                continue;
            }
            int end = closingFence(lines, i + 1);
            if (end < 0) {
                problems.add(where + ":" + (i + 1) + ": unclosed code block");
                break;
            }
            Matcher marker = i > 0 ? MARKER.matcher(lines.get(i - 1)) : null;
            if (marker == null || !marker.matches()) {
                if (fence.group(1).equals("java")) {
                    problems.add(where + ":" + (i + 1) + ": a java block without a <!-- sample: path#tag --> marker");
                }
                i = end;
                continue;
            }
            List<String> expected;
            try {
                expected = sample(marker.group(1), marker.group(2));
            } catch (IllegalStateException | IOException e) {
                problems.add(where + ":" + i + ": " + e.getMessage());
                i = end;
                continue;
            }
            List<String> actual = lines.subList(i + 1, end);
            checked++;
            if (!actual.equals(expected)) {
                if (update) {
                    actual.clear();
                    actual.addAll(expected);
                    changed = true;
                    end = i + 1 + expected.size();
                } else {
                    problems.add(where + ":" + (i + 1) + ": differs from " + marker.group(1)
                            + (marker.group(2) == null ? "" : "#" + marker.group(2))
                            + " (-Dgale.guide.update=true rewrites it)\n--- guide\n" + String.join("\n", actual)
                            + "\n--- source\n" + String.join("\n", expected));
                }
            }
            i = end;
        }
        if (changed) {
            Files.write(chapter, lines);
        }
        return checked;
    }

    private static int closingFence(List<String> lines, int from) {
        for (int j = from; j < lines.size(); j++) {
            if (lines.get(j).equals("```")) {
                return j;
            }
        }
        return -1;
    }

    /** True when a {@code *Test.java} in the sample's own directory names its class. */
    private static boolean testedBeside(Path sample) throws IOException {
        Pattern name = Pattern.compile("\\b" + Pattern.quote(sample.getFileName().toString().replace(".java", "")) + "\\b");
        try (Stream<Path> files = Files.list(sample.getParent())) {
            for (Path f : files.filter(f -> f.toString().endsWith("Test.java")).toList()) {
                if (name.matcher(Files.readString(f)).find()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The lines of a sample: a tagged region of a file, or the whole file. */
    static List<String> sample(String path, String tag) throws IOException {
        Path file = repository().resolve(path);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no file " + path);
        }
        if (path.endsWith(".java") && !path.endsWith("Test.java") && !testedBeside(file)) {
            throw new IllegalStateException(path + ": no test in its package uses "
                    + file.getFileName().toString().replace(".java", ""));
        }
        List<String> all = Files.readAllLines(file);
        List<String> region = new ArrayList<>();
        if (tag == null) {
            region.addAll(all);
        } else {
            int start = -1;
            int stop = -1;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).contains("tag::" + tag + "[]")) {
                    if (start >= 0) {
                        throw new IllegalStateException(path + ": tag " + tag + " twice");
                    }
                    start = i;
                } else if (all.get(i).contains("end::" + tag + "[]")) {
                    stop = i;
                }
            }
            if (start < 0 || stop < start) {
                throw new IllegalStateException(path + ": no region tag::" + tag + "[] ... end::" + tag + "[]");
            }
            for (String line : all.subList(start + 1, stop)) {
                if (!line.contains("tag::") && !line.contains("end::")) {
                    region.add(line);
                }
            }
        }
        while (!region.isEmpty() && region.get(region.size() - 1).isBlank()) {
            region.remove(region.size() - 1);
        }
        int indent = region.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return region.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
    }
}
