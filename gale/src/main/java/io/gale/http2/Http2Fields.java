package io.gale.http2;

import io.gale.http.HttpHeaders;

/**
 * One received field block, checked as it is decoded: a request head, a response head
 * (informational or final) or trailers. Pseudo-header fields (RFC 9113 section 8.3) are kept
 * apart, regular fields go to {@link #headers()} with their lower-case names. The rules of
 * sections 8.1.1, 8.2 and 8.3 are applied field by field ({@link Http2HeaderRules} for the field
 * rules); the first violation is kept as {@link #malformed()} and the rest of the block is only
 * decoded (the HPACK context must see every field), never collected. The connection answers a
 * malformed block with a stream error PROTOCOL_ERROR.
 *
 * <p>Checked here: pseudo-headers before regular fields, only those defined for the kind, none
 * twice, none in trailers, the required ones present ({@code :method}, {@code :scheme},
 * {@code :path} in requests, only {@code :authority} for CONNECT; {@code :path} an absolute path,
 * or {@code *} for OPTIONS; {@code :protocol} only with CONNECT, which then also needs
 * {@code :scheme}, {@code :path} and {@code :authority} (RFC 8441 section 4, the extended
 * CONNECT); {@code :status} of three digits in responses), {@code :authority} without
 * userinfo and agreeing with {@code host} when both are sent, {@code content-length} digits and
 * equal when repeated. In requests the {@code cookie} crumbs are joined into one field with
 * {@code "; "} (section 8.2.3), so a cookie parser sees what HTTP/1.1 would carry.
 *
 * <p>Not thread-safe; read-only once handed to a listener.
 */
public final class Http2Fields {

    /** What the block is. */
    public enum Kind {
        /** A request head: a server receives it. */
        REQUEST,
        /** A response head, informational (1xx) or final: a client receives it. */
        RESPONSE,
        /** Trailers after the body. */
        TRAILERS
    }

    private final Kind kind;
    private final HttpHeaders headers = new HttpHeaders();
    private String method;
    private String scheme;
    private String authority;
    private String path;
    private String protocol;
    private int status = -1;
    private String host;
    private long contentLength = -1;
    private StringBuilder cookie;
    private boolean regularSeen;
    private String malformed;
    private boolean tooLarge;

    Http2Fields(Kind kind) {
        this.kind = kind;
    }

