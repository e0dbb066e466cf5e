package io.gale.httpclient;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The digest challenge parser and answer, including challenges it must refuse. */
@Timeout(60)
class DigestAuthTest {
    @Test
    void answersMd5AndSha256AndNoQop() {
        String a = DigestAuth.authorize("Digest realm=\"r\", nonce=\"n\", qop=\"auth\"", "GET", "/x", "u", "p");
        assertThat(a).startsWith("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"/x\", algorithm=MD5, response=\"")
                .contains("qop=auth, nc=00000001, cnonce=\"");
        String sha = DigestAuth.authorize("Digest realm=\"r\",nonce=n,algorithm=SHA-256", "GET", "/", "u", "p");
        assertThat(sha).contains("algorithm=SHA-256").doesNotContain("qop=");
        // known answer without qop (the classic RFC 2069/2617 "Mufasa" vector): MD5(HA1:nonce:HA2)
        String legacy = DigestAuth.authorize("Digest realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\"",
                "GET", "/dir/index.html", "Mufasa", "Circle Of Life");
        assertThat(legacy).contains("response=\"670fd8c2df070c60b045671b8b24ff02\"");
    }

    @Test
    void quotedPairsAndOpaqueAreKept() {
        String a = DigestAuth.authorize("Digest realm=\"a \\\"quoted\\\" realm\", nonce=\"n\", opaque=\"o,1\"", "GET", "/", "u", "p");
        assertThat(a).contains("realm=\"a \\\"quoted\\\" realm\"", "opaque=\"o,1\"");
    }

    @Test
    void longQuotedValuesDoNotOverflowTheStack() {
        // Found by HttpClientFuzzTest#digestChallenge (seed long-quoted-value): a quoted value of
        // a few thousand characters overflowed the stack in the parameter regex.
        String longRealm = "r".repeat(1_000_000);
        String a = DigestAuth.authorize("Digest realm=\"" + longRealm + "\", nonce=\"n\"", "GET", "/", "u", "p");
        assertThat(a).contains("realm=\"" + longRealm + "\"", "nonce=\"n\"");
        String escaped = "\\\"".repeat(300_000); // \" each
        String b = DigestAuth.authorize("Digest realm=\"" + escaped + "\", nonce=n", "GET", "/", "u", "p");
        assertThat(b).contains("realm=\"" + escaped + "\"", "nonce=\"n\"");
        // An unterminated quote still falls back to a token, as before.
        assertThat(DigestAuth.authorize("Digest nonce=\"" + longRealm, "GET", "/", "u", "p")).contains("nonce=\"\\\"r");
    }

    @Test
    void refusesWhatItCannotAnswer() {
        assertThat(DigestAuth.authorize("Digest realm=\"r\"", "GET", "/", "u", "p")).isNull();
        assertThat(DigestAuth.authorize("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256", "GET", "/", "u", "p")).isNull();
        assertThat(DigestAuth.authorize("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"", "GET", "/", "u", "p")).isNull();
        assertThat(DigestAuth.authorize("Digest garbage,,,==", "GET", "/", "u", "p")).isNull();
        assertThat(DigestAuth.isDigest("Basic realm=\"r\"")).isFalse();
        assertThat(DigestAuth.isDigest(null)).isFalse();
        assertThat(DigestAuth.isDigest("digest nonce=1")).isTrue();
    }
}
