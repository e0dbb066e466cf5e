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

    private final int exitCode;

    public OptionError(String message) {
        this(message, USAGE, null);
    }

    public OptionError(String message, Throwable cause) {
        this(message, USAGE, cause);
    }

    OptionError(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** 2 for a usage error, 0 for a help request. */
    public int exitCode() {
        return exitCode;
    }
}
