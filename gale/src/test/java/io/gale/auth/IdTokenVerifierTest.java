package io.gale.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ID token checks in memory, on a fixed clock: each rule's boundary (accepted exactly at the
 * limit, refused one second past it), algorithms and keys, and hostile token texts.
 */
@Timeout(60)
class IdTokenVerifierTest {
    static final String ISSUER = "https://id.example";
    static final String CLIENT = "client-1";
    static final String NONCE = "n-0S6_WzA2Mj";
    static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    static final RSAKey RSA = FakeProvider.newKey("r1");
    static final ECKey EC = ecKey();
    static final JWKSet KEYS = new JWKSet(List.<JWK>of(RSA.toPublicJWK(), EC.toPublicJWK()));
    static final Set<JWSAlgorithm> ALGS = IdTokenVerifier.algorithms(List.of("RS256", "ES256"));

    final IdTokenVerifier verifier = new IdTokenVerifier(CLIENT, Set.of("trusted-other"), InstantSource.fixed(NOW),
            AuthLimits.DEFAULTS);

    static ECKey ecKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("e1").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String token(Consumer<JWTClaimsSet.Builder> bend) {
        return token(JWSAlgorithm.RS256, RSA.getKeyID(), bend);
    }

    static String token(JWSAlgorithm alg, String kid, Consumer<JWTClaimsSet.Builder> bend) {
        try {
            JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().issuer(ISSUER).subject("u1").audience(CLIENT)
                    .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(3600))).claim("nonce", NONCE);
            bend.accept(c);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), c.build());
            JWSSigner signer = alg.getName().startsWith("ES") ? new ECDSASigner(EC) : new RSASSASigner(RSA);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    JWTClaimsSet verify(String token) {
        return verifier.verify(IdTokenVerifier.parse(token, ALGS), KEYS, ALGS, ISSUER, Set.of(), NONCE);
    }

    void refused(String token, String message) {
        assertThatThrownBy(() -> verify(token)).isInstanceOfSatisfying(OAuth2Exception.class, e -> {
            assertThat(e.kind()).isEqualTo(OAuth2Exception.Kind.INVALID_ID_TOKEN);
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.description()).contains(message);
        });
    }

    @Test
    void aGoodTokenGivesItsClaims() {
        assertThat(verify(token(c -> { })).getSubject()).isEqualTo("u1");
        assertThat(verify(token(JWSAlgorithm.ES256, "e1", c -> { })).getSubject()).isEqualTo("u1");
    }

    @Test
    void expiryIsCheckedWithTheSkewToTheSecond() {
        verify(token(c -> c.expirationTime(Date.from(NOW.minusSeconds(60)))));
        refused(token(c -> c.expirationTime(Date.from(NOW.minusSeconds(61)))), "expired");
        refused(token(c -> c.expirationTime(null)), "no exp");
    }

    @Test
    void issuedAtMustBeFreshAndNotInTheFuture() {
        verify(token(c -> c.issueTime(Date.from(NOW.minus(Duration.ofMinutes(10)).minusSeconds(60)))));
        refused(token(c -> c.issueTime(Date.from(NOW.minus(Duration.ofMinutes(10)).minusSeconds(61)))), "more than PT10M ago");
        verify(token(c -> c.issueTime(Date.from(NOW.plusSeconds(60)))));
        refused(token(c -> c.issueTime(Date.from(NOW.plusSeconds(61)))), "in the future");
        refused(token(c -> c.issueTime(null)), "no iat");
    }

    @Test
    void notBeforeIsChecked() {
        verify(token(c -> c.notBeforeTime(Date.from(NOW.plusSeconds(60)))));
        refused(token(c -> c.notBeforeTime(Date.from(NOW.plusSeconds(61)))), "not valid before");
    }

    @Test
    void issuerMustMatchExactly() {
        refused(token(c -> c.issuer(ISSUER + "/")), "iss is");
        refused(token(c -> c.issuer(null)), "iss is null");
        refused(token(c -> c.issuer("accounts.google.com")), "iss is");
        JWTClaimsSet ok = verifier.verify(IdTokenVerifier.parse(token(c -> c.issuer("accounts.google.com")), ALGS), KEYS,
                ALGS, ISSUER, Set.of("accounts.google.com"), NONCE);
        assertThat(ok.getIssuer()).isEqualTo("accounts.google.com");
    }

    @Test
    void audienceAndAuthorizedParty() {
        refused(token(c -> c.audience("other")), "does not hold the client id");
        refused(token(c -> c.audience(List.of(CLIENT, "untrusted")).claim("azp", CLIENT)), "does not trust");
        refused(token(c -> c.audience(List.of(CLIENT, "trusted-other"))), "no azp");
        refused(token(c -> c.audience(List.of(CLIENT, "trusted-other")).claim("azp", "trusted-other")), "azp is");
        refused(token(c -> c.claim("azp", "trusted-other")), "azp is");
        verify(token(c -> c.audience(List.of(CLIENT, "trusted-other")).claim("azp", CLIENT)));
        verify(token(c -> c.claim("azp", CLIENT)));
    }

    @Test
    void subjectAndNonce() {
        refused(token(c -> c.subject(null)), "no sub");
        refused(token(c -> c.subject("")), "no sub");
        refused(token(c -> c.claim("nonce", null)), "no nonce");
        refused(token(c -> c.claim("nonce", NONCE + "x")), "nonce is not");
        refused(token(c -> c.claim("nonce", List.of(NONCE))), "no nonce");
    }

    @Test
    void keysAndSignatures() {
        refused(token(JWSAlgorithm.RS256, "unknown", c -> { }), "no key in the provider's JWKS matches");
        // the EC key's id on an RSA-signed token: no RSA key with that id
        refused(token(JWSAlgorithm.RS256, "e1", c -> { }), "no key");
        String good = token(c -> { });
        String[] parts = good.split("\\.");
        String otherPayload = token(c -> c.subject("admin")).split("\\.")[1];
        refused(parts[0] + "." + otherPayload + "." + parts[2], "signature does not verify");
        refused(parts[0] + "." + parts[1] + "." + parts[2].substring(0, 20), "signature does not verify");
    }

    @Test
    void algorithmsAreAsymmetricAndListedByTheProvider() {
        assertThat(IdTokenVerifier.algorithms(List.of())).containsExactly(JWSAlgorithm.RS256);
        assertThat(IdTokenVerifier.algorithms(List.of("none", "HS256", "HS512", "ES256", "EdDSA", "junk")))
                .containsExactly(JWSAlgorithm.ES256);
        assertThat(IdTokenVerifier.algorithms(List.of("none", "HS256"))).isEmpty();
        Set<JWSAlgorithm> rsOnly = Set.of(JWSAlgorithm.RS256);
        assertThatThrownBy(() -> IdTokenVerifier.parse(token(JWSAlgorithm.ES256, "e1", c -> { }), rsOnly))
                .isInstanceOf(OAuth2Exception.class).hasMessageContaining("signed with ES256");
    }

    @Test
    void hostileTextsAreRefusedAsInvalidTokens() {
        for (String text : List.of("", ".", "..", "a.b.c", "eyJhbGciOiJSUzI1NiJ9..", "eyJhbGciOiJSUzI1NiJ9.e30.",
                "eyJhbGciOiJub25lIn0.e30.", "eyJ9.eyJ9.eyJ9", "x".repeat(10_000), "eyJhbGciOiJSUzI1NiJ9.W10.c2ln",
                "eyJhbGciOiJSUzI1NiIsImNyaXQiOlsiZXhwIl19.e30.c2ln", "eyJhbGciOiJSUzI1NiJ9.bnVsbA.c2ln")) {
            assertThatThrownBy(() -> verify(text)).as(text).isInstanceOfSatisfying(OAuth2Exception.class,
                    e -> assertThat(e.kind()).isEqualTo(OAuth2Exception.Kind.INVALID_ID_TOKEN));
        }
    }
}
