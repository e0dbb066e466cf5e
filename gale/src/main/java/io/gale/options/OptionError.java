package io.gale.options;

/**
 * A command line, configuration file or environment variable that the options cannot accept
 * (Tornado's {@code tornado.options.Error}): an unknown name, a value of the wrong type, a
 * missing value, an unreadable file. The message is one line meant for the user, naming the
 * option and what was wrong, e.g. {@code --port: 'eighty' is not an integer}.
 *
 * <p>{@link #exitCode()} is what {@link OptionParser#parseCommandLine} exits with: 2 for these
 * usage errors, 0 when the user asked for {@code --help} (which is reported through this type
 * only when an exit handler returns instead of exiting).
 */
public class OptionError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The exit status of a usage error, as GNU and BSD tools use it. */
    public static final int USAGE = 2;

    /**
     * The exit code.
     */
    private final int exitCode;

    /**
     * Creates an {@code OptionError}.
     *
     * @param message the detail message
     */
    public OptionError(String message) {
        this(message, USAGE, null);
    }

    /**
     * Creates an {@code OptionError}.
     *
     * @param message the detail message
     * @param cause the cause
     */
    public OptionError(String message, Throwable cause) {
        this(message, USAGE, cause);
    }

    OptionError(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /**
     * 2 for a usage error, 0 for a help request.
     *
     * @return the exit code
     */
    public int exitCode() {
        return exitCode;
    }
}
