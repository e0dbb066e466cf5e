package io.gale.web;

import io.gale.http.HttpServerRequest;
import io.gale.http.HttpUtil;
import java.util.Map;

/**
 * Where {@link Authenticated} sends a visitor who is not logged in, and the one rule that decides
 * whether a {@code next} URL is safe to redirect to afterwards.
 *
 * <p>A safe {@code next} is a local path: it starts with one {@code /} (not {@code //}, which a
 * browser reads as another host, nor {@code /\}, which browsers treat as {@code //}) and holds
 * only the characters RFC 3986 allows in a path, query and fragment (letters, digits,
 * {@code -._~!$&'()*+,;=:@/?#%}): no backslash, no whitespace (browsers drop tabs and newlines
 * inside URLs, so {@code /\t/evil.example} would become {@code //evil.example}), no {@code " < >}
 * (a browser sends them escaped anyway). Percent-escapes stay as they are:
 * {@code /%2F/evil.example} is a path on this host. Everything else (absolute URLs,
 * scheme-relative ones, {@code javascript:}) is refused.
 *
 * <p>Stateless and thread-safe.
 */
final class LoginRedirect {
    /** RFC 3986's unreserved and sub-delims, and ":@/?#%" (gen-delims without brackets, escapes). */
    private static final String URL_PUNCTUATION = "-._~!$&'()*+,;=:@/?#%";

    private LoginRedirect() {
    }

    /**
     * {@code loginUrl} with {@code ?next=} the request's path and query (Tornado's
     * {@code @authenticated}); a login URL with a query already is returned as it is. A request
     * path that is not a safe local path gives {@code next=/}.
     */
    static String url(String loginUrl, HttpServerRequest request) {
        if (loginUrl.indexOf('?') >= 0) {
            return loginUrl;
        }
        String query = request.query();
        String next = query.isEmpty() ? request.path() : request.path() + "?" + query;
        if (!isLocalPath(next)) {
            next = "/";
        }
        return loginUrl + "?" + HttpUtil.encodeQueryString(Map.of("next", next));
    }

    /** Whether {@code url} is a safe local path to redirect to (see the class comment). */
    static boolean isLocalPath(String url) {
        if (url == null || url.isEmpty() || url.charAt(0) != '/') {
            return false;
        }
        if (url.length() > 1 && (url.charAt(1) == '/' || url.charAt(1) == '\\')) {
            return false;
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || URL_PUNCTUATION.indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }
}
