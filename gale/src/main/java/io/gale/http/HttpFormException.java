package io.gale.http;

/**
 * A request body that cannot be parsed as the form it claims to be (bad multipart framing,
 * a limit exceeded, a part without a name). The server answers it with 400 Bad Request;
 * the message is safe to log but is not meant to be echoed to the client verbatim.
 *
 * <p>Checked on purpose: a malformed body is an expected outcome of reading the network, and
 * the compiler makes every caller decide what to answer.
 */
public final class HttpFormException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a human-readable reason.
     *
     * @param message the detail message
     */
    public HttpFormException(String message) {
        super(message);
    }
}
