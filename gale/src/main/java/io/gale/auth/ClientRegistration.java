package io.gale.auth;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What an application registered at a provider: its client id and secret, the redirect URI the
 * provider sends browsers back to, the scopes it asks for, how it authenticates at the token
 * endpoint, and extra parameters for the authorization request. Shared by {@link OAuth2Client}
 * and {@link OidcClient}.
 *
 * <pre>{@code
 * ClientRegistration google = ClientRegistration.of(clientId, clientSecret, "https://app.example/auth/google");
 * ClientRegistration custom = ClientRegistration.builder(clientId, "https://app.example/auth/sso")
 *         .clientSecret(secret).authMethod(ClientAuthMethod.CLIENT_SECRET_POST)
 *         .scopes("openid", "email").authorizeParam("prompt", "select_account").build();
 * }</pre>
 *
 * <p>The redirect URI must be an absolute {@code https} URL, or {@code http} on a loopback host
 * ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}) for development, without a fragment (RFC
 * 6749 3.1.2; OAuth 2.1 forbids plain http elsewhere). It is configured rather than derived from
 * the request's {@code Host}, which a client chooses. Immutable and thread-safe.
 */
public final class ClientRegistration {
    private final String clientId;
    private final String clientSecret;
    private final String redirectUri;
    private final List<String> scopes;
    private final ClientAuthMethod authMethod;
    private final Map<String, String> authorizeParams;

    private ClientRegistration(Builder b) {
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.redirectUri = b.redirectUri;
        this.scopes = List.copyOf(b.scopes);
        this.authMethod = b.authMethod;
        this.authorizeParams = Map.copyOf(b.authorizeParams);
    }

    /**
     * A confidential client with default scopes and authentication method.
     *
     * @param clientId the client ID
     * @param clientSecret the client secret
     * @param redirectUri the redirect URI
     * @return a confidential client with default scopes and authentication method
     */
    public static ClientRegistration of(String clientId, String clientSecret, String redirectUri) {
        return builder(clientId, redirectUri).clientSecret(clientSecret).build();
    }

    /**
     * A builder.
     *
     * @param clientId the client ID
     * @param redirectUri the redirect URI
     * @return a new builder
     * @throws IllegalArgumentException for an empty client id or an unacceptable redirect URI
     */
    public static Builder builder(String clientId, String redirectUri) {
        return new Builder(clientId, redirectUri);
    }

    /**
     * The client ID.
     *
     * @return the client ID
     */
    public String clientId() {
        return clientId;
    }

    /**
     * The client secret, or null for a public client.
     *
     * @return the client secret, or null for a public client
     */
    public String clientSecret() {
        return clientSecret;
    }

    /**
     * The redirect URI.
     *
     * @return the redirect URI
     */
    public String redirectUri() {
        return redirectUri;
    }

    /**
     * The scopes asked for; empty means the client's defaults.
     *
     * @return the scopes asked for; empty means the client's defaults
     */
    public List<String> scopes() {
        return scopes;
    }

    /**
     * The token endpoint authentication, or null to let the client choose (see its builder).
     *
     * @return the token endpoint authentication, or null to let the client choose (see its builder)
     */
    public ClientAuthMethod authMethod() {
        return authMethod;
    }

    /**
     * Extra parameters of the authorization request ({@code prompt}, {@code hd}, {@code login_hint}).
     *
     * @return the authorize params
     */
    public Map<String, String> authorizeParams() {
        return authorizeParams;
    }

    /** The method to use: the configured one, else NONE without a secret, else {@code preferred}. */
    ClientAuthMethod effectiveAuthMethod(ClientAuthMethod preferred) {
        if (authMethod != null) {
            return authMethod;
        }
        return clientSecret == null ? ClientAuthMethod.NONE : preferred;
    }

    @Override
    public String toString() {
        return "ClientRegistration[" + clientId + ", " + redirectUri + "]"; // never the secret
    }

    /**
     * Whether {@code uri} may carry codes and tokens: https, or http to a loopback host. Used for
     * the redirect URI and for every endpoint a client calls.
     */
    static boolean isSecureUrl(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || uri.getRawFragment() != null) {
            return false;
        }
        if (scheme.equals("https")) {
            return true;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return scheme.equals("http") && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
    }

    /**
     * {@code url} parsed and checked with {@link #isSecureUrl}.
     *
     * @throws IllegalArgumentException naming {@code what} if it is not acceptable
     */
    static URI secureUrl(String url, String what) {
        Objects.requireNonNull(url, what);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not a URL: " + url, e);
        }
        if (!uri.isAbsolute() || !isSecureUrl(uri)) {
            throw new IllegalArgumentException(what + " must be an absolute https URL (http only on a loopback host), "
                    + "without a fragment: " + url);
        }
        return uri;
    }

    /** Builder of {@link ClientRegistration}; not thread-safe. */
    public static final class Builder {
        private final String clientId;
        private final String redirectUri;
        private String clientSecret;
        private List<String> scopes = List.of();
        private ClientAuthMethod authMethod;
        private final Map<String, String> authorizeParams = new LinkedHashMap<>();

        private Builder(String clientId, String redirectUri) {
            if (Objects.requireNonNull(clientId, "clientId").isEmpty()) {
                throw new IllegalArgumentException("clientId must not be empty");
            }
            secureUrl(redirectUri, "redirectUri");
            this.clientId = clientId;
            this.redirectUri = redirectUri;
        }

        /**
         * The client secret; none (null, the default) makes a public client.
         *
         * @param secret the client secret
         * @return this builder
         */
        public Builder clientSecret(String secret) {
            this.clientSecret = secret;
            return this;
        }

        /**
         * The scopes to ask for (default: the client's own, {@code openid email profile} for OpenID Connect).
         *
         * @param scopes the scopes
         * @return this builder
         */
        public Builder scopes(String... scopes) {
            this.scopes = List.of(scopes);
            return this;
        }

        /**
         * How to authenticate at the token endpoint (default: chosen by the client, see its builder).
         *
         * @param method the auth method
         * @return this builder
         */
        public Builder authMethod(ClientAuthMethod method) {
            this.authMethod = method;
            return this;
        }

        /**
         * An extra parameter of the authorization request. The protocol's own ({@code state},
         * {@code nonce}, {@code code_challenge}, {@code redirect_uri} ...) are refused.
         *
         * @param name the name
         * @param value the value
         * @return this builder
         */
        public Builder authorizeParam(String name, String value) {
            if (LoginFlow.PROTOCOL_PARAMS.contains(name)) {
                throw new IllegalArgumentException(name + " is set by the login flow itself");
            }
            authorizeParams.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Builds the registration.
         *
         * @return the client registration
         * @throws IllegalArgumentException for a secret-based method without a secret
         */
        public ClientRegistration build() {
            if (clientSecret == null && (authMethod == ClientAuthMethod.CLIENT_SECRET_BASIC
                    || authMethod == ClientAuthMethod.CLIENT_SECRET_POST)) {
                throw new IllegalArgumentException(authMethod.value() + " needs a client secret");
            }
            return new ClientRegistration(this);
        }
    }
}
