package io.gale.escape;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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

    /**
     * JSON decoding gives a value of the documented types, or refuses with
     * IllegalArgumentException("invalid JSON: ..."). A value encodes without {@code <}, {@code >}
     * or {@code &} (the HTML-safe escaping), both encoders (String and UTF-8) agree, and the
     * encoding decodes to an equal value (a non-finite double coming back as the string the
     * encoder writes for it, HtmlSafeJson's contract). Jackson's parser is instrumented for this target
     * (gale/src/test/resources/junit-platform.properties), so the fuzzer can grow valid, nested
     * documents instead of guessing them.
     */
    @FuzzTest(maxDuration = "30s")
    void jsonDecode(FuzzedDataProvider data) {
        String s = data.consumeRemainingAsString();
        Object value;
        try {
            value = Escape.jsonDecode(s);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).startsWith("invalid JSON: ");
            return;
        }
        assertDocumentedTypes(value, 0);
        String again = Escape.jsonEncode(value);
        assertThat(again).doesNotContain("<", ">", "&");
        assertThat(new String(Escape.jsonEncodeUtf8(value), StandardCharsets.UTF_8)).isEqualTo(again);
        assertThat(Escape.jsonDecode(again)).isEqualTo(nonFiniteAsStrings(value));
    }

    /** The value as the encoder writes it: a non-finite double becomes "NaN", "Infinity" or "-Infinity". */
    private static Object nonFiniteAsStrings(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, nonFiniteAsStrings(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(EscapeFuzzTest::nonFiniteAsStrings).collect(Collectors.toList());
        }
        return v instanceof Double d && !Double.isFinite(d) ? d.toString() : v;
    }

    /** Maps with String keys, Lists, Strings, Integer/Long/BigInteger, Double, Boolean, null. */
    private static void assertDocumentedTypes(Object v, int depth) {
        assertThat(depth).isLessThanOrEqualTo(1000);
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                assertThat(e.getKey()).isInstanceOf(String.class);
                assertDocumentedTypes(e.getValue(), depth + 1);
            }
        } else if (v instanceof List<?> l) {
            for (Object o : l) {
                assertDocumentedTypes(o, depth + 1);
            }
        } else if (v != null) {
            assertThat(v).isInstanceOfAny(String.class, Integer.class, Long.class, BigInteger.class, Double.class,
                    Boolean.class);
        }
    }
}
