package io.gale.demos.httpbin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /digest-auth/{qop}/{user}/{passwd}[/{algorithm}[/{stale_after}]]}: HTTP Digest
 * authentication (RFC 7616) as httpbin runs it. {@code qop} is {@code auth} or {@code auth-int}
 * (anything else offers both); {@code algorithm} is MD5 (the default, also for unknown names),
 * SHA-256 or SHA-512; {@code stale_after} (default {@code never}) is how many successful requests
 * a nonce survives before the challenge says {@code stale=TRUE}.
 *
 * <p>httpbin's state lives in cookies: every answer sets {@code fake=fake_value}; a challenge sets
 * {@code stale_after} (from the path) and, once credentials were seen, {@code last_nonce}; a client
 * that replays the nonce of {@code last_nonce}, or whose {@code stale_after} cookie reached 0,
 * gets a stale challenge; a success counts {@code stale_after} down. {@code ?require-cookie=1}
 * also demands that the client return the {@code fake} cookie (403 otherwise).
 *
 * <p>One difference from httpbin, on purpose: the username in the credentials must be the path's
 * user (httpbin hashes whatever username the client sent, so any name with the right password
 * passes). The {@code uri} the response hash covers is the request's path and query, whatever the
 * client wrote in {@code uri=}, as in httpbin. Synchronous; stateless apart from the random nonces.
 */
final class Digest {
    static final String REALM = "me@kennethreitz.com";
    private static final List<String> ALGORITHMS = List.of("MD5", "SHA-256", "SHA-512");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Digest() {
    }

    /** The handler, for the three route shapes (3, 4 or 5 path arguments). */
    public static final class Handler extends HttpBinHandler {
        public void get(String... args) {
            String qop = args[0].equals("auth") || args[0].equals("auth-int") ? args[0] : null;
            String user = args[1];
            String passwd = args[2];
            String algorithm = args.length > 3 && ALGORITHMS.contains(args[3]) ? args[3] : "MD5";
            String staleAfter = args.length > 4 ? args[4] : "never";
            boolean requireCookie = List.of("1", "t", "true")
                    .contains(getArgument("require-cookie", "").toLowerCase(Locale.ROOT));

            Map<String, String> credentials = parseCredentials(request().headers().get("Authorization"));
            if (credentials == null || requireCookie && request().headers().get("Cookie") == null) {
                challenge(qop, algorithm, false);
                setCookie("stale_after", staleAfter);
                setCookie("fake", "fake_value");
                return;
            }
            if (requireCookie && !"fake_value".equals(getCookie("fake"))) {
                setStatus(403);
                setCookie("fake", "fake_value");
                write(Map.of("errors", List.of("missing cookie set on challenge")));
                return;
            }
            String nonce = credentials.get("nonce");
            String staleCookie = getCookie("stale_after");
            if (nonce.equals(getCookie("last_nonce")) || "0".equals(staleCookie)) {
                challenge(qop, algorithm, true);
                setCookie("stale_after", staleAfter);
                setCookie("last_nonce", nonce);
                setCookie("fake", "fake_value");
                return;
            }
            if (!verify(credentials, user, passwd)) {
                challenge(qop, algorithm, false);
                setCookie("stale_after", staleAfter);
                setCookie("last_nonce", nonce);
                setCookie("fake", "fake_value");
                return;
            }
            setCookie("fake", "fake_value");
            if (staleCookie != null) {
                setCookie("stale_after", countDown(staleCookie));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("authenticated", true);
            body.put("user", user);
            write(body);
        }

        /** 401 with a fresh challenge. */
        private void challenge(String qop, String algorithm, boolean stale) {
            setStatus(401);
            String nonce = hash(algorithm, randomHex() + ":" + System.nanoTime());
            String opaque = hash(algorithm, randomHex());
            setHeader("WWW-Authenticate", "Digest realm=\"" + REALM + "\", nonce=\"" + nonce + "\", qop=\""
                    + (qop == null ? "auth, auth-int" : qop) + "\", opaque=\"" + opaque + "\", algorithm=" + algorithm
                    + ", stale=" + (stale ? "TRUE" : "FALSE"));
        }

        /** Whether the credentials' response is the one {@code user}/{@code passwd} give for this request. */
        private boolean verify(Map<String, String> c, String user, String passwd) {
            if (!user.equals(c.get("username"))) {
                return false;
            }
            String algorithm = c.getOrDefault("algorithm", "MD5");
            if (!ALGORITHMS.contains(algorithm)) {
                algorithm = "MD5"; // httpbin hashes with MD5 for any name it does not know
            }
            String uri = request().uri(); // path and query as received
            String qop = c.get("qop");
            String ha1 = hash(algorithm, user + ":" + c.getOrDefault("realm", "") + ":" + passwd);
            String ha2;
            if (qop == null || qop.equals("auth")) {
                ha2 = hash(algorithm, request().method() + ":" + uri);
            } else if (qop.equals("auth-int")) {
                ha2 = hash(algorithm, request().method() + ":" + uri + ":" + hash(algorithm, request().body()));
            } else {
                return false;
            }
            String expected;
            if (qop == null) {
                expected = hash(algorithm, ha1 + ":" + c.get("nonce") + ":" + ha2);
            } else {
                if (c.get("nc") == null || c.get("cnonce") == null) {
                    return false;
                }
                expected = hash(algorithm, ha1 + ":" + c.get("nonce") + ":" + c.get("nc") + ":" + c.get("cnonce")
                        + ":" + qop + ":" + ha2);
            }
            String given = c.get("response");
            return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    given.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** stale_after after one more success: one less, or {@code never} if it is not a number. */
    static String countDown(String staleAfter) {
        try {
            return Long.toString(Long.parseLong(staleAfter) - 1);
        } catch (NumberFormatException e) {
            return "never";
        }
    }

    /**
     * The parameters of a {@code Digest} Authorization header (names lower-cased, quoted-strings
     * unescaped), or null if it is not Digest or lacks username, realm, nonce, uri or response.
     */
    static Map<String, String> parseCredentials(String header) {
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Digest ", 0, 7)) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        String s = header;
        int i = 7;
        int n = s.length();
        while (i < n) {
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == ',')) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = s.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            i = eq + 1;
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && s.charAt(i) == '"') {
                i++;
                while (i < n && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    value.append(s.charAt(i++));
                }
                if (i >= n) {
                    return null; // unterminated quoted-string
                }
                i++;
            } else {
                while (i < n && s.charAt(i) != ',') {
                    value.append(s.charAt(i++));
                }
            }
            if (params.put(name, value.toString().strip()) != null) {
                return null; // a parameter twice: ambiguous
            }
        }
        for (String required : List.of("username", "realm", "nonce", "uri", "response")) {
            if (!params.containsKey(required)) {
                return null;
            }
        }
        return params;
    }

    static String hash(String algorithm, String text) {
        return hash(algorithm, text.getBytes(StandardCharsets.UTF_8));
    }

    static String hash(String algorithm, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from the JDK", e);
        }
    }

    private static String randomHex() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
