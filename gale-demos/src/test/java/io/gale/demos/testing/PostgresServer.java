package io.gale.demos.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server for tests: {@code initdb} into a new temporary directory, then
 * {@code pg_ctl start} listening on 127.0.0.1 on an unused port (and a Unix socket in the same
 * directory), trust authentication for the superuser {@value #USER}, {@code fsync} off.
 * {@link #close()} stops it ({@code pg_ctl stop -m fast}) and deletes the directory.
 *
 * <pre>{@code
 * try (PostgresServer pg = PostgresServer.start();
 *      Connection c = pg.connect()) {
 *     c.createStatement().execute("CREATE TABLE t (id int)");
 * }
 * // or hand pg.jdbcUrl() / pg.url() to the code under test
 * }</pre>
 *
 * <p><b>Binaries.</b> Taken from {@code $GALE_PG_BIN} when set, else the newest
 * {@code /usr/lib/postgresql/N/bin} (Debian's layout; {@code .ci/run} installs the
 * {@code postgresql} package), else {@code initdb} on the {@code PATH}.
 *
 * <p><b>Root.</b> {@code initdb} and {@code postgres} refuse to run as root, so as root the
 * commands run as {@value #SERVER_USER} through {@code runuser -u}, with the temporary directory
 * handed to that user.
 *
 * <p><b>Failure.</b> Tests that need the database must fail, not skip, when it cannot start:
 * {@link #start()} throws {@link IllegalStateException} with the reason (the command's output and
 * the tail of the server log). A port taken between choosing and binding it is retried with
 * another port (three attempts).
 *
 * <p><b>Threading.</b> {@link #start()} and {@link #close()} block (up to a minute each); the
 * accessors are thread-safe. A JVM shutdown hook stops a server that was never closed.
 */
public final class PostgresServer implements AutoCloseable {
    /** The superuser (trust authentication: no password). */
    public static final String USER = "gale";
    /** The database that always exists. */
    public static final String DATABASE = "postgres";
    /** The unprivileged account the server runs as when the tests run as root. */
    static final String SERVER_USER = "nobody";

    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    private final Path bin;
    private final Path dir;
    private final boolean asRoot;
    private final int port;
    private final Thread shutdownHook;
    private boolean closed;

    private PostgresServer(Path bin, Path dir, boolean asRoot, int port) {
        this.bin = bin;
        this.dir = dir;
        this.asRoot = asRoot;
        this.port = port;
        this.shutdownHook = new Thread(this::stopQuietly, "postgres-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Creates and starts a server.
     *
     * @throws IllegalStateException if PostgreSQL is not installed or does not start, with why
     */
    public static PostgresServer start() {
        return start(findBinaries());
    }

    /** Starts a server with the {@code initdb} and {@code pg_ctl} in {@code bin}. */
    static PostgresServer start(Path bin) {
        boolean asRoot = isRoot();
        Path dir;
        try {
            dir = Files.createTempDirectory("gale-postgres-");
            if (asRoot) {
                UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(SERVER_USER);
                Files.setOwner(dir, owner);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare a directory for PostgreSQL: " + e, e);
        }
        try {
            Path data = dir.resolve("data");
            run(bin, asRoot, dir, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust",
                    "-U", USER, "--no-sync", "-E", "UTF8", "--no-locale"));
            String lastFailure = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = freePort();
                try {
                    run(bin, asRoot, dir, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(),
                            "-l", dir.resolve("server.log").toString(), "-w", "-t", "60",
                            "-o", "-h 127.0.0.1 -p " + port + " -k " + dir
                                    + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                            "start"));
                    return new PostgresServer(bin, dir, asRoot, port);
                } catch (IllegalStateException e) {
                    lastFailure = e.getMessage();
                    // A port taken since freePort() looked: try another (the reason is in the log).
                    if (!tail(dir.resolve("server.log"), 30).contains("already in use")) {
                        break;
                    }
                }
            }
            throw new IllegalStateException(lastFailure);
        } catch (RuntimeException e) {
            String log = tail(dir.resolve("server.log"), 30);
            TempDirectory.delete(dir);
            throw new IllegalStateException("PostgreSQL did not start: " + e.getMessage()
                    + (log.isEmpty() ? "" : "\n--- server log (tail) ---\n" + log), e);
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres?user=gale}. */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    /** The JDBC URL of {@code database} on this server, as {@value #USER}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
    }

    /** {@code postgresql://gale@127.0.0.1:PORT/postgres}: the URL form the demos' {@code --db} takes. */
    public String url() {
        return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + DATABASE;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** A new JDBC connection to {@value #DATABASE}; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** Creates an empty database named {@code name} (letters, digits and underscores). */
    public void createDatabase(String name) throws SQLException {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("database name: " + name);
        }
        try (Connection c = connect()) {
            c.createStatement().execute("CREATE DATABASE " + name);
        }
    }

    /** Stops the server and deletes its directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs (or ran) this stop itself
        }
        try {
            run(bin, asRoot, dir, List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                    "-m", "fast", "-w", "-t", "60", "stop"));
        } finally {
            TempDirectory.delete(dir);
        }
    }

    private synchronized void stopQuietly() {
        if (!closed) {
            closed = true;
            try {
                run(bin, asRoot, dir, List.of(bin.resolve("pg_ctl").toString(), "-D",
                        dir.resolve("data").toString(), "-m", "immediate", "stop"));
            } catch (RuntimeException e) {
                // best effort at JVM exit
            }
            TempDirectory.delete(dir);
        }
    }

    // -------------------------------------------------------------------------------- helpers

    static Path findBinaries() {
        String env = System.getenv("GALE_PG_BIN");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("pg_ctl"))) {
                return p;
            }
            throw new IllegalStateException("GALE_PG_BIN=" + env + " has no initdb and pg_ctl");
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                var newest = versions
                        .filter(v -> v.getFileName().toString().matches("[0-9]+(\\.[0-9]+)?"))
                        .filter(v -> Files.isExecutable(v.resolve("bin/initdb")) && Files.isExecutable(v.resolve("bin/pg_ctl")))
                        .max(Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())));
                if (newest.isPresent()) {
                    return newest.get().resolve("bin");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(entry.isEmpty() ? "." : entry);
            if (Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("pg_ctl"))) {
                return p;
            }
        }
        throw new IllegalStateException("PostgreSQL is not installed (no /usr/lib/postgresql/N/bin/initdb, "
                + "no initdb on PATH): apt-get install postgresql (.ci/run does this), or set GALE_PG_BIN");
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a PostgreSQL command (as {@link #SERVER_USER} when root); throws with its output on failure. */
    private static void run(Path bin, boolean asRoot, Path dir, List<String> command) {
        List<String> full = new ArrayList<>();
        if (asRoot) {
            full.addAll(List.of("runuser", "-u", SERVER_USER, "--"));
        }
        full.addAll(command);
        Path out = dir.resolve("command-" + System.nanoTime() + ".out");
        ProcessBuilder pb = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("LC_ALL", "C");
        pb.environment().remove("PGDATA");
        try {
            Process p = pb.start();
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS + 10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish in "
                        + (COMMAND_TIMEOUT_SECONDS + 10) + " s\n" + read(out));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " exited " + p.exitValue() + "\n" + read(out));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + full.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", full), e);
        } finally {
            try {
                Files.deleteIfExists(out);
            } catch (IOException e) {
                // a leftover output file goes with the directory
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
