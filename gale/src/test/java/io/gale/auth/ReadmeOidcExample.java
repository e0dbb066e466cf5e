package io.gale.auth;

import io.gale.ioloop.IOLoop;
import io.gale.web.Application;
import io.gale.web.ApplicationSettings;
import io.gale.web.Authenticated;
import io.gale.web.RequestHandler;
import io.gale.web.Route;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The README's OpenID Connect login example, kept here so that it compiles with the library
 * (LoginApp runs the same handler shape against real providers in the tests).
 */
public final class ReadmeOidcExample {
    static final OidcClient GOOGLE = Providers.google(ClientRegistration.of(
            System.getenv("GOOGLE_CLIENT_ID"), System.getenv("GOOGLE_CLIENT_SECRET"),
            "https://app.example/auth/google")).build();

    private ReadmeOidcExample() {
    }

    /** GET /auth/google: off to Google, and back here with ?code=... */
    public static final class GoogleLoginHandler extends RequestHandler {
        public CompletionStage<?> get() {
            if (!GOOGLE.isCallback(this)) {
                return GOOGLE.authorizeRedirect(this);        // state, nonce, PKCE in a signed cookie
            }
            return GOOGLE.getAuthenticatedUser(this).thenAccept(user -> { // ID token verified
                setSignedCookie("user", user.subject());
                redirect(user.next());                        // the safe ?next= the login began with
            });
        }
    }

    @Authenticated
    public static final class HomeHandler extends RequestHandler {
        @Override
        protected Object getCurrentUser() {
            return getSignedCookie("user");
        }

        public void get() {
            write("Hello, " + currentUser());
        }
    }

    public static void main(String[] args) throws java.io.IOException {
        new Application(List.of(Route.url("/", HomeHandler.class), Route.url("/auth/google", GoogleLoginHandler.class)),
                ApplicationSettings.builder().cookieSecret(System.getenv("COOKIE_SECRET"))
                        .loginUrl("/auth/google").build()).listen(8888);
        IOLoop.instance().start();
    }
}
