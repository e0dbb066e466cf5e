package io.gale.demos.auth;

import io.gale.auth.AuthenticatedUser;
import io.gale.auth.OAuth2Client;
import io.gale.auth.OidcClient;
import io.gale.web.RequestHandler;
import java.util.concurrent.CompletableFuture;

/**
 * One way to log in that the demo offers, with its login URL (which is also its redirect URI:
 * the handler there starts a login, and finishes it when the provider sends the browser back).
 * The two clients of {@code io.gale.auth} have the same three login methods but no common type;
 * this is that type, for the demo. Immutable.
 */
sealed interface LoginProvider {
    /** What the session records: {@code oidc} or {@code github}. */
    String name();

    /** What the login button says: "Log in with ...". */
    String label();

    /** The path of the login handler ({@code /auth/login}, {@code /auth/github}). */
    String path();

    /** The redirect URI registered at the provider. */
    String redirectUri();

    boolean isCallback(RequestHandler handler);

    CompletableFuture<Void> authorizeRedirect(RequestHandler handler);

    CompletableFuture<AuthenticatedUser> getAuthenticatedUser(RequestHandler handler);

    /** An OpenID provider: the configured issuer, or the local one. */
    record OpenId(String label, OidcClient client) implements LoginProvider {
        static final String PATH = "/auth/login";

        @Override
        public String name() {
            return "oidc";
        }

        @Override
        public String path() {
            return PATH;
        }

        @Override
        public String redirectUri() {
            return client.registration().redirectUri();
        }

        @Override
        public boolean isCallback(RequestHandler handler) {
            return client.isCallback(handler);
        }

        @Override
        public CompletableFuture<Void> authorizeRedirect(RequestHandler handler) {
            return client.authorizeRedirect(handler);
        }

        @Override
        public CompletableFuture<AuthenticatedUser> getAuthenticatedUser(RequestHandler handler) {
            return client.getAuthenticatedUser(handler);
        }
    }

    /** GitHub (or GitHub Enterprise Server): OAuth 2 without OpenID Connect, the user from its REST API. */
    record GitHub(String label, OAuth2Client client) implements LoginProvider {
        static final String PATH = "/auth/github";

        @Override
        public String name() {
            return "github";
        }

        @Override
        public String path() {
            return PATH;
        }

        @Override
        public String redirectUri() {
            return client.registration().redirectUri();
        }

        @Override
        public boolean isCallback(RequestHandler handler) {
            return client.isCallback(handler);
        }

        @Override
        public CompletableFuture<Void> authorizeRedirect(RequestHandler handler) {
            return client.authorizeRedirect(handler);
        }

        @Override
        public CompletableFuture<AuthenticatedUser> getAuthenticatedUser(RequestHandler handler) {
            return client.getAuthenticatedUser(handler);
        }
    }
}
