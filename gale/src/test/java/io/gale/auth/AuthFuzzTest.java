package io.gale.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.InstantSource;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Jazzer fuzz targets for what a provider (or anyone between it and Gale) can send: the JSON
 * answers (discovery document, token response, JWKS) and ID token texts. Under {@code mvn test}
 * they replay the seeds in {@code src/test/resources/io/gale/auth/AuthFuzzTestInputs/};
 * {@code JAZZER_FUZZ=1 mvn -pl gale test -Dtest=AuthFuzzTest#NAME} fuzzes one for real. The
 * only failure allowed is an {@link OAuth2Exception}; anything else thrown fails the target. The
 * timeout leaves room for a real fuzzing run ({@code -Djazzer.max_duration} up to 10 minutes).
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class AuthFuzzTest {
    private static final String ISSUER = "https://id.example";
    private static final JWKSet KEYS = new JWKSet(IdTokenVerifierTest.RSA.toPublicJWK());
    private static final Set<JWSAlgorithm> ALGS = IdTokenVerifier.algorithms(java.util.List.of("RS256", "ES256", "PS256"));
    private static final IdTokenVerifier VERIFIER = new IdTokenVerifier("client-1", Set.of(),
            InstantSource.fixed(IdTokenVerifierTest.NOW), AuthLimits.DEFAULTS);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] FIELDS = {"issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint",
        "jwks_uri", "end_session_endpoint", "response_types_supported", "id_token_signing_alg_values_supported",
        "token_endpoint_auth_methods_supported", "access_token", "token_type", "expires_in", "refresh_token", "scope",
        "id_token", "keys", "error"};
    private static final String[] JWK_FIELDS = {"kty", "kid", "use", "alg", "n", "e", "crv", "x", "y", "d", "key_ops"};
    private static final String[] STRINGS = {ISSUER, "https://id.example/t", "http://127.0.0.1:1/x", "http://evil.example/",
        "code", "RS256", "none", "RSA", "EC", "P-256", "AQAB", "sig", "Bearer", "mac", "3600", ""};

    /**
     * A provider's JSON answer: the first byte chooses raw bytes, or an object the fuzzer builds
     * from the fields the decoders read (Jackson itself is not instrumented, so raw bytes alone
     * rarely make an object). Parsed, or refused with an OAuth2Exception.
     */
    @FuzzTest(maxDuration = "30s")
    void providerAnswers(FuzzedDataProvider data) {
        int maxKeys = data.consumeInt(1, 8);
        JsonNode json = data.consumeBoolean() ? AuthHttp.parseObject(data.consumeRemainingAsBytes()) : build(data);
        if (json == null) {
            return;
        }
        try {
            OidcProviderMetadata md = OidcProviderMetadata.parse(json, ISSUER);
            assertThat(md.issuer()).isEqualTo(ISSUER);
            assertThat(ClientRegistration.isSecureUrl(java.net.URI.create(md.tokenEndpoint()))).isTrue();
        } catch (OAuth2Exception expected) {
            // refused
        }
        try {
            assertThat(TokenResponse.parse(json, "t").accessToken()).isNotEmpty();
        } catch (OAuth2Exception expected) {
            // refused
        }
        try {
            assertThat(ProviderKeys.parse(json, "jwks", maxKeys).getKeys()).hasSizeLessThanOrEqualTo(maxKeys)
                    .allMatch(k -> !k.isPrivate());
        } catch (OAuth2Exception expected) {
            // refused
        }
    }

    private static ObjectNode build(FuzzedDataProvider data) {
        return build(data, FIELDS);
    }

    private static ObjectNode build(FuzzedDataProvider data, String[] fields) {
        ObjectNode o = JSON.createObjectNode();
        int n = data.consumeInt(0, 12);
        for (int i = 0; i < n; i++) {
            String field = data.consumeBoolean() ? data.pickValue(fields) : data.consumeString(8);
            o.set(field, value(data, 0));
        }
        return o;
    }

    private static JsonNode value(FuzzedDataProvider data, int depth) {
        switch (data.consumeInt(0, depth > 1 ? 4 : 6)) {
            case 0:
                return JSON.getNodeFactory().textNode(data.consumeBoolean() ? data.pickValue(STRINGS) : data.consumeString(48));
            case 1:
                return JSON.getNodeFactory().numberNode(data.consumeLong());
            case 2:
                return JSON.getNodeFactory().numberNode(data.consumeDouble());
            case 3:
                return JSON.getNodeFactory().booleanNode(data.consumeBoolean());
            case 4:
                return JSON.getNodeFactory().nullNode();
            case 5: {
                ArrayNode a = JSON.createArrayNode();
                int n = data.consumeInt(0, 6);
                for (int i = 0; i < n; i++) {
                    a.add(value(data, depth + 1));
                }
                return a;
            }
            default: {
                ObjectNode key = JSON.createObjectNode(); // a JWK-like object
                int n = data.consumeInt(0, 8);
                for (int i = 0; i < n; i++) {
                    key.set(data.pickValue(JWK_FIELDS), value(data, depth + 1));
                }
                return key;
            }
        }
    }

    private static final String[] HEADER_FIELDS = {"alg", "kid", "typ", "cty", "crit", "jwk", "jku", "x5c", "x5u", "b64"};
    private static final String[] CLAIMS = {"iss", "sub", "aud", "exp", "iat", "nbf", "nonce", "azp"};

    /**
     * Any text as an ID token, or one the fuzzer builds from header and claim fields: refused
     * with an OAuth2Exception (no key here signs what the fuzzer makes).
     */
    @FuzzTest(maxDuration = "30s")
    void idToken(FuzzedDataProvider data) {
        String text;
        if (data.consumeBoolean()) {
            java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
            String header = build(data, HEADER_FIELDS).toString();
            String claims = build(data, CLAIMS).toString();
            text = b64.encodeToString(header.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                    + b64.encodeToString(claims.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                    + data.consumeRemainingAsAsciiString();
        } else {
            text = data.consumeRemainingAsString();
        }
        try {
            JWTClaimsSet claims = VERIFIER.verify(IdTokenVerifier.parse(text, ALGS), KEYS, ALGS, ISSUER, Set.of(), "nonce");
            throw new AssertionError("a token the test's key never signed was accepted: " + claims);
        } catch (OAuth2Exception expected) {
            // refused
        }
    }
}
