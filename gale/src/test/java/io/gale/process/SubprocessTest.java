package io.gale.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.IOLoopOptions;
import io.gale.iostream.IOStream;
import io.gale.iostream.StreamClosedException;
import java.io.EOFException;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes ({@code cat}, {@code sh}) with their pipes as streams on a loop. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SubprocessTest {
    private IOLoop loop;

    @BeforeEach
    void startLoop() {
        loop = new IOLoop(IOLoopOptions.builder().name("subprocess-test").daemon(true).build());
        loop.startInBackground();
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    /** Runs {@code body} on the loop and waits for the future it returns. */
    private <T> T onLoop(Supplier<CompletableFuture<T>> body) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.addCallback(() -> {
            try {
                body.get().whenComplete((v, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(v);
                    }
                });
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(100, TimeUnit.SECONDS);
    }

    private static Throwable root(Throwable e) {
        while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static ProcessBuilder sh(String script) {
        return new ProcessBuilder("sh", "-c", script);
    }

    /** Reads {@code stream} to its end, feeding every byte to {@code crc}; completes with the count. */
    private static CompletableFuture<Long> drain(IOStream stream, CRC32 crc, long soFar) {
        return stream.readBytes(64 * 1024, true).handle((bytes, e) -> {
            if (e != null) {
                Throwable c = root(e);
                if (c instanceof StreamClosedException && c.getCause() instanceof EOFException) {
                    return CompletableFuture.completedFuture(soFar);
                }
                return CompletableFuture.<Long>failedFuture(c);
            }
            crc.update(bytes);
            return drain(stream, crc, soFar + bytes.length);
        }).thenCompose(f -> f);
    }

    /** Writes {@code chunks} pseudo-random chunks of {@code size} bytes, one after the other, then closes. */
    private static CompletableFuture<Void> pump(IOStream stream, SplittableRandom random, int chunks, int size, CRC32 crc) {
        if (chunks == 0) {
            stream.close();
            return CompletableFuture.completedFuture(null);
        }
        byte[] chunk = new byte[size];
        random.nextBytes(chunk);
        crc.update(chunk);
        return stream.write(chunk).thenCompose(v -> pump(stream, random, chunks - 1, size, crc));
    }

    @Test
    void catEchoes100MegabytesIntact() throws Exception {
        Subprocess p = Subprocess.start(loop, new ProcessBuilder("cat").redirectError(Redirect.INHERIT));
        CRC32 sent = new CRC32();
        CRC32 received = new CRC32();
        long count = onLoop(() -> {
            CompletableFuture<Void> writing = pump(p.stdin(), new SplittableRandom(15), 100, 1 << 20, sent);
            return drain(p.stdout(), received, 0).thenCombine(writing, (n, v) -> n);
        });
        assertThat(count).isEqualTo(100L << 20);
        assertThat(received.getValue()).isEqualTo(sent.getValue());
        assertThat(onLoop(() -> p.waitForExit(true))).isZero();
        assertThat(p.returncode()).isZero();
    }

    @Test
    void childThatExitsEarly() throws Exception {
        Subprocess p = Subprocess.start(loop, sh("echo early; exit 3"));
        List<Integer> callback = new ArrayList<>();
        p.setExitCallback(callback::add);
        byte[] out = onLoop(() -> p.stdout().readUntilClose());
        assertThat(new String(out, UTF_8)).isEqualTo("early\n");
        assertThat(onLoop(() -> p.waitForExit(false))).isEqualTo(3);
        assertThatThrownBy(() -> onLoop(() -> p.waitForExit(true)))
                .satisfies(e -> assertThat(root(e)).isInstanceOf(CalledProcessException.class)
                        .hasMessageContaining("non-zero exit status 3")
                        .satisfies(c -> assertThat(((CalledProcessException) c).exitCode()).isEqualTo(3)));
        assertThat(onLoop(() -> CompletableFuture.completedFuture(callback))).containsExactly(3);
        assertThat(p.returncode()).isEqualTo(3);
        // the child is gone: its stdin is closed, a write fails instead of hanging
        assertThatThrownBy(() -> onLoop(() -> p.stdin().write("late\n".getBytes(UTF_8))))
                .satisfies(e -> assertThat(root(e)).isInstanceOf(StreamClosedException.class));
        List<Integer> late = new ArrayList<>();
        p.setExitCallback(late::add); // after the exit: runs at once, on the loop
        assertThat(onLoop(() -> CompletableFuture.completedFuture(late))).containsExactly(3);
    }

    @Test
    void childThatIgnoresStdin() throws Exception {
        // 16 MiB is more than the pipe, the pump and the socket buffers hold: the write can only
        // end when the child is gone, and must then fail instead of hanging.
        Subprocess p = Subprocess.start(loop, sh("echo ignoring"));
        CompletableFuture<Void> write = new CompletableFuture<>();
        byte[] out = onLoop(() -> {
            p.stdin().write(new byte[16 << 20]).whenComplete((v, e) -> {
                if (e != null) {
                    write.completeExceptionally(e);
                } else {
                    write.complete(v);
                }
            });
            return p.stdout().readUntilClose();
        });
        assertThat(new String(out, UTF_8)).isEqualTo("ignoring\n");
        assertThat(onLoop(() -> p.waitForExit(true))).isZero();
        assertThatThrownBy(() -> write.get(30, TimeUnit.SECONDS))
                .satisfies(e -> assertThat(root(e)).isInstanceOf(StreamClosedException.class));
    }

    @Test
    void terminateAndKillAChildThatNeverReads() throws Exception {
        Subprocess slow = Subprocess.start(loop, new ProcessBuilder("sleep", "60"));
        Subprocess stubborn = Subprocess.start(loop, sh("trap '' TERM; echo ready; while :; do sleep 1; done"));
        assertThat(new String(onLoop(() -> stubborn.stdout().readUntil("\n".getBytes(UTF_8))), UTF_8))
                .isEqualTo("ready\n"); // the trap is set
        slow.terminate();
        assertThat(onLoop(() -> slow.waitForExit(false))).isEqualTo(128 + 15);
        stubborn.terminate(); // ignored
        stubborn.kill();
        assertThat(onLoop(() -> stubborn.waitForExit(false))).isEqualTo(128 + 9);
    }

    @Test
    void hundredConcurrentChildren() throws Exception {
        List<Subprocess> children = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                children.add(Subprocess.start(loop, new ProcessBuilder("cat")));
            }
            List<String> outputs = onLoop(() -> {
                List<CompletableFuture<String>> all = new ArrayList<>();
                for (int i = 0; i < children.size(); i++) {
                    Subprocess c = children.get(i);
                    byte[] line = ("child " + i + "\n").getBytes(UTF_8);
                    c.stdin().write(line).thenRun(c.stdin()::close);
                    all.add(c.stdout().readUntilClose().thenCombine(c.waitForExit(true), (b, code) -> new String(b, UTF_8)));
                }
                return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                        .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
            });
            for (int i = 0; i < 100; i++) {
                assertThat(outputs.get(i)).isEqualTo("child " + i + "\n");
            }
        } finally {
            children.forEach(Subprocess::kill);
        }
    }

    @Test
    void environmentWorkingDirectoryAndStderr(@TempDir Path dir) throws Exception {
        ProcessBuilder pb = sh("pwd; echo \"$GALE_SUBPROCESS_TEST\"; echo oops >&2").directory(dir.toFile());
        pb.environment().put("GALE_SUBPROCESS_TEST", "42");
        Subprocess p = Subprocess.start(loop, pb);
        String out = onLoop(() -> p.stdout().readUntilClose()
                .thenCombine(p.stderr().readUntilClose(), (o, e) -> new String(o, UTF_8) + "|" + new String(e, UTF_8)));
        assertThat(out).isEqualTo(dir.toRealPath() + "\n42\n|oops\n");
    }

    @Test
    void linesOneAtATimeAndRedirectsThatAreNotStreams() throws Exception {
        Subprocess p = Subprocess.start(loop, sh("printf 'a\\nbb\\nccc'").redirectInput(Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true));
        byte[] nl = {'\n'};
        String lines = onLoop(() -> {
            assertThat(p.stdin()).isNull();
            assertThat(p.stderr()).isNull(); // merged into stdout
            IOStream out = p.stdout();
            return out.readUntil(nl).thenCompose(a -> out.readUntil(nl).thenCompose(b -> out.readBytes(2, false)
                    .thenCompose(c -> out.readUntilClose().thenApply(d -> new String(a, UTF_8) + new String(b, UTF_8)
                            + new String(c, UTF_8) + "|" + new String(d, UTF_8)))));
        });
        assertThat(lines).isEqualTo("a\nbb\ncc|c");
        Subprocess discarded = Subprocess.start(loop, sh("echo x").redirectOutput(Redirect.DISCARD));
        assertThat(onLoop(() -> CompletableFuture.completedFuture(discarded.stdout() == null))).isTrue();
        assertThat(onLoop(() -> discarded.waitForExit(true))).isZero();
    }

    @Test
    void misuse() throws Exception {
        assertThatThrownBy(() -> Subprocess.start(loop, new ProcessBuilder("/nonexistent/gale-no-such-program")))
                .isInstanceOf(IOException.class);
        Subprocess p = Subprocess.start(loop, new ProcessBuilder("cat"));
        assertThatThrownBy(p::stdout).isInstanceOf(IllegalStateException.class).hasMessageContaining("loop");
        p.kill();
        assertThat(onLoop(() -> p.waitForExit(false))).isEqualTo(128 + 9);
        assertThat(p.toString()).contains("exit 137");
    }
}
