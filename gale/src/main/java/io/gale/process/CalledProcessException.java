package io.gale.process;

import java.util.List;

/**
 * A child process exited with a non-zero status while the caller asked to be told
 * ({@link Subprocess#waitForExit(boolean) waitForExit(true)}; Python's
 * {@code subprocess.CalledProcessError}).
 */
public class CalledProcessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * The exit code.
     */
    private final int exitCode;
    /**
     * The command.
     */
    private final List<String> command;

    /**
     * Creates a {@code CalledProcessException}.
     *
     * @param exitCode the exit code
     * @param command the command
     */
    public CalledProcessException(int exitCode, List<String> command) {
        super("Command " + command + " returned non-zero exit status " + exitCode);
        this.exitCode = exitCode;
        this.command = List.copyOf(command);
    }

    /**
     * The exit status (128 + N for a child ended by signal N, as the JDK reports it).
     *
     * @return the exit status (128 + N for a child ended by signal N, as the JDK reports it)
     */
    public int exitCode() {
        return exitCode;
    }

    /**
     * The command.
     *
     * @return the command
     */
    public List<String> command() {
        return command;
    }
}
