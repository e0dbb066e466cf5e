package io.gale.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server answers a protocol error with, before or instead of the delegate's response: a
 * malformed request (400, 414, 431, 501, 505), a slow one (408), an unmet expectation (417), a body
 * over its limit (413), a failed delegate (500). One writer for all of them, over HTTP/1.1 and
 * HTTP/2, so they look alike: the body the delegate chooses ({@link
 * HttpServerConnectionDelegate#errorBody}: the web framework answers JSON when its
 * {@code jsonErrors} setting is on), by default {@code text/plain}, the status and its reason
 * ("413 Content Too Large"). A delegate whose {@code errorBody} throws gets the default (logged).
 * Stateless.
 */
final class ProtocolErrorPage {
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(ProtocolErrorPage.class);
    }

    private ProtocolErrorPage() {
    }

    /** The page for {@code status}, as {@code delegate} wants it. */
    static ErrorBody of(HttpServerConnectionDelegate delegate, int status) {
        String reason = HttpStatus.reasonPhrase(status);
        try {
            ErrorBody b = delegate.errorBody(status, reason);
            if (b != null) {
                return b;
            }
        } catch (RuntimeException e) {
            Log.LOG.error("errorBody of {} failed", delegate, e);
        }
        return ErrorBody.plainText(status, reason);
    }

    /** The page's fields (its length goes as a typed length). */
    static HttpHeaders headers(ErrorBody page) {
        return new HttpHeaders().set(HttpHeaderNames.CONTENT_TYPE, page.contentType());
    }
}
