package io.gale.demos.blog;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashing with the JDK's PBKDF2 (HMAC-SHA256), no library needed: a random 16-byte salt
 * per password, {@value #DEFAULT_ITERATIONS} iterations by default (OWASP's 2023 figure for
 * PBKDF2-HMAC-SHA256), a 32-byte key. Encoded as {@code pbkdf2_sha256$ITERATIONS$SALT$KEY} (Base64),
 * so a hash keeps its own iteration count and a later raise of the default still verifies old ones.
 * Comparison is constant-time.
 *
 * <p>Cost: one hash is about a quarter to half a second of CPU here, on purpose. It runs on the
 * request's virtual thread (never an event loop). A login for an unknown address hashes too
 * ({@link #verifyNothing}), so the answer's timing does not tell which addresses exist.
 *
 * <p>Thread-safe (a {@code SecretKeyFactory} per call).
 */
final class Passwords {
    static final int DEFAULT_ITERATIONS = 600_000;
    private static final String PREFIX = "pbkdf2_sha256";
    private static final int SALT_BYTES = 16;
    private static final int KEY_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;
    /** A hash to check unknown addresses against, made on first need (start-up stays quick). */
    private volatile String dummy;

    /** Hashes with {@code iterations} rounds (the default: {@link #DEFAULT_ITERATIONS}). */
    Passwords(int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations: " + iterations);
        }
        this.iterations = iterations;
    }

    /** {@code password} hashed with a new salt, encoded. */
    String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(password, salt, iterations));
    }

    /** Whether {@code password} matches {@code encoded} (false for anything not made by {@link #hash}). */
    boolean verify(String password, String encoded) {
        String[] parts = encoded.split("\\$");
        if (parts.length != 4 || !parts[0].equals(PREFIX)) {
            return false;
        }
        try {
            int n = Integer.parseInt(parts[1]);
            if (n < 1 || n > 10_000_000) {
                return false;
            }
            Base64.Decoder b64 = Base64.getDecoder();
            byte[] salt = b64.decode(parts[2]);
            byte[] expected = b64.decode(parts[3]);
            return MessageDigest.isEqual(derive(password, salt, n), expected);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Spends what {@link #verify} spends, for a login whose address is unknown. */
    void verifyNothing(String password) {
        String d = dummy;
        if (d == null) {
            d = hash("not a password");
            dummy = d;
        }
        verify(password, d);
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        // PBEKeySpec takes chars; PBKDF2WithHmacSHA256 uses their UTF-8 bytes, so every
        // password, non-ASCII included, hashes as its UTF-8 encoding.
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
