package io.gale.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies an OpenID Connect ID token (OpenID Connect Core 1.0, 3.1.3.7): the JWS signature with
 * Nimbus JOSE+JWT against the provider's keys, then Gale's claim checks, in this order, each
 * failure an {@link OAuth2Exception.Kind#INVALID_ID_TOKEN} naming the check:
 *
 * <ol>
 *   <li>algorithm: an asymmetric one ({@code RS*}, {@code PS*}, {@code ES*}) that the provider
 *       lists in {@code id_token_signing_alg_values_supported} ({@code RS256} if it lists none).
 *       Never {@code none}, never an HMAC (which would make the client secret a signing key);</li>
 *   <li>key: the one the header names ({@code kid}, key type, {@code use=sig}), signature valid;</li>
 *   <li>{@code iss} exactly the provider's issuer;</li>
 *   <li>{@code aud} holds the client id, and any other audience is one the client trusts; with
 *       several audiences {@code azp} must be present; when present it must be the client id;</li>
 *   <li>{@code exp} not passed, {@code nbf} (if any) reached, {@code iat} neither in the future
 *       nor older than {@link AuthLimits#maxIdTokenAge()}, all with {@link AuthLimits#clockSkew()};</li>
 *   <li>{@code sub} a non-empty string;</li>
 *   <li>{@code nonce} equal (in constant time) to the one bound to the browser.</li>
 * </ol>
 *
 * <p>{@code at_hash} is not checked: in the code flow the access token comes from the token
 * endpoint over TLS, not through the browser (Core 3.1.3.8 makes the check optional there).
 * Stateless apart from its settings; thread-safe.
 */
final class IdTokenVerifier {
    /** The algorithms Gale accepts at all: asymmetric, supported by Nimbus without extra libraries. */
    static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512);

    private final String clientId;
    private final Set<String> trustedAudiences;
    private final InstantSource clock;
    private final AuthLimits limits;

    IdTokenVerifier(String clientId, Set<String> additionalAudiences, InstantSource clock, AuthLimits limits) {
        this.clientId = clientId;
        Set<String> trusted = new LinkedHashSet<>(additionalAudiences);
        trusted.add(clientId);
        this.trustedAudiences = Set.copyOf(trusted);
        this.clock = clock;
        this.limits = limits;
    }

    /** The accepted algorithms for a provider listing {@code listed} (may be empty). */
    static Set<JWSAlgorithm> algorithms(List<String> listed) {
        if (listed.isEmpty()) {
            return Set.of(JWSAlgorithm.RS256); // Discovery makes RS256 the one every provider supports
        }
        Set<JWSAlgorithm> out = new LinkedHashSet<>();
        for (String name : listed) {
            JWSAlgorithm alg = JWSAlgorithm.parse(name);
            if (ASYMMETRIC.contains(alg)) {
                out.add(alg);
            }
        }
        return out;
    }

    /** The token parsed as a signed JWT, its algorithm one of {@code algorithms}. */
    static SignedJWT parse(String idToken, Set<JWSAlgorithm> algorithms) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(idToken);
        } catch (ParseException | RuntimeException e) { // any text: Nimbus may throw unchecked on odd input
            throw invalid("the ID token is not a signed JWT: " + e.getMessage(), e);
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!algorithms.contains(alg)) {
            throw invalid("the ID token is signed with " + alg + ", not one of " + algorithms, null);
        }
        return jwt;
    }

    /** Whether {@code keys} hold a key that could have signed a JWS with {@code header}. */
    static boolean hasKeyFor(JWSHeader header, JWKSet keys) {
        try {
            JWKMatcher matcher = JWKMatcher.forJWSHeader(header);
            return matcher != null && !new JWKSelector(matcher).select(keys).isEmpty();
        } catch (RuntimeException e) {
            return false; // a header Nimbus cannot match keys for has no key
        }
    }

    /**
     * Verifies {@code jwt} against {@code keys} and the claim rules.
     *
     * @param nonce the nonce bound to the browser; null only where none was sent (a refresh)
     * @return the verified claims
     * @throws OAuth2Exception ({@link OAuth2Exception.Kind#INVALID_ID_TOKEN}) naming the failed check
     */
    JWTClaimsSet verify(SignedJWT jwt, JWKSet keys, Set<JWSAlgorithm> algorithms, String issuer, Set<String> issuerAliases,
            String nonce) {
        JWSHeader header = jwt.getHeader();
        if (!hasKeyFor(header, keys)) {
            throw invalid("no key in the provider's JWKS matches the ID token's kid " + header.getKeyID() + " and alg "
                    + header.getAlgorithm(), null);
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, new ImmutableJWKSet<>(keys)));
        processor.setJWTClaimsSetVerifier((claims, context) -> checkClaims(claims, issuer, issuerAliases, nonce));
        try {
            return processor.process(jwt, null);
        } catch (BadJWTException e) {
            throw invalid(e.getMessage(), e);
        } catch (BadJOSEException | JOSEException | RuntimeException e) {
            throw invalid("the ID token's signature does not verify: " + e.getMessage(), e);
        }
    }

    private void checkClaims(JWTClaimsSet claims, String issuer, Set<String> issuerAliases, String nonce)
            throws BadJWTException {
        String iss = claims.getIssuer();
        if (iss == null || !(iss.equals(issuer) || issuerAliases.contains(iss))) {
            throw new BadJWTException("the ID token's iss is " + iss + ", not " + issuer);
        }
        List<String> aud = claims.getAudience();
        if (!aud.contains(clientId)) {
            throw new BadJWTException("the ID token's aud " + aud + " does not hold the client id " + clientId);
        }
        for (String a : aud) {
            if (!trustedAudiences.contains(a)) {
                throw new BadJWTException("the ID token's aud holds " + a + ", an audience the client does not trust");
            }
        }
        String azp = stringClaim(claims, "azp");
        if (aud.size() > 1 && azp == null) {
            throw new BadJWTException("the ID token has several audiences " + aud + " and no azp");
        }
        if (azp != null && !azp.equals(clientId)) {
            throw new BadJWTException("the ID token's azp is " + azp + ", not the client id " + clientId);
        }
        Instant now = clock.instant();
        long skew = limits.clockSkew().toSeconds();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new BadJWTException("the ID token has no exp");
        }
        if (now.isAfter(exp.toInstant().plusSeconds(skew))) {
            throw new BadJWTException("the ID token expired at " + exp.toInstant() + " (now " + now + ")");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plusSeconds(skew).isBefore(nbf.toInstant())) {
            throw new BadJWTException("the ID token is not valid before " + nbf.toInstant() + " (now " + now + ")");
        }
        Date iat = claims.getIssueTime();
        if (iat == null) {
            throw new BadJWTException("the ID token has no iat");
        }
        if (iat.toInstant().isAfter(now.plusSeconds(skew))) {
            throw new BadJWTException("the ID token was issued in the future, at " + iat.toInstant() + " (now " + now + ")");
        }
        if (iat.toInstant().isBefore(now.minus(limits.maxIdTokenAge()).minusSeconds(skew))) {
            throw new BadJWTException("the ID token was issued at " + iat.toInstant() + ", more than "
                    + limits.maxIdTokenAge() + " ago (now " + now + ")");
        }
        String sub = stringClaim(claims, "sub");
        if (sub == null || sub.isEmpty()) {
            throw new BadJWTException("the ID token has no sub");
        }
        if (nonce != null) {
            String got = stringClaim(claims, "nonce");
            if (got == null || !MessageDigest.isEqual(got.getBytes(StandardCharsets.UTF_8),
                    nonce.getBytes(StandardCharsets.UTF_8))) {
                throw new BadJWTException(got == null ? "the ID token has no nonce"
                        : "the ID token's nonce is not the one this browser's login sent");
            }
        }
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        return claims.getClaim(name) instanceof String s ? s : null;
    }

    private static OAuth2Exception invalid(String detail, Throwable cause) {
        return new OAuth2Exception(OAuth2Exception.Kind.INVALID_ID_TOKEN, detail, cause);
    }
}
