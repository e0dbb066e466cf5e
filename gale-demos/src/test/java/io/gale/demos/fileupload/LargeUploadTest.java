package io.gale.demos.fileupload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GiB file, generated for the test (nothing large is kept in the repository), goes from
 * {@code ./gale-demo file_uploader} to {@code ./gale-demo file_upload}, as a PUT and as a
 * multipart POST, with each side in a JVM of its own whose heap is capped at {@value #HEAP}: a
 * side that held the file (or any sizeable part of it) in memory would die of
 * {@code OutOfMemoryError} ({@code -XX:+ExitOnOutOfMemoryError} makes that unmistakable) and the
 * upload would fail. The SHA-256 is checked by the uploader against the server's answer, and by
 * the test against the file on disk.
 *
 * <p>The size can be lowered with {@code -Dgale.test.largeUploadBytes=N} on a slow machine; the
 * default keeps the run at tens of seconds here (two cores, shared).
 */
@Timeout(600)
class LargeUploadTest {
    private static final long SIZE = Long.getLong("gale.test.largeUploadBytes", 1L << 30);
    private static final String HEAP = "-Xmx32m";
    private static final Pattern LISTENING = Pattern.compile("listening on .*:(\\d+)");

    @Test
    void aGibibyteGoesThroughAServerAndAClientWithSmallHeaps(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("big.bin");
        String sha = generate(source, SIZE);
        Path store = dir.resolve("store");
        Path serverLog = dir.resolve("server.log");
        Process server = java(List.of("file_upload", "--port", "0", "--upload-dir", store.toString(),
                "--max-size", "4G"), serverLog);
        try {
            String url = "http://127.0.0.1:" + port(server, serverLog);

            String put = upload(dir, "--put", "--server", url, source.toString());
            assertThat(put).contains("big.bin  " + SIZE + " bytes  sha256 " + sha + "  ok");
            assertThat(Files.size(store.resolve("big.bin"))).isEqualTo(SIZE);
            assertThat(sha256(store.resolve("big.bin"))).isEqualTo(sha);
            Files.delete(store.resolve("big.bin")); // disk space: the next copy takes the same name

            String post = upload(dir, "--server", url, source.toString());
            assertThat(post).contains("big.bin  " + SIZE + " bytes  sha256 " + sha + "  ok");
            assertThat(Files.size(store.resolve("big.bin"))).isEqualTo(SIZE);
            try (var files = Files.list(store)) {
                assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("big.bin");
            }
            assertThat(server.isAlive()).as("server still serving").isTrue();
        } finally {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        assertThat(Files.readString(serverLog)).doesNotContain("OutOfMemoryError");
    }

    /** Runs the uploader in its own small JVM; returns its output once it succeeded. */
    private static String upload(Path dir, String... args) throws Exception {
        Path log = dir.resolve("uploader.log");
        List<String> command = new ArrayList<>();
        command.add("file_uploader");
        command.addAll(List.of(args));
        Process p = java(command, log);
        p.getOutputStream().close();
        boolean exited = p.waitFor(300, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8) + Files.readString(log);
        assertThat(exited).as("uploader finished: " + out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** Starts {@code Demos ARGS} in a JVM with a {@value #HEAP} heap; stderr goes to {@code log}. */
    private static Process java(List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP, "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                "io.gale.demos.Demos"));
        command.addAll(args);
        return new ProcessBuilder(command).redirectError(log.toFile()).start();
    }

    private static int port(Process server, Path log) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine(); // bounded by the class's @Timeout
        assertThat(line).as("server's first line; its log: " + Files.readString(log)).isNotNull();
        Matcher m = LISTENING.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Writes {@code size} pseudo-random bytes to {@code file}; returns their SHA-256. */
    private static String generate(Path file, long size) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(14);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                sha.update(block, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[1 << 20];
        try (var in = Files.newInputStream(file)) {
            for (int n; (n = in.read(block)) > 0; ) {
                sha.update(block, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
