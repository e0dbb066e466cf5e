package io.gale.demos.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A demo run in a JVM of its own, as {@code ./gale-demo NAME} runs it ({@code io.gale.demos.Demos
 * NAME --port 0 ...}, the test's class path, {@code java.home}'s java): for tests with several
 * server processes (two chat processes sharing a broker, two behind nginx). Ready once it printed
 * {@code listening on HOST:PORT}; {@link #close()} ends it (SIGTERM, then SIGKILL).
 *
 * <p>Output: standard output and error are read by one thread each and the last lines kept for
 * failure messages ({@link #outputTail()}). A demo that exits or does not listen within
 * {@link #START_SECONDS} throws {@link IllegalStateException} with that tail.
 *
 * <p>Threading: for the test thread; a shutdown hook kills a process that was never closed.
 */
public final class DemoProcess implements AutoCloseable {
    public static final int START_SECONDS = 60;
    private static final Pattern LISTENING = Pattern.compile("listening on (.+):(\\d+)$");
    private static final int OUTPUT_LINES = 60;

    private final String demo;
    private final Process process;
    private final ArrayDeque<String> output = new ArrayDeque<>(); // guarded by itself
    /** Standard output alone, first lines kept (a demo prints little there; logs go to standard error). */
    private final List<String> stdout = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Completes when standard output reached its end (everything printed was read). */
    private final CompletableFuture<Void> stdoutEnded = new CompletableFuture<>();
    private final CompletableFuture<Integer> listening = new CompletableFuture<>();
    private final Thread shutdownHook;

    private DemoProcess(String demo, List<String> command) {
        this.demo = demo;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        shutdownHook = new Thread(process::destroyForcibly, "kill-" + demo);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        pump(process.inputReader(StandardCharsets.UTF_8), "out");
        pump(process.errorReader(StandardCharsets.UTF_8), "err");
        process.onExit().thenRun(() -> listening.completeExceptionally(
                new IllegalStateException(demo + " exited with " + process.exitValue())));
    }

    /**
     * Starts {@code ./gale-demo demo --port 0 --logging=warning args...} and waits until it
     * listens.
     *
     * @throws IllegalStateException if it exits or does not listen in time (with its output)
     */
    public static DemoProcess start(String demo, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-cp", System.getProperty("java.class.path"),
                "io.gale.demos.Demos", demo, "--port", "0", "--logging=warning"));
        command.addAll(List.of(args));
        DemoProcess p = new DemoProcess(demo, command);
        try {
            p.listening.get(START_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            p.close();
            throw new IllegalStateException(demo + " did not start listening: " + e.getMessage()
                    + "\n--- output (tail) ---\n" + p.outputTail(), e);
        } catch (InterruptedException e) {
            p.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return p;
    }

    private void pump(BufferedReader reader, String stream) {
        Thread.ofPlatform().daemon().name(demo + "-" + stream).start(() -> {
            try (reader) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (output) {
                        if (output.size() == OUTPUT_LINES) {
                            output.removeFirst();
                        }
                        output.addLast(line);
                    }
                    if (stream.equals("out") && stdout.size() < 1000) {
                        stdout.add(line);
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening.complete(Integer.parseInt(m.group(2)));
                    }
                }
            } catch (IOException e) {
                // the process ended
            } finally {
                if (stream.equals("out")) {
                    stdoutEnded.complete(null);
                }
            }
        });
    }

    /** The port it listens on (on every interface). */
    public int port() {
        return listening.join();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The process id (for signals in tests). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What it printed on standard output (its first 1,000 lines). */
    public String standardOutput() {
        synchronized (stdout) {
            return String.join("\n", stdout);
        }
    }

    /** The last lines it printed (standard output and error interleaved). */
    public String outputTail() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /**
     * Sends SIGTERM and waits up to {@code limit} for the process to exit; returns its exit status
     * (143 for a JVM ended by SIGTERM).
     *
     * @throws IllegalStateException if it is still running after {@code limit} (it is then killed)
     */
    public int terminate(java.time.Duration limit) throws InterruptedException {
        // SIGTERM through the handle: Process.destroy() would also close our end of its output
        // pipes, losing what it prints while it drains.
        process.toHandle().destroy();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(demo + " still running " + limit + " after SIGTERM\n--- output (tail) ---\n"
                    + outputTail());
        }
        try {
            stdoutEnded.get(10, TimeUnit.SECONDS); // what it printed last has been read
        } catch (ExecutionException | TimeoutException e) {
            // the reader is stuck or failed: the assertions on the output will say what is missing
        }
        return process.exitValue();
    }

    /** Ends it: SIGTERM, then SIGKILL after 10 s. Idempotent. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    @Override
    public String toString() {
        return demo + "[pid " + process.pid() + (listening.isDone() && !listening.isCompletedExceptionally()
                ? ", port " + listening.join() : "") + "]";
    }
}
