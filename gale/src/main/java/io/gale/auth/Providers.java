package io.gale.auth;

/**
 * Presets for today's common providers (Tornado's {@code GoogleOAuth2Mixin}; GitHub has no
 * Tornado mixin). Each returns a builder, so scopes, limits or the HTTP client can still be set.
 *
 * <pre>{@code
 * OidcClient google = Providers.google(ClientRegistration.of(id, secret, "https://app.example/auth/google")).build();
 * OAuth2Client github = Providers.github(ClientRegistration.of(id, secret, "https://app.example/auth/github")).build();
 * }</pre>
 */
public final class Providers {
    /** Google's issuer identifier. */
    public static final String GOOGLE_ISSUER = "https://accounts.google.com";

    private Providers() {
    }

    /**
     * Google, an OpenID provider: discovery under {@value #GOOGLE_ISSUER}, scopes
     * {@code openid email profile} unless the registration names others, and ID tokens whose
     * {@code iss} may also be {@code accounts.google.com} (as Google documents).
     *
     * @param registration the client registration
     * @return the builder
     */
    public static OidcClient.Builder google(ClientRegistration registration) {
        return OidcClient.builder(GOOGLE_ISSUER, registration).issuerAlias("accounts.google.com");
    }

    /**
     * GitHub (github.com), which is OAuth 2 only, without ID tokens: the user is fetched from the
     * REST API's {@code /user} and identified by its numeric {@code id} (the {@code login} can
     * change); scope {@code read:user} unless the registration names others ({@code email} is
     * null when the user keeps it private; ask {@code user:email} and call {@code /user/emails}
     * with {@link OAuth2Client#oauth2Request}). The client authenticates with
     * {@code client_secret_post}, as GitHub documents.
     *
     * @param registration the client registration
     * @return the builder
     */
    public static OAuth2Client.Builder github(ClientRegistration registration) {
        return gitHub("https://github.com", "https://api.github.com", registration);
    }

    /**
     * GitHub Enterprise Server at {@code serverUrl} ({@code https://github.example.com}): as
     * {@link #github}, with the API under {@code /api/v3}.
     *
     * @param serverUrl the server URL
     * @param registration the client registration
     * @return the builder
     */
    public static OAuth2Client.Builder gitHubEnterprise(String serverUrl, ClientRegistration registration) {
        String base = serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
        return gitHub(base, base + "/api/v3", registration);
    }

    private static OAuth2Client.Builder gitHub(String web, String api, ClientRegistration registration) {
        return OAuth2Client.builder(registration, web + "/login/oauth/authorize", web + "/login/oauth/access_token")
                .userinfoUrl(api + "/user", "id")
                .apiHeader("Accept", "application/vnd.github+json")
                .apiHeader("X-GitHub-Api-Version", "2022-11-28")
                .defaultScopes("read:user")
                .defaultAuthMethod(ClientAuthMethod.CLIENT_SECRET_POST);
    }
}
