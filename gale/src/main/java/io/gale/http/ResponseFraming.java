package io.gale.http;

/**
 * The framing decisions of one response, made once when its head is written, from typed values,
 * for the exchanges of every protocol: whether a body goes on the wire at all
 * ({@link HttpStatus#responseHasBody}), its declared length (the caller's typed length, else a
 * {@code Content-Length} field the caller wrote, read here once), and the count of body bytes
 * against it. What "streamed" means (no declared length) is each protocol's own: chunked or
 * close-delimited in HTTP/1.x, DATA frames in HTTP/2. Also the trailer rule (RFC 9110 section
 * 6.5.1).
 *
 * <p>Not thread-safe: belongs to its exchange, on the loop.
 */
final class ResponseFraming {
    /** Whether a body goes on the wire; false for HEAD, 1xx, 204, 304, CONNECT 2xx. */
    final boolean body;
    /**
     * Whether the status permits content at all (not 1xx, 204 or 304): when it does not, the head
     * describes no body, whatever a HEAD request would otherwise be told.
     */
    final boolean permitsContent;
    /** The declared length, or {@link HttpExchange#UNKNOWN_LENGTH} (streamed, or no content). */
    final long length;
    /** Whether the exchange writes {@code Content-Length} itself (a typed length was given). */
    final boolean writesLength;
    private long remaining;

    private ResponseFraming(boolean body, boolean permitsContent, long length, boolean writesLength) {
        this.body = body;
        this.permitsContent = permitsContent;
        this.length = length;
        this.writesLength = writesLength;
        this.remaining = length;
    }

    /**
     * Decides, for the response to {@code requestMethod}.
     *
     * @throws IllegalArgumentException if {@code contentLength} is below
     *     {@link HttpExchange#UNKNOWN_LENGTH}, is given while {@code headers} hold a
     *     {@code Content-Length} field too, or that field is not a number
     */
    static ResponseFraming decide(String requestMethod, int status, HttpHeaders headers, long contentLength) {
        if (contentLength < HttpExchange.UNKNOWN_LENGTH) {
            throw new IllegalArgumentException("negative content length " + contentLength);
        }
        boolean permits = HttpStatus.permitsContent(status);
        boolean body = HttpStatus.responseHasBody(requestMethod, status);
        if (!permits) {
            // 1xx/204/304 end at their head: a typed length describes nothing, and a field the
            // caller set (a 304 may repeat the 200's length, RFC 9110 section 8.6) goes out as is.
            return new ResponseFraming(false, false, HttpExchange.UNKNOWN_LENGTH, false);
        }
        String field = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (contentLength >= 0) {
            if (field != null) {
                throw new IllegalArgumentException("Content-Length given twice: as a field (" + field
                        + ") and as a length (" + contentLength + ")");
            }
            return new ResponseFraming(body, true, contentLength, true);
        }
        if (field != null) {
            return new ResponseFraming(body, true, parseLength(field), false);
        }
        return new ResponseFraming(body, true, HttpExchange.UNKNOWN_LENGTH, false);
    }

    private static long parseLength(String field) {
        String s = field.strip();
        if (!s.isEmpty() && s.length() <= 18) {
            long v = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    v = -1;
                    break;
                }
                v = v * 10 + (c - '0');
            }
            if (v >= 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("invalid Content-Length: " + field);
    }

    /** Whether the length is declared (so the body is held to it). */
    boolean declared() {
        return length >= 0;
    }

    /**
     * Counts {@code n} body bytes against the declared length.
     *
     * @return false if they go beyond it (nothing is counted then)
     */
    boolean count(long n) {
        if (length < 0) {
            return true;
        }
        if (n > remaining) {
            return false;
        }
        remaining -= n;
        return true;
    }

    /** Declared bytes not written yet (0 when nothing was declared). */
    long missing() {
        return length < 0 ? 0 : remaining;
    }

    /** How far {@code n} more bytes would overshoot the declared length. */
    long excess(long n) {
        return n - remaining;
    }

    /**
     * The trailer rule (RFC 9110 section 6.5.1): no field that frames the message, routes it or
     * controls the connection may be a trailer.
     *
     * @throws IllegalArgumentException naming the first such field
     */
    static void checkTrailers(HttpHeaders trailers) {
        if (trailers == null) {
            return;
        }
        for (int i = 0; i < trailers.size(); i++) {
            String name = trailers.nameAt(i);
            for (String forbidden : FORBIDDEN_TRAILERS) {
                if (forbidden.equalsIgnoreCase(name)) {
                    throw new IllegalArgumentException(name + " cannot be sent as a trailer field (RFC 9110 section 6.5.1)");
                }
            }
        }
    }

    private static final String[] FORBIDDEN_TRAILERS = {
        HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.TRAILER,
        HttpHeaderNames.CONTENT_ENCODING, HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.CONTENT_RANGE,
        HttpHeaderNames.HOST, HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.TE,
        HttpHeaderNames.UPGRADE,
    };
}
