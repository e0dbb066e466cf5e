package io.gale.bench.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The soak (issue 18): the httpbin demo ({@code ./gale-demo httpbin}) and a relay ({@link SoakRelay})
 * started in processes of their own, {@link SoakTraffic} against them for {@code --minutes}, and
 * every {@code --interval} seconds a {@link Sample} of both processes (heap after a full GC, RSS,
 * descriptors), the demo's loop lag from its {@code /metrics}, and the exchanges and errors of
 * the interval. Writes {@code samples.csv}, {@code chart.svg} and {@code report.md} to
 * {@code --out} and exits 1 when the acceptance ({@link SoakReport}) fails. Started by
 * {@code gale-bench/run-soak}, which builds first.
 */
public final class SoakRun {
    private SoakRun() {
    }

    public static void main(String[] args) throws Exception {
        double minutes = 10;
        int interval = 10;
        int port = 18990;
        Path out = null;
        Path repo = Path.of(".").toAbsolutePath().normalize();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--minutes" -> minutes = Double.parseDouble(args[i + 1]);
                case "--interval" -> interval = Integer.parseInt(args[i + 1]);
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                case "--repo" -> repo = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (allowed: --minutes --interval --port --out --repo)");
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out DIR is required");
        }
        Files.createDirectories(out.resolve("logs"));
        Path javaBin = Path.of(ProcessHandle.current().info().command().orElseThrow());
        Path jcmd = javaBin.resolveSibling("jcmd");
        int relayPort = port + 1;

