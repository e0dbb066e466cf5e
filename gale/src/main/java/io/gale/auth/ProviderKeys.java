package io.gale.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import java.text.ParseException;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A provider's signing keys (its JWKS), cached for {@link AuthLimits#jwksTtl()} and fetched again
 * early when an ID token names a key that is not in them (the provider rotated its keys), at most
 * once per {@link AuthLimits#jwksMinRefreshInterval()}: a stream of tokens with made-up key ids
 * costs the provider one request a minute, not one per token. Only public keys are kept; a JWKS
 * with more than {@link AuthLimits#maxJwksKeys()} keys is refused. Thread-safe.
 */
final class ProviderKeys {
    private final AuthHttp http;
    private final InstantSource clock;
    private String jwksUri;
    private Cached<JWKSet> cache = new Cached<>();

    ProviderKeys(AuthHttp http, InstantSource clock) {
        this.http = http;
        this.clock = clock;
    }

    /**
     * The keys to verify a token with {@code header} against: the cached ones if they hold a
     * match, else freshly fetched ones (unless fetched too recently: then the cached ones, and
     * the verification fails naming the key).
     */
    CompletableFuture<JWKSet> keysFor(String uri, JWSHeader header) {
        Cached<JWKSet> c = cacheFor(uri);
        AuthLimits limits = http.limits();
        return c.get(clock.instant(), limits.jwksTtl(), () -> fetch(uri)).thenCompose(keys -> {
            if (IdTokenVerifier.hasKeyFor(header, keys)) {
                return CompletableFuture.completedFuture(keys);
            }
            CompletableFuture<JWKSet> again = c.refresh(clock.instant(), limits.jwksMinRefreshInterval(), () -> fetch(uri));
            return again == null ? CompletableFuture.completedFuture(keys) : again;
        });
    }

    /** The cache of {@code uri}; a new one if the discovery document moved the JWKS. */
    private synchronized Cached<JWKSet> cacheFor(String uri) {
        if (!uri.equals(jwksUri)) {
            jwksUri = uri;
            cache = new Cached<>();
        }
        return cache;
    }

    private CompletableFuture<JWKSet> fetch(String uri) {
        String what = "the JWKS " + uri;
        return http.getJson(uri, null, Map.of(), what).thenApply(json -> parse(json, what, http.limits().maxJwksKeys()));
    }

    static JWKSet parse(JsonNode json, String what, int maxKeys) {
        JsonNode keys = json.get("keys");
        if (keys == null || !keys.isArray()) {
            throw new OAuth2Exception(OAuth2Exception.Kind.INVALID_RESPONSE, what + " has no keys array");
        }
        if (keys.size() > maxKeys) {
            throw new OAuth2Exception(OAuth2Exception.Kind.INVALID_RESPONSE, what + " has " + keys.size()
                    + " keys, more than " + maxKeys);
        }
        for (JsonNode key : keys) {
            if (!key.isObject()) { // Nimbus 10.10 throws a NullPointerException on a null key (found by fuzzing)
                throw new OAuth2Exception(OAuth2Exception.Kind.INVALID_RESPONSE, what + " has a key that is not an object");
            }
        }
        try {
            return JWKSet.parse(json.toString()).toPublicJWKSet();
        } catch (ParseException | RuntimeException e) {
            throw new OAuth2Exception(OAuth2Exception.Kind.INVALID_RESPONSE, what + " is not a valid JWK set: "
                    + e.getMessage(), e);
        }
    }
}
