package io.gale.demos.auth;

import io.gale.auth.OAuth2Exception;
import io.gale.http.HttpStatus;
import io.gale.template.TemplateNamespace;
import io.gale.web.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the demo's handlers share (Tornado's demos have a {@code BaseHandler} for the same): the
 * current user is the session in the signed cookie {@value Session#COOKIE}; templates see the
 * login buttons ({@code logins}) and the local provider's issuer ({@code localIssuer}, null
 * without one); errors are pages from {@code error.html}, with what went wrong in a login said in
 * words (the detail is in the log, one WARNING line per failed login).
 */
abstract class BaseHandler extends RequestHandler {
    /** How long a session lasts: the cookie's expiry, and the oldest signature accepted. */
    static final double SESSION_DAYS = 1;

    final Site site;

    BaseHandler(Site site) {
        this.site = site;
    }

    /** The session, or null: no cookie, a bad signature, older than {@link #SESSION_DAYS}, or not a session. */
    @Override
    protected Session getCurrentUser() {
        return Session.parse(getSignedCookie(Session.COOKIE, SESSION_DAYS, 2));
    }

    /** The session of this request, or null. */
    Session session() {
        return (Session) currentUser();
    }

    /**
     * Where {@code @Authenticated} sends a visitor without a session: the first provider's login
     * handler, as an absolute URL (its redirect URI), so that the login happens on the host the
     * provider will send the browser back to ({@code localhost}, not {@code 127.0.0.1}: cookies
     * are per host).
     */
    @Override
    protected String getLoginUrl() {
        return site.logins().get(0).redirectUri();
    }

    @Override
    protected TemplateNamespace getTemplateNamespace() {
        TemplateNamespace ns = super.getTemplateNamespace();
        ns.put("logins", site.buttons());
        ns.put("localIssuer", site.localIssuer());
        return ns;
    }

    @Override
    protected void writeError(int status, Throwable error) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("status", status);
        model.put("reason", HttpStatus.reasonPhrase(status));
        model.put("message", error instanceof OAuth2Exception o ? explain(o) : null);
        write(renderString("error.html", model));
    }

    /** A failed login in words for the visitor (never the provider's raw detail, which is logged). */
    static String explain(OAuth2Exception e) {
        return switch (e.kind()) {
            case PROVIDER_UNAVAILABLE -> "The login provider could not be reached, or did not answer in time. "
                    + "Nobody is logged in; try again when it is back.";
            case ACCESS_DENIED -> "The login was cancelled at the provider.";
            case INVALID_CALLBACK -> "This is not the end of a login this browser started, or the login took longer "
                    + "than ten minutes. Start again.";
            case PROVIDER_ERROR -> "The provider refused the login" + (e.error() == null ? "" : " (" + e.error() + ")")
                    + ". Start again; if it keeps failing, check the client id and secret.";
            case INVALID_RESPONSE -> "The provider's answer was not what the protocol says, so nobody is logged in.";
            case INVALID_ID_TOKEN -> "The provider's ID token did not pass verification, so nobody is logged in.";
        };
    }
}
