package io.gale.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OpenID provider's discovery document ({@code /.well-known/openid-configuration}, OpenID
 * Connect Discovery 1.0 section 3), as {@link OidcClient} checked it: the {@code issuer} is
 * exactly the one configured (section 4.3: a document naming another issuer is refused, so a
 * compromised or confused host cannot speak for another provider), the endpoints Gale calls
 * are absolute https URLs (http only on a loopback host), {@code code} is among the response
 * types if they are listed.
 *
 * @param issuer the issuer identifier, as in the ID tokens' {@code iss}
 * @param authorizationEndpoint where browsers are sent to log in
 * @param tokenEndpoint where codes are exchanged
 * @param userinfoEndpoint the userinfo endpoint, or null
 * @param jwksUri the provider's signing keys
 * @param endSessionEndpoint RP-initiated logout, or null
 * @param idTokenSigningAlgValuesSupported the ID token algorithms listed (may be empty)
 * @param tokenEndpointAuthMethodsSupported the client authentication methods listed (empty:
 *     {@code client_secret_basic} only, the specification's default)
 * @param fields every field of the document
 */
public record OidcProviderMetadata(String issuer, String authorizationEndpoint, String tokenEndpoint,
                                   String userinfoEndpoint, String jwksUri, String endSessionEndpoint,
                                   List<String> idTokenSigningAlgValuesSupported,
                                   List<String> tokenEndpointAuthMethodsSupported, Map<String, Object> fields) {

    /**
     * Creates an {@code OidcProviderMetadata}; its components are described in the class comment.
     */
    public OidcProviderMetadata {
        idTokenSigningAlgValuesSupported = List.copyOf(idTokenSigningAlgValuesSupported);
        tokenEndpointAuthMethodsSupported = List.copyOf(tokenEndpointAuthMethodsSupported);
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The discovery URL of {@code issuer}: a trailing {@code /} removed, then the well-known path. */
    static String discoveryUrl(String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return base + "/.well-known/openid-configuration";
    }

    /**
     * The document in {@code json}, checked against {@code expectedIssuer}.
     *
     * @throws OAuth2Exception ({@link OAuth2Exception.Kind#INVALID_RESPONSE}) naming what is wrong
     */
    static OidcProviderMetadata parse(JsonNode json, String expectedIssuer) {
        String issuer = json.path("issuer").isTextual() ? json.get("issuer").asText() : null;
        if (!expectedIssuer.equals(issuer)) {
            throw invalid("the discovery document names issuer " + issuer + ", not " + expectedIssuer);
        }
        List<String> responseTypes = strings(json, "response_types_supported");
        if (!responseTypes.isEmpty() && !responseTypes.contains("code")) {
            throw invalid("the provider does not support the authorization code flow: response_types_supported "
                    + responseTypes);
        }
        return new OidcProviderMetadata(issuer, endpoint(json, "authorization_endpoint", true),
                endpoint(json, "token_endpoint", true), endpoint(json, "userinfo_endpoint", false),
                endpoint(json, "jwks_uri", true), endpoint(json, "end_session_endpoint", false),
                strings(json, "id_token_signing_alg_values_supported"),
                strings(json, "token_endpoint_auth_methods_supported"), AuthHttp.toMap(json));
    }

    private static String endpoint(JsonNode json, String name, boolean required) {
        JsonNode n = json.get(name);
        if (n == null || n.isNull()) {
            if (required) {
                throw invalid("the discovery document has no " + name);
            }
            return null;
        }
        if (!n.isTextual()) {
            throw invalid("the discovery document's " + name + " is not a string");
        }
        String url = n.asText();
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw invalid("the discovery document's " + name + " is not a URL: " + url);
        }
        if (!uri.isAbsolute() || !ClientRegistration.isSecureUrl(uri)) {
            throw invalid("the discovery document's " + name + " is not an https URL: " + url);
        }
        return url;
    }

    private static List<String> strings(JsonNode json, String name) {
        JsonNode n = json.get(name);
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            for (JsonNode v : n) {
                if (v.isTextual()) {
                    out.add(v.asText());
                }
            }
        }
        return out;
    }

    private static OAuth2Exception invalid(String detail) {
        return new OAuth2Exception(OAuth2Exception.Kind.INVALID_RESPONSE, detail);
    }
}
