package io.gale.auth;

import java.time.Duration;

/**
 * The limits of Gale's OAuth 2 and OpenID Connect clients ({@link OAuth2Client},
 * {@link OidcClient}): how long they wait for a provider, how much they read from it, how long
 * they trust what they cached, and how much clock difference they accept. One table, so that a
 * user reads in one place what Gale refuses and what the visitor then sees.
 *
 * <pre>{@code
 * AuthLimits limits = AuthLimits.builder().requestTimeout(Duration.ofSeconds(5)).build();
 * }</pre>
 *
 * <table>
 *   <caption>Limits of the login clients</caption>
 *   <tr><th>Limit</th><th>Default</th><th>Why</th><th>Exceeded</th></tr>
 *   <tr><td>{@code requestTimeout}</td><td>10 s</td><td>each call to the provider (discovery,
 *       JWKS, token, userinfo, API); Tornado's client waits 20 s, a login page should give up
 *       sooner</td><td>{@link OAuth2Exception.Kind#PROVIDER_UNAVAILABLE} (502)</td></tr>
 *   <tr><td>{@code maxResponseBytes}</td><td>256 KiB</td><td>a discovery document or JWKS is a few
 *       KiB (Google's: about 2); bounds the memory one answer can take</td>
 *       <td>{@link OAuth2Exception.Kind#PROVIDER_UNAVAILABLE} (502)</td></tr>
 *   <tr><td>{@code maxJwksKeys}</td><td>100</td><td>providers publish two or three keys; parsing
 *       is linear in the count</td><td>{@link OAuth2Exception.Kind#INVALID_RESPONSE} (502)</td></tr>
 *   <tr><td>{@code discoveryTtl}</td><td>1 hour</td><td>how long a discovery document is used
 *       before it is fetched again (Google serves it with {@code max-age=3600})</td>
 *       <td>fetched again on next use</td></tr>
 *   <tr><td>{@code jwksTtl}</td><td>1 hour</td><td>how long signing keys are used before they are
 *       fetched again; providers publish a new key well before signing with it</td>
 *       <td>fetched again on next use</td></tr>
 *   <tr><td>{@code jwksMinRefreshInterval}</td><td>1 minute</td><td>an ID token naming a key Gale
 *       does not know makes it fetch the JWKS again, at most once per interval, so tokens with
 *       made-up key ids cannot make Gale hammer the provider</td>
 *       <td>{@link OAuth2Exception.Kind#INVALID_ID_TOKEN} (403)</td></tr>
 *   <tr><td>{@code clockSkew}</td><td>60 s</td><td>tolerance between Gale's clock and the
 *       provider's for {@code exp}, {@code nbf} and {@code iat}</td>
 *       <td>{@link OAuth2Exception.Kind#INVALID_ID_TOKEN} (403)</td></tr>
 *   <tr><td>{@code maxIdTokenAge}</td><td>10 minutes</td><td>an ID token is issued at the code
 *       exchange; one whose {@code iat} is older is not fresh (OpenID Connect Core 3.1.3.7)</td>
 *       <td>{@link OAuth2Exception.Kind#INVALID_ID_TOKEN} (403)</td></tr>
 *   <tr><td>{@code flowLifetime}</td><td>10 minutes</td><td>how long the browser may take at the
 *       provider's login page: the life of the signed cookie holding {@code state},
 *       {@code nonce} and the PKCE verifier (authorization codes live about as long)</td>
 *       <td>{@link OAuth2Exception.Kind#INVALID_CALLBACK} (400)</td></tr>
 * </table>
 *
 * @param requestTimeout time allowed for one call to the provider
 * @param maxResponseBytes bytes of one answer from the provider
 * @param maxJwksKeys keys in one JWKS
 * @param discoveryTtl life of a cached discovery document
 * @param jwksTtl life of a cached JWKS
 * @param jwksMinRefreshInterval least time between two JWKS fetches caused by unknown keys
 * @param clockSkew tolerated clock difference
 * @param maxIdTokenAge oldest accepted {@code iat} of an ID token
 * @param flowLifetime life of a login in progress (its signed cookie)
 */
