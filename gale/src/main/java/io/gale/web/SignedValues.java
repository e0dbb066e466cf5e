package io.gale.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies values so that a client can carry them without being able to forge them
 * (Tornado's {@code create_signed_value} / {@code decode_signed_value}): the signed cookies of
 * {@link RequestHandler#setSignedCookie(String, String)}, and any token that travels through
 * untrusted hands. Values are bytes (any bytes); the String overloads use UTF-8.
 *
 * <pre>{@code
 * SignedValues signer = SignedValues.of(secret);                 // one key, at least 32 bytes
 * String token = signer.createSignedValue("user", "ann");        // 2|1:0|10:1700000000|4:user|4:YW5u|5f3a...
 * String user = signer.decodeSignedString("user", token);        // "ann", or null
 *
 * // key rotation: sign with version 2, still accept values signed with version 1
 * SignedValues rotating = SignedValues.of(Map.of(1, oldSecret, 2, newSecret), 2);
 * }</pre>
 *
 * <p>Wire format (Tornado's, so that a Tornado service and a Gale service sharing the secret read
 * each other's values). Version 2, the one created by default:
 * {@code 2|<len>:<key version>|<len>:<timestamp>|<len>:<name>|<len>:<base64 value>|<signature>}, every
 * {@code <len>} the decimal byte length of the field after it, the timestamp in seconds since the
 * epoch, the signature the lowercase hex HMAC-SHA256 of everything before it (the last {@code |}
 * included). Version 1 (Tornado before 3.2.1, read when {@code minVersion} allows, created only on
 * request): {@code <base64 value>|<timestamp>|<hex HMAC-SHA1 of name, value and timestamp>}; it
 * cannot name a key version, so it works with a single secret only. A value is version 2 if it
 * starts with {@code 2|}; a leading decimal number below 1000 followed by {@code |} names another
 * version (unsupported: null); anything else is read as version 1, as Tornado decides.
 *
 * <p>Failure behaviour: a decode never throws for any input. A value that is malformed, signed
 * with another key (or an unknown key version), made for another name, expired, dated in the
 * future, or older than {@code minVersion} gives {@code null}. Signatures are compared in
 * constant time ({@link MessageDigest#isEqual}). Gale parses more strictly than Tornado (numbers
 * are plain decimal digits, base64 must be canonical), which only matters for values no signer
 * produces.
 *
 * <p>Limits:
 * <table>
 *   <caption>What a signed value may be</caption>
 *   <tr><th>Limit</th><th>Value</th><th>Why</th><th>Exceeded</th></tr>
 *   <tr><td>secret length</td><td>at least {@value #MIN_SECRET_BYTES} bytes (UTF-8) each</td>
 *       <td>the key size of HMAC-SHA256; Tornado has no minimum</td>
 *       <td>{@link IllegalArgumentException} when built (application start-up)</td></tr>
 *   <tr><td>key version</td><td>0 to 999,999,999</td><td>nine decimal digits, an {@code int}</td>
 *       <td>{@link IllegalArgumentException} when built; null when decoding</td></tr>
 *   <tr><td>field length prefix</td><td>at most 9 digits, inside the value</td>
 *       <td>no arithmetic overflow; no allocation beyond the input</td><td>null</td></tr>
 *   <tr><td>timestamp</td><td>at most 18 digits</td><td>fits a {@code long}</td><td>null</td></tr>
 *   <tr><td>age</td><td>{@code maxAgeDays} (default {@value #DEFAULT_MAX_AGE_DAYS})</td>
 *       <td>Tornado's {@code max_age_days}</td><td>null</td></tr>
 *   <tr><td>timestamp in the future</td><td>at most {@link #MAX_CLOCK_SKEW} (5 minutes)</td>
 *       <td>servers sharing a secret have synchronised clocks; a later date would stretch the
 *       value's life past {@code maxAgeDays}. Tornado checks version 1 only, with 31 days</td>
 *       <td>null</td></tr>
 *   <tr><td>value size</td><td>none of its own</td><td>work is linear in the input (one HMAC
 *       pass, one base64 decode); cookies are bounded by the server's header limits</td>
 *       <td>-</td></tr>
 * </table>
 *
 * <p>Threading: immutable and thread-safe; every call uses its own {@link Mac}.
 */
public final class SignedValues {
    /** The shortest secret accepted, in bytes: 32, the key size of HMAC-SHA256. */
    public static final int MIN_SECRET_BYTES = 32;

    /** Tornado's default {@code max_age_days}: 31. */
    public static final double DEFAULT_MAX_AGE_DAYS = 31;

    /** The version created unless another is asked for: 2. */
    public static final int DEFAULT_VERSION = 2;

    /** The oldest version accepted unless told otherwise: 1, as Tornado. */
    public static final int DEFAULT_MIN_VERSION = 1;

    /** How far in the future a timestamp may be (clock skew between signers): 5 minutes. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private static final int MAX_KEY_VERSION = 999_999_999;
    private static final int MAX_LENGTH_DIGITS = 9;
    private static final int MAX_TIMESTAMP_DIGITS = 18;
    private static final HexFormat HEX = HexFormat.of();

    /** The secret values are signed with, and its version (0 without versions). */
    private final Key signingKey;
    /** Every key by version; null with a single secret, which accepts any key version. */
    private final Map<Integer, Key> keys;
    private final InstantSource clock;

    private SignedValues(Key signingKey, Map<Integer, Key> keys, InstantSource clock) {
        this.signingKey = signingKey;
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * A signer with one secret (Tornado's {@code cookie_secret} as a string): the key version
     * field is written as 0 and ignored when reading.
     *
     * @param secret the secret
     * @return a signer with one secret (Tornado's {@code cookie_secret} as a string): the key version field is written as 0 and ignored when reading
     * @throws IllegalArgumentException if the secret is shorter than {@value #MIN_SECRET_BYTES} bytes in UTF-8
     */
    public static SignedValues of(String secret) {
        return of(utf8(Objects.requireNonNull(secret, "secret")));
    }

    /**
     * As {@link #of(String)}, with the secret's bytes (a Tornado {@code bytes} secret).
     *
     * @param secret the secret
     * @return the result (see {@link #of(String)})
     */
    public static SignedValues of(byte[] secret) {
        Key key = new Key(0, checkSecret("cookieSecret", secret));
        return new SignedValues(key, null, InstantSource.system());
    }

    /**
     * A signer with versioned secrets (Tornado's {@code cookie_secret} dict with
     * {@code key_version}): values are signed with {@code keyVersion}'s secret and carry that
     * version; a value is read with the secret of the version it names. Rotate by adding a new
     * version and signing with it, and drop the old one when its values have expired.
     *
     * @param secrets the secrets by key version
     * @param keyVersion the key version
     * @return a signer with versioned secrets (Tornado's {@code cookie_secret} dict with {@code key_version}): values are signed with {@code keyVersion}'s secret and carry that version; a value is read with the secret of the version it names
     * @throws IllegalArgumentException if a secret is too short, a version is outside 0 to
     *     999,999,999, or {@code keyVersion} has no secret
     */
    public static SignedValues of(Map<Integer, String> secrets, int keyVersion) {
        Objects.requireNonNull(secrets, "secrets");
        Map<Integer, Key> keys = new TreeMap<>();
        for (Map.Entry<Integer, String> e : secrets.entrySet()) {
            int version = Objects.requireNonNull(e.getKey(), "key version");
            if (version < 0 || version > MAX_KEY_VERSION) {
                throw new IllegalArgumentException("cookie secret key version must be 0 to " + MAX_KEY_VERSION
                        + ", not " + version);
            }
            byte[] secret = utf8(Objects.requireNonNull(e.getValue(), "secret"));
            keys.put(version, new Key(version, checkSecret("cookie secret of key version " + version, secret)));
        }
        Key signing = keys.get(keyVersion);
        if (signing == null) {
            throw new IllegalArgumentException("keyVersion " + keyVersion + " has no secret among the cookie secrets "
                    + keys.keySet());
        }
        return new SignedValues(signing, Map.copyOf(keys), InstantSource.system());
    }

    /**
     * The same signer reading the time from {@code clock} (tests; a shared time source).
     *
     * @param clock the clock
     * @return a copy with this value replaced
     */
    public SignedValues withClock(InstantSource clock) {
        return new SignedValues(signingKey, keys, Objects.requireNonNull(clock, "clock"));
    }

    /**
     * The key version values are signed with (0 for a single secret).
     *
     * @return the key version values are signed with (0 for a single secret)
     */
    public int keyVersion() {
        return signingKey.version;
    }

    private static byte[] checkSecret(String what, byte[] secret) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(what + " is " + secret.length + " bytes long; signed values need at least "
                    + MIN_SECRET_BYTES + " random bytes (generate one with: openssl rand -base64 48)");
        }
        return secret.clone();
    }

    // ------------------------------------------------------------------------------ creating

    /**
     * Signs {@code value} (UTF-8) under {@code name} in version 2, stamped now.
     *
     * @param name the name
     * @param value the value
     * @return the signed string
     */
    public String createSignedValue(String name, String value) {
        return createSignedValue(name, utf8(Objects.requireNonNull(value, "value")), DEFAULT_VERSION);
    }

    /**
     * Signs {@code value} under {@code name} in version 2, stamped now.
     *
     * @param name the name
     * @param value the value
     * @return the signed string
     */
    public String createSignedValue(String name, byte[] value) {
        return createSignedValue(name, value, DEFAULT_VERSION);
    }

    /**
     * Signs {@code value} under {@code name} in format {@code version} (1 or 2), stamped now. The
     * name is part of what is signed: a value signed as "user" does not decode as "admin".
     *
     * @param name the name
     * @param value the value
     * @param version the HTTP version
     * @return the signed value, ASCII for an ASCII name (a valid cookie value)
     * @throws IllegalArgumentException for another version, or version 1 with versioned secrets
     */
    public String createSignedValue(String name, byte[] value, int version) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        String encoded = Base64.getEncoder().encodeToString(value);
        if (version == 1) {
            if (keys != null) {
                throw new IllegalArgumentException("version 1 signed values cannot name a key version: use version 2");
            }
            return encoded + '|' + timestamp + '|' + signatureV1(signingKey, name, encoded, timestamp);
        }
        if (version != 2) {
            throw new IllegalArgumentException("unsupported signed value version " + version);
        }
        StringBuilder sb = new StringBuilder(96 + name.length() + encoded.length()).append("2|");
        field(sb, Integer.toString(signingKey.version), -1);
        field(sb, timestamp, -1);
        field(sb, name, utf8(name).length);
        field(sb, encoded, -1);
        byte[] signed = utf8(sb.toString());
        return sb.append(signatureV2(signingKey, signed, signed.length)).toString();
    }

    private static void field(StringBuilder sb, String s, int byteLength) {
        sb.append(byteLength < 0 ? s.length() : byteLength).append(':').append(s).append('|');
    }

    // ------------------------------------------------------------------------------ decoding

    /**
     * The value signed under {@code name}, at most 31 days old, any version; null if not valid.
     *
     * @param name the name
     * @param signed the signed value
     * @return the value signed under {@code name}, at most 31 days old, any version; null if not valid
     */
    public byte[] decodeSignedValue(String name, String signed) {
        return decodeSignedValue(name, signed, DEFAULT_MAX_AGE_DAYS, DEFAULT_MIN_VERSION);
    }

    /**
     * The value signed under {@code name}, or null if {@code signed} is null, malformed, not
     * signed by one of this signer's keys, signed for another name, older than
     * {@code maxAgeDays}, dated more than {@link #MAX_CLOCK_SKEW} ahead, or of a version below
     * {@code minVersion}. Never throws for any {@code signed}.
     *
     * @param name the name
     * @param signed the signed value
     * @param maxAgeDays how old the value may be, in days (fractions allowed)
     * @param minVersion 1 to accept both formats, 2 for version 2 only
     * @return the value signed under {@code name}, or null if {@code signed} is null, malformed, not signed by one of this signer's keys, signed for another name, older than {@code maxAgeDays}, dated more than {@link #MAX_CLOCK_SKEW} ahead, or of a version below {@code minVersion}
     * @throws IllegalArgumentException if {@code minVersion} is not 1 or 2, or {@code maxAgeDays} is NaN
     */
    public byte[] decodeSignedValue(String name, String signed, double maxAgeDays, int minVersion) {
        Objects.requireNonNull(name, "name");
        if (minVersion < 1 || minVersion > 2) {
            throw new IllegalArgumentException("unsupported minVersion " + minVersion + " (1 or 2)");
        }
        if (Double.isNaN(maxAgeDays)) {
            throw new IllegalArgumentException("maxAgeDays is NaN");
        }
        if (signed == null || signed.isEmpty()) {
            return null;
        }
        byte[] b = utf8(signed);
        int version = version(b);
        if (version < minVersion) {
            return null;
        }
        return switch (version) {
            case 1 -> decodeV1(name, b, maxAgeDays);
            case 2 -> decodeV2(name, b, maxAgeDays);
            default -> null;
        };
    }

    /**
     * As {@link #decodeSignedValue(String, String)}, as UTF-8 text (malformed bytes become U+FFFD).
     *
     * @param name the name
     * @param signed the signed value
     * @return the result (see {@link #decodeSignedValue(String, String)})
     */
    public String decodeSignedString(String name, String signed) {
        return text(decodeSignedValue(name, signed));
    }

    /**
     * As {@link #decodeSignedValue(String, String, double, int)}, as UTF-8 text.
     *
     * @param name the name
     * @param signed the signed value
     * @param maxAgeDays the longest accepted age, in days
     * @param minVersion the oldest key version accepted
     * @return the result (see {@link #decodeSignedValue(String, String, double, int)})
     */
    public String decodeSignedString(String name, String signed, double maxAgeDays, int minVersion) {
        return text(decodeSignedValue(name, signed, maxAgeDays, minVersion));
    }

    /**
     * The key version a version-2 value names, without checking its signature (Tornado's
     * {@code get_signature_key_version}: to re-sign values of a retired key); null for version
     * 1 or a malformed value.
     *
     * @param signed the signed value
     * @return the key version a version-2 value names, without checking its signature (Tornado's {@code get_signature_key_version}: to re-sign values of a retired key); null for version 1 or a malformed value
     */
    public static Integer signatureKeyVersion(String signed) {
        if (signed == null) {
            return null;
        }
        byte[] b = utf8(signed);
        if (version(b) != 2) {
            return null;
        }
        int[] f = fieldsV2(b);
        if (f == null) {
            return null;
        }
        long kv = digits(b, f[0], f[1], MAX_LENGTH_DIGITS);
        return kv < 0 ? null : (int) kv;
    }

    private static String text(byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /**
     * Tornado's {@code _get_version}: a leading number without leading zeros followed by
     * {@code |} is the version; a number of four digits or more cannot be one (it is the start
     * of a version-1 value's base64, whose length is a multiple of four), nor can no number.
     */
    private static int version(byte[] b) {
        int i = 0;
        while (i < b.length && i < 4 && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        if (i == 0 || i == 4 || b[0] == '0' || i >= b.length || b[i] != '|') {
            return 1;
        }
        return (int) digits(b, 0, i, 3);
    }

    private byte[] decodeV1(String name, byte[] b, double maxAgeDays) {
        if (keys != null) {
            return null; // a version-1 value names no key: with versioned secrets it cannot be checked
        }
        int bar1 = indexOf(b, '|', 0, b.length);
        int bar2 = bar1 < 0 ? -1 : indexOf(b, '|', bar1 + 1, b.length);
        if (bar2 < 0 || indexOf(b, '|', bar2 + 1, b.length) >= 0) {
            return null;
        }
        String value = ascii(b, 0, bar1);
        String timestamp = ascii(b, bar1 + 1, bar2);
        byte[] expected = utf8(signatureV1(signingKey, name, value, timestamp));
        if (!MessageDigest.isEqual(Arrays.copyOfRange(b, bar2 + 1, b.length), expected)) {
            return null;
        }
        // Version 1 signs name, value and timestamp without separators: a digit moved from the
        // value's end to the timestamp's start keeps the signature. Such a timestamp is then far
        // in the future (or, moved the other way, has a leading zero or is long expired).
        if (b[bar1 + 1] == '0') {
            return null;
        }
        long ts = digits(b, bar1 + 1, bar2, MAX_TIMESTAMP_DIGITS);
        if (ts < 0 || !fresh(ts, maxAgeDays)) {
            return null;
        }
        return base64(b, 0, bar1);
    }

    private byte[] decodeV2(String name, byte[] b, double maxAgeDays) {
        int[] f = fieldsV2(b);
        if (f == null) {
            return null;
        }
        long keyVersion = digits(b, f[0], f[1], MAX_LENGTH_DIGITS);
        if (keyVersion < 0) {
            return null;
        }
        Key key = keys == null ? signingKey : keys.get((int) keyVersion);
        if (key == null) {
            return null;
        }
        int signatureStart = f[7] + 1;
        byte[] expected = utf8(signatureV2(key, b, signatureStart));
        if (!MessageDigest.isEqual(Arrays.copyOfRange(b, signatureStart, b.length), expected)) {
            return null;
        }
        byte[] nameBytes = utf8(name);
        if (!Arrays.equals(b, f[4], f[5], nameBytes, 0, nameBytes.length)) {
            return null;
        }
        long ts = digits(b, f[2], f[3], MAX_TIMESTAMP_DIGITS);
        if (ts < 0 || !fresh(ts, maxAgeDays)) {
            return null;
        }
        return base64(b, f[6], f[7]);
    }

    /**
     * The four length-prefixed fields of a version-2 value (key version, timestamp, name, value)
     * as start/end offsets, each field followed by {@code |}; null if malformed. What follows the
     * last field is the signature.
     */
    private static int[] fieldsV2(byte[] b) {
        int[] f = new int[8];
        int pos = 2; // after "2|"
        for (int k = 0; k < 4; k++) {
            int colon = indexOf(b, ':', pos, Math.min(b.length, pos + MAX_LENGTH_DIGITS + 1));
            long n = colon < 0 ? -1 : digits(b, pos, colon, MAX_LENGTH_DIGITS);
            if (n < 0) {
                return null;
            }
            long end = colon + 1 + n;
            if (end >= b.length || b[(int) end] != '|') {
                return null;
            }
            f[2 * k] = colon + 1;
            f[2 * k + 1] = (int) end;
            pos = (int) end + 1;
        }
        return f;
    }

    private boolean fresh(long timestamp, double maxAgeDays) {
        double now = clock.millis() / 1000.0;
        return timestamp >= now - maxAgeDays * 86400 && timestamp <= now + MAX_CLOCK_SKEW.toSeconds();
    }

    /** The decimal number in {@code b[from, to)}: 1 to {@code maxDigits} ASCII digits, else -1. */
    private static long digits(byte[] b, int from, int to, int maxDigits) {
        if (to <= from || to - from > maxDigits) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return -1;
            }
            n = n * 10 + (b[i] - '0');
        }
        return n;
    }

    /** Standard base64 with its padding (Java's decoder alone would accept it missing, Python's does not). */
    private static byte[] base64(byte[] b, int from, int to) {
        if ((to - from) % 4 != 0) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(Arrays.copyOfRange(b, from, to));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static int indexOf(byte[] b, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------------------- signatures

    /** Version 1: hex HMAC-SHA1 of name, value and timestamp, concatenated. */
    private static String signatureV1(Key key, String name, String value, String timestamp) {
        Mac mac = key.mac("HmacSHA1");
        mac.update(utf8(name));
        mac.update(utf8(value));
        mac.update(utf8(timestamp));
        return HEX.formatHex(mac.doFinal());
    }

    /** Version 2: hex HMAC-SHA256 of {@code b[0, length)}. */
    private static String signatureV2(Key key, byte[] b, int length) {
        Mac mac = key.mac("HmacSHA256");
        mac.update(b, 0, length);
        return HEX.formatHex(mac.doFinal());
    }

    /** One secret and its version, with initialised MACs to clone (cheaper than a provider lookup each time). */
    private static final class Key {
        final int version;
        private final Mac sha1;
        private final Mac sha256;

        Key(int version, byte[] secret) {
            this.version = version;
            this.sha1 = init("HmacSHA1", secret);
            this.sha256 = init("HmacSHA256", secret);
        }

        private static Mac init(String algorithm, byte[] secret) {
            try {
                Mac mac = Mac.getInstance(algorithm);
                mac.init(new SecretKeySpec(secret, algorithm));
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(algorithm + " is not available", e);
            }
        }

        Mac mac(String algorithm) {
            Mac prototype = algorithm.equals("HmacSHA1") ? sha1 : sha256;
            try {
                return (Mac) prototype.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(algorithm + " cannot be cloned", e);
            }
        }
    }

    @Override
    public String toString() {
        return "SignedValues[keyVersion=" + signingKey.version + (keys == null ? "" : ", versions=" + keys.keySet()) + "]";
    }
}
