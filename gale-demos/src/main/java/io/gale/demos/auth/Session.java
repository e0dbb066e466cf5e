package io.gale.demos.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who is logged in: the provider's name and what it said about the user (the claims), kept
 * between requests in the signed session cookie {@value #COOKIE} as JSON, as Tornado's demos
 * keep their user (signed, not encrypted: the browser can read its own claims, not change them).
 * Tokens are not kept: the demo needs none after the login.
 *
 * <p>Limit: browsers keep cookies up to about 4 KB, and the signature and base64 add a third, so
 * the JSON is at most {@value #MAX_JSON_BYTES} bytes; a provider that says more loses its largest
 * claims (their names are kept in {@link #omitted()} and shown), never {@code sub} or {@code iss}.
 * Immutable.
 *
 * @param provider the login's provider ({@link LoginProvider#name()}: {@code oidc}, {@code github})
 * @param claims the claims, by name (JSON values as Jackson reads them)
 * @param omitted names of claims left out for size
 */
record Session(String provider, Map<String, JsonNode> claims, List<String> omitted) {
    /** The session cookie's name. */
    static final String COOKIE = "authdemo_user";
    /** The largest session JSON kept in the cookie. */
    static final int MAX_JSON_BYTES = 2800;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Claims that name the user and are never dropped for size. */
    private static final List<String> KEPT = List.of("sub", "iss", "id", "login");
    /** Claims that say who the user is, in the order a page prefers them. */
    private static final List<String> NAMES = List.of("name", "preferred_username", "login", "email", "sub", "id");

    Session {
        claims = java.util.Collections.unmodifiableMap(new TreeMap<>(claims));
        omitted = List.copyOf(omitted);
    }

    /** The session for a user who just logged in: all their claims, or as many as fit. */
    static Session of(String provider, Map<String, Object> claims) {
        Map<String, JsonNode> all = new TreeMap<>();
        claims.forEach((name, value) -> all.put(name, JSON.valueToTree(value)));
        all.remove("nonce"); // the login's, checked and spent
        List<String> omitted = new ArrayList<>();
        Session s = new Session(provider, all, omitted);
        while (s.json().getBytes(StandardCharsets.UTF_8).length > MAX_JSON_BYTES) {
            String largest = all.entrySet().stream().filter(e -> !KEPT.contains(e.getKey()))
                    .max(Comparator.comparingInt(e -> e.getValue().toString().length()))
                    .map(Map.Entry::getKey).orElseThrow(() -> new IllegalStateException("sub and iss alone are too large"));
            all.remove(largest);
            omitted.add(largest);
            omitted.sort(null);
            s = new Session(provider, all, omitted);
        }
        return s;
    }

    /** The cookie's JSON: {@code {"provider": ..., "claims": {...}, "omitted": [...]}}. */
    String json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("provider", provider);
        root.set("claims", JSON.valueToTree(claims));
        root.set("omitted", JSON.valueToTree(omitted));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree of plain values always writes
        }
    }

    /** The session in {@code json} (the signature already checked), or null if it is not one. */
    static Session parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(json);
            JsonNode claims = root.path("claims");
            if (!root.path("provider").isTextual() || !claims.isObject()) {
                return null;
            }
            Map<String, JsonNode> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = claims.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                map.put(e.getKey(), e.getValue());
            }
            List<String> omitted = new ArrayList<>();
            root.path("omitted").forEach(n -> omitted.add(n.asText()));
            return new Session(root.get("provider").asText(), map, omitted);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** How to call the user: their name, else user name, login, email or subject. */
    String displayName() {
        for (String claim : NAMES) {
            JsonNode v = claims.get(claim);
            if (v != null && (v.isTextual() && !v.asText().isBlank() || v.isNumber())) {
                return v.asText();
            }
        }
        return "(no name)";
    }

    /**
     * {@link #displayName()} (subject) for a log line: control characters (a line break in a name
     * typed into a provider's form would forge log lines) become spaces, at most 100 characters.
     */
    String forLog() {
        String text = displayName() + " (" + subject() + ")";
        StringBuilder b = new StringBuilder(Math.min(text.length(), 100));
        text.codePoints().limit(100).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return b.toString();
    }

    /** The subject: the ID token's {@code sub}, or GitHub's numeric {@code id}. */
    String subject() {
        JsonNode sub = claims.containsKey("sub") ? claims.get("sub") : claims.get("id");
        return sub == null ? null : sub.asText();
    }
}
