package io.gale.httpclient;

/**
 * The response body is larger than the request's (or the client's) {@code maxBodySize}, counted
 * after decompression, or larger than an array can hold without a streaming callback. The
 * {@link HttpClientException#getCause() cause} of the failed fetch (code 599); a fetch failing
 * so is never retried.
 */
public class BodyTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a {@code BodyTooLargeException}.
     *
     * @param message the detail message
     */
    public BodyTooLargeException(String message) {
        super(message);
    }
}