public record AuthLimits(Duration requestTimeout, int maxResponseBytes, int maxJwksKeys, Duration discoveryTtl,
                         Duration jwksTtl, Duration jwksMinRefreshInterval, Duration clockSkew, Duration maxIdTokenAge,
                         Duration flowLifetime) {

    /** The defaults listed in the table. */
    public static final AuthLimits DEFAULTS = builder().build();

    /**
     * The defaults listed on the record components ({@link #DEFAULTS}).
     *
     * @return the defaults
     */
    public static AuthLimits defaults() {
        return DEFAULTS;
    }

    /** Validates the limits: durations positive ({@code clockSkew} may be zero), sizes at least 1 KiB / 1 key. */
    public AuthLimits {
        positive(requestTimeout, "requestTimeout");
        positive(discoveryTtl, "discoveryTtl");
        positive(jwksTtl, "jwksTtl");
        positive(jwksMinRefreshInterval, "jwksMinRefreshInterval");
        positive(maxIdTokenAge, "maxIdTokenAge");
        positive(flowLifetime, "flowLifetime");
        if (clockSkew == null || clockSkew.isNegative()) {
            throw new IllegalArgumentException("clockSkew must not be negative: " + clockSkew);
        }
        if (maxResponseBytes < 1024 || maxJwksKeys < 1) {
            throw new IllegalArgumentException("maxResponseBytes must be at least 1024 and maxJwksKeys at least 1: "
                    + maxResponseBytes + ", " + maxJwksKeys);
        }
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from these values, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.requestTimeout = requestTimeout;
        b.maxResponseBytes = maxResponseBytes;
        b.maxJwksKeys = maxJwksKeys;
        b.discoveryTtl = discoveryTtl;
        b.jwksTtl = jwksTtl;
        b.jwksMinRefreshInterval = jwksMinRefreshInterval;
        b.clockSkew = clockSkew;
        b.maxIdTokenAge = maxIdTokenAge;
        b.flowLifetime = flowLifetime;
        return b;
    }

    /** Builder of {@link AuthLimits}; not thread-safe. */
    public static final class Builder {
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int maxResponseBytes = 256 * 1024;
        private int maxJwksKeys = 100;
        private Duration discoveryTtl = Duration.ofHours(1);
        private Duration jwksTtl = Duration.ofHours(1);
        private Duration jwksMinRefreshInterval = Duration.ofMinutes(1);
        private Duration clockSkew = Duration.ofSeconds(60);
        private Duration maxIdTokenAge = Duration.ofMinutes(10);
        private Duration flowLifetime = Duration.ofMinutes(10);

        private Builder() {
        }

        /**
         * See {@link AuthLimits#requestTimeout()}.
         *
         * @param v time allowed for one call to the provider
         * @return this builder
         */
        public Builder requestTimeout(Duration v) {
            requestTimeout = v;
            return this;
        }

        /**
         * See {@link AuthLimits#maxResponseBytes()}.
         *
         * @param v bytes of one answer from the provider
         * @return this builder
         */
        public Builder maxResponseBytes(int v) {
            maxResponseBytes = v;
            return this;
        }

        /**
         * See {@link AuthLimits#maxJwksKeys()}.
         *
         * @param v keys in one JWKS
         * @return this builder
         */
        public Builder maxJwksKeys(int v) {
            maxJwksKeys = v;
            return this;
        }

        /**
         * See {@link AuthLimits#discoveryTtl()}.
         *
         * @param v life of a cached discovery document
         * @return this builder
         */
        public Builder discoveryTtl(Duration v) {
            discoveryTtl = v;
            return this;
        }

        /**
         * See {@link AuthLimits#jwksTtl()}.
         *
         * @param v life of a cached JWKS
         * @return this builder
         */
        public Builder jwksTtl(Duration v) {
            jwksTtl = v;
            return this;
        }

        /**
         * See {@link AuthLimits#jwksMinRefreshInterval()}.
         *
         * @param v least time between two JWKS fetches caused by unknown keys
         * @return this builder
         */
        public Builder jwksMinRefreshInterval(Duration v) {
            jwksMinRefreshInterval = v;
            return this;
        }

        /**
         * See {@link AuthLimits#clockSkew()}.
         *
         * @param v tolerated clock difference
         * @return this builder
         */
        public Builder clockSkew(Duration v) {
            clockSkew = v;
            return this;
        }

        /**
         * See {@link AuthLimits#maxIdTokenAge()}.
         *
         * @param v oldest accepted {@code iat} of an ID token
         * @return this builder
         */
        public Builder maxIdTokenAge(Duration v) {
            maxIdTokenAge = v;
            return this;
        }

        /**
         * See {@link AuthLimits#flowLifetime()}.
         *
         * @param v life of a login in progress (its signed cookie)
         * @return this builder
         */
        public Builder flowLifetime(Duration v) {
            flowLifetime = v;
            return this;
        }

        /**
         * Builds the limits.
         *
         * @return the auth limits
         */
        public AuthLimits build() {
            return new AuthLimits(requestTimeout, maxResponseBytes, maxJwksKeys, discoveryTtl, jwksTtl,
                    jwksMinRefreshInterval, clockSkew, maxIdTokenAge, flowLifetime);
        }
    }
}
