package io.gale.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The decoders of what providers answer (discovery documents, token responses, JWKS), with
 * malformed and hostile input; and the small rules: redirect URIs, client authentication's
 * encoding, PKCE's challenge (against Nimbus's OAuth 2 SDK as an independent implementation),
 * the limits' validation, the error statuses and log text.
 */
@Timeout(60)
class AuthParsingTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ISSUER = "https://id.example";

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    static ObjectNode discovery() {
        ObjectNode d = JSON.createObjectNode();
        d.put("issuer", ISSUER);
        d.put("authorization_endpoint", ISSUER + "/authorize");
        d.put("token_endpoint", ISSUER + "/token");
        d.put("userinfo_endpoint", ISSUER + "/userinfo");
        d.put("jwks_uri", ISSUER + "/jwks");
        d.putArray("response_types_supported").add("code").add("id_token");
        d.putArray("id_token_signing_alg_values_supported").add("RS256");
        return d;
    }

    static void invalid(Runnable r, String message) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(OAuth2Exception.class, e -> {
            assertThat(e.kind()).isEqualTo(OAuth2Exception.Kind.INVALID_RESPONSE);
            assertThat(e.statusCode()).isEqualTo(502);
            assertThat(e.description()).contains(message);
        });
    }

    @Test
    void aDiscoveryDocumentIsCheckedField() {
        OidcProviderMetadata md = OidcProviderMetadata.parse(discovery(), ISSUER);
        assertThat(md.tokenEndpoint()).isEqualTo(ISSUER + "/token");
        assertThat(md.endSessionEndpoint()).isNull();
        assertThat(md.tokenEndpointAuthMethodsSupported()).isEmpty();
        assertThat(md.fields()).containsKey("response_types_supported");

        invalid(() -> OidcProviderMetadata.parse(discovery(), ISSUER + "/"), "names issuer");
        invalid(() -> OidcProviderMetadata.parse(discovery().put("issuer", 1), ISSUER), "names issuer");
        for (String field : List.of("authorization_endpoint", "token_endpoint", "jwks_uri")) {
            ObjectNode d = discovery();
            d.remove(field);
            invalid(() -> OidcProviderMetadata.parse(d, ISSUER), "has no " + field);
            invalid(() -> OidcProviderMetadata.parse(discovery().put(field, 7), ISSUER), "not a string");
            invalid(() -> OidcProviderMetadata.parse(discovery().put(field, "http://id.example/x"), ISSUER), "not an https URL");
            invalid(() -> OidcProviderMetadata.parse(discovery().put(field, "/relative"), ISSUER), "not an https URL");
            invalid(() -> OidcProviderMetadata.parse(discovery().put(field, "https://id.example/x#f"), ISSUER), "not an https URL");
            invalid(() -> OidcProviderMetadata.parse(discovery().put(field, "https://id example/"), ISSUER), "not a URL");
        }
        invalid(() -> OidcProviderMetadata.parse(discovery().put("userinfo_endpoint", "javascript:alert(1)"), ISSUER),
                "not an https URL");
        ObjectNode implicitOnly = discovery();
        implicitOnly.putArray("response_types_supported").add("id_token");
        invalid(() -> OidcProviderMetadata.parse(implicitOnly, ISSUER), "authorization code flow");
        // loopback http is allowed (development); odd array members are skipped
        ObjectNode local = discovery().put("issuer", "http://127.0.0.1:9/x").put("token_endpoint", "http://localhost:9/t")
                .put("authorization_endpoint", "http://[::1]:9/a").put("jwks_uri", "http://127.0.0.1:9/k");
        local.putArray("id_token_signing_alg_values_supported").add(1).add("ES256").addNull();
        OidcProviderMetadata m = OidcProviderMetadata.parse(local, "http://127.0.0.1:9/x");
        assertThat(m.idTokenSigningAlgValuesSupported()).containsExactly("ES256");
    }

    @Test
    void theDiscoveryUrlDropsATrailingSlash() {
        assertThat(OidcProviderMetadata.discoveryUrl("https://id.example/")).isEqualTo(
                "https://id.example/.well-known/openid-configuration");
        assertThat(OidcProviderMetadata.discoveryUrl("https://id.example/tenant")).isEqualTo(
                "https://id.example/tenant/.well-known/openid-configuration");
    }

    @Test
    void aTokenResponseIsChecked() throws Exception {
        TokenResponse t = TokenResponse.parse(json("{\"access_token\":\"a\",\"token_type\":\"bearer\",\"expires_in\":\"60\","
                + "\"refresh_token\":\"r\",\"scope\":\"s t\",\"id_token\":\"i\",\"extra\":null}"), "t");
        assertThat(t.expiresIn()).isEqualTo(Duration.ofSeconds(60));
        assertThat(t.fields()).containsEntry("extra", null).containsEntry("access_token", "a");
        assertThat(t.toString()).doesNotContain("\"a\"", "=a,", "=r", "=i").contains("refreshToken=true");
        assertThat(TokenResponse.parse(json("{\"access_token\":\"a\"}"), "t").tokenType()).isEqualTo("Bearer");
        assertThat(TokenResponse.parse(json("{\"access_token\":\"a\",\"expires_in\":-5}"), "t").expiresIn()).isNull();
        assertThat(TokenResponse.parse(json("{\"access_token\":\"a\",\"expires_in\":\"1e9\"}"), "t").expiresIn()).isNull();
        assertThat(TokenResponse.parse(json("{\"access_token\":\"a\",\"expires_in\":3600.5}"), "t").expiresIn())
                .isEqualTo(Duration.ofSeconds(3600));
        invalid(() -> TokenResponse.parse(jsonUnchecked("{}"), "t"), "no access_token");
        invalid(() -> TokenResponse.parse(jsonUnchecked("{\"access_token\":\"\"}"), "t"), "no access_token");
        invalid(() -> TokenResponse.parse(jsonUnchecked("{\"access_token\":5}"), "t"), "no access_token");
        invalid(() -> TokenResponse.parse(jsonUnchecked("{\"access_token\":\"a\",\"token_type\":\"mac\"}"), "t"), "not Bearer");
    }

    static JsonNode jsonUnchecked(String text) {
        try {
            return json(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aJwksIsCheckedAndKeepsPublicKeysOnly() throws Exception {
        JWKSet keys = new JWKSet(FakeProvider.newKey("k1")); // with its private part
        JWKSet parsed = ProviderKeys.parse(JSON.valueToTree(keys.toJSONObject(false)), "jwks", 100);
        assertThat(parsed.getKeys()).singleElement().satisfies(k -> assertThat(k.isPrivate()).isFalse());
        // an unknown key type is skipped, not fatal
        JWKSet withOdd = ProviderKeys.parse(json("{\"keys\":[{\"kty\":\"XYZ\",\"kid\":\"odd\"},"
                + JSON.writeValueAsString(keys.toPublicJWKSet().getKeys().get(0).toJSONObject()) + "]}"), "jwks", 100);
        assertThat(withOdd.getKeys()).hasSize(1);
        invalid(() -> ProviderKeys.parse(jsonUnchecked("{}"), "jwks", 100), "no keys array");
        invalid(() -> ProviderKeys.parse(jsonUnchecked("{\"keys\":{}}"), "jwks", 100), "no keys array");
        invalid(() -> ProviderKeys.parse(jsonUnchecked("{\"keys\":[{\"kty\":\"RSA\",\"n\":\"!!\"}]}"), "jwks", 100),
                "not a valid JWK set");
        invalid(() -> ProviderKeys.parse(jsonUnchecked("{\"keys\":[1]}"), "jwks", 100), "not an object");
        invalid(() -> ProviderKeys.parse(jsonUnchecked("{\"keys\":[null]}"), "jwks", 100), "not an object"); // Nimbus: NPE
        invalid(() -> ProviderKeys.parse(jsonUnchecked("{\"keys\":[{\"kty\":null}]}"), "jwks", 100), "not a valid JWK set");
        invalid(() -> ProviderKeys.parse(jsonUnchecked("{\"keys\":[{},{},{}]}"), "jwks", 2), "more than 2");
    }

    @Test
    void redirectUrisAndRegistrations() {
        for (String bad : List.of("http://app.example/cb", "/cb", "app.example/cb", "https://app.example/cb#x",
                "ftp://app.example/cb", "https:///cb", "javascript:alert(1)")) {
            assertThatThrownBy(() -> ClientRegistration.of("id", "s", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redirectUri");
        }
        for (String ok : List.of("https://app.example/cb", "http://localhost:8888/cb", "http://127.0.0.1/cb",
                "http://[::1]:8080/cb")) {
            assertThat(ClientRegistration.of("id", "s", ok).redirectUri()).isEqualTo(ok);
        }
        assertThatThrownBy(() -> ClientRegistration.of("", "s", "https://a.example/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientRegistration.builder("id", "https://a.example/").authorizeParam("state", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("login flow");
        assertThatThrownBy(() -> ClientRegistration.builder("id", "https://a.example/")
                .authMethod(ClientAuthMethod.CLIENT_SECRET_BASIC).build()).isInstanceOf(IllegalArgumentException.class);
        ClientRegistration pub = ClientRegistration.builder("id", "https://a.example/").build();
        assertThat(pub.effectiveAuthMethod(ClientAuthMethod.CLIENT_SECRET_BASIC)).isEqualTo(ClientAuthMethod.NONE);
        assertThat(ClientRegistration.of("id", "top-secret", "https://a.example/").toString()).doesNotContain("top-secret");
        assertThatThrownBy(() -> OidcClient.builder("http://id.example", pub)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OAuth2Client.builder(pub, "https://a.example/a", "http://a.example/t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokenUrl");
        assertThatThrownBy(() -> OidcClient.builder("https://id.example", pub).cookieName("bad name").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clientSecretBasicFormEncodesBothParts() {
        assertThat(AuthHttp.basic("id", "secret")).isEqualTo("Basic aWQ6c2VjcmV0");
        String h = AuthHttp.basic("a b:c", "s+é/%");
        String decoded = new String(java.util.Base64.getDecoder().decode(h.substring(6)), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(decoded).isEqualTo("a+b%3Ac:s%2B%C3%A9%2F%25");
    }

    @Test
    void pkceS256MatchesAnIndependentImplementation() {
        for (int i = 0; i < 20; i++) {
            String verifier = LoginFlow.random();
            assertThat(verifier).hasSize(43).matches("[A-Za-z0-9_-]+");
            assertThat(LoginFlow.codeChallenge(verifier)).isEqualTo(
                    CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue());
        }
        assertThat(LoginFlow.random()).isNotEqualTo(LoginFlow.random());
    }

    @Test
    void theAuthorizationUrlCarriesTheProtocolAndTheExtras() {
        ClientRegistration reg = ClientRegistration.builder("c 1", "https://app.example/cb?x=1").clientSecret("s")
                .authorizeParam("prompt", "select_account").build();
        LoginFlow flow = new LoginFlow(reg, List.of("openid", "email"), true, "_c", "/", java.time.InstantSource.system(),
                AuthLimits.DEFAULTS, null);
        String url = flow.authorizeUrl("https://id.example/auth?tenant=t", new LoginFlow.State("st", "no", "ver", "/", 0));
        assertThat(url).isEqualTo("https://id.example/auth?tenant=t&response_type=code&client_id=c+1&redirect_uri="
                + "https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1&scope=openid+email&state=st&nonce=no&code_challenge="
                + LoginFlow.codeChallenge("ver") + "&code_challenge_method=S256&prompt=select_account");
    }

    @Test
    void limitsAreValidated() {
        assertThat(AuthLimits.DEFAULTS.flowLifetime()).isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> AuthLimits.builder().requestTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestTimeout");
        assertThatThrownBy(() -> AuthLimits.builder().clockSkew(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthLimits.builder().maxResponseBytes(10).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(AuthLimits.builder().clockSkew(Duration.ZERO).build().clockSkew()).isZero();
    }

    @Test
    void errorsCarryTheirStatusAndPrintableText() {
        assertThat(new OAuth2Exception(OAuth2Exception.Kind.PROVIDER_ERROR, "invalid_grant", "d", null).statusCode())
                .isEqualTo(400);
        assertThat(new OAuth2Exception(OAuth2Exception.Kind.PROVIDER_ERROR, "invalid_client", "d", null).statusCode())
                .isEqualTo(502);
        for (OAuth2Exception.Kind k : OAuth2Exception.Kind.values()) {
            assertThat(new OAuth2Exception(k, "x").statusCode()).isEqualTo(k.status());
        }
        IllegalStateException cause = new IllegalStateException("boom");
        OAuth2Exception e = new OAuth2Exception(OAuth2Exception.Kind.ACCESS_DENIED, "access\r\ndenied",
                "line\nbreak\u0000" + "y".repeat(1000), cause);
        assertThat(e.getCause()).isSameAs(cause);
        assertThat(e.error()).isEqualTo("access  denied");
        assertThat(e.description()).doesNotContain("\n", "\u0000").hasSize(303).endsWith("...");
        assertThat(e.logMessage()).startsWith("OAuth2 login failed (access_denied, access  denied): line break ")
                .doesNotContain("\n");
        assertThat(Map.of("k", e.kind().status())).containsEntry("k", 403);
    }
}
