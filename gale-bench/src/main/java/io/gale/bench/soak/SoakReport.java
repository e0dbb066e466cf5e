package io.gale.bench.soak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The soak's acceptance and its markdown report. The first {@link #warmUpSeconds} are warm-up
 * (class loading, JIT, pools and caches filling); after them:
 *
 * <table class="striped">
 * <caption>Acceptance</caption>
 * <tr><th>check</th><th>passes when</th></tr>
 * <tr><td>flat heap</td><td>per process, the median heap after GC of the last three samples exceeds that of the
 *     first three after warm-up by at most max(2 MiB, 10 %)</td></tr>
 * <tr><td>flat descriptors</td><td>per process, the same medians differ by at most 20</td></tr>
 * <tr><td>no unexpected errors</td><td>no exchange failed or answered wrongly (the malformed requests' 4xx are expected answers)</td></tr>
 * </table>
 *
 * RSS and the loop lag are reported, not judged: a JVM's RSS follows its heap's committed size and
 * the allocator's arenas, and the lag on a shared machine follows the other load on it.
 */
final class SoakReport {
    static final long HEAP_SLACK_KIB = 2048;
    static final long FD_SLACK = 20;

    private final List<Sample> samples;
    private final double warmUpSeconds;
    private final List<String> verdicts = new ArrayList<>();
    private boolean pass = true;

    SoakReport(List<Sample> samples, double warmUpSeconds) {
        this.samples = samples;
        this.warmUpSeconds = warmUpSeconds;
    }

    boolean judge(Tally tally) {
        List<Sample> after = samples.stream().filter(s -> s.seconds() >= warmUpSeconds).toList();
        if (after.size() < 4) {
            fail("too few samples after warm-up (" + after.size() + ")");
            return pass;
        }
        heap("demo", after, Sample::demoHeapKib);
        heap("relay", after, Sample::relayHeapKib);
        fds("demo", after, Sample::demoFds);
        fds("relay", after, Sample::relayFds);
        long errors = tally.errorTotal();
        if (errors == 0) {
            verdicts.add("PASS no unexpected errors; " + tally.okTotal() + " exchanges checked correct");
        } else {
            fail(errors + " unexpected errors (see below)");
        }
        return pass;
    }

    private void fail(String what) {
        pass = false;
        verdicts.add("FAIL " + what);
    }

    private void heap(String who, List<Sample> after, java.util.function.ToLongFunction<Sample> f) {
        long first = median(after.subList(0, 3), f);
        long last = median(after.subList(after.size() - 3, after.size()), f);
        long allowed = Math.max(HEAP_SLACK_KIB, first / 10);
        String text = String.format(Locale.ROOT, "%s heap after GC: %.1f MiB after warm-up, %.1f MiB at the end (allowed +%.1f MiB)",
                who, first / 1024.0, last / 1024.0, allowed / 1024.0);
        if (first < 0 || last < 0) {
            fail(who + " heap could not be read");
        } else if (last - first <= allowed) {
            verdicts.add("PASS " + text);
        } else {
            fail(text);
        }
    }

    private void fds(String who, List<Sample> after, java.util.function.ToLongFunction<Sample> f) {
        long first = median(after.subList(0, 3), f);
        long last = median(after.subList(after.size() - 3, after.size()), f);
        String text = String.format(Locale.ROOT, "%s descriptors: %d after warm-up, %d at the end (allowed ±%d)", who, first, last, FD_SLACK);
        if (Math.abs(last - first) <= FD_SLACK && first >= 0) {
            verdicts.add("PASS " + text);
        } else {
            fail(text);
        }
    }

    private static long median(List<Sample> s, java.util.function.ToLongFunction<Sample> f) {
        long[] v = s.stream().mapToLong(f).sorted().toArray();
        return v[v.length / 2];
    }

    String markdown(Tally tally, Map<String, String> facts, String command) {
        StringBuilder b = new StringBuilder();
        b.append("# Soak run: ").append(pass ? "PASS" : "FAIL").append("\n\n");
        b.append("Command: `").append(command).append("`\n\n");
        b.append("| | |\n|---|---|\n");
        facts.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        b.append("\n## Acceptance\n\n");
        for (String v : verdicts) {
            b.append("- ").append(v).append('\n');
        }
        b.append("\n## Traffic\n\n| kind | checked correct | unexpected errors |\n|---|---:|---:|\n");
        tally.perKind().forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v[0]).append(" | ").append(v[1]).append(" |\n"));
        List<String> messages = tally.messages();
        if (!messages.isEmpty()) {
            b.append("\n## First errors\n\n```\n");
            messages.forEach(m -> b.append(m).append('\n'));
            b.append("```\n");
        }
        b.append("\n## Samples (every interval)\n\n![chart](chart.svg)\n\n");
        b.append("| t (s) | demo heap after GC (MiB) | demo RSS (MiB) | demo fds | relay heap (MiB) | relay RSS (MiB) | relay fds | loop lag mean (ms) | exchanges | errors | load1 |\n");
        b.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Sample s : samples) {
            b.append(String.format(Locale.ROOT, "| %.0f | %.1f | %.1f | %d | %.1f | %.1f | %d | %.2f | %d | %d | %.1f |%n", s.seconds(),
                    s.demoHeapKib() / 1024.0, s.demoRssKib() / 1024.0, s.demoFds(), s.relayHeapKib() / 1024.0,
                    s.relayRssKib() / 1024.0, s.relayFds(), s.lagMeanMillis(), s.exchanges(), s.errors(), s.load1()));
        }
        if (!samples.isEmpty()) {
            b.append(String.format(Locale.ROOT, "%nLargest loop lag of the demo since it started: %.0f ms (start-up and warm-up included).%n",
                    samples.get(samples.size() - 1).lagMaxMillis()));
        }
        double[] loads = samples.stream().mapToDouble(Sample::load1).sorted().toArray();
        if (loads.length > 0) {
            b.append(String.format(Locale.ROOT, "%nMachine load (1-minute average) during the run: median %.1f, max %.1f on %d CPUs.%n",
                    loads[loads.length / 2], loads[loads.length - 1], Runtime.getRuntime().availableProcessors()));
        }
        return b.toString();
    }

    static String arrays(long[] v) {
        return Arrays.toString(v);
    }
}
