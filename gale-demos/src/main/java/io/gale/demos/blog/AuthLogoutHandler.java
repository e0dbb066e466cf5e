package io.gale.demos.blog;

import java.util.Map;

/**
 * {@code /auth/logout}: POST (a form with the XSRF token, the header's "Sign out" button) clears
 * the login cookie and redirects to {@code next}. Tornado's demo logs out on a GET link, which any
 * other site can trigger; here GET shows a page with the button, so an old link still works with
 * one click and every state change comes from a form.
 */
final class AuthLogoutHandler extends BaseHandler {
    AuthLogoutHandler(Blog blog) {
        super(blog);
    }

    public void get() {
        render("logout.html", Map.of("next", safeNextUrl("/")));
    }

    public void post() {
        clearCookie(USER_COOKIE);
        redirectToNext();
    }
}
