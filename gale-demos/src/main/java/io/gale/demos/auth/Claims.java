package io.gale.demos.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Claims as the home page's table shows them: one row per claim, in name order, with strings as
 * they are, other values as JSON, and the times of the standard time claims (seconds since
 * 1970) written out in UTC. The template escapes every value.
 */
final class Claims {
    /** OpenID Connect Core's and JWT's claims that are times in seconds. */
    private static final Set<String> TIMES = Set.of("exp", "iat", "nbf", "auth_time", "updated_at");

    private Claims() {
    }

    /** Rows {@code {name, value, time}} ({@code time} null unless the claim is a time). */
    static List<Map<String, String>> rows(Map<String, JsonNode> claims) {
        List<Map<String, String>> rows = new ArrayList<>(claims.size());
        claims.forEach((name, value) -> {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("name", name);
            row.put("value", value.isTextual() ? value.asText() : value.toString());
            row.put("time", TIMES.contains(name) ? time(value) : null);
            rows.add(row);
        });
        return rows;
    }

    private static String time(JsonNode seconds) {
        if (!seconds.isIntegralNumber() || !seconds.canConvertToLong()) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(seconds.asLong()).toString();
        } catch (DateTimeException e) {
            return null; // beyond the year 1,000,000,000
        }
    }
}
