package io.gale.demos.auth;

import io.gale.http.SetCookie;
import java.net.URI;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider's login URL, which is also its redirect URI (Tornado's {@code GoogleOAuth2LoginHandler}
 * shape): without a callback's parameters it starts a login ({@code ?next=} is kept, if it is a
 * local path) and sends the browser to the provider; when the provider sends the browser back,
 * it finishes the login ({@code io.gale.auth} checks the state, exchanges the code, verifies the
 * ID token), keeps the user's claims in the signed session cookie and goes on to {@code next}.
 * A failed login is an error page ({@link BaseHandler#writeError}) and sets no session.
 */
final class LoginHandler extends BaseHandler {
    private static final Logger LOG = LoggerFactory.getLogger("gale.demos.auth");

    private final LoginProvider provider;

    LoginHandler(Site site, LoginProvider provider) {
        super(site);
        this.provider = provider;
    }

    public CompletionStage<?> get() {
        if (!provider.isCallback(this)) {
            return provider.authorizeRedirect(this);
        }
        return provider.getAuthenticatedUser(this).thenAccept(user -> {
            Session session = Session.of(provider.name(), user.claims());
            boolean https = URI.create(provider.redirectUri()).getScheme().equals("https");
            setSignedCookie(Session.COOKIE, session.json(), SESSION_DAYS,
                    c -> c.httpOnly(true).sameSite(SetCookie.SameSite.LAX).secure(https));
            LOG.info("{} logged in with {}", session.forLog(), provider.label());
            redirect(user.next());
        });
    }
}
