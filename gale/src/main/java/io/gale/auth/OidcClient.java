package io.gale.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gale.httpclient.AsyncHttpClient;
import io.gale.web.RequestHandler;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An OpenID Connect relying party for logging users in with an OpenID provider (Google, and any
 * other with discovery): the authorization code flow with PKCE (S256), {@code state} and
 * {@code nonce} bound to the browser, the ID token verified against the provider's keys, and
 * the userinfo endpoint. Tornado's {@code GoogleOAuth2Mixin} returns the access token and leaves
 * the rest to the application; this client says who the user is.
 *
 * <pre>{@code
 * static final OidcClient GOOGLE = Providers.google(
 *         ClientRegistration.of(clientId, clientSecret, "https://app.example/auth/google")).build();
 *
 * public final class GoogleLoginHandler extends RequestHandler {
 *     public CompletionStage<?> get() {
 *         if (!GOOGLE.isCallback(this)) {
 *             return GOOGLE.authorizeRedirect(this);          // to Google, keeping ?next=
 *         }
 *         return GOOGLE.getAuthenticatedUser(this).thenAccept(user -> {
 *             setSignedCookie("user", user.subject());
 *             redirect(user.next());
 *         });
 *     }
 * }
 * }</pre>
 *
 * <p>What it does, in order:
 * <ol>
 *   <li>Discovery: {@code <issuer>/.well-known/openid-configuration}, checked (see
 *       {@link OidcProviderMetadata}), kept for {@link AuthLimits#discoveryTtl()}.</li>
 *   <li>{@link #authorizeRedirect}: fresh {@code state}, {@code nonce} and PKCE verifier in a
 *       short-lived signed cookie, then the redirect with scope {@code openid} (and by default
 *       {@code email profile}).</li>
 *   <li>{@link #getAuthenticatedUser}: the callback must carry this browser's {@code state}
 *       (and, if it names one, this {@code iss}); the code is exchanged with the verifier; the
 *       ID token is verified (signature with Nimbus JOSE+JWT against the JWKS, cached for
 *       {@link AuthLimits#jwksTtl()} and fetched again, rate-bounded, for an unknown key id;
 *       then {@code iss}, {@code aud}, {@code azp}, {@code exp}, {@code iat}, {@code nonce}: see
 *       {@link OAuth2Exception.Kind#INVALID_ID_TOKEN}); the userinfo endpoint is asked, and must
 *       name the same {@code sub}.</li>
 * </ol>
 * Every failure is an {@link OAuth2Exception}: an error page, no user. The application needs a
 * {@code cookieSecret}.
 *
 * <p>Token endpoint authentication: the registration's method, else {@code client_secret_basic}
 * when the provider lists it (or lists none), else {@code client_secret_post}.
 *
 * <p>Threading: immutable configuration and thread-safe caches, shared by all loops.
 * {@link #authorizeRedirect} and {@link #getAuthenticatedUser} read the request when called (call
 * them from the handler's thread) and complete on the handler's loop. Calls to the provider go
 * through the configured {@link AsyncHttpClient}, else the calling loop's
 * {@link AsyncHttpClient#current()}.
 */
public final class OidcClient {
    private final String issuer;
    private final Set<String> issuerAliases;
    private final ClientRegistration registration;
    private final boolean fetchUserinfo;
    private final InstantSource clock;
    private final AuthHttp http;
    private final Cached<OidcProviderMetadata> metadata = new Cached<>();
    private final ProviderKeys keys;
    private final IdTokenVerifier verifier;
    private final LoginFlow flow;

    private OidcClient(Builder b) {
        this.issuer = b.issuer;
        this.issuerAliases = Set.copyOf(b.issuerAliases);
        this.registration = b.registration;
        this.fetchUserinfo = b.fetchUserinfo;
        this.clock = b.clock;
        this.http = new AuthHttp(b.httpClient, b.limits);
        this.keys = new ProviderKeys(http, clock);
        this.verifier = new IdTokenVerifier(registration.clientId(), b.additionalAudiences, clock, b.limits);
        List<String> scopes = new ArrayList<>(registration.scopes().isEmpty()
                ? List.of("openid", "email", "profile") : registration.scopes());
        if (!scopes.contains("openid")) {
            scopes.add(0, "openid");
        }
        this.flow = new LoginFlow(registration, scopes, true, b.cookieName, b.defaultNext, clock, b.limits,
                new LoginFlow.Provider() {
                    @Override
                    public CompletableFuture<String> authorizationEndpoint() {
                        return providerMetadata().thenApply(OidcProviderMetadata::authorizationEndpoint);
                    }

                    @Override
                    public CompletableFuture<AuthenticatedUser> complete(String code, LoginFlow.State state) {
                        return login(code, state);
                    }

                    @Override
                    public String issuer() {
                        return issuer;
                    }
                });
    }

    /**
     * A builder for the provider {@code issuer} (its issuer identifier: the discovery document is
     * found under it and must name it).
     *
     * @param issuer the issuer
     * @param registration the client registration
     * @return a new builder
     * @throws IllegalArgumentException if the issuer is not an https URL (or http on a loopback host)
     */
    public static Builder builder(String issuer, ClientRegistration registration) {
        return new Builder(issuer, registration);
    }

    /**
     * The issuer.
     *
     * @return the issuer
     */
    public String issuer() {
        return issuer;
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
     * Whether this request is the provider sending the browser back ({@code code}, {@code error} or {@code state}).
     *
     * @param handler the request handler
     * @return whether this request is the provider sending the browser back ({@code code}, {@code error} or {@code state})
     */
    public boolean isCallback(RequestHandler handler) {
        return LoginFlow.isCallback(handler);
    }

    /**
     * Starts a login: discovers the provider (cached), keeps a fresh {@code state}, {@code nonce}
     * and PKCE verifier with the request's safe {@code next} in a short-lived signed cookie, and
     * redirects the browser to the provider's authorization endpoint.
     *
     * @param handler the request handler
     * @return completes on the handler's loop once the redirect is written; fails with an
     *     {@link OAuth2Exception} if the provider cannot be discovered
     */
    public CompletableFuture<Void> authorizeRedirect(RequestHandler handler) {
        return flow.authorizeRedirect(handler);
    }

    /**
     * Ends a login at the callback: checks it belongs to this browser's login, exchanges the code,
     * verifies the ID token and fetches userinfo. The login cookie is cleared; setting the
     * session is the handler's part.
     *
     * @param handler the request handler
     * @return completes on the handler's loop with the user; fails with an {@link OAuth2Exception}
     */
    public CompletableFuture<AuthenticatedUser> getAuthenticatedUser(RequestHandler handler) {
        return flow.getAuthenticatedUser(handler);
    }

    /**
     * The provider's discovery document: the cached one, or fetched and checked.
     *
     * @return the provider's discovery document: the cached one, or fetched and checked
     */
    public CompletableFuture<OidcProviderMetadata> providerMetadata() {
        String url = OidcProviderMetadata.discoveryUrl(issuer);
        return metadata.get(clock.instant(), http.limits().discoveryTtl(),
                () -> http.getJson(url, null, Map.of(), "the discovery document " + url)
                        .thenApply(json -> OidcProviderMetadata.parse(json, issuer)));
    }

    /**
     * Gets new tokens with a refresh token (RFC 6749 6; OpenID Connect Core 12). The answer's ID
     * token, if any, is not verified here.
     *
     * @param refreshToken the refresh token
     * @param scopes the scopes
     * @return new tokens with a refresh token (RFC 6749 6; OpenID Connect Core 12)
     */
    public CompletableFuture<TokenResponse> refresh(String refreshToken, String... scopes) {
        Map<String, String> form = OAuth2Client.refreshForm(refreshToken, scopes);
        return providerMetadata().thenCompose(md -> http.token(md.tokenEndpoint(), registration, authMethod(md), form,
                "the token endpoint " + md.tokenEndpoint()));
    }

    private CompletableFuture<AuthenticatedUser> login(String code, LoginFlow.State state) {
        return providerMetadata().thenCompose(md -> {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "authorization_code");
            form.put("code", code);
            form.put("redirect_uri", registration.redirectUri());
            form.put("code_verifier", state.codeVerifier());
            String what = "the token endpoint " + md.tokenEndpoint();
            return http.token(md.tokenEndpoint(), registration, authMethod(md), form, what)
                    .thenCompose(tokens -> verifyIdToken(md, tokens, state.nonce())
                            .thenCompose(claims -> userinfo(md, tokens, claims))
                            .thenApply(claims -> new AuthenticatedUser((String) claims.get("sub"), claims, tokens,
                                    state.next())));
        });
    }

    private CompletableFuture<Map<String, Object>> verifyIdToken(OidcProviderMetadata md, TokenResponse tokens,
            String nonce) {
        if (tokens.idToken() == null) {
            return CompletableFuture.failedFuture(new OAuth2Exception(OAuth2Exception.Kind.INVALID_RESPONSE,
                    "the token endpoint " + md.tokenEndpoint() + " answered no id_token"));
        }
        Set<JWSAlgorithm> algorithms = IdTokenVerifier.algorithms(md.idTokenSigningAlgValuesSupported());
        SignedJWT jwt;
        try {
            jwt = IdTokenVerifier.parse(tokens.idToken(), algorithms);
        } catch (OAuth2Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        return keys.keysFor(md.jwksUri(), jwt.getHeader()).thenApply(jwks -> {
            JWTClaimsSet claims = verifier.verify(jwt, jwks, algorithms, md.issuer(), issuerAliases, nonce);
            return claims.toJSONObject();
        });
    }

    /** The userinfo claims overlaid with the ID token's (which win), or the ID token's alone. */
    private CompletableFuture<Map<String, Object>> userinfo(OidcProviderMetadata md, TokenResponse tokens,
            Map<String, Object> idClaims) {
        if (!fetchUserinfo || md.userinfoEndpoint() == null) {
            return CompletableFuture.completedFuture(idClaims);
        }
        String url = md.userinfoEndpoint();
        return http.getJson(url, tokens.accessToken(), Map.of(), "the userinfo endpoint " + url).thenApply(json -> {
            JsonNode sub = json.get("sub");
            if (sub == null || !sub.isTextual() || !sub.asText().equals(idClaims.get("sub"))) {
                // Core 5.3.4: a userinfo answer about someone else must not be used
                throw new OAuth2Exception(OAuth2Exception.Kind.INVALID_RESPONSE, "the userinfo endpoint " + url
                        + " answered sub " + sub + ", not the ID token's " + idClaims.get("sub"));
            }
            Map<String, Object> merged = AuthHttp.toMap(json);
            merged.putAll(idClaims);
            return merged;
        });
    }

    private ClientAuthMethod authMethod(OidcProviderMetadata md) {
        List<String> listed = md.tokenEndpointAuthMethodsSupported();
        ClientAuthMethod preferred = listed.isEmpty() || listed.contains("client_secret_basic")
                || !listed.contains("client_secret_post") ? ClientAuthMethod.CLIENT_SECRET_BASIC
                : ClientAuthMethod.CLIENT_SECRET_POST;
        return registration.effectiveAuthMethod(preferred);
    }

    @Override
    public String toString() {
        return "OidcClient[" + issuer + ", " + registration.clientId() + "]";
    }

    /** Builder of {@link OidcClient}; not thread-safe. */
    public static final class Builder {
        private final String issuer;
        private final ClientRegistration registration;
        private final Set<String> issuerAliases = new LinkedHashSet<>();
        private final Set<String> additionalAudiences = new LinkedHashSet<>();
        private boolean fetchUserinfo = true;
        private AsyncHttpClient httpClient;
        private AuthLimits limits = AuthLimits.DEFAULTS;
        private InstantSource clock = InstantSource.system();
        private String cookieName = LoginFlow.DEFAULT_COOKIE_NAME;
        private String defaultNext = "/";

        private Builder(String issuer, ClientRegistration registration) {
            ClientRegistration.secureUrl(issuer, "issuer");
            this.issuer = issuer;
            this.registration = Objects.requireNonNull(registration, "registration");
        }

        /** Another {@code iss} value the provider's ID tokens may carry (Google's {@code accounts.google.com}). */
        Builder issuerAlias(String alias) {
            issuerAliases.add(alias);
            return this;
        }

        /**
         * An audience besides the client id that ID tokens may also name (another client of the
         * same application). By default a token naming any other audience is refused.
         *
         * @param audience the additional audience
         * @return this builder
         */
        public Builder additionalAudience(String audience) {
            additionalAudiences.add(Objects.requireNonNull(audience, "audience"));
            return this;
        }

        /**
         * Whether to ask the userinfo endpoint after the ID token (default true).
         *
         * @param fetch true for fetch userinfo
         * @return this builder
         */
        public Builder fetchUserinfo(boolean fetch) {
            this.fetchUserinfo = fetch;
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
         * The clock of ID token expiry, the login's lifetime and the caches (tests move it).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The name of the login cookie (default {@code _oauth2_login}, scoped to the redirect URI's path).
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
         * Builds the {@code OidcClient}.
         *
         * @return the oidc client
         */
        public OidcClient build() {
            return new OidcClient(this);
        }
    }
}
