package io.gale.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Jazzer fuzz targets for the web layer's decoders of untrusted text: signed values (cookies)
 * and XSRF tokens. Under {@code mvn test} they replay the seeds in
 * {@code src/test/resources/io/gale/web/WebFuzzTestInputs/}; {@code JAZZER_FUZZ=1 mvn -pl gale test
 * -Dtest=WebFuzzTest#NAME} fuzzes one for real (docs/testing.md). Anything thrown fails a target.
 */
class WebFuzzTest {
    private static final SignedValues SIGNER = SignedValues.of("fuzzing secret, at least 32 bytes long")
            .withClock(InstantSource.fixed(Instant.ofEpochSecond(1_700_000_000L)));

    /**
     * A value the fuzzer chooses is signed and must decode to itself; the signed value with one
     * window of it rewritten must decode to null; any text decodes without throwing.
     */
    @FuzzTest(maxDuration = "30s")
    void signedValue(FuzzedDataProvider data) {
        int version = data.consumeInt(1, 2);
        int minVersion = data.consumeInt(1, 2);
        String name = data.consumeString(16);
        byte[] value = data.consumeBytes(data.consumeInt(0, 64));
        String signed = SIGNER.createSignedValue(name, value, version);
        assertThat(SIGNER.decodeSignedValue(name, signed, 31, 1)).isEqualTo(value);

        int at = data.consumeInt(0, signed.length());
        int cut = data.consumeInt(0, 4);
        String mutated = signed.substring(0, at) + data.consumeString(4) + signed.substring(Math.min(signed.length(), at + cut));
        if (!mutated.equals(signed)) {
            assertThat(SIGNER.decodeSignedValue(name, mutated, 31, minVersion)).as(mutated).isNull();
        }
        // Any text at all. A non-null result is no forgery here: Jazzer's comparison hooks show it
        // the expected signature, which it then copies into its input (it found a version-1 value
        // that way); a real client sees no such thing. What must hold is that nothing throws.
        String raw = data.consumeRemainingAsString();
        SIGNER.decodeSignedValue(name, raw, 31, minVersion);
        SIGNER.decodeSignedValue(name, raw, data.consumeProbabilityDouble() * 1e6, minVersion);
        SignedValues.signatureKeyVersion(raw);
        SIGNER.decodeSignedString("n", raw);
    }

    /** Any text decodes to null or a non-empty token, which re-masks to the same token. */
    @FuzzTest(maxDuration = "30s")
    void xsrfToken(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        XsrfToken token = XsrfToken.decode(text, 0);
        if (token == null) {
            return;
        }
        assertThat(token.version()).isIn(1, 2);
        assertThat(token.token()).isNotEmpty();
        XsrfToken again = XsrfToken.decode(token.masked(), 0);
        assertThat(again.sameToken(token)).isTrue();
        assertThat(again.version()).isEqualTo(2);
    }
}
