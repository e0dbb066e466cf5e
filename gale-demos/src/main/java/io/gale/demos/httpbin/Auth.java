package io.gale.demos.httpbin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Authentication challenges: {@code /basic-auth/{user}/{passwd}} (401 with a Basic challenge
 * unless the credentials match), {@code /hidden-basic-auth/{user}/{passwd}} (404 instead of
 * 401), {@code /bearer} (any Bearer token). A malformed Authorization header counts as none.
 * Synchronous.
 */
final class Auth {
    private Auth() {
    }

    /** {@code GET /basic-auth/{user}/{passwd}}: {"authenticated": true, "user": user}. */
    public static final class Basic extends HttpBinHandler {
        public void get(String user, String passwd) {
            if (!matches(this, user, passwd)) {
                setStatus(401);
                setHeader("WWW-Authenticate", "Basic realm=\"Fake Realm\"");
                return;
            }
            write(authenticated("user", user));
        }
    }

    /** {@code GET /hidden-basic-auth/{user}/{passwd}}: as {@link Basic}, but 404 when not authorised. */
    public static final class HiddenBasic extends HttpBinHandler {
        public void get(String user, String passwd) {
            if (!matches(this, user, passwd)) {
                setStatus(404);
                return;
            }
            write(authenticated("user", user));
        }
    }

    /** {@code GET /bearer}: {"authenticated": true, "token": token}, else 401 with a Bearer challenge. */
    public static final class Bearer extends HttpBinHandler {
        public void get() {
            String token = credentials(this, "Bearer");
            if (token == null || token.isEmpty()) {
                setStatus(401);
                setHeader("WWW-Authenticate", "Bearer");
                return;
            }
            write(authenticated("token", token));
        }
    }

    private static Map<String, Object> authenticated(String key, String value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("authenticated", true);
        m.put(key, value);
        return m;
    }

    /** The credentials after {@code scheme} in the Authorization header, or null. */
    static String credentials(HttpBinHandler h, String scheme) {
        String auth = h.request().headers().get("Authorization");
        if (auth == null) {
            return null;
        }
        auth = auth.strip();
        if (auth.length() <= scheme.length() || !auth.regionMatches(true, 0, scheme, 0, scheme.length())
                || auth.charAt(scheme.length()) != ' ') {
            return null;
        }
        return auth.substring(scheme.length() + 1).strip();
    }

    /** Whether the request carries Basic credentials equal to {@code user:passwd} (constant-time compare). */
    static boolean matches(HttpBinHandler h, String user, String passwd) {
        String encoded = credentials(h, "Basic");
        if (encoded == null) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] expected = (user + ":" + passwd).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected);
    }
}
