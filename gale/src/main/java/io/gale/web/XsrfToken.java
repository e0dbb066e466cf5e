package io.gale.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * An XSRF token in Tornado's formats, as the {@code _xsrf} cookie, form field and headers carry
 * it: the codec behind {@link XsrfProtection}.
 *
 * <p>Formats. Version 2 (written): {@code 2|<mask hex>|<masked token hex>|<timestamp>}, the
 * token XOR-ed with a 4-byte mask repeated (as a WebSocket payload is masked), the timestamp in
 * seconds since the epoch (informational: nothing expires by it, as in Tornado). A fresh mask per
 * page makes the text differ on every response although the secret token stays the same, so a
 * compressed page leaks nothing about it (BREACH). Version 1 (read only): the token as hex, or, if
 * the text is not hex, its bytes as they are, exactly as Tornado reads old cookies. Any other
 * leading {@code <number>|} is an unknown version and not a token.
 *
 * <p>Limits: a token text longer than {@value #MAX_LENGTH} characters, or a token longer than
 * {@value #MAX_TOKEN_BYTES} bytes, is not a token (generated tokens are 16 bytes, 55 characters
 * masked, as Tornado's); so every token read re-masks to a text that is read back. A version-2
 * mask must be exactly 4 bytes (Tornado 6.2's C masking reads a shorter one past its end) and the
 * timestamp at most 18 digits; an empty token is not a token.
 *
 * <p>Failure behaviour: {@link #decode} answers null for anything that is not a token, never
 * throws. Immutable and thread-safe.
 */
final class XsrfToken {
    /** Bytes of a generated token: 16, as Tornado. */
    static final int TOKEN_BYTES = 16;
    /** Longest token text decoded. */
    static final int MAX_LENGTH = 256;
    /** Longest token decoded (a version-1 text that is not hex is its UTF-8 bytes, up to 3 per character). */
    static final int MAX_TOKEN_BYTES = 64;

    private static final int MASK_BYTES = 4;
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int version;
    private final byte[] token;
    private final long timestamp;

    private XsrfToken(int version, byte[] token, long timestamp) {
        this.version = version;
        this.token = token;
        this.timestamp = timestamp;
    }

    /** A new random token, stamped {@code epochSecond}. */
    static XsrfToken generate(long epochSecond) {
        byte[] token = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(token);
        return new XsrfToken(2, token, epochSecond);
    }

    /** A token with known parts (tests, interop). */
    static XsrfToken of(byte[] token, long epochSecond) {
        return new XsrfToken(2, token.clone(), epochSecond);
    }

    /** The format the token was read in (1 or 2; 2 for a generated one). */
    int version() {
        return version;
    }

    /** The secret token bytes (a copy). */
    byte[] token() {
        return token.clone();
    }

    long timestamp() {
        return timestamp;
    }

    /** Whether both carry the same secret token, compared in constant time. */
    boolean sameToken(XsrfToken other) {
        return MessageDigest.isEqual(token, other.token);
    }

    /** The version-2 text under a fresh random mask. */
    String masked() {
        byte[] mask = new byte[MASK_BYTES];
        RANDOM.nextBytes(mask);
        return masked(mask);
    }

    /** The version-2 text under {@code mask} (4 bytes). */
    String masked(byte[] mask) {
        if (mask.length != MASK_BYTES) {
            throw new IllegalArgumentException("mask must be " + MASK_BYTES + " bytes");
        }
        return "2|" + HEX.formatHex(mask) + '|' + HEX.formatHex(xor(token, mask)) + '|' + timestamp;
    }

    /** The version-1 text: the token as hex. */
    String v1() {
        return HEX.formatHex(token);
    }

    /**
     * Reads a token text (a cookie, form field or header value), or null if it is not one.
     * {@code nowEpochSecond} stamps version-1 tokens, which carry no time.
     */
    static XsrfToken decode(String text, long nowEpochSecond) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return null;
        }
        int digits = 0;
        while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
            digits++;
        }
        boolean versioned = digits > 0 && text.charAt(0) != '0' && digits < text.length() && text.charAt(digits) == '|';
        if (!versioned) {
            byte[] token = isHex(text, 0, text.length()) ? HEX.parseHex(text) : text.getBytes(StandardCharsets.UTF_8);
            return token.length == 0 || token.length > MAX_TOKEN_BYTES ? null : new XsrfToken(1, token, nowEpochSecond);
        }
        if (digits != 1 || text.charAt(0) != '2') {
            return null; // an unknown version is no token, as in Tornado
        }
        int bar2 = text.indexOf('|', 2);
        int bar3 = bar2 < 0 ? -1 : text.indexOf('|', bar2 + 1);
        if (bar3 < 0 || text.indexOf('|', bar3 + 1) >= 0 || bar2 - 2 != 2 * MASK_BYTES || !isHex(text, 2, bar2)
                || bar3 - bar2 - 1 < 2 || bar3 - bar2 - 1 > 2 * MAX_TOKEN_BYTES || !isHex(text, bar2 + 1, bar3)) {
            return null;
        }
        long timestamp = 0;
        int tsLength = text.length() - bar3 - 1;
        if (tsLength < 1 || tsLength > 18) {
            return null;
        }
        for (int i = bar3 + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            timestamp = timestamp * 10 + (c - '0');
        }
        byte[] mask = HEX.parseHex(text, 2, bar2);
        byte[] token = xor(HEX.parseHex(text, bar2 + 1, bar3), mask);
        return new XsrfToken(2, token, timestamp);
    }

    /** Whether {@code s[from, to)} is whole bytes of hex digits (either case), as binascii.a2b_hex accepts. */
    private static boolean isHex(String s, int from, int to) {
        if ((to - from) % 2 != 0) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    private static byte[] xor(byte[] data, byte[] mask) {
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = (byte) (data[i] ^ mask[i % MASK_BYTES]);
        }
        return out;
    }
}
