package io.gale.internal.http;

/**
 * Why an HTTP/1.1 message was rejected: the status to answer with (for requests: 400, 413, 414,
 * 431, 501 or 505) and a short reason for logs. After an error the connection must be closed: the
 * parser can no longer know where the next message starts.
 *
 * @param status the HTTP status code a server should answer with
 * @param reason a short, human-readable cause (never echoes raw input)
 */
public record HttpParseError(int status, String reason) {
}
