package io.gale.process;

import io.gale.ioloop.IOLoop;
import io.gale.iostream.IOStream;
import io.gale.iostream.IOStreamOptions;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

/**
 * A child process whose pipes are {@link IOStream}s on an {@link IOLoop} (Tornado's
 * {@code tornado.process.Subprocess}): {@code readUntil}, {@code readBytes},
 * {@code readUntilClose}, {@code write} and the rest of the stream API, an exit future, and
 * terminate/kill. The {@link ProcessBuilder} says what to run, where, with which environment,
 * and which of stdin, stdout and stderr become streams: those left at
 * {@link Redirect#PIPE} (the JDK's default; {@link #STREAM} names it as Tornado does); the
 * others are redirected as the builder says (inherited, a file, discarded).
 *
 * <pre>{@code
 * ProcessBuilder pb = new ProcessBuilder("sort").redirectError(Redirect.INHERIT);
 * Subprocess p = Subprocess.start(loop, pb);
 * // on the loop:
 * p.stdin().write("b\na\n".getBytes(UTF_8)).thenRun(p.stdin()::close);
 * p.stdout().readUntilClose()
 *         .thenCombine(p.waitForExit(true), (out, code) -> new String(out, UTF_8))  // "a\nb\n"
 *         .thenAccept(System.out::print);
 * }</pre>
 *
 * <p><b>Threading.</b> {@link #start} may be called from any thread. The streams belong to the
 * loop: call {@link #stdin()}, {@link #stdout()}, {@link #stderr()} and the stream methods on
 * the loop thread (the first call wraps the pipe). {@link #waitForExit} and the exit callback
 * complete on the loop. {@link #terminate()}, {@link #kill()} and {@link #pid()} are safe from
 * any thread.
 *
 * <p><b>How pipes reach the loop.</b> The JDK offers process pipes only as blocking streams, so
 * each piped stream is carried by a thread of its own across a pair of connected Unix domain
 * sockets; the loop sees an ordinary non-blocking socket. The costs, bounds and
 * end-of-stream rules are on {@link PipePump}'s contract: one platform thread per pipe (not on
 * the loop's path), at most 64 KiB held by it, backpressure through the kernel's buffers. End
 * of the child's output is end of stream on {@code stdout()}; closing {@code stdin()} is end of
 * file for the child (close it once the last write's future completed: a close drops what is
 * still queued, as for any {@link IOStream}).
 *
 * <p><b>Exit.</b> {@link #waitForExit} may complete before the output streams have delivered
 * their last bytes; read them to their end independently. When the child exits, its stdin
 * stream is closed. The exit status is the JDK's: 128 + N for a child ended by signal N (Tornado
 * reports -N).
 */
public final class Subprocess {
    /** Tornado's {@code Subprocess.STREAM}: the redirect that makes a pipe a stream on the loop. */
    public static final Redirect STREAM = Redirect.PIPE;

    private final IOLoop loop;
    private final Process process;
    private final List<String> command;
    private final IOStreamOptions options;
    private final SocketPair stdinPair;
    private final SocketPair stdoutPair;
    private final SocketPair stderrPair;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private IOStream stdin;
    private IOStream stdout;
    private IOStream stderr;
    private IntConsumer exitCallback;

    private Subprocess(IOLoop loop, Process process, List<String> command, IOStreamOptions options,
                       SocketPair stdinPair, SocketPair stdoutPair, SocketPair stderrPair) {
        this.loop = loop;
        this.process = process;
        this.command = command;
        this.options = options;
        this.stdinPair = stdinPair;
        this.stdoutPair = stdoutPair;
        this.stderrPair = stderrPair;
    }

    /**
     * {@link #start(IOLoop, ProcessBuilder, IOStreamOptions)} with default stream options.
     *
     * @param loop the loop
     * @param builder the builder
     * @return the result (see {@link #start(IOLoop, ProcessBuilder, IOStreamOptions)})
     * @throws IOException if an I/O error occurs
     */
    public static Subprocess start(IOLoop loop, ProcessBuilder builder) throws IOException {
        return start(loop, builder, IOStreamOptions.defaults());
    }

