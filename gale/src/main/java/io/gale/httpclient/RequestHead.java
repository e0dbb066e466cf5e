package io.gale.httpclient;

import io.gale.http.HttpHeaders;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * The request line and header fields the client sends for one hop: the caller's fields plus
 * {@code Host}, {@code User-Agent}, {@code Accept-Encoding}, {@code Authorization},
 * {@code Content-Length} or chunked framing, a default form {@code Content-Type} for POST (as
 * Tornado), {@code Expect} and {@code Proxy-Authorization}. Immutable once built.
 */
final class RequestHead {
    private static final Set<String> STANDARD_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH",
            "OPTIONS");
    private static final Set<String> BODY_REQUIRED = Set.of("POST", "PUT", "PATCH");

    final String target;
    final HttpHeaders headers;
    final boolean chunked;
    final boolean expectContinue;

    private RequestHead(String target, HttpHeaders headers, boolean chunked, boolean expectContinue) {
        this.target = target;
        this.headers = headers;
        this.chunked = chunked;
        this.expectContinue = expectContinue;
    }

    /** Tornado's method/body rules, unless {@code allowNonstandardMethods}. */
    static void validate(HttpRequest r) {
        if (r.allowNonstandardMethods) {
            return;
        }
        if (!STANDARD_METHODS.contains(r.method)) {
            throw new IllegalArgumentException("unknown method " + r.method + " (allowNonstandardMethods to send it)");
        }
        boolean hasBody = r.body != null || r.bodyProducer != null;
        if (BODY_REQUIRED.contains(r.method) && !hasBody) {
            throw new IllegalArgumentException("body must be set for " + r.method + " (allowNonstandardMethods to omit it)");
        }
        if (!BODY_REQUIRED.contains(r.method) && hasBody) {
            throw new IllegalArgumentException("body must not be set for " + r.method
                    + " (allowNonstandardMethods to send it)");
        }
    }

    static RequestHead build(HttpRequest r, Address a, String defaultUserAgent) {
        URI u = r.uri;
        HttpHeaders h = r.headers.copy();
        boolean defaultPort = u.getPort() < 0 || u.getPort() == (a.tls() ? 443 : 80);
        String authority = defaultPort ? u.getHost() : u.getHost() + ":" + u.getPort();
        if (!h.contains("Host")) {
            h.set("Host", authority);
        }
        if (!h.contains("User-Agent")) {
            h.set("User-Agent", r.userAgent != null ? r.userAgent : defaultUserAgent);
        }
        if (r.decompressResponse && !h.contains("Accept-Encoding")) {
            h.set("Accept-Encoding", "gzip");
        }
        if (!h.contains("Authorization") && !r.digestAuth) {
            String user = r.authUsername;
            String pass = r.authPassword;
            if (user == null && u.getRawUserInfo() != null) {
                String info = u.getUserInfo();
                int colon = info.indexOf(':');
                user = colon < 0 ? info : info.substring(0, colon);
                pass = colon < 0 ? "" : info.substring(colon + 1);
            }
            if (user != null) {
                h.set("Authorization", basic(user, pass));
            }
        }
        boolean chunked = false;
        if (r.body != null) {
            h.set("Content-Length", Integer.toString(r.body.length));
        } else if (r.bodyProducer != null && !h.contains("Content-Length")) {
            h.set("Transfer-Encoding", "chunked");
            chunked = true;
        }
        boolean hasBody = r.body != null || r.bodyProducer != null;
        if (hasBody && r.method.equals("POST") && !h.contains("Content-Type")) {
            h.set("Content-Type", "application/x-www-form-urlencoded");
        }
        boolean expect = r.expect100Continue && hasBody;
        if (expect) {
            h.set("Expect", "100-continue");
        }
        if (a.absoluteFormTarget() && a.proxyAuthorization() != null) {
            h.set("Proxy-Authorization", a.proxyAuthorization());
        }
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        String target = u.getRawQuery() != null ? path + "?" + u.getRawQuery() : path;
        if (a.absoluteFormTarget()) {
            target = "http://" + authority + target;
        }
        return new RequestHead(target, h, chunked, expect);
    }

    static String basic(String user, String pass) {
        String raw = user + ":" + (pass == null ? "" : pass);
        return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }
}
