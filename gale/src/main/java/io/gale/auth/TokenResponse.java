package io.gale.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Locale;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A successful answer of a token endpoint (RFC 6749 5.1; OpenID Connect Core 3.1.3.3): what a code
 * exchange or a refresh gave. The tokens are secrets: keep them server-side (not in a cookie
 * that is only signed), and out of logs ({@link #toString()} shows none of them).
 *
 * @param accessToken the access token for the provider's APIs
 * @param tokenType {@code Bearer} (the only type Gale uses)
 * @param expiresIn the access token's lifetime, or null if the provider did not say
 * @param refreshToken a refresh token, or null
 * @param scope the granted scopes (space separated), or null if the ones asked for
 * @param idToken the OpenID Connect ID token (a JWT, verified when it came through
 *     {@link OidcClient#getAuthenticatedUser}), or null
 * @param fields every field of the answer, as the provider sent it
 */
public record TokenResponse(String accessToken, String tokenType, Duration expiresIn, String refreshToken,
                            String scope, String idToken, Map<String, Object> fields) {

    /**
     * Creates a {@code TokenResponse}; its components are described in the class comment.
     */
    public TokenResponse {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields)); // JSON nulls kept
    }

    /**
     * The answer in {@code json}, checked: an object with a string {@code access_token} and, if
     * present, a {@code token_type} of {@code Bearer} (any case, as GitHub writes it).
     *
     * @throws OAuth2Exception ({@link OAuth2Exception.Kind#INVALID_RESPONSE}) otherwise
     */
    static TokenResponse parse(JsonNode json, String what) {
        String access = text(json, "access_token");
        if (access == null || access.isEmpty()) {
            throw new OAuth2Exception(OAuth2Exception.Kind.INVALID_RESPONSE, what + " has no access_token");
        }
        String type = text(json, "token_type");
        if (type != null && !type.toLowerCase(Locale.ROOT).equals("bearer")) {
            throw new OAuth2Exception(OAuth2Exception.Kind.INVALID_RESPONSE, what + " has token_type " + type
                    + ", not Bearer");
        }
        JsonNode expires = json.get("expires_in");
        Duration expiresIn = null;
        if (expires != null && expires.canConvertToLong() && expires.asLong() >= 0) {
            expiresIn = Duration.ofSeconds(expires.asLong());
        } else if (expires != null && expires.isTextual() && expires.asText().matches("[0-9]{1,12}")) {
            expiresIn = Duration.ofSeconds(Long.parseLong(expires.asText())); // some providers quote it
        }
        return new TokenResponse(access, type == null ? "Bearer" : type, expiresIn, text(json, "refresh_token"),
                text(json, "scope"), text(json, "id_token"), AuthHttp.toMap(json));
    }

    private static String text(JsonNode json, String name) {
        JsonNode n = json.get(name);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    @Override
    public String toString() {
        return "TokenResponse[type=" + tokenType + ", expiresIn=" + expiresIn + ", scope=" + scope
                + ", refreshToken=" + (refreshToken != null) + ", idToken=" + (idToken != null) + "]";
    }
}
