package io.gale.websocket;

import io.gale.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The opening handshake's rules (RFC 6455 4.2.1 and 4.1): request validation for the server,
 * the accept value, the key for the client, subprotocol lists. Stateless.
 */
final class Handshake {
    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    static final String VERSION = "13";

    /** Why a request is not a valid upgrade: the status and the body to answer with. */
    record Rejection(int status, String reason) {
    }

    private Handshake() {
    }

    /** Sec-WebSocket-Accept for {@code key}: base64(SHA-1(key + GUID)). */
    static String acceptValue(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the JDK", e);
        }
    }

    /**
     * Checks an upgrade request (except the origin, which is the handler's policy).
     *
     * @return null if valid; else 400 with the reason, or 426 for an unsupported version (the
     *     caller adds {@code Sec-WebSocket-Version: 13})
     */
    static Rejection validate(String method, HttpHeaders headers) {
        if (!"GET".equals(method)) {
            return new Rejection(400, "WebSocket upgrade needs a GET request");
        }
        if (!headers.containsValue("Upgrade", "websocket", true)) {
            return new Rejection(400, "Can \"Upgrade\" only to \"WebSocket\".");
        }
        if (!headers.containsValue("Connection", "upgrade", true)) {
            return new Rejection(400, "\"Connection\" must be \"Upgrade\".");
        }
        Rejection version = checkVersion(headers);
        if (version != null) {
            return version;
        }
        if (!validKey(headers.getAll("Sec-WebSocket-Key"))) {
            return new Rejection(400, "Missing/Invalid WebSocket headers: Sec-WebSocket-Key");
        }
        return null;
    }

    /**
     * Checks an HTTP/2 extended CONNECT (RFC 8441 section 5) whose {@code :protocol} is
     * {@code protocol}: the method, {@code :scheme}, {@code :path} and {@code :authority} were
     * checked by the HTTP/2 layer; here the protocol must be {@code websocket} and the version
     * 13. There is no {@code Sec-WebSocket-Key} (the stream is the proof of intent).
     *
     * @return null if valid, else the rejection as {@link #validate} gives it
     */
    static Rejection validateExtendedConnect(String protocol, HttpHeaders headers) {
        if (!"websocket".equalsIgnoreCase(protocol)) {
            return new Rejection(400, "Can \"Upgrade\" only to \"WebSocket\".");
        }
        return checkVersion(headers);
    }

    private static Rejection checkVersion(HttpHeaders headers) {
        List<String> versions = headers.getAll("Sec-WebSocket-Version");
        if (versions.isEmpty()) {
            return new Rejection(400, "Missing/Invalid WebSocket headers: no Sec-WebSocket-Version");
        }
        if (versions.size() != 1 || !VERSION.equals(versions.get(0).trim())) {
            return new Rejection(426, "Unsupported WebSocket version");
        }
        return null;
    }

    private static boolean validKey(List<String> keys) {
        if (keys.size() != 1) {
            return false;
        }
        String key = keys.get(0).trim();
        if (key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The subprotocols a client offers, in its order of preference. */
    static List<String> subprotocols(HttpHeaders headers) {
        List<String> out = new ArrayList<>();
        for (String value : headers.getAll("Sec-WebSocket-Protocol")) {
            for (String p : value.split(",")) {
                String t = p.trim();
                if (!t.isEmpty()) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    /** A fresh random Sec-WebSocket-Key (16 random bytes, base64). */
    static String newKey(java.security.SecureRandom random) {
        byte[] k = new byte[16];
        random.nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }
}
