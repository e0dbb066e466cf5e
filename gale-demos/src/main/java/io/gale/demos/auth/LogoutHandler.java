package io.gale.demos.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /auth/logout}: ends the session (the cookie is cleared) and goes back to {@code /}.
 * A POST with the XSRF token, so that another site cannot log a visitor out; the provider's own
 * session, if it keeps one, stays (as in Tornado's demos).
 */
final class LogoutHandler extends BaseHandler {
    private static final Logger LOG = LoggerFactory.getLogger("gale.demos.auth");

    LogoutHandler(Site site) {
        super(site);
    }

    public void post() {
        Session session = session();
        if (session != null) {
            LOG.info("{} logged out", session.forLog());
        }
        clearCookie(Session.COOKIE);
        redirect("/");
    }
}
