package io.gale.httpclient;

import java.util.concurrent.TimeoutException;

/**
 * A failed fetch (Tornado's {@code HTTPClientError}). {@link #code()} is the response's status for
 * a non-2xx answer (with {@link #response()} set), or 599 when there was no usable response: a
 * timeout, a connection or TLS failure, a malformed or oversized response; then {@link #getCause()}
 * holds the underlying error: a {@link TimeoutException} ({@link #isTimeout()}), a
 * {@link BodyTooLargeException}, or an {@link java.io.IOException} (connection refused, TLS,
 * {@code malformed response: ...}, connection closed early).
 */
public class HttpClientException extends RuntimeException {
    /** The code used when no response was received (as Tornado). */
    public static final int NO_RESPONSE = 599;

    /**
     * The status code.
     */
    private final int code;
    private final transient HttpResponse response;

    /**
     * A failure without a response (code 599).
     *
     * @param message the detail message
     * @param cause the cause
     */
    public HttpClientException(String message, Throwable cause) {
        super(message, cause);
        this.code = NO_RESPONSE;
        this.response = null;
    }

    /**
     * A non-2xx response.
     *
     * @param response the response
     */
    public HttpClientException(HttpResponse response) {
        super("HTTP " + response.code() + ": " + response.reason() + " (" + response.effectiveUrl() + ")");
        this.code = response.code();
        this.response = response;
    }

    /**
     * The status code, or {@link #NO_RESPONSE}.
     *
     * @return the status code, or {@link #NO_RESPONSE}
     */
    public int code() {
        return code;
    }

    /**
     * The response for a non-2xx status, else null.
     *
     * @return the response for a non-2xx status, else null
     */
    public HttpResponse response() {
        return response;
    }

    /**
     * Whether a connect, queue or request timeout caused this failure.
     *
     * @return whether a connect, queue or request timeout caused this failure
     */
    public boolean isTimeout() {
        return getCause() instanceof TimeoutException;
    }
}
