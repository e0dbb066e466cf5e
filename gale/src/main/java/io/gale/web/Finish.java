package io.gale.web;

/**
 * Thrown by a handler to end the request normally, with what was written so far (Tornado's
 * {@code Finish}): no error page, no error log. Useful deep inside helper methods, e.g. after
 * setting a 401 status and a {@code WWW-Authenticate} header.
 *
 * <pre>{@code
 * setStatus(401);
 * setHeader("WWW-Authenticate", "Basic realm=\"app\"");
 * throw new Finish();
 * }</pre>
 */
public final class Finish extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * The text written before finishing.
     */
    private final String chunk;

    /** Ends the request with the output written so far. */
    public Finish() {
        this(null);
    }

    /**
     * Writes {@code chunk} (if not null), then ends the request.
     *
     * @param chunk the data to write
     */
    public Finish(String chunk) {
        super(null, null, false, false);
        this.chunk = chunk;
    }

    /**
     * The last piece of output, or null.
     *
     * @return the last piece of output, or null
     */
    public String chunk() {
        return chunk;
    }
}
