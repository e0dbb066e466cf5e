package io.gale.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who logged in (Tornado's {@code get_authenticated_user} result): what the login handler puts in
 * its session cookie, and where it sends the browser next.
 *
 * <pre>{@code
 * return google.getAuthenticatedUser(this).thenAccept(user -> {
 *     setSignedCookie("user", user.subject());
 *     redirect(user.next());
 * });
 * }</pre>
 *
 * @param subject the provider's stable identifier of the user: the ID token's {@code sub} for
 *     OpenID Connect, the user's {@code id} for GitHub (not the login name, which users can
 *     change); null for an {@link OAuth2Client} without a userinfo URL
 * @param claims what the provider says about the user: for OpenID Connect the userinfo claims
 *     overlaid with the verified ID token's (so {@code iss}, {@code aud}, {@code nonce} are the
 *     token's), for GitHub its {@code /user} object; numbers as {@code Long}/{@code Double}
 * @param tokens the token endpoint's answer (access token, refresh token, ID token)
 * @param next where to send the browser now: the {@code next} the login started with, checked by
 *     {@link io.gale.web.RequestHandler#safeNextUrl(String)} then and carried in the signed login
 *     cookie, or the client's default
 */
public record AuthenticatedUser(String subject, Map<String, Object> claims, TokenResponse tokens, String next) {

    /**
     * Creates an {@code AuthenticatedUser}; its components are described in the class comment.
     */
    public AuthenticatedUser {
        claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims)); // JSON nulls kept
    }

    /**
     * The claim {@code name} if it is a string ({@code "email"}, {@code "name"}), else null.
     *
     * @param name the name
     * @return the claim {@code name} if it is a string ({@code "email"}, {@code "name"}), else null
     */
    public String stringClaim(String name) {
        return claims.get(name) instanceof String s ? s : null;
    }

    @Override
    public String toString() {
        return "AuthenticatedUser[" + subject + ", " + claims.keySet() + ", next=" + next + "]";
    }
}
