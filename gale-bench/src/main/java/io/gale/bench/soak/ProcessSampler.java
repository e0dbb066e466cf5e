package io.gale.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads one JVM's footprint from outside: heap in use after a full GC ({@code jcmd PID
 * GC.class_histogram}, its "Total" bytes),
 * RSS ({@code VmRSS} of {@code /proc/PID/status}) and open descriptors ({@code /proc/PID/fd}).
 */
final class ProcessSampler {
    private static final Pattern TOTAL = Pattern.compile("\\s*Total\\s+\\d+\\s+(\\d+)\\s*");

    private final long pid;
    private final Path jcmd;

    ProcessSampler(long pid, Path jcmd) {
        this.pid = pid;
        this.jcmd = jcmd;
    }

    /**
     * Heap in use after a full GC, in KiB; -1 when jcmd failed. {@code GC.class_histogram} runs a
     * full GC and then counts what is live in the same safepoint: its "Total" is the live heap at
     * that moment. ({@code GC.run} then {@code GC.heap_info} would count what was allocated
     * between the two jcmd processes too, seconds on a loaded machine.)
     */
    long heapAfterGcKib() {
        try {
            String histogram = run("GC.class_histogram");
            for (String line : histogram.split("\n")) {
                Matcher m = TOTAL.matcher(line);
                if (m.matches()) {
                    return Long.parseLong(m.group(1)) / 1024;
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private String run(String command) throws IOException {
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("jcmd " + command + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            p.destroy();
        }
    }

    long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone
        }
        return -1;
    }

    long descriptors() {
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
