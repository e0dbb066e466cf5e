package io.gale.auth;

import static io.gale.web.Route.url;

import io.gale.http.HttpServer;
import io.gale.web.Application;
import io.gale.web.ApplicationSettings;
import io.gale.web.Authenticated;
import io.gale.web.HttpError;
import io.gale.web.RequestHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Gale application logging users in through the clients a test registers by name: GET
 * {@code /login/NAME} is the login handler (the README's shape), {@code /account} a protected
 * page ({@link Authenticated}, the signed {@code user} cookie). Error pages name the
 * {@link OAuth2Exception.Kind}, so tests see why a login was refused.
 */
final class LoginApp implements AutoCloseable {
    static final String SECRET = "oidc-test-cookie-secret-0123456789abcdef";

    /** Clients by name: {@link OidcClient} or {@link OAuth2Client}. */
    final Map<String, Object> clients = new ConcurrentHashMap<>();
    /** The last user each client logged in. */
    final Map<String, AuthenticatedUser> users = new ConcurrentHashMap<>();
    final HttpServer server;
    final String base;

    LoginApp() throws java.io.IOException {
        Map<String, Object> args = Map.of("app", this);
        Application app = new Application(List.of(url("/login/([a-z0-9-]+)", Login.class, args),
                url("/account", Account.class)),
                ApplicationSettings.builder().cookieSecret(SECRET).xsrfCookies(true).loginUrl("/login/main").build());
        server = app.listen(0, "127.0.0.1");
        base = "http://127.0.0.1:" + server.boundPorts().get(0);
    }

    /** The redirect URI of the client named {@code name}. */
    String redirectUri(String name) {
        return base + "/login/" + name;
    }

    @Override
    public void close() {
        server.close();
    }

    /** The login handler: the README's example, for either kind of client. */
    public static final class Login extends RequestHandler {
        private LoginApp app;

        @Override
        protected void initialize(Map<String, Object> initArgs) {
            app = (LoginApp) initArgs.get("app");
        }

        public CompletionStage<?> get(String name) {
            Object client = app.clients.get(name);
            if (client instanceof OidcClient oidc) {
                if (!oidc.isCallback(this)) {
                    return oidc.authorizeRedirect(this);
                }
                return oidc.getAuthenticatedUser(this).thenAccept(user -> logIn(name, user));
            }
            if (client instanceof OAuth2Client oauth) {
                if (!oauth.isCallback(this)) {
                    return oauth.authorizeRedirect(this);
                }
                return oauth.getAuthenticatedUser(this).thenAccept(user -> logIn(name, user));
            }
            throw new HttpError(404);
        }

        private void logIn(String name, AuthenticatedUser user) {
            app.users.put(name, user);
            setSignedCookie("user", user.subject());
            redirect(user.next());
        }

        @Override
        protected void writeError(int status, Throwable error) {
            if (error instanceof OAuth2Exception o) {
                write(status + ": " + o.kind() + (o.error() == null ? "" : " " + o.error()));
                return;
            }
            super.writeError(status, error);
        }
    }

    /** The protected page. */
    @Authenticated
    public static final class Account extends RequestHandler {
        @Override
        protected Object getCurrentUser() {
            return getSignedCookie("user");
        }

        public void get() {
            write("Hello, " + currentUser());
        }
    }
}
