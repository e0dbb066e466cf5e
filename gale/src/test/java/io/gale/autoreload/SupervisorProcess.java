package io.gale.autoreload;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The supervisor as a real process for the dev-mode tests:
 * {@code java -cp TEST_CLASSPATH:APP io.gale.autoreload.Autoreload OPTIONS app.Main}, its output
 * (and its children's, which inherit it) read line by line; tests wait for the supervisor's own
 * lines. {@link #close} ends it with TERM (its shutdown hook stops the children), then kills what
 * is left of the process tree.
 */
final class SupervisorProcess implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = new CopyOnWriteArrayList<>();

    SupervisorProcess(Path appClasses, List<String> supervisorOptions, String mainClass) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // quick starts on a shared machine; the children inherit these flags
        cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path") + java.io.File.pathSeparator + appClasses);
        cmd.add(Autoreload.class.getName());
        cmd.addAll(supervisorOptions);
        cmd.add(mainClass);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Thread.ofPlatform().daemon().name("supervisor-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    all.add(line);
                    lines.add(line);
                }
            } catch (IOException e) {
                // process gone
            }
        });
    }

    /**
     * Waits for the next line matching {@code regex} (lines before it are consumed).
     *
     * @return the match
     * @throws AssertionError with the whole output when it does not come in time
     */
    Matcher awaitLine(String regex, Duration timeout) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no line matching /" + regex + "/ within " + timeout + "; output:\n" + output());
            }
            Matcher m = p.matcher(line);
            if (m.find()) {
                return m;
            }
        }
    }

    String output() {
        return String.join("\n", all);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        for (ProcessHandle h : tree) {
            h.destroyForcibly();
        }
    }
}
