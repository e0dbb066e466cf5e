package io.gale.demos.auth;

import java.util.List;
import java.util.Map;

/**
 * What the pages show about the demo's set-up: the ways to log in, and the local provider's
 * issuer when the demo started one. Immutable; made once the port is known (the redirect URIs
 * name it).
 *
 * @param logins the providers offered, in the order of their buttons
 * @param localIssuer the local provider's issuer URL, or null when providers were configured
 */
record Site(List<LoginProvider> logins, String localIssuer) {
    Site {
        logins = List.copyOf(logins);
    }

    /** The login buttons for templates: {@code label} and {@code url} (the absolute login URL) of each provider. */
    List<Map<String, String>> buttons() {
        return logins.stream().map(p -> Map.of("label", p.label(), "url", p.redirectUri(), "name", p.name())).toList();
    }

    /** The provider named {@code name} ({@link LoginProvider#name()}), or null. */
    LoginProvider login(String name) {
        for (LoginProvider p : logins) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }
}
