package io.gale.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.gale.concurrent.Futures;
import io.gale.http.HttpUtil;
import io.gale.http.SetCookie;
import io.gale.web.RequestHandler;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The browser's side of a login, shared by {@link OAuth2Client} and {@link OidcClient}: the
 * authorization redirect and the callback checks.
 *
 * <p>Binding to the browser: {@link #authorizeRedirect} makes a fresh {@code state}, PKCE
 * verifier (S256) and, for OpenID Connect, {@code nonce} (32 random bytes each, base64url), and
 * keeps them with the {@code next} URL (checked by {@link RequestHandler#safeNextUrl(String)})
 * and the time in one cookie signed with the application's {@code cookieSecret}: HttpOnly,
 * {@code SameSite=Lax} (the provider's redirect back is a cross-site top-level GET, which Lax
 * cookies accompany), Secure when the redirect URI is https, limited to the redirect URI's
 * path, a session cookie with {@code Max-Age} {@link AuthLimits#flowLifetime()}. Nothing is
 * stored on the server. The callback must carry the cookie's {@code state} (compared in constant
 * time), within the flow's lifetime on the client's clock; a callback with another state leaves
 * the cookie alone (a forged callback cannot cancel a real login), every other outcome clears it
 * (one cookie, one callback). The signature makes the cookie unforgeable; its secrets are
 * readable by the browser that holds them, which is the party they prove.
 *
 * <p>Threading: the request is read on the caller's thread when the call is made; the response
 * (cookie, redirect) is changed on the handler's loop, where the returned futures complete.
 */
final class LoginFlow {
    /** Parameters of the authorization request the flow sets itself. */
    static final Set<String> PROTOCOL_PARAMS = Set.of("response_type", "client_id", "redirect_uri", "scope", "state",
            "nonce", "code_challenge", "code_challenge_method");

    /** The default name of the login cookie. */
    static final String DEFAULT_COOKIE_NAME = "_oauth2_login";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RANDOM_BYTES = 32;

    /** What one login carries from the redirect to the callback. */
    record State(String state, String nonce, String codeVerifier, String next, long issuedAt) {
    }

    /** The provider-specific ends of a login. */
    interface Provider {
        /** The authorization endpoint (after discovery, for OpenID Connect). */
        CompletableFuture<String> authorizationEndpoint();

        /** Exchanges {@code code} and finds the user; may complete on any loop. */
        CompletableFuture<AuthenticatedUser> complete(String code, State state);

        /** The issuer a callback's {@code iss} parameter must name (RFC 9207), or null to ignore it. */
        String issuer();
    }

    private final ClientRegistration registration;
    private final List<String> scopes;
    private final boolean nonce;
    private final String cookieName;
    private final String cookiePath;
    private final boolean secureCookie;
    private final String defaultNext;
    private final InstantSource clock;
    private final AuthLimits limits;
    private final Provider provider;

    LoginFlow(ClientRegistration registration, List<String> scopes, boolean nonce, String cookieName, String defaultNext,
            InstantSource clock, AuthLimits limits, Provider provider) {
        this.registration = registration;
        this.scopes = List.copyOf(scopes);
        this.nonce = nonce;
        SetCookie.builder(cookieName, "x").build(); // a bad name fails when the client is built, not at login
        this.cookieName = cookieName;
        URI redirect = URI.create(registration.redirectUri());
        String path = redirect.getRawPath();
        this.cookiePath = path == null || path.isEmpty() ? "/" : path;
        this.secureCookie = redirect.getScheme().equalsIgnoreCase("https");
        this.defaultNext = defaultNext;
        this.clock = clock;
        this.limits = limits;
        this.provider = provider;
    }

    /** Whether the request is the provider sending the browser back: it has {@code code}, {@code error} or {@code state}. */
    static boolean isCallback(RequestHandler h) {
        return h.getQueryArgument("code", null) != null || h.getQueryArgument("error", null) != null
                || h.getQueryArgument("state", null) != null;
    }

    /** Sets the login cookie and redirects to the provider. */
    CompletableFuture<Void> authorizeRedirect(RequestHandler h) {
        String next = h.safeNextUrl(defaultNext);
        return onLoop(h, provider.authorizationEndpoint(), endpoint -> {
            State s = new State(random(), nonce ? random() : null, random(), next, clock.instant().getEpochSecond());
            setCookie(h, s);
            h.redirect(authorizeUrl(endpoint, s));
            return null;
        }, null);
    }

    /** The authorization request URL for {@code s} (RFC 6749 4.1.1, RFC 7636 4.3, OIDC Core 3.1.2.1). */
    String authorizeUrl(String endpoint, State s) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        params.add(Map.entry("response_type", "code"));
        params.add(Map.entry("client_id", registration.clientId()));
        params.add(Map.entry("redirect_uri", registration.redirectUri()));
        if (!scopes.isEmpty()) {
            params.add(Map.entry("scope", String.join(" ", scopes)));
        }
        params.add(Map.entry("state", s.state()));
        if (s.nonce() != null) {
            params.add(Map.entry("nonce", s.nonce()));
        }
        params.add(Map.entry("code_challenge", codeChallenge(s.codeVerifier())));
        params.add(Map.entry("code_challenge_method", "S256"));
        params.addAll(registration.authorizeParams().entrySet());
        return HttpUtil.urlConcat(endpoint, params);
    }

    /** Checks the callback, then lets the provider exchange the code and find the user. */
    CompletableFuture<AuthenticatedUser> getAuthenticatedUser(RequestHandler h) {
        State s;
        String code;
        try {
            s = checkCallback(h);
            code = h.getQueryArgument("code", null);
        } catch (OAuth2Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<AuthenticatedUser> done;
        try {
            done = provider.complete(code, s);
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return onLoop(h, done, user -> {
            clearCookie(h);
            return user;
        }, error -> clearCookie(h));
    }

    /**
     * The login this callback ends. A callback without the cookie's state is refused and leaves
     * the cookie; any other refusal clears it.
     */
    private State checkCallback(RequestHandler h) {
        String state = h.getQueryArgument("state", null);
        String error = h.getQueryArgument("error", null);
        String code = h.getQueryArgument("code", null);
        if (state == null) {
            throw callback(error != null ? "the provider sent the browser back with error " + error + " and no state"
                    : "the callback has no state");
        }
        State s = readCookie(h);
        if (s == null) {
            throw callback("no login was started in this browser (the login cookie is missing, expired or not "
                    + "signed by this application)");
        }
        if (!MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8), s.state().getBytes(StandardCharsets.UTF_8))) {
            throw callback("the callback's state is not the one of the login started in this browser");
        }
        clearCookie(h); // from here on this cookie has been used
        Instant now = clock.instant();
        Instant issued = Instant.ofEpochSecond(s.issuedAt());
        if (now.isAfter(issued.plus(limits.flowLifetime())) || issued.isAfter(now.plus(limits.clockSkew()))) {
            throw callback("the login started at " + issued + " and may take " + limits.flowLifetime() + " (now " + now + ")");
        }
        String iss = h.getQueryArgument("iss", null);
        if (iss != null && provider.issuer() != null && !iss.equals(provider.issuer())) {
            throw callback("the callback's iss is " + iss + ", not " + provider.issuer()); // RFC 9207 mix-up defence
        }
        if (error != null) {
            throw new OAuth2Exception(OAuth2Exception.Kind.ACCESS_DENIED, error, "the provider sent the browser back with "
                    + error + describe(h.getQueryArgument("error_description", null)), null);
        }
        if (code == null || code.isEmpty()) {
            throw callback("the callback has no code");
        }
        return s;
    }

    private static String describe(String description) {
        return description == null ? "" : ": " + description;
    }

    private static OAuth2Exception callback(String detail) {
        return new OAuth2Exception(OAuth2Exception.Kind.INVALID_CALLBACK, detail);
    }

    // ------------------------------------------------------------------------------ the cookie

    private void setCookie(RequestHandler h, State s) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("state", s.state());
        if (s.nonce() != null) {
            payload.put("nonce", s.nonce());
        }
        payload.put("verifier", s.codeVerifier());
        payload.put("next", s.next());
        payload.put("iat", s.issuedAt());
        h.setSignedCookie(cookieName, AuthHttp.toJson(payload), days(), c -> c.path(cookiePath).httpOnly(true)
                .secure(secureCookie).sameSite(SetCookie.SameSite.LAX).expires(null).maxAge(limits.flowLifetime()));
    }

    private State readCookie(RequestHandler h) {
        // The signature's own age check is a coarse outer bound on the system clock; the flow's
        // lifetime is checked on the client's clock after the state matched.
        byte[] raw = h.getSignedCookieBytes(cookieName, days() + 1, 2);
        if (raw == null) {
            return null;
        }
        JsonNode json = AuthHttp.parseObject(raw);
        if (json == null || !json.path("state").isTextual() || !json.path("verifier").isTextual()
                || !json.path("next").isTextual() || !json.path("iat").canConvertToLong()) {
            return null;
        }
        String n = json.path("nonce").isTextual() ? json.get("nonce").asText() : null;
        if (nonce && n == null) {
            return null;
        }
        return new State(json.get("state").asText(), n, json.get("verifier").asText(), json.get("next").asText(),
                json.get("iat").asLong());
    }

    private void clearCookie(RequestHandler h) {
        if (!h.isFinished()) {
            h.clearCookie(cookieName, c -> c.path(cookiePath).httpOnly(true).secure(secureCookie)
                    .sameSite(SetCookie.SameSite.LAX));
        }
    }

    private double days() {
        return limits.flowLifetime().toSeconds() / 86_400.0;
    }

    // ------------------------------------------------------------------------------- helpers

    static String random() {
        byte[] b = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** RFC 7636 4.2: {@code BASE64URL(SHA256(ASCII(code_verifier)))}. */
    static String codeChallenge(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e); // every JDK has it
        }
    }

    /**
     * {@code then} applied to the result of {@code f} on the handler's loop, which completes the
     * returned future; on failure {@code onError} runs there first and the failure passes on
     * unwrapped.
     */
    private static <T, R> CompletableFuture<R> onLoop(RequestHandler h, CompletableFuture<T> f, Function<T, R> then,
            java.util.function.Consumer<Throwable> onError) {
        CompletableFuture<R> out = new CompletableFuture<>();
        h.loop().addFuture(f, (value, error) -> {
            if (error != null) {
                try {
                    if (onError != null) {
                        onError.accept(error);
                    }
                } finally {
                    out.completeExceptionally(Futures.unwrap(error));
                }
                return;
            }
            try {
                out.complete(then.apply(value));
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        });
        return out;
    }
}
