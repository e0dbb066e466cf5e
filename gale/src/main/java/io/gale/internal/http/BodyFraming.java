package io.gale.internal.http;

/** How the end of an HTTP/1.1 message body is found (RFC 9112 section 6.3). */
public enum BodyFraming {
    /** No body (requests without framing headers; HEAD/1xx/204/304 responses; CONNECT 2xx). */
    NONE,
    /** Exactly {@code Content-Length} bytes. */
    CONTENT_LENGTH,
    /** {@code Transfer-Encoding: chunked}. */
    CHUNKED,
    /** Until the connection closes (responses only). */
    UNTIL_CLOSE
}
