package io.gale.demos.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The session cookie's JSON in memory: a round trip, the size bound (largest claims left out and
 * named, {@code sub} and {@code iss} kept), malformed texts, names for pages and logs, and the
 * claims table's rows.
 */
@Timeout(30)
class SessionTest {
    @Test
    void roundTripWithoutTheNonce() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "alice");
        claims.put("nonce", "n-0S6_WzA2Mj");
        claims.put("exp", 1_800_000_000L);
        claims.put("groups", List.of("a", "b"));
        claims.put("address", Map.of("country", "NO"));
        claims.put("middle_name", null);
        Session s = Session.of("oidc", claims);
        assertThat(s.claims()).containsOnlyKeys("sub", "exp", "groups", "address", "middle_name");
        Session back = Session.parse(s.json());
        assertThat(back.json()).isEqualTo(s.json());
        assertThat(back.provider()).isEqualTo("oidc");
        assertThat(back.claims().get("exp").asLong()).isEqualTo(1_800_000_000L);
        assertThat(back.claims().get("middle_name").isNull()).isTrue();
        assertThat(back.omitted()).isEmpty();
    }

    @Test
    void tooManyClaimsLoseTheLargestFirstButNeverSubOrIss() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "s".repeat(300));
        claims.put("iss", "https://issuer.example/" + "i".repeat(300));
        claims.put("email", "bob@example.org");
        claims.put("groups", List.of("g".repeat(1500)));
        claims.put("picture", "https://pictures.example/" + "p".repeat(1200));
        claims.put("bio", "b".repeat(900));
        Session s = Session.of("oidc", claims);
        assertThat(s.json().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(Session.MAX_JSON_BYTES);
        assertThat(s.omitted()).containsExactly("groups", "picture");
        assertThat(s.claims()).containsKeys("sub", "iss", "email", "bio");
        assertThat(Session.parse(s.json()).omitted()).containsExactly("groups", "picture");
    }

    @Test
    void malformedSessionsAreNone() {
        assertThat(Session.parse(null)).isNull();
        assertThat(Session.parse("")).isNull();
        assertThat(Session.parse("not json")).isNull();
        assertThat(Session.parse("[]")).isNull();
        assertThat(Session.parse("{\"provider\":1,\"claims\":{}}")).isNull();
        assertThat(Session.parse("{\"provider\":\"oidc\",\"claims\":[]}")).isNull();
        assertThat(Session.parse("{\"provider\":\"oidc\",\"claims\":{\"sub\":\"x\"}}").omitted()).isEmpty();
    }

    @Test
    void namesForPagesAndLogs() {
        assertThat(Session.of("oidc", Map.of("sub", "s1", "email", "e@x", "name", "Eve")).displayName()).isEqualTo("Eve");
        assertThat(Session.of("oidc", Map.of("sub", "s1", "email", "e@x", "name", " ")).displayName()).isEqualTo("e@x");
        assertThat(Session.of("github", Map.of("id", 583231L, "login", "octocat")).displayName()).isEqualTo("octocat");
        assertThat(Session.of("github", Map.of("id", 583231L)).subject()).isEqualTo("583231");
        assertThat(Session.of("oidc", Map.of()).displayName()).isEqualTo("(no name)");
        Session forged = Session.of("oidc", Map.of("sub", "x", "name", "Eve\n[I 261206 12:00:00 auth] admin logged in\r"));
        assertThat(forged.forLog()).isEqualTo("Eve [I 261206 12:00:00 auth] admin logged in  (x)").doesNotContain("\n", "\r");
        assertThat(Session.of("oidc", Map.of("sub", "x", "name", "n".repeat(500))).forLog()).hasSize(100);
    }

    @Test
    void claimRowsShowTimesAndJson() {
        Session s = Session.of("oidc", Map.of("exp", 1_800_000_000L, "iat", "not a number", "groups", List.of("a"),
                "auth_time", Long.MAX_VALUE, "email_verified", true));
        List<Map<String, String>> rows = Claims.rows(s.claims());
        assertThat(rows).extracting(r -> r.get("name")).containsExactly("auth_time", "email_verified", "exp", "groups", "iat");
        assertThat(rows.get(0).get("time")).isNull(); // beyond what Instant holds
        assertThat(rows.get(1).get("value")).isEqualTo("true");
        assertThat(rows.get(2).get("time")).isEqualTo("2027-01-15T08:00:00Z");
        assertThat(rows.get(3).get("value")).isEqualTo("[\"a\"]");
        assertThat(rows.get(4)).containsEntry("value", "not a number").containsEntry("time", null);
    }
}
