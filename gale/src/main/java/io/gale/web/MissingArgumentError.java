package io.gale.web;

/**
 * A required request argument is absent (Tornado's {@code MissingArgumentError}): answered with
 * 400; the default error page names the argument (HTML-escaped) and the log line says
 * "Missing argument NAME". The reason phrase stays the standard one, since argument names come
 * from the client and do not belong in a status line.
 */
public final class MissingArgumentError extends HttpError {
    private static final long serialVersionUID = 1L;

    /**
     * The argument name.
     */
    private final String argumentName;

    /**
     * Creates a {@code MissingArgumentError}.
     *
     * @param argumentName the argument name
     */
    public MissingArgumentError(String argumentName) {
        super(400, "Missing argument %s", argumentName);
        this.argumentName = argumentName;
    }

    /** "Missing argument NAME", shown to the client. */
    @Override
    public String detail() {
        return "Missing argument " + argumentName;
    }

    /**
     * The name of the missing argument.
     *
     * @return the name of the missing argument
     */
    public String argumentName() {
        return argumentName;
    }
}
