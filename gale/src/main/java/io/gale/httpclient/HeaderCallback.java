package io.gale.httpclient;

import io.gale.http.HttpHeaders;

/**
 * Receives the head of the final response (Tornado's {@code header_callback}), on the client's
 * loop, before any body data. Not called for redirects that are followed or for 1xx responses.
 */
@FunctionalInterface
public interface HeaderCallback {
    /**
     * The status code, reason phrase and header fields of the response.
     *
     * @param code the status code
     * @param reason the reason phrase
     * @param headers the headers
     */
    void onHead(int code, String reason, HttpHeaders headers);
}
