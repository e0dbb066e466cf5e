package io.gale.http;

import java.nio.charset.StandardCharsets;

/**
 * What the server answers a protocol error with, before or instead of the delegate's response: a
 * malformed request (400, 414, 431, 501, 505), a slow one (408), an unmet expectation (417), a body
 * over its limit (413), a failed delegate (500). One writer for all of them, so they look alike:
 * {@code text/plain}, the status and its reason ("413 Content Too Large"). Stateless.
 */
final class ProtocolErrorPage {
    private static final HttpHeaders HEADERS = new HttpHeaders()
            .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");

    private ProtocolErrorPage() {
    }

    /** The page's fields (shared: never modify); its length goes as a typed length. */
    static HttpHeaders headers() {
        return HEADERS;
    }

    /** The page's body. */
    static byte[] body(int status) {
        String reason = HttpStatus.reasonPhrase(status);
        return (status + " " + (reason == null ? "" : reason) + "\n").getBytes(StandardCharsets.ISO_8859_1);
    }
}
