package io.gale.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SignedValuesTest {
    static final String SECRET = "0123456789abcdef0123456789abcdef-gale";
    static final long T = 1_700_000_000L;
    static final SignedValues SIGNER = SignedValues.of(SECRET).withClock(at(T));

    static InstantSource at(long epochSecond) {
        return InstantSource.fixed(Instant.ofEpochSecond(epochSecond));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void version2MatchesTornadosOutputByteForByte() {
        // create_signed_value("x" * 32, "user", b"\x00\xffhello", clock=lambda: 1700000000), Tornado 6.2
        SignedValues signer = SignedValues.of("x".repeat(32)).withClock(at(T));
        assertThat(signer.createSignedValue("user", new byte[] {0, (byte) 0xff, 'h', 'e', 'l', 'l', 'o'}))
                .isEqualTo("2|1:0|10:1700000000|4:user|12:AP9oZWxsbw==|"
                        + "6ff8e58696c19d7241b813ab4a53c08d3ed4120ba75198dae89b04daebfc1250");
    }

    @Test
    void roundTripsTextAndEveryByteValue() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        for (byte[] value : List.of(new byte[0], bytes("ann"), bytes("Zoë 日本 🎉"), all)) {
            assertThat(SIGNER.decodeSignedValue("v", SIGNER.createSignedValue("v", value))).isEqualTo(value);
            assertThat(SIGNER.decodeSignedValue("v", SIGNER.createSignedValue("v", value, 1))).isEqualTo(value);
        }
        assertThat(SIGNER.decodeSignedString("user", SIGNER.createSignedValue("user", "Zoë"))).isEqualTo("Zoë");
    }

    @Test
    void theNameIsPartOfTheSignature() {
        String signed = SIGNER.createSignedValue("user", "ann");
        assertThat(SIGNER.decodeSignedValue("admin", signed)).isNull();
        assertThat(SIGNER.decodeSignedValue("use", signed)).isNull();
        String v1 = SIGNER.createSignedValue("user", bytes("ann"), 1);
        assertThat(SIGNER.decodeSignedValue("admin", v1)).isNull();
    }

    @Test
    void expiredAndFutureDatedValuesAreNull() {
        for (int version : new int[] {1, 2}) {
            String signed = SIGNER.createSignedValue("n", bytes("v"), version);
            long day = 86_400;
            assertThat(SIGNER.withClock(at(T + 31 * day)).decodeSignedValue("n", signed)).isNotNull();
            assertThat(SIGNER.withClock(at(T + 31 * day + 1)).decodeSignedValue("n", signed)).isNull();
            assertThat(SIGNER.withClock(at(T + day)).decodeSignedValue("n", signed, 0.5, 1)).isNull();
            assertThat(SIGNER.withClock(at(T + day)).decodeSignedValue("n", signed, 1.5, 1)).isNotNull();
            // signed by a server whose clock runs ahead: a few minutes are tolerated, not more
            assertThat(SIGNER.withClock(at(T - 300)).decodeSignedValue("n", signed)).isNotNull();
            assertThat(SIGNER.withClock(at(T - 301)).decodeSignedValue("n", signed)).isNull();
            assertThat(SIGNER.withClock(at(T - 40 * day)).decodeSignedValue("n", signed)).isNull();
        }
    }

    @Test
    void anotherSecretOrATamperedValueIsNull() {
        SignedValues other = SignedValues.of("another secret, also 32 bytes long!!").withClock(at(T));
        for (int version : new int[] {1, 2}) {
            String signed = SIGNER.createSignedValue("user", bytes("ann"), version);
            assertThat(other.decodeSignedValue("user", signed)).isNull();
            // every single-character change at every position is detected
            String replacements = "0129aAzZ|:=+/_ \u00e9";
            for (int i = 0; i < signed.length(); i++) {
                for (char r : replacements.toCharArray()) {
                    if (signed.charAt(i) != r) {
                        String t = signed.substring(0, i) + r + signed.substring(i + 1);
                        assertThat(SIGNER.decodeSignedValue("user", t)).as(t).isNull();
                    }
                }
                String dropped = signed.substring(0, i) + signed.substring(i + 1);
                assertThat(SIGNER.decodeSignedValue("user", dropped)).as(dropped).isNull();
            }
            assertThat(SIGNER.decodeSignedValue("user", signed + "0")).isNull();
            assertThat(SIGNER.decodeSignedValue("user", signed.toUpperCase())).isNull();
        }
    }

    @Test
    void version1IsMovedDigitProof() {
        // v1 signs value+timestamp without a separator: a base64 digit moved from the value's end
        // to the timestamp's start keeps the signature
        String signed = SIGNER.createSignedValue("n", bytes("ab5"), 1); // base64 "YWI1"
        String[] p = signed.split("\\|");
        assertThat(p[0]).isEqualTo("YWI1");
        assertThat(SIGNER.decodeSignedValue("n", "YWI|1" + p[1] + "|" + p[2])).as("far future").isNull();
        // ...and a moved 0 would keep the same time: a leading zero is refused
        String zero = SIGNER.createSignedValue("n", bytes("ab4"), 1); // base64 "YWI0"
        String[] z = zero.split("\\|");
        assertThat(z[0]).isEqualTo("YWI0");
        assertThat(SIGNER.decodeSignedValue("n", "YWI|0" + z[1] + "|" + z[2])).isNull();
        assertThat(SIGNER.decodeSignedValue("n", zero)).isEqualTo(bytes("ab4"));
    }

    @Test
    void minVersionRefusesVersion1() {
        String v1 = SIGNER.createSignedValue("n", bytes("x"), 1);
        assertThat(SIGNER.decodeSignedValue("n", v1, 31, 1)).isEqualTo(bytes("x"));
        assertThat(SIGNER.decodeSignedValue("n", v1, 31, 2)).isNull();
        assertThat(SIGNER.decodeSignedValue("n", SIGNER.createSignedValue("n", "x"), 31, 2)).isEqualTo(bytes("x"));
        assertThatThrownBy(() -> SIGNER.decodeSignedValue("n", v1, 31, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SIGNER.decodeSignedValue("n", v1, Double.NaN, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SIGNER.createSignedValue("n", bytes("x"), 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyVersionsRotate() {
        String old = "old secret: 32 bytes or more......";
        String current = "new secret: 32 bytes or more......";
        SignedValues before = SignedValues.of(Map.of(1, old), 1).withClock(at(T));
        SignedValues after = SignedValues.of(Map.of(1, old, 2, current), 2).withClock(at(T));
        String oldValue = before.createSignedValue("u", "ann");
        String newValue = after.createSignedValue("u", "bob");
        assertThat(oldValue).startsWith("2|1:1|");
        assertThat(newValue).startsWith("2|1:2|");
        assertThat(after.keyVersion()).isEqualTo(2);
        assertThat(after.decodeSignedString("u", oldValue)).isEqualTo("ann");
        assertThat(after.decodeSignedString("u", newValue)).isEqualTo("bob");
        assertThat(before.decodeSignedString("u", newValue)).as("unknown key version").isNull();
        assertThat(SignedValues.signatureKeyVersion(oldValue)).isEqualTo(1);
        assertThat(SignedValues.signatureKeyVersion(newValue)).isEqualTo(2);
        assertThat(SignedValues.signatureKeyVersion(before.createSignedValue("u", bytes("x")))).isEqualTo(1);
        assertThat(SignedValues.signatureKeyVersion(SIGNER.createSignedValue("u", bytes("x"), 1))).isNull();
        assertThat(SignedValues.signatureKeyVersion("2|garbage")).isNull();
        // a value claiming version 2 but signed with key 1 fails
        String forged = newValue.replace("2|1:2|", "2|1:1|");
        assertThat(after.decodeSignedValue("u", forged)).isNull();
        // version 1 names no key: refused with versioned secrets, both ways
        assertThat(after.decodeSignedValue("u", SIGNER.createSignedValue("u", bytes("x"), 1))).isNull();
        assertThatThrownBy(() -> after.createSignedValue("u", bytes("x"), 1)).isInstanceOf(IllegalArgumentException.class);
        // a single secret ignores the key version field
        SignedValues single = SignedValues.of(current).withClock(at(T));
        assertThat(single.decodeSignedString("u", newValue)).isEqualTo("bob");
    }

    @Test
    void shortSecretsAndBadKeyVersionsAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> SignedValues.of("too short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9 bytes").hasMessageContaining("at least 32");
        assertThatThrownBy(() -> SignedValues.of("x".repeat(31))).isInstanceOf(IllegalArgumentException.class);
        assertThat(SignedValues.of("x".repeat(32))).isNotNull();
        // 11 two-byte characters are 22 bytes: counted in UTF-8 bytes
        assertThatThrownBy(() -> SignedValues.of("é".repeat(15))).isInstanceOf(IllegalArgumentException.class);
        assertThat(SignedValues.of("é".repeat(16))).isNotNull();
        assertThatThrownBy(() -> SignedValues.of(Map.of(1, SECRET, 2, "short"), 1))
                .hasMessageContaining("key version 2");
        assertThatThrownBy(() -> SignedValues.of(Map.of(1, SECRET), 2)).hasMessageContaining("keyVersion 2");
        assertThatThrownBy(() -> SignedValues.of(Map.of(-1, SECRET), -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SignedValues.of(Map.of(1_000_000_000, SECRET), 1_000_000_000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SignedValues.of(SECRET).toString()).doesNotContain(SECRET);
    }

    /** Hand-made version-2 values with a correct signature: what only the parser can refuse. */
    private static String signV2(String body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(bytes(SECRET), "HmacSHA256"));
            return body + java.util.HexFormat.of().formatHex(mac.doFinal(bytes(body)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void correctlySignedButMalformedFieldsAreNull() {
        assertThat(SIGNER.decodeSignedString("n", signV2("2|1:0|10:" + T + "|1:n|4:YWJj|"))).isEqualTo("abc");
        for (String body : List.of(
                "2|1:x|10:" + T + "|1:n|4:YWJj|", // non-numeric key version
                "2|1:0|10:17000000x0|1:n|4:YWJj|", // non-numeric timestamp
                "2|1:0|11:+1700000000|1:n|4:YWJj|", // signed timestamp
                "2|1:0|19:" + "9".repeat(19) + "|1:n|4:YWJj|", // timestamp beyond a long
                "2|1:0|10:" + T + "|1:n|4:YW=j|", // base64 padding in the middle
                "2|1:0|10:" + T + "|1:n|3:YWJ|", // base64 of a wrong length
                "2|1:0|10:" + T + "|1:n|4:YW j|",
                "2|10:0000000000|10:" + T + "|1:n|4:YWJj|")) { // key version of ten digits
            assertThat(SIGNER.decodeSignedValue("n", signV2(body))).as(body).isNull();
        }
    }

    @Test
    void malformedAndHostileValuesAreNullNeverAnException() {
        String good = SIGNER.createSignedValue("n", "v");
        List<String> hostile = new ArrayList<>(List.of(
                "", "2", "2|", "2||", "|", "||", "|||", "1|", "3|1:0|", "999|x", "0|x", "02|1:0|",
                "2|1:0", "2|1:0|", "2|1:0|10:1700000000", "2|1:0|10:1700000000|1:n|1:dg==|",
                "2|-1:0|10:1700000000|1:n|4:dg==|sig", "2|1:0|10:1700000000|1:n|999999999:dg==|sig",
                "2|99999999999999999999:0|", "2|1:0|10:1700000000|1:n|2147483647:x|",
                "2|1:0|10:1700000000|1:n|4:dg==|", "2|1:0|10:1700000000|1:n|4:dg==",
                "2|:0|10:1|1:n|1:x|s", "2|1:00|", "2|0x1:0|", "2|1:0|10:1700000000|1:n|4:dg==|" + "0".repeat(64),
                "dg==|1700000000|", "dg==||", "dg==|abc|" + "0".repeat(40), "dg==|1700000000|" + "0".repeat(40),
                "dg==|1700000000|0|x", "\u0000\u0001\u0002", "2|1:0|10:1700000000|1:n|4:dg==|\u00ff\u00fe",
                "2|１:0|", "2|1:0|10:１７00000000|1:n|4:dg==|sig", good + "|", "|" + good, good.substring(0, 10),
                "2|" + "1:0|".repeat(50_000), "9".repeat(100_000) + "|", "2|1:" + "0".repeat(1_000_000) + "|",
                "a".repeat(2_000_000)));
        hostile.add(good.replace("|", "||"));
        hostile.add(null);
        for (String h : hostile) {
            for (int minVersion = 1; minVersion <= 2; minVersion++) {
                assertThat(SIGNER.decodeSignedValue("n", h, 31, minVersion))
                        .as(h == null || h.length() > 80 ? "long input" : h).isNull();
            }
            assertThat(SignedValues.signatureKeyVersion(h)).isIn(null, 0, 1);
        }
    }
}
