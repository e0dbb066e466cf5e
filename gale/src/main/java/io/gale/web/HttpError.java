package io.gale.web;

import io.gale.http.HttpStatus;

/**
 * Thrown by a handler to answer with an HTTP error status (Tornado's {@code HTTPError}): the
 * framework turns it into {@link RequestHandler#sendError(int, Throwable)}.
 *
 * <pre>{@code
 * throw new HttpError(404);                                   // 404: Not Found
 * throw new HttpError(403, "user %s may not see %s", user, id); // logged, not sent to the client
 * throw HttpError.withReason(418, "I'm a teapot");
 * }</pre>
 *
 * <p>The log message is for the server log only (a WARNING line); the client sees the status,
 * the reason phrase and, when there is one, the {@link #detail()}: a sentence for the client
 * ({@code throw HttpError.withDetail(422, "title must not be empty")}), shown in the default error
 * page (HTML-escaped) or JSON error body. Immutable.
 */
public class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * The status code.
     */
    private final int statusCode;
    /**
     * The message for the log (not sent to the client).
     */
    private final String logMessage;
    /**
     * The reason phrase.
     */
    private final String reason;
    /**
     * The detail shown to the client.
     */
    private final String detail;

    /**
     * An error with the standard reason phrase and nothing to log.
     *
     * @param statusCode the status code
     */
    public HttpError(int statusCode) {
        this(statusCode, null, (String) null);
    }

    /**
     * An error with a message for the server log, formatted with {@link String#format} when
     * {@code args} are given.
     *
     * @param statusCode the status code
     * @param logMessage the message for the log (not sent to the client)
     * @param args the arguments
     */
    public HttpError(int statusCode, String logMessage, Object... args) {
        this(statusCode, args.length == 0 || logMessage == null ? logMessage : String.format(logMessage, args),
                (String) null);
    }

    private HttpError(int statusCode, String logMessage, String reason) {
        this(statusCode, logMessage, reason, null);
    }

    private HttpError(int statusCode, String logMessage, String reason, String detail) {
        super(describe(statusCode, logMessage, reason), null, false, false);
        if (statusCode < 100 || statusCode > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + statusCode);
        }
        this.statusCode = statusCode;
        this.logMessage = logMessage;
        this.reason = reason;
        this.detail = detail;
    }

    /**
     * An error whose {@code detail} the client sees (in the error page or JSON body): what was
     * wrong with the request, in a sentence. It is logged too (as the log message).
     *
     * @param statusCode the status code
     * @param detail the detail
     * @return a copy with this value replaced
     */
    public static HttpError withDetail(int statusCode, String detail) {
        return new HttpError(statusCode, detail, null, java.util.Objects.requireNonNull(detail, "detail"));
    }

    /**
     * An error with a custom reason phrase (sent in the status line and the error page).
     *
     * @param statusCode the status code
     * @param reason the reason phrase
     * @return a copy with this value replaced
     */
    public static HttpError withReason(int statusCode, String reason) {
        return new HttpError(statusCode, null, reason);
    }

    /**
     * An error with a custom reason phrase and a message for the server log.
     *
     * @param statusCode the status code
     * @param reason the reason phrase
     * @param logMessage the message for the log (not sent to the client)
     * @return a copy with this value replaced
     */
    public static HttpError withReason(int statusCode, String reason, String logMessage) {
        return new HttpError(statusCode, logMessage, reason);
    }

    /**
     * The status code.
     *
     * @return the status code
     */
    public int statusCode() {
        return statusCode;
    }

    /**
     * The message for the server log, or null.
     *
     * @return the message for the server log, or null
     */
    public String logMessage() {
        return logMessage;
    }

    /**
     * The explanation for the client, or null (subclasses may compute one).
     *
     * @return the explanation for the client, or null (subclasses may compute one)
     */
    public String detail() {
        return detail;
    }

    /**
     * The custom reason phrase, or null for the standard one.
     *
     * @return the custom reason phrase, or null for the standard one
     */
    public String reason() {
        return reason;
    }

    private static String describe(int status, String logMessage, String reason) {
        String r = reason != null ? reason : HttpStatus.reasonPhrase(status);
        return "HTTP " + status + ": " + (r == null ? "Unknown" : r) + (logMessage == null ? "" : " (" + logMessage + ")");
    }
}
