package io.gale.httpclient;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP Digest authentication (RFC 7616) for one challenge: MD5 or SHA-256 (and their
 * {@code -sess} variants), {@code qop=auth} or no qop. {@code auth-int} and {@code userhash} are
 * not supported (the challenge is then not answered). Stateless apart from the random cnonce.
 */
final class DigestAuth {
    /**
     * One auth-param: a name, then a quoted-string (group 2, with its quoted pairs) or a token
     * (group 3). The quoted-string is written as runs of plain characters between quoted pairs,
     * every repetition possessive: java.util.regex recurses once per repetition of a group, so
     * the plain {@code (?:[^"\\]|\\.)*} recursed once per character and a server's challenge
     * with a few thousand characters in quotes overflowed the client thread's stack. This form
     * matches the same strings and does not recurse per character (200,000 quoted pairs match
     * within a 512 KB stack).
     */
    private static final Pattern PARAM =
            Pattern.compile("([A-Za-z0-9_-]+)\\s*=\\s*(?:\"([^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+)\"|([^,\\s]*))");
    private static final SecureRandom RANDOM = new SecureRandom();

    private DigestAuth() {
    }

    /** Whether a {@code WWW-Authenticate} value is a Digest challenge. */
    static boolean isDigest(String challenge) {
        return challenge != null && challenge.regionMatches(true, 0, "Digest ", 0, 7);
    }

    /**
     * The {@code Authorization} value answering {@code challenge} for a request, or null if the
     * challenge cannot be answered (unknown algorithm, no nonce, only auth-int).
     */
    static String authorize(String challenge, String method, String uri, String user, String password) {
        Map<String, String> p = new HashMap<>();
        Matcher m = PARAM.matcher(challenge.substring(7));
        while (m.find()) {
            String v = m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3);
            p.put(m.group(1).toLowerCase(Locale.ROOT), v);
        }
        String realm = p.getOrDefault("realm", "");
        String nonce = p.get("nonce");
        String algorithm = p.getOrDefault("algorithm", "MD5");
        boolean sess = algorithm.toUpperCase(Locale.ROOT).endsWith("-SESS");
        String base = sess ? algorithm.substring(0, algorithm.length() - 5) : algorithm;
        String digestName = switch (base.toUpperCase(Locale.ROOT)) {
            case "MD5" -> "MD5";
            case "SHA-256" -> "SHA-256";
            default -> null;
        };
        String qopOffered = p.get("qop");
        boolean qopAuth = false;
        if (qopOffered != null) {
            for (String q : qopOffered.split(",")) {
                qopAuth |= q.trim().equalsIgnoreCase("auth");
            }
            if (!qopAuth) {
                return null; // only auth-int offered
            }
        }
        if (nonce == null || digestName == null) {
            return null;
        }
        String cnonce = HexFormat.of().formatHex(nextBytes(8));
        String nc = "00000001";
        String ha1 = h(digestName, user + ":" + realm + ":" + password);
        if (sess) {
            ha1 = h(digestName, ha1 + ":" + nonce + ":" + cnonce);
        }
        String ha2 = h(digestName, method + ":" + uri);
        String response = qopAuth
                ? h(digestName, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2)
                : h(digestName, ha1 + ":" + nonce + ":" + ha2);
        StringBuilder sb = new StringBuilder("Digest username=").append(quote(user)).append(", realm=")
                .append(quote(realm)).append(", nonce=").append(quote(nonce)).append(", uri=").append(quote(uri))
                .append(", algorithm=").append(algorithm).append(", response=\"").append(response).append('"');
        if (qopAuth) {
            sb.append(", qop=auth, nc=").append(nc).append(", cnonce=\"").append(cnonce).append('"');
        }
        if (p.containsKey("opaque")) {
            sb.append(", opaque=").append(quote(p.get("opaque")));
        }
        return sb.toString();
    }

    /** Random bytes for the cnonce (generateSeed would draw on the OS entropy source, which can block). */
    private static byte[] nextBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String h(String algorithm, String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " missing from the JDK", e);
        }
    }
}
