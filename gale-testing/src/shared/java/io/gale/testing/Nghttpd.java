package io.gale.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A throw-away {@code nghttpd} (Debian's {@code nghttp2-server}; {@code $GALE_NGHTTPD} overrides
 * the binary), the HTTP/2 server of the nghttp2 project: an independent peer for Gale's HTTP/2
 * client. It serves the files of {@link #htdocs()} and echoes POST and PUT bodies; TLS with ALPN
 * {@code h2} (certificate from {@link TestCertificates}) or h2c with prior knowledge. It runs
 * verbose: every frame is logged with the id of its connection, so {@link #connections()} counts
 * the TCP connections the server saw. See {@link BrokerProcess} for the life cycle.
 */
public final class Nghttpd extends BrokerProcess {
    private static final Pattern SESSION = Pattern.compile("^\\[id=(\\d+)\\]");

    private final TestCertificates.Identity identity;
    private final List<String> extraArgs;
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();
    private final List<String> lines = new ArrayList<>(); // guarded by itself

    private Nghttpd(TestCertificates.Identity identity, List<String> extraArgs) {
        super("nghttpd", findBinary("nghttpd", "GALE_NGHTTPD", "/usr/sbin/nghttpd", "/usr/bin/nghttpd",
            "/usr/local/bin/nghttpd"));
        this.identity = identity;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /**
     * Starts a server: with {@code identity} over TLS (ALPN h2), without it h2c (prior knowledge
     * only); {@code extraArgs} are more nghttpd options (window sizes, stream limits).
     *
     * @param identity the identity
     * @param extraArgs more command-line arguments for the server
     * @return the started nghttpd
     */
    public static Nghttpd start(TestCertificates.Identity identity, String... extraArgs) {
        Nghttpd s = new Nghttpd(identity, List.of(extraArgs));
        s.startOnFreePort();
        return s;
    }

    /**
     * The document root: files written here are served at {@code /name}.
     *
     * @return the document root: files written here are served at {@code /name}
     */
    public Path htdocs() {
        return directory().resolve("htdocs");
    }

    /**
     * Distinct connections the server logged so far.
     *
     * @return the connections
     */
    public int connections() {
        return sessions.size();
    }

    @Override
    protected List<String> command(Path binary, int port, Path dir) {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "-v", "--echo-upload", "-a", "127.0.0.1",
            "-d", dir.resolve("htdocs").toString()));
        cmd.addAll(extraArgs);
        try {
            Files.createDirectories(dir.resolve("htdocs"));
            if (identity == null) {
                cmd.add("--no-tls");
                cmd.add(Integer.toString(port));
            } else {
                Path key = dir.resolve("key.pem");
                Path cert = dir.resolve("cert.pem");
                identity.writePem(cert, key);
                cmd.add(Integer.toString(port));
                cmd.add(key.toString());
                cmd.add(cert.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cmd;
    }

    @Override
    protected boolean isReadyLine(String line) {
        return line.contains("listen 127.0.0.1:" + port());
    }

    /**
     * Waits (up to {@value BrokerProcess#READY_SECONDS} s) until the server logged a line containing
     * {@code text}: everything it logged before, about any connection, has been read then.
     *
     * @param text the text
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public void awaitLogged(String text) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(READY_SECONDS);
        synchronized (lines) {
            while (lines.stream().noneMatch(l -> l.contains(text))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("nghttpd did not log '" + text + "'; its output:\n" + outputTail());
                }
                lines.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /**
     * Lines logged so far that contain {@code text}.
     *
     * @param text the text
     * @return the number
     */
    public long countLogged(String text) {
        synchronized (lines) {
            return lines.stream().filter(l -> l.contains(text)).count();
        }
    }

    @Override
    protected void onOutputLine(String line) {
        Matcher m = SESSION.matcher(line);
        if (m.find()) {
            sessions.add(m.group(1));
        }
        synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
        }
    }

    @Override
    public String uri() {
        return (identity == null ? "http" : "https") + "://127.0.0.1:" + port();
    }
}
