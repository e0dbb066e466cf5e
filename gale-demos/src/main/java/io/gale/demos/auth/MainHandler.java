package io.gale.demos.auth;

import java.util.Map;

/**
 * {@code GET /}: the login buttons, or, once logged in, who the user is, their claims, and the
 * logout form.
 */
final class MainHandler extends BaseHandler {
    MainHandler(Site site) {
        super(site);
    }

    public void get() {
        Session session = session();
        if (session == null) {
            render("login.html");
            return;
        }
        LoginProvider via = site.login(session.provider());
        render("home.html", Map.of(
                "name", session.displayName(),
                "via", via == null ? session.provider() : via.label(),
                "claims", Claims.rows(session.claims()),
                "omitted", session.omitted()));
    }
}
