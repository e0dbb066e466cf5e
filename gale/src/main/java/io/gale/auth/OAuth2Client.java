package io.gale.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.gale.httpclient.AsyncHttpClient;
import io.gale.web.RequestHandler;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A generic OAuth 2 client for "log in with ..." (Tornado's {@code OAuth2Mixin}, as an object a
 * handler uses rather than a mixin): the authorization code flow with {@code state} and PKCE
 * bound to the browser, the code exchange, refresh, and calls to the provider's API. For an
 * OpenID provider use {@link OidcClient}, which also verifies who the user is; this class is for
 * providers that are OAuth 2 only (GitHub: {@link Providers#github}).
 *
 * <pre>{@code
 * static final OAuth2Client GITHUB = Providers.github(
 *         ClientRegistration.of(clientId, clientSecret, "https://app.example/auth/github")).build();
 *
 * public final class GitHubLoginHandler extends RequestHandler {
 *     public CompletionStage<?> get() {
 *         if (!GITHUB.isCallback(this)) {
 *             return GITHUB.authorizeRedirect(this);          // to GitHub, with state and PKCE
 *         }
 *         return GITHUB.getAuthenticatedUser(this).thenAccept(user -> {
 *             setSignedCookie("user", user.subject());        // GitHub's numeric user id
 *             redirect(user.next());
 *         });
 *     }
 * }
 * }</pre>
 *
 * <p>The login's browser binding is described in {@link #authorizeRedirect}; failures are
 * {@link OAuth2Exception}s (error pages with a clear status, nothing logged in). The application
 * needs a {@code cookieSecret}.
 *
 * <p>Threading: immutable and shared by all loops. {@link #authorizeRedirect} and
 * {@link #getAuthenticatedUser} read the request when called (call them from the handler's
 * thread) and complete on the handler's loop. Calls to the provider go through the configured
 * {@link AsyncHttpClient}, else the calling loop's {@link AsyncHttpClient#current()}; the
 * lower-level {@link #exchangeCode}, {@link #refresh} and {@link #oauth2Request} complete on that
 * client's loop.
 */
public final class OAuth2Client {
    private final ClientRegistration registration;
    private final String authorizeUrl;
    private final String tokenUrl;
    private final String userinfoUrl;
    private final String subjectField;
    private final Map<String, String> apiHeaders;
    private final ClientAuthMethod authMethod;
    private final AuthHttp http;
    private final LoginFlow flow;

    private OAuth2Client(Builder b) {
        this.registration = b.registration;
        this.authorizeUrl = b.authorizeUrl;
        this.tokenUrl = b.tokenUrl;
        this.userinfoUrl = b.userinfoUrl;
        this.subjectField = b.subjectField;
        this.apiHeaders = Map.copyOf(b.apiHeaders);
        this.authMethod = registration.effectiveAuthMethod(b.defaultAuthMethod);
        this.http = new AuthHttp(b.httpClient, b.limits);
        List<String> scopes = registration.scopes().isEmpty() ? b.defaultScopes : registration.scopes();
        this.flow = new LoginFlow(registration, scopes, false, b.cookieName, b.defaultNext, b.clock, b.limits,
                new LoginFlow.Provider() {
                    @Override
                    public CompletableFuture<String> authorizationEndpoint() {
                        return CompletableFuture.completedFuture(authorizeUrl);
                    }

                    @Override
                    public CompletableFuture<AuthenticatedUser> complete(String code, LoginFlow.State state) {
                        return exchangeCode(code, state.codeVerifier()).thenCompose(tokens -> loadUser(tokens, state.next()));
                    }

                    @Override
                    public String issuer() {
                        return null;
                    }
                });
    }

    /**
     * A builder for a provider at {@code authorizeUrl} and {@code tokenUrl}.
     *
     * @param registration the client registration
     * @param authorizeUrl the authorize URL
     * @param tokenUrl the token URL
     * @return a new builder
     * @throws IllegalArgumentException if a URL is not https (or http on a loopback host)
     */
    public static Builder builder(ClientRegistration registration, String authorizeUrl, String tokenUrl) {
        return new Builder(registration, authorizeUrl, tokenUrl);
    }

    /**
     * The registration.
     *
     * @return the registration
     */
    public ClientRegistration registration() {
        return registration;
    }

    /**
     * Whether this request is the provider sending the browser back (it has a {@code code},
     * {@code error} or {@code state} argument), as opposed to a visitor starting a login.
     *
     * @param handler the request handler
     * @return whether this request is the provider sending the browser back (it has a {@code code}, {@code error} or {@code state} argument), as opposed to a visitor starting a login
     */
    public boolean isCallback(RequestHandler handler) {
        return LoginFlow.isCallback(handler);
    }

    /**
     * Starts a login (Tornado's {@code authorize_redirect}): makes a fresh {@code state} and PKCE
     * verifier, keeps them, with the request's {@code next} argument if it is a local path
     * ({@link RequestHandler#safeNextUrl(String)}), in a short-lived signed cookie, and redirects
     * the browser to the provider.
     *
     * @param handler the request handler
     * @return completes on the handler's loop once the redirect is written
     */
    public CompletableFuture<Void> authorizeRedirect(RequestHandler handler) {
        return flow.authorizeRedirect(handler);
    }

    /**
     * Ends a login at the callback (Tornado's {@code get_authenticated_user}): checks that the
     * callback belongs to the login this browser started (state, cookie, age), exchanges the
     * code with the PKCE verifier, and fetches the user from the userinfo URL. The login cookie
     * is cleared; setting the session is the handler's part.
     *
     * @param handler the request handler
     * @return completes on the handler's loop with the user (subject and claims null/empty without
     *     a userinfo URL); fails with an {@link OAuth2Exception}
     */
    public CompletableFuture<AuthenticatedUser> getAuthenticatedUser(RequestHandler handler) {
        return flow.getAuthenticatedUser(handler);
    }

    /**
     * Exchanges an authorization code (RFC 6749 4.1.3), with the PKCE verifier if not null.
     *
     * @param code the status code
     * @param codeVerifier the code verifier
     * @return a future of the token response
     */
    public CompletableFuture<TokenResponse> exchangeCode(String code, String codeVerifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", Objects.requireNonNull(code, "code"));
        form.put("redirect_uri", registration.redirectUri());
        if (codeVerifier != null) {
            form.put("code_verifier", codeVerifier);
        }
        return http.token(tokenUrl, registration, authMethod, form, "the token endpoint " + tokenUrl);
    }

    /**
     * Gets new tokens with a refresh token (RFC 6749 6); {@code scopes} may narrow them.
     *
     * @param refreshToken the refresh token
     * @param scopes the scopes
     * @return new tokens with a refresh token (RFC 6749 6); {@code scopes} may narrow them
     */
    public CompletableFuture<TokenResponse> refresh(String refreshToken, String... scopes) {
        return http.token(tokenUrl, registration, authMethod, refreshForm(refreshToken, scopes),
                "the token endpoint " + tokenUrl);
    }

    static Map<String, String> refreshForm(String refreshToken, String... scopes) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", Objects.requireNonNull(refreshToken, "refreshToken"));
        if (scopes.length > 0) {
            form.put("scope", String.join(" ", scopes));
        }
        return form;
    }

    /**
     * GETs {@code url} of the provider's API with the access token as a bearer token (Tornado's
     * {@code oauth2_request}, which puts it in the query instead: a header keeps it out of logs)
     * and the client's API headers, and parses the JSON object it answers.
     *
     * @param url the URL
     * @param accessToken the access token
     * @return a future of the JSON node
     */
    public CompletableFuture<JsonNode> oauth2Request(String url, String accessToken) {
        return http.getJson(url, Objects.requireNonNull(accessToken, "accessToken"), apiHeaders, "the API " + url);
    }

    private CompletableFuture<AuthenticatedUser> loadUser(TokenResponse tokens, String next) {
        if (userinfoUrl == null) {
            return CompletableFuture.completedFuture(new AuthenticatedUser(null, Map.of(), tokens, next));
        }
        return http.getJson(userinfoUrl, tokens.accessToken(), apiHeaders, "the user endpoint " + userinfoUrl)
                .thenApply(json -> {
                    JsonNode id = json.get(subjectField);
                    if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isEmpty()) {
                        throw new OAuth2Exception(OAuth2Exception.Kind.INVALID_RESPONSE, "the user endpoint "
                                + userinfoUrl + " answered no " + subjectField);
                    }
                    return new AuthenticatedUser(id.asText(), AuthHttp.toMap(json), tokens, next);
                });
    }

    @Override
    public String toString() {
        return "OAuth2Client[" + authorizeUrl + ", " + registration.clientId() + "]";
    }

    /** Builder of {@link OAuth2Client}; not thread-safe. */
    public static final class Builder {
        private final ClientRegistration registration;
        private final String authorizeUrl;
        private final String tokenUrl;
        private String userinfoUrl;
        private String subjectField = "sub";
        private final Map<String, String> apiHeaders = new LinkedHashMap<>();
        private List<String> defaultScopes = List.of();
        private ClientAuthMethod defaultAuthMethod = ClientAuthMethod.CLIENT_SECRET_BASIC;
        private AsyncHttpClient httpClient;
        private AuthLimits limits = AuthLimits.DEFAULTS;
        private InstantSource clock = InstantSource.system();
        private String cookieName = LoginFlow.DEFAULT_COOKIE_NAME;
        private String defaultNext = "/";

        private Builder(ClientRegistration registration, String authorizeUrl, String tokenUrl) {
            this.registration = Objects.requireNonNull(registration, "registration");
            ClientRegistration.secureUrl(authorizeUrl, "authorizeUrl");
            ClientRegistration.secureUrl(tokenUrl, "tokenUrl");
            this.authorizeUrl = authorizeUrl;
            this.tokenUrl = tokenUrl;
        }

        /**
         * Where the user is fetched after the code exchange (a bearer GET answering a JSON object),
         * and the field of that object that identifies the user (OAuth 2 has no standard one;
         * default {@code sub}). Without it the login gives tokens only.
         *
         * @param url the URL
         * @param subjectField the subject field
         * @return this builder
         */
        public Builder userinfoUrl(String url, String subjectField) {
            ClientRegistration.secureUrl(url, "userinfoUrl");
            this.userinfoUrl = url;
            this.subjectField = Objects.requireNonNull(subjectField, "subjectField");
            return this;
        }

        /**
         * A header sent with every API call ({@code X-GitHub-Api-Version}).
         *
         * @param name the name
         * @param value the value
         * @return this builder
         */
        public Builder apiHeader(String name, String value) {
            apiHeaders.put(name, value);
            return this;
        }

        /**
         * The scopes asked for when the registration names none (default none).
         *
         * @param scopes the default scopes
         * @return this builder
         */
        public Builder defaultScopes(String... scopes) {
            this.defaultScopes = List.of(scopes);
            return this;
        }

        /**
         * The token endpoint authentication when the registration names none (default client_secret_basic).
         *
         * @param method the default auth method
         * @return this builder
         */
        public Builder defaultAuthMethod(ClientAuthMethod method) {
            this.defaultAuthMethod = Objects.requireNonNull(method, "method");
            return this;
        }

        /**
         * The HTTP client for calls to the provider (default: the calling loop's {@link AsyncHttpClient#current()}).
         *
         * @param client the HTTP client
         * @return this builder
         */
        public Builder httpClient(AsyncHttpClient client) {
            this.httpClient = client;
            return this;
        }

        /**
         * See {@link AuthLimits}.
         *
         * @param limits the limits
         * @return this builder
         */
        public Builder limits(AuthLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * The clock of the login's lifetime (tests move it).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The name of the login cookie (default {@code _oauth2_login}); it is scoped to the
         * redirect URI's path, so only clients sharing a redirect path need different names.
         *
         * @param name the cookie name
         * @return this builder
         */
        public Builder cookieName(String name) {
            this.cookieName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Where {@link AuthenticatedUser#next()} points when the login had no safe {@code next} (default {@code /}).
         *
         * @param next the default next
         * @return this builder
         */
        public Builder defaultNext(String next) {
            this.defaultNext = Objects.requireNonNull(next, "next");
            return this;
        }

        /**
         * Builds the {@code OAuth2Client}.
         *
         * @return the o auth2 client
         */
        public OAuth2Client build() {
            return new OAuth2Client(this);
        }
    }
}