    /**
     * The head of an HTTP/1.1 request that upgraded to HTTP/2 ({@code Upgrade: h2c}, RFC 7540
     * section 3.2): stream 1's request, checked by the same rules as a received HEADERS block.
     * The pseudo-headers come from the request line and {@code Host} ({@code :authority}); the
     * fields HTTP/2 does not carry ({@link Http2HeaderRules#omitOnSend}: connection-specific ones,
     * {@code host}, {@code te} other than trailers, the upgrade's own {@code HTTP2-Settings}) and
     * any other field the {@code Connection} field names are left out; names are lower-cased. The result may be {@link #malformed()} (a value HTTP/2 refuses); the
     * caller then does not upgrade.
     */
    public static Http2Fields upgradeRequest(String method, String scheme, String path, HttpHeaders headers) {
        Http2Fields f = new Http2Fields(Kind.REQUEST);
        f.field(":method", method);
        f.field(":scheme", scheme);
        String host = headers.get("Host");
        if (host != null) {
            f.field(":authority", host);
        }
        f.field(":path", path);
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (!Http2HeaderRules.omitOnSend(lower, value) && !headers.containsValue("Connection", lower, true)) {
                f.field(lower, value);
            }
        });
        f.finish(false);
        return f;
    }

    /** One decoded field (the HPACK decoder's sink). */
    void field(String name, String value) {
        if (malformed != null) {
            return;
        }
        String bad = Http2HeaderRules.checkValue(value);
        if (bad == null) {
            bad = name.startsWith(":") ? pseudo(name, value) : regular(name, value);
        }
        if (bad != null) {
            malformed = bad;
        }
    }

    private String pseudo(String name, String value) {
        if (regularSeen) {
            return "pseudo-header field " + name + " after a regular field";        // 8.3
        }
        if (kind == Kind.TRAILERS) {
            return "pseudo-header field " + name + " in trailers";                 // 8.1
        }
        if (kind == Kind.RESPONSE) {
            if (!name.equals(":status")) {
                return "pseudo-header field " + name + " in a response";            // 8.3
            }
            if (status >= 0) {
                return "duplicate :status";
            }
            status = parseStatus(value);
            return status < 0 ? "invalid :status" : null;                          // 8.3.2
        }
        switch (name) {
            case ":method" -> {
                if (method != null) {
                    return "duplicate :method";
                }
                if (!HttpHeaders.isValidName(value)) {
                    return "invalid :method";                                       // a token (RFC 9110)
                }
                method = value;
            }
            case ":scheme" -> {
                if (scheme != null) {
                    return "duplicate :scheme";
                }
                scheme = value;
            }
            case ":authority" -> {
                if (authority != null) {
                    return "duplicate :authority";
                }
                authority = value;
            }
            case ":path" -> {
                if (path != null) {
                    return "duplicate :path";
                }
                path = value;
            }
            case ":protocol" -> {
                if (protocol != null) {
                    return "duplicate :protocol";
                }
                protocol = value;
            }
            default -> {
                return "unknown pseudo-header field " + name;                       // 8.3
            }
        }
        return null;
    }

    private String regular(String name, String value) {
        regularSeen = true;
        String bad = Http2HeaderRules.checkName(name);
        if (bad == null) {
            bad = Http2HeaderRules.checkAllowed(name, value);
        }
        if (bad != null) {
            return bad;
        }
        switch (name) {
            case "content-length" -> {
                long n = parseLength(value);
                if (n < 0 || (contentLength >= 0 && n != contentLength)) {
                    return "invalid content-length";                                // 8.1.1
                }
                contentLength = n;
            }
            case "cookie" -> {
                if (kind == Kind.REQUEST) {
                    if (cookie == null) {
                        cookie = new StringBuilder(value);
                    } else {
                        cookie.append("; ").append(value);                          // 8.2.3
                    }
                    return null;
                }
            }
            case "host" -> {
                if (kind == Kind.REQUEST) {
                    if (host != null) {
                        return "duplicate host";
                    }
                    host = value;
                }
            }
            default -> {
                // no rule beyond the field rules
            }
        }
        headers.add(name, value); // validated above: cannot throw
        return null;
    }

    /**
     * The block ended: checks what needs the whole block (required pseudo-headers). {@code tooLarge}:
     * the decoder went past SETTINGS_MAX_HEADER_LIST_SIZE and dropped later fields.
     */
    void finish(boolean tooLarge) {
        this.tooLarge = tooLarge;
        if (cookie != null) {
            headers.add("cookie", cookie.toString());
            cookie = null;
        }
        if (malformed != null || tooLarge) {
            return;
        }
        malformed = switch (kind) {
            case RESPONSE -> status < 0 ? "missing :status" : null;
            case TRAILERS -> null;
            case REQUEST -> checkRequest();
        };
    }

    private String checkRequest() {
        if (method == null) {
            return "missing :method";                                               // 8.3.1
        }
        if (method.equals("CONNECT") && protocol == null) {
            if (authority == null || scheme != null || path != null) {
                return "CONNECT needs :authority and no :scheme or :path";          // 8.5
            }
            return null;
        }
        if (protocol != null && !method.equals("CONNECT")) {
            return ":protocol without CONNECT";                                     // RFC 8441 section 4
        }
        if (protocol != null && (authority == null || protocol.isEmpty())) {
            return "extended CONNECT needs :authority and a :protocol";             // RFC 8441 section 4
        }
        if (scheme == null || path == null) {
            return "missing :scheme or :path";                                      // 8.3.1
        }
        if (path.isEmpty()) {
            return "empty :path";                                                   // 8.3.1
        }
        if (path.charAt(0) != '/' && !(path.equals("*") && method.equals("OPTIONS"))) {
            return ":path neither an absolute path nor * for OPTIONS";              // 8.3.1
        }
        if (authority != null) {
            if ((scheme.equals("http") || scheme.equals("https")) && authority.indexOf('@') >= 0) {
                return ":authority with userinfo";                                  // 8.3.1
            }
            if (host != null && !host.equalsIgnoreCase(authority)) {
                return "host differs from :authority";                              // 8.3.1
            }
        }
        return null;
    }

    private static int parseStatus(String v) {
        if (v.length() != 3) {
            return -1;
        }
        int s = 0;
        for (int i = 0; i < 3; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            s = s * 10 + (c - '0');
        }
        return s >= 100 ? s : -1;
    }

    private static long parseLength(String v) {
        if (v.isEmpty() || v.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    public Kind kind() {
        return kind;
    }

    /** Why the block is malformed (RFC 9113 section 8.1.1), or null. */
    public String malformed() {
        return malformed;
    }

    /**
     * The block went past our SETTINGS_MAX_HEADER_LIST_SIZE: later fields were dropped. A server
     * answers 431, a client fails the request.
     */
    public boolean tooLarge() {
        return tooLarge;
    }

    /** The regular fields, names in lower case; in requests one {@code cookie} field with the crumbs joined. */
    public HttpHeaders headers() {
        return headers;
    }

    /** {@code :status}, or -1 in requests and trailers. */
    public int status() {
        return status;
    }

    /** {@code :method}, or null. */
    public String method() {
        return method;
    }

    /** {@code :scheme}, or null. */
    public String scheme() {
        return scheme;
    }

    /** {@code :authority}, or null (then a request's {@code host} field, if any, names the origin). */
    public String authority() {
        return authority;
    }

    /** {@code :path}, or null. */
    public String path() {
        return path;
    }

    /** {@code :protocol} of an extended CONNECT (RFC 8441), or null. */
    public String protocol() {
        return protocol;
    }

    /** The {@code content-length} value, or -1 if absent. */
    public long contentLength() {
        return contentLength;
    }

    @Override
    public String toString() {
        return "Http2Fields[" + kind + (status >= 0 ? " " + status : "") + (method != null ? " " + method : "")
            + (path != null ? " " + path : "") + ", " + headers + (malformed != null ? ", malformed: " + malformed : "")
            + "]";
    }
}
