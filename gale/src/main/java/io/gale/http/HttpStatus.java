package io.gale.http;

/**
 * Facts about status codes: the standard reason phrases of RFC 9110 section 15 (plus 429/431 of
 * RFC 6585), and which responses carry no body: the one home of that rule, used by the server's
 * exchanges, the parser (for the client) and the web layer alike. Stateless.
 */
public final class HttpStatus {
    private HttpStatus() {
    }

    /**
     * Whether a response with {@code status} may have content: false for 1xx, 204 and 304 (RFC 9110
     * sections 15.2, 15.3.5 and 15.4.5), which end at their header section whatever their framing
     * fields say, and carry no representation.
     *
     * @param status the status code
     * @return whether a response with {@code status} may have content: false for 1xx, 204 and 304 (RFC 9110 sections 15.2, 15.3.5 and 15.4.5), which end at their header section whatever their framing fields say, and carry no representation
     */
    public static boolean permitsContent(int status) {
        return status >= 200 && status != 204 && status != 304;
    }

    /**
     * Whether the response to a {@code requestMethod} request with {@code status} has a body on the
     * wire (RFC 9112 section 6.3 rules 1 and 2): not when {@link #permitsContent} says no, not for
     * HEAD (its Content-Length describes what GET would send), and not for a 2xx to CONNECT (the
     * connection becomes a tunnel).
     *
     * @param requestMethod the request method
     * @param status the status code
     * @return whether the response to a {@code requestMethod} request with {@code status} has a body on the wire (RFC 9112 section 6.3 rules 1 and 2): not when {@link #permitsContent} says no, not for HEAD (its Content-Length describes what GET would send), and not for a 2xx to CONNECT (the connection becomes a tunnel)
     */
    public static boolean responseHasBody(String requestMethod, int status) {
        return permitsContent(status) && !"HEAD".equals(requestMethod)
                && !(status / 100 == 2 && "CONNECT".equals(requestMethod));
    }

    /**
     * The standard reason phrase of {@code code}, or null if the code is not registered here.
     *
     * @param code the status code
     * @return the standard reason phrase of {@code code}, or null if the code is not registered here
     */
    public static String reasonPhrase(int code) {
        return switch (code) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 103 -> "Early Hints";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 203 -> "Non-Authoritative Information";
            case 204 -> "No Content";
            case 205 -> "Reset Content";
            case 206 -> "Partial Content";
            case 300 -> "Multiple Choices";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Range Not Satisfiable";
            case 417 -> "Expectation Failed";
            case 421 -> "Misdirected Request";
            case 422 -> "Unprocessable Content";
            case 426 -> "Upgrade Required";
            case 428 -> "Precondition Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> null;
        };
    }
}
