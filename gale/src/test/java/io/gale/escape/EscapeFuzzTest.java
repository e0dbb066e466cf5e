package io.gale.escape;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Jazzer targets for Escape's decoders and scanners (see {@code HttpFuzzTest} and
 * docs/testing.md): in regression mode they replay the seeds in
 * {@code src/test/resources/io/gale/escape/EscapeFuzzTestInputs/}. Each checks a property on
 * any input, not only that nothing is thrown.
 */
class EscapeFuzzTest {
    /** Unescaping never throws, and undoes escaping. */
    @FuzzTest(maxDuration = "30s")
    void xhtmlUnescape(FuzzedDataProvider data) {
        String s = data.consumeRemainingAsString();
        String once = Escape.xhtmlUnescape(s);
        assertThat(once.length()).isLessThanOrEqualTo(s.length());
        assertThat(Escape.xhtmlUnescape(Escape.xhtmlEscape(s))).isEqualTo(s);
    }

    /** URL unescaping never throws, undoes escaping, and always yields well-formed text. */
    @FuzzTest(maxDuration = "30s")
    void urlUnescape(FuzzedDataProvider data) {
        boolean plus = data.consumeBoolean();
        String s = data.consumeRemainingAsString();
        String decoded = Escape.urlUnescape(s, plus);
        assertThat(new String(decoded.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(decoded);
        String wellFormed = new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertThat(Escape.urlUnescape(Escape.urlEscape(wellFormed, plus), plus)).isEqualTo(wellFormed);
    }

    /** linkify's output minus its own tags is the escaped input: nothing of the input is left unescaped. */
    @FuzzTest(maxDuration = "30s")
    void linkify(FuzzedDataProvider data) {
        boolean requireProtocol = data.consumeBoolean();
        String s = data.consumeRemainingAsString();
        String html = Escape.linkify(s, LinkifyOptions.builder().requireProtocol(requireProtocol)
                .permittedProtocols(List.of("http", "https", "ftp", "javascript")).build());
        String text = html.replaceAll("<a href=\"[^\"<>]*\">", "").replace("</a>", "");
        assertThat(text).isEqualTo(Escape.xhtmlEscape(s));
        assertThat(html).doesNotContain("href=\"javascript");
    }

    /** JSON decoding either gives a value that survives a round trip or refuses with IllegalArgumentException. */
    @FuzzTest(maxDuration = "30s")
    void jsonDecode(FuzzedDataProvider data) {
        String s = data.consumeRemainingAsString();
        Object value;
        try {
            value = Escape.jsonDecode(s);
        } catch (IllegalArgumentException refused) {
            return;
        }
        String again = Escape.jsonEncode(value);
        assertThat(again).doesNotContain("</");
        assertThat(Escape.jsonEncode(Escape.jsonDecode(again))).isEqualTo(again);
    }
}