    /**
     * Starts the process {@code builder} describes; its {@link Redirect#PIPE} streams become
     * {@link IOStream}s on {@code loop} with {@code options}. Blocks only for the process start
     * (as {@link ProcessBuilder#start()}). Safe from any thread.
     *
     * @param loop the loop
     * @param builder the builder
     * @param options the options
     * @return the started subprocess
     * @throws IOException if the process cannot be started (no such program, no permission) or
     *     the sockets for its pipes cannot be made
     */
    public static Subprocess start(IOLoop loop, ProcessBuilder builder, IOStreamOptions options) throws IOException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(options, "options");
        boolean pipeIn = builder.redirectInput().type() == Redirect.Type.PIPE;
        boolean pipeOut = builder.redirectOutput().type() == Redirect.Type.PIPE;
        boolean pipeErr = !builder.redirectErrorStream() && builder.redirectError().type() == Redirect.Type.PIPE;
        SocketPair in = null;
        SocketPair out = null;
        SocketPair err = null;
        Process process = null;
        try {
            in = pipeIn ? SocketPair.open() : null;
            out = pipeOut ? SocketPair.open() : null;
            err = pipeErr ? SocketPair.open() : null;
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            for (SocketPair p : new SocketPair[] {in, out, err}) {
                if (p != null) {
                    p.closeQuietly();
                }
            }
            throw e;
        }
        List<String> command = List.copyOf(builder.command());
        Subprocess s = new Subprocess(loop, process, command, options, in, out, err);
        String name = "gale-subprocess-" + process.pid() + "-";
        if (in != null) {
            PipePump.toChild(in.pumpEnd, process.getOutputStream(), name + "stdin");
        }
        if (out != null) {
            PipePump.fromChild(process.getInputStream(), out.pumpEnd, name + "stdout");
        }
        if (err != null) {
            PipePump.fromChild(process.getErrorStream(), err.pumpEnd, name + "stderr");
        }
        process.onExit().whenComplete((p, e) -> s.exited());
        return s;
    }

    /** On the JDK's reaper thread: unblocks the stdin pump, then reports the exit on the loop. */
    private void exited() {
        if (stdinPair != null) {
            try {
                stdinPair.pumpEnd.close(); // the pump may be blocked reading it: this ends it
            } catch (IOException e) {
                // closing: nothing to do
            }
        }
        int code = process.exitValue();
        loop.addCallback(() -> {
            if (stdinPair != null) {
                stdin().close(); // wrapped now if it was not: a later stdin() gets the closed stream
            }
            exit.complete(code);
            IntConsumer cb = exitCallback;
            exitCallback = null;
            if (cb != null) {
                cb.accept(code);
            }
        });
    }

    /**
     * The child's stdin as a writable stream, or null if it was not piped. Loop thread only.
     *
     * @return the child's stdin as a writable stream, or null if it was not piped
     */
    public IOStream stdin() {
        checkLoop();
        if (stdin == null && stdinPair != null) {
            stdin = wrap(stdinPair);
        }
        return stdin;
    }

    /**
     * The child's stdout as a readable stream, or null if it was not piped. Loop thread only.
     *
     * @return the child's stdout as a readable stream, or null if it was not piped
     */
    public IOStream stdout() {
        checkLoop();
        if (stdout == null && stdoutPair != null) {
            stdout = wrap(stdoutPair);
        }
        return stdout;
    }

    /**
     * The child's stderr as a readable stream, or null if it was not piped (or merged into
     * stdout by {@link ProcessBuilder#redirectErrorStream}). Loop thread only.
     *
     * @return the child's stderr as a readable stream, or null if it was not piped (or merged into stdout by {@link ProcessBuilder#redirectErrorStream})
     */
    public IOStream stderr() {
        checkLoop();
        if (stderr == null && stderrPair != null) {
            stderr = wrap(stderrPair);
        }
        return stderr;
    }

    private IOStream wrap(SocketPair pair) {
        return new IOStream(loop, pair.loopEnd, options);
    }

    /**
     * Completes on the loop with the exit status once the child exits (Tornado's
     * {@code wait_for_exit}); with {@code raiseOnError}, a non-zero status fails it with
     * {@link CalledProcessException} instead. Safe from any thread; may be called many times.
     *
     * @param raiseOnError the raise on error
     * @return a future of the number
     */
    public CompletableFuture<Integer> waitForExit(boolean raiseOnError) {
        if (!raiseOnError) {
            return exit.thenApply(c -> c);
        }
        return exit.thenApply(code -> {
            if (code != 0) {
                throw new CalledProcessException(code, command);
            }
            return code;
        });
    }

    /**
     * Runs {@code callback} on the loop with the exit status when the child exits (at once, on the
     * loop, if it has exited already); replaces an earlier callback. Tornado's
     * {@code set_exit_callback}.
     *
     * @param callback the callback
     */
    public void setExitCallback(IntConsumer callback) {
        loop.addCallback(() -> {
            if (exit.isDone()) {
                callback.accept(exit.join());
            } else {
                exitCallback = callback;
            }
        });
    }

    /**
     * The exit status, or null while the child runs (Tornado's {@code returncode}).
     *
     * @return the exit status, or null while the child runs (Tornado's {@code returncode})
     */
    public Integer returncode() {
        return exit.isDone() ? exit.join() : null;
    }

    /** Asks the child to end (SIGTERM on Unix). */
    public void terminate() {
        process.destroy();
    }

    /** Ends the child at once (SIGKILL on Unix). */
    public void kill() {
        process.destroyForcibly();
    }

    /**
     * The process ID.
     *
     * @return the process ID
     */
    public long pid() {
        return process.pid();
    }

    /**
     * The JDK process underneath (its pipes are the pumps': do not read or write them).
     *
     * @return the JDK process underneath (its pipes are the pumps': do not read or write them)
     */
    public Process process() {
        return process;
    }

    /**
     * The command.
     *
     * @return the command
     */
    public List<String> command() {
        return command;
    }

    /**
     * The loop.
     *
     * @return the loop
     */
    public IOLoop loop() {
        return loop;
    }

    private void checkLoop() {
        if (!loop.inLoop()) {
            throw new IllegalStateException("Subprocess streams belong to loop " + loop.name()
                    + ": call stdin()/stdout()/stderr() on its thread");
        }
    }

    @Override
    public String toString() {
        return "Subprocess[pid " + process.pid() + ", " + command + (exit.isDone() ? ", exit " + exit.join() : "") + "]";
    }
}
