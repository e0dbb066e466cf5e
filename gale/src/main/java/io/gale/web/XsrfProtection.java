package io.gale.web;

import io.gale.escape.Escape;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Cross-site request forgery protection for one request (Tornado's {@code xsrf_cookies}): the
 * {@code _xsrf} cookie holds a random token; every form the site serves carries the same token,
 * masked, in a hidden {@code _xsrf} field (or a script sends it in an {@code X-XSRFToken} header);
 * a POST, PUT, PATCH or DELETE whose token does not match its cookie is refused with 403. Another
 * site can make a browser send the cookie, but cannot read it to fill in the field.
 *
 * <p>Where the token is looked for, in order: the {@code _xsrf} field of a form body
 * (urlencoded or multipart), the {@code X-XSRFToken} header, the {@code X-CSRFToken} header (as
 * Django names it). Unlike Tornado, never the query string: URLs end up in logs, proxies and
 * {@code Referer} headers. A streamed body ({@link StreamRequestBody}) is not parsed, so such
 * handlers need the header.
 *
 * <p>The cookie is set the first time {@link #token()} runs in a request without a valid one
 * ({@code expires} 30 days ahead when a user is logged in, else a session cookie; then the
 * {@code xsrfCookieKwargs} setting applies). Its token then stays the same, while the text in
 * pages is masked afresh for every request (see {@link XsrfToken}). Tornado's version-1 cookies
 * and fields are accepted.
 *
 * <p>Failure behaviour: {@link #check()} throws an {@link HttpError} 403 whose log message says
 * which part was missing or wrong (the client only sees "403: Forbidden"). Confined to the
 * request's handler thread, like the handler.
 */
final class XsrfProtection {
    /** The form field name, fixed as in Tornado (the cookie name is a setting). */
    static final String FIELD = "_xsrf";

    /** The methods checked: all but the safe ones (GET, HEAD, OPTIONS). */
    static final Set<String> CHECKED_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

    private static final Duration LOGGED_IN_COOKIE_LIFETIME = Duration.ofDays(30);

    private final RequestHandler handler;
    private XsrfToken raw;
    private boolean rawFromCookie;
    private String masked;

    XsrfProtection(RequestHandler handler) {
        this.handler = handler;
    }

    /** The masked token for this response's pages; the same text for every call in one request. */
    String token() {
        if (masked == null) {
            XsrfToken t = raw();
            masked = t.masked();
            if (!rawFromCookie) {
                boolean loggedIn = handler.currentUser() != null;
                handler.setCookie(cookieName(), masked, c -> {
                    if (loggedIn) {
                        c.expires(Instant.now().plus(LOGGED_IN_COOKIE_LIFETIME));
                    }
                    handler.settings().xsrfCookieKwargs().accept(c);
                });
            }
        }
        return masked;
    }

    /** {@code <input type="hidden" name="_xsrf" value="..."/>} for a form. */
    String formHtml() {
        return "<input type=\"hidden\" name=\"" + FIELD + "\" value=\"" + Escape.xhtmlEscape(token()) + "\"/>";
    }

    /**
     * Checks the request's token against its cookie.
     *
     * @throws HttpError 403 when the token is missing or malformed, the cookie is missing or
     *     malformed, or they do not match
     */
    void check() {
        String source = "'" + FIELD + "' form field";
        String sent = nonEmpty(handler.getBodyArgument(FIELD, null));
        if (sent == null) {
            source = "X-XSRFToken header";
            sent = nonEmpty(handler.request().headers().get("X-XSRFToken"));
        }
        if (sent == null) {
            source = "X-CSRFToken header";
            sent = nonEmpty(handler.request().headers().get("X-CSRFToken"));
        }
        if (sent == null) {
            throw new HttpError(403, "XSRF token missing from %s: no '%s' form field, X-XSRFToken or X-CSRFToken header",
                    handler.request().method(), FIELD);
        }
        XsrfToken token = XsrfToken.decode(sent, now());
        if (token == null) {
            throw new HttpError(403, "XSRF token in the %s has an invalid format", source);
        }
        XsrfToken expected = raw();
        if (!rawFromCookie) {
            String cookie = handler.getCookie(cookieName());
            throw new HttpError(403, "XSRF cookie '%s' is %s", cookieName(),
                    cookie == null || cookie.isEmpty() ? "missing" : "malformed");
        }
        if (!token.sameToken(expected)) {
            throw new HttpError(403, "XSRF token in the %s does not match the '%s' cookie", source, cookieName());
        }
    }

    /** The token of the request's cookie, or a new one (remembered for the request). */
    private XsrfToken raw() {
        if (raw == null) {
            raw = XsrfToken.decode(handler.getCookie(cookieName()), now());
            rawFromCookie = raw != null;
            if (raw == null) {
                raw = XsrfToken.generate(now());
            }
        }
        return raw;
    }

    private String cookieName() {
        return handler.settings().xsrfCookieName();
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