        Process demo = new ProcessBuilder(repo.resolve("gale-demo").toString(), "httpbin", "--port", Integer.toString(port),
                "--address", "127.0.0.1").directory(repo.toFile()).redirectErrorStream(true)
                .redirectOutput(out.resolve("logs/httpbin.log").toFile()).start();
        Process relay = null;
        int status = 2;
        try {
            awaitLine(out.resolve("logs/httpbin.log"), "listening on", demo, Duration.ofMinutes(5));
            String cp = System.getProperty("java.class.path");
            relay = new ProcessBuilder(javaBin.toString(), "-Xmx256m", "-cp", cp, SoakRelay.class.getName(), "--port",
                    Integer.toString(relayPort), "--upstream", Integer.toString(port)).redirectErrorStream(true)
                    .redirectOutput(out.resolve("logs/relay.log").toFile()).start();
            awaitLine(out.resolve("logs/relay.log"), "relay listening on", relay, Duration.ofMinutes(1));
            status = soak(demo.pid(), relay.pid(), port, relayPort, minutes, interval, jcmd, out,
                    String.format(Locale.ROOT, "gale-bench/run-soak --minutes %s", minutes == Math.rint(minutes)
                            ? Long.toString((long) minutes) : Double.toString(minutes)));
        } finally {
            stop(relay);
            stop(demo);
        }
        System.exit(status);
    }

    private static int soak(long demoPid, long relayPid, int port, int relayPort, double minutes, int interval, Path jcmd,
            Path out, String command) throws Exception {
        Tally tally = new Tally(SoakTraffic.KINDS);
        SoakTraffic traffic = new SoakTraffic(port, relayPort, tally);
        ProcessSampler demo = new ProcessSampler(demoPid, jcmd);
        ProcessSampler relay = new ProcessSampler(relayPid, jcmd);
        HttpClient metrics = HttpClient.newHttpClient();
        List<Sample> samples = new ArrayList<>();
        String started = Instant.now().toString();
        long t0 = System.nanoTime();
        long end = t0 + (long) (minutes * 60e9);
        traffic.start();
        long lastOk = 0;
        long lastErrors = 0;
        double[] lastLag = lag(metrics, port);
        if (lastLag == null) {
            lastLag = new double[3];
        }
        System.out.println(Sample.CSV_HEADER);
        Path csv = out.resolve("samples.csv");
        Files.writeString(csv, Sample.CSV_HEADER + "\n");
        for (int k = 1; ; k++) {
            long next = t0 + k * (long) interval * 1_000_000_000L;
            long wait = Math.min(next, end) - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait); // the sampling interval: time that must pass
            }
            boolean last = System.nanoTime() >= end;
            if (last) {
                traffic.stop(); // the final sample sees the processes with the traffic over
            }
            long ok = tally.okTotal();
            long errors = tally.errorTotal();
            double[] lag = lag(metrics, port);
            double lagMean = lag == null || lag[1] - lastLag[1] <= 0 ? -1 : (lag[0] - lastLag[0]) / (lag[1] - lastLag[1]) * 1000;
            if (lag != null) {
                lastLag = lag;
            }
            Sample s = new Sample((System.nanoTime() - t0) / 1e9, demo.heapAfterGcKib(), demo.rssKib(), demo.descriptors(),
                    relay.heapAfterGcKib(), relay.rssKib(), relay.descriptors(), lagMean, lag == null ? -1 : lag[2] * 1000,
                    ok - lastOk, errors - lastErrors, load1());
            lastOk = ok;
            lastErrors = errors;
            samples.add(s);
            System.out.println(s.csv());
            Files.writeString(csv, s.csv() + "\n", java.nio.file.StandardOpenOption.APPEND);
            if (last) {
                break;
            }
        }
        double warmUp = Math.min(60, minutes * 60 / 5);
        SoakReport report = new SoakReport(samples, warmUp);
        boolean pass = report.judge(tally);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("started (UTC)", started);
        facts.put("duration", String.format(Locale.ROOT, "%.1f min, a sample every %d s, warm-up %.0f s", minutes, interval, warmUp));
        facts.put("commit", git("rev-parse", "--short", "HEAD"));
        facts.put("JDK", System.getProperty("java.vm.name") + " " + Runtime.version());
        facts.put("CPUs", Integer.toString(Runtime.getRuntime().availableProcessors()));
        facts.put("demo", "`./gale-demo httpbin --port " + port + " --address 127.0.0.1` (the launcher's default JVM flags: -Xmx256m, Serial GC, C1)");
        facts.put("relay", "`SoakRelay` (-Xmx256m, JDK defaults otherwise): GET /relay/{id} fetches /anything/relay-{id} from the demo with AsyncHttpClient");
        Files.writeString(out.resolve("chart.svg"), SoakChart.svg(samples, "Gale soak: httpbin demo and relay, " + started));
        Files.writeString(out.resolve("report.md"), report.markdown(tally, facts, command));
        System.out.println(report.markdown(tally, facts, command));
        return pass ? 0 : 1;
    }

    /**
     * The demo's lag probes from its {@code /metrics}, all loops together: the sum of their lags and
     * their count ({@code gale_ioloop_lag_probes_seconds_sum}, {@code _count}) and the largest
     * lag seen since start ({@code gale_ioloop_lag_max_seconds}), in seconds; null if unreadable.
     */
    static double[] lag(HttpClient client, int port) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            double[] v = new double[3];
            for (String line : r.body().split("\n")) {
                double x = line.startsWith("gale_ioloop_lag") ? Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) : 0;
                if (line.startsWith("gale_ioloop_lag_probes_seconds_sum")) {
                    v[0] += x;
                } else if (line.startsWith("gale_ioloop_lag_probes_seconds_count")) {
                    v[1] += x;
                } else if (line.startsWith("gale_ioloop_lag_max_seconds")) {
                    v[2] = Math.max(v[2], x);
                }
            }
            return v;
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return null;
        }
    }

    private static double load1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static String git(String... args) {
        try {
            List<String> cmd = new ArrayList<>(List.of("git"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            return s;
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    private static void awaitLine(Path log, String text, Process p, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("process exited (" + p.exitValue() + ") before \"" + text + "\": see " + log);
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("no \"" + text + "\" within " + limit + ": see " + log);
            }
            Thread.sleep(100); // a bounded poll of a log file: no event announces the line
        }
    }

    private static void stop(Process p) throws InterruptedException {
        if (p == null) {
            return;
        }
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }
}
