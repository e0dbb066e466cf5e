package io.gale.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A message broker run by a test as a child process ({@link RedisServer}, {@link NatsServer}): on
 * 127.0.0.1, an unused port, a new temporary directory, nothing persisted. Ready when the server
 * prints its ready line (no polling); {@link #kill()} ends it with SIGKILL (a crash, as the tests
 * want), {@link #restart()} starts it again on the same port, {@link #close()} kills it and
 * deletes the directory.
 *
 * <p>Failure: a server that is not installed or does not become ready throws
 * {@link IllegalStateException} with the reason and the tail of its output: tests that need it
 * fail, they never skip. A port taken between choosing and binding it is retried with another
 * (three attempts).
 *
 * <p>Threading: start, kill, restart and close block (up to {@value #READY_SECONDS} s) and are
 * meant for the test thread; a shutdown hook kills a server that was never closed.
 */
public abstract class BrokerProcess implements AutoCloseable {
    static final int READY_SECONDS = 20;
    private static final int OUTPUT_LINES = 40;

    private final String name;
    private final Path binary;
    private final Path dir;
    private Thread shutdownHook;
    private final ArrayDeque<String> output = new ArrayDeque<>(); // guarded by itself
    private int port;
    private Process process;

    /**
     * Creates a {@code BrokerProcess}.
     *
     * @param name the name
     * @param binary the server's executable
     */
    protected BrokerProcess(String name, Path binary) {
        this.name = name;
        this.binary = binary;
        try {
            this.dir = Files.createTempDirectory("gale-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The command line that runs the server on {@code port} with its files in {@code dir}.
     *
     * @param binary the server's executable
     * @param port the port
     * @param dir the server's working directory
     * @return the command line that runs the server on {@code port} with its files in {@code dir}
     */
    protected abstract List<String> command(Path binary, int port, Path dir);

    /**
     * True for the line the server prints once it accepts connections.
     *
     * @param line the line
     * @return true for the line the server prints once it accepts connections
     */
    protected abstract boolean isReadyLine(String line);

    /**
     * Sees every line the server prints, on the output reader's thread (for servers whose log is a measure).
     *
     * @param line the line
     */
    protected void onOutputLine(String line) {
    }

    /**
     * The URI a client connects to ({@code redis://127.0.0.1:PORT}).
     *
     * @return the URI a client connects to ({@code redis://127.0.0.1:PORT})
     */
    public abstract String uri();

    /**
     * The port.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * The directory.
     *
     * @return the directory
     */
    public Path directory() {
        return dir;
    }

    /**
     * Finds a server binary: {@code $envVar}, else the first of {@code candidates} that exists.
     *
     * @param what what the binary is (for messages)
     * @param envVar the environment variable that may name it
     * @param candidates paths to try, in order
     * @return a server binary: {@code $envVar}, else the first of {@code candidates} that exists
     */
    protected static Path findBinary(String what, String envVar, String... candidates) {
        String fromEnv = System.getenv(envVar);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return Path.of(fromEnv);
        }
        for (String c : candidates) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        throw new IllegalStateException(what + " is not installed (looked at $" + envVar + " and "
            + String.join(", ", candidates) + "); .ci/run installs the Debian package when missing");
    }

    /** Starts on a new unused port (three tries). */
    protected final void startOnFreePort() {
        if (shutdownHook == null) { // registered here, not in the constructor: the subclass is complete now
            shutdownHook = new Thread(this::killQuietly, name + "-kill");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            port = GaleTesting.unusedPort();
            try {
                launch();
                return;
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        close();
        throw last;
    }

    /** Kills the server with SIGKILL and waits for it to be gone. */
    public void kill() {
        Process p = process;
        process = null;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            if (!p.waitFor(READY_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " did not die within " + READY_SECONDS + " s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name, e);
        }
    }

    /** Starts the server again on the same port, after {@link #kill()}. */
    public void restart() {
        kill();
        launch();
    }

    /**
     * Whether it is running.
     *
     * @return whether it is running
     */
    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    @Override
    public void close() {
        killQuietly();
        try {
            if (shutdownHook != null) {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing a test for
        }
    }

    private void killQuietly() {
        try {
            kill();
        } catch (RuntimeException e) {
            // best effort
        }
    }

    private void launch() {
        ProcessBuilder pb = new ProcessBuilder(command(binary, port, dir)).directory(dir.toFile())
            .redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
        }
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().daemon().name(name + "-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    remember(line);
                    onOutputLine(line);
                    if (isReadyLine(line)) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                remember("(output: " + e + ")");
            }
            ready.countDown(); // exited: the waiter looks at the process
        });
        boolean signalled;
        try {
            signalled = ready.await(READY_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted while starting " + name, e);
        }
        if (!signalled || !p.isAlive()) {
            p.destroyForcibly();
            reader.interrupt();
            throw new IllegalStateException(name + " did not start on 127.0.0.1:" + port + " ("
                + (signalled ? "exited with " + exitCode(p) : "not ready within " + READY_SECONDS + " s")
                + "); its output:\n" + outputTail());
        }
        process = p;
    }

    private static String exitCode(Process p) {
        try {
            return String.valueOf(p.waitFor(5, TimeUnit.SECONDS) ? p.exitValue() : "?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private void remember(String line) {
        synchronized (output) {
            if (output.size() == OUTPUT_LINES) {
                output.removeFirst();
            }
            output.addLast(line);
        }
    }

    /**
     * The last lines the server printed (for failure messages).
     *
     * @return the last lines the server printed (for failure messages)
     */
    public String outputTail() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }


    @Override
    public String toString() {
        return name + "[" + uri() + (isRunning() ? "" : ", stopped") + "]";
    }
}
