package io.gale.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request as the server received it (Tornado's {@code HTTPServerRequest}): request line,
 * headers, body, client address, and the argument, file and cookie views derived from them.
 *
 * <pre>{@code
 * String name = request.queryArguments().getOrDefault("name", List.of("world")).get(0);
 * String session = request.cookies().get("session");
 * }</pre>
 *
 * <p>Derived views (path, query, arguments, cookies) are computed on first use. The maps returned
 * are owned by the request and may be read freely; argument values keep their order.
 *
 * <p>Threading: a request belongs to the one thread handling it at a time (its loop, or its
 * coroutine); it is not safe for concurrent use.
 */
public final class HttpServerRequest {
    private final HttpExchange exchange;
    private final String method;
    private final String uri;
    private final HttpVersion version;
    private final HttpHeaders headers;
    private final String remoteIp;
    private final String protocol;
    private final String host;
    private final long startNanos = System.nanoTime();
    /** Derived from startNanos when first asked: most requests never need the wall clock. */
    private long startMillis;

    private String path;
    private String query;
    private byte[] body = EMPTY;
    private Map<String, List<String>> queryArguments;
    private Map<String, List<String>> bodyArguments;
    private Map<String, List<HttpFile>> files;
    private Map<String, String> cookies;
    private long finishNanos;

    private static final byte[] EMPTY = new byte[0];

    /**
     * Creates a {@code HttpServerRequest}.
     *
     * @param exchange where the response goes; null for a request built outside a server (tests)
     * @param method the HTTP method
     * @param uri the URI
     * @param version the HTTP version
     * @param headers the headers
     * @param remoteIp the client's address (after {@code xheaders} processing, if enabled)
     * @param protocol "http" or "https" (after {@code xheaders} processing)
     */
    public HttpServerRequest(HttpExchange exchange, String method, String uri, HttpVersion version,
            HttpHeaders headers, String remoteIp, String protocol) {
        this.exchange = exchange;
        this.method = Objects.requireNonNull(method, "method");
        this.uri = Objects.requireNonNull(uri, "uri");
        this.version = Objects.requireNonNull(version, "version");
        this.headers = Objects.requireNonNull(headers, "headers");
        this.remoteIp = remoteIp;
        this.protocol = protocol;
        String h = absoluteFormAuthority(uri);
        if (h == null) {
            h = headers.get("Host");
        }
        this.host = h == null || h.isEmpty() ? "127.0.0.1" : h;
    }

    /**
     * The authority of an absolute-form target ({@code http://example.com:8080/x}), which
     * replaces the Host field (RFC 9112 section 3.2.2); null for the other forms or none.
     */
    static String absoluteFormAuthority(String uri) {
        int start = authorityStart(uri);
        if (start < 0) {
            return null;
        }
        String authority = uri.substring(start, authorityEnd(uri, start));
        int at = authority.lastIndexOf('@'); // userinfo is not part of the host
        authority = authority.substring(at + 1);
        return authority.isEmpty() ? null : authority;
    }

    /** Where an absolute-form target's authority starts (after "scheme://"), or -1 for the other forms. */
    private static int authorityStart(String uri) {
        if (uri.startsWith("/") || uri.equals("*")) {
            return -1;
        }
        int scheme = uri.indexOf("://");
        return scheme > 0 ? scheme + 3 : -1;
    }

    /** Where the authority that starts at {@code start} ends: the path, query or fragment, or the end. */
    private static int authorityEnd(String uri, int start) {
        int end = start;
        while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
            end++;
        }
        return end;
    }

    /**
     * The request's exchange: where the response goes (Tornado's {@code request.connection});
     * null for a request built outside a server (tests).
     *
     * @return the request's exchange: where the response goes (Tornado's {@code request.connection}); null for a request built outside a server (tests)
     */
    public HttpExchange exchange() {
        return exchange;
    }

    /**
     * The HTTP method.
     *
     * @return the HTTP method
     */
    public String method() {
        return method;
    }

    /**
     * The request target as sent, path and query included.
     *
     * @return the request target as sent, path and query included
     */
    public String uri() {
        return uri;
    }

    /**
     * The HTTP version.
     *
     * @return the HTTP version
     */
    public HttpVersion version() {
        return version;
    }

    /**
     * The headers.
     *
     * @return the headers
     */
    public HttpHeaders headers() {
        return headers;
    }

    /**
     * The client's IP address.
     *
     * @return the client's IP address
     */
    public String remoteIp() {
        return remoteIp;
    }

    /**
     * "http" or "https".
     *
     * @return the protocol
     */
    public String protocol() {
        return protocol;
    }

    /**
     * The Host header, or 127.0.0.1 when absent (HTTP/1.0).
     *
     * @return the Host header, or 127.0.0.1 when absent (HTTP/1.0)
     */
    public String host() {
        return host;
    }

    /**
     * The host without the port, lower-cased.
     *
     * @return the host without the port, lower-cased
     */
    public String hostName() {
        return HttpUtil.splitHostAndPort(host).host().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The path part of {@link #uri()}, still percent-encoded.
     *
     * @return the path part of {@link #uri()}, still percent-encoded
     */
    public String path() {
        if (path == null) {
            splitUri();
        }
        return path;
    }

    /**
     * The query part of {@link #uri()} without '?', or "".
     *
     * @return the query part of {@link #uri()} without '?', or ""
     */
    public String query() {
        if (query == null) {
            splitUri();
        }
        return query;
    }

    private void splitUri() {
        String u = uri;
        int authority = authorityStart(u);
        if (authority >= 0) {
            // absolute-form: keep the path and query of the URL ("/" when it has no path)
            int start = authorityEnd(u, authority);
            u = start == u.length() ? "/" : (u.charAt(start) == '/' ? u.substring(start) : "/" + u.substring(start));
        }
        int q = u.indexOf('?');
        if (q < 0) {
            path = u;
            query = "";
        } else {
            path = u.substring(0, q);
            query = u.substring(q + 1);
        }
    }

    /**
     * The full URL of the request.
     *
     * @return the full URL of the request
     */
    public String fullUrl() {
        return protocol + "://" + host + uri;
    }

    /**
     * The request body, empty until it was received (or when the handler streams it).
     *
     * @return the request body, empty until it was received (or when the handler streams it)
     */
    public byte[] body() {
        return body;
    }

    /**
     * Sets the received body (the server or framework calls this once the body is complete).
     *
     * @param body the body
     */
    public void setBody(byte[] body) {
        this.body = body == null ? EMPTY : body;
        this.bodyArguments = null;
        this.files = null;
    }

    /**
     * Query-string arguments, decoded as UTF-8.
     *
     * @return the query arguments
     */
    public Map<String, List<String>> queryArguments() {
        if (queryArguments == null) {
            queryArguments = HttpUtil.parseQueryString(query());
        }
        return queryArguments;
    }

    /**
     * Form arguments of the body (urlencoded or multipart). Empty until {@link #parseBody} ran.
     *
     * @return the body arguments
     */
    public Map<String, List<String>> bodyArguments() {
        return bodyArguments == null ? Collections.emptyMap() : bodyArguments;
    }

    /**
     * Uploaded files of a multipart body. Empty until {@link #parseBody} ran.
     *
     * @return the files
     */
    public Map<String, List<HttpFile>> files() {
        return files == null ? Collections.emptyMap() : files;
    }

    /**
     * Query and body arguments together, query first (Tornado's {@code request.arguments}).
     *
     * @return the arguments
     */
    public Map<String, List<String>> arguments() {
        Map<String, List<String>> all = new LinkedHashMap<>();
        queryArguments().forEach((k, v) -> all.computeIfAbsent(k, x -> new java.util.ArrayList<>()).addAll(v));
        bodyArguments().forEach((k, v) -> all.computeIfAbsent(k, x -> new java.util.ArrayList<>()).addAll(v));
        return all;
    }

    /**
     * Parses the body into {@link #bodyArguments()} and {@link #files()} per its Content-Type.
     *
     * @param limits the limits
     * @throws HttpFormException for a malformed body or an exceeded limit (answer 400)
     */
    public void parseBody(FormLimits limits) throws HttpFormException {
        Map<String, List<String>> args = new LinkedHashMap<>();
        Map<String, List<HttpFile>> f = new LinkedHashMap<>();
        String ct = headers.get("Content-Type");
        if (ct != null && body.length > 0) {
            HttpUtil.parseBodyArguments(ct, body, args, f, limits);
        }
        bodyArguments = args;
        files = f;
    }

    /**
     * Cookies sent with the request (parsed leniently, in linear time).
     *
     * @return the cookies
     */
    public Map<String, String> cookies() {
        if (cookies == null) {
            List<String> all = headers.getAll("Cookie");
            if (all.isEmpty()) {
                cookies = Collections.emptyMap();
            } else if (all.size() == 1) {
                cookies = HttpUtil.parseCookieHeader(all.get(0));
            } else {
                cookies = HttpUtil.parseCookieHeader(String.join("; ", all));
            }
        }
        return cookies;
    }

    /**
     * When the request arrived (wall clock, epoch milliseconds).
     *
     * @return when the request arrived (wall clock, epoch milliseconds)
     */
    public long startTimeMillis() {
        if (startMillis == 0) {
            startMillis = System.currentTimeMillis() - (System.nanoTime() - startNanos) / 1_000_000;
        }
        return startMillis;
    }

    /** Marks the response as finished, fixing {@link #requestTimeNanos()}. */
    public void markFinished() {
        if (finishNanos == 0) {
            finishNanos = System.nanoTime();
        }
    }

    /** {@link #markFinished()} with a {@link System#nanoTime()} reading the caller just took. */
    void markFinished(long nanos) {
        if (finishNanos == 0) {
            finishNanos = nanos;
        }
    }

    /**
     * Time from arrival to finish (or to now, if not finished), in nanoseconds.
     *
     * @return the request time nanos
     */
    public long requestTimeNanos() {
        return (finishNanos == 0 ? System.nanoTime() : finishNanos) - startNanos;
    }

    @Override
    public String toString() {
        return method + " " + uri + " " + version + " (" + remoteIp + ")";
    }
}
