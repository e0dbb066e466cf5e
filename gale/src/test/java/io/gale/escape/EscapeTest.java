package io.gale.escape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Escape's own contract: fast paths, malformed input, Gale's departures from Tornado. */
@Timeout(10)
class EscapeTest {
    @Test
    void xhtmlEscapeReturnsTheArgumentWhenNothingIsEscaped() {
        String s = "plain text é";
        assertThat(Escape.xhtmlEscape(s)).isSameAs(s);
        assertThat(Escape.xhtmlEscape("<a href=\"x\" title='y'>&</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    }

    @Test
    void xhtmlUnescapeIsTheInverseOfEscapeAndKeepsMalformedReferences() {
        String hostile = "<script>alert(\"x\" + 'y')</script> & é 😀";
        assertThat(Escape.xhtmlUnescape(Escape.xhtmlEscape(hostile))).isEqualTo(hostile);
        assertThat(Escape.xhtmlUnescape("&amp")).isEqualTo("&amp");
        assertThat(Escape.xhtmlUnescape("&#;&#x;&;&#xZZ;&#-1;")).isEqualTo("&#;&#x;&;&#xZZ;&#-1;");
        assertThat(Escape.xhtmlUnescape("&#99999999999999999999999;")).isEqualTo("&#99999999999999999999999;");
        assertThat(Escape.xhtmlUnescape("&#x110000;&#1114111;")).isEqualTo("&#x110000;" + Character.toString(0x10FFFF));
        assertThat(Escape.xhtmlUnescape("&apos;&euro;&AMP;")).isEqualTo("&apos;€&AMP;");
        assertThat(Escape.xhtmlUnescape("&")).isEqualTo("&");
        assertThat(Escape.xhtmlUnescape("x&")).isEqualTo("x&");
    }

    @Test
    void urlEscapeVariants() {
        assertThat(Escape.urlEscape("a b/c+d&é")).isEqualTo("a+b%2Fc%2Bd%26%C3%A9");
        assertThat(Escape.urlEscape("a b/c+d&é", false)).isEqualTo("a%20b/c%2Bd%26%C3%A9");
        assertThat(Escape.urlUnescape("a+b%2Fc%2Bd%26%C3%A9")).isEqualTo("a b/c+d&é");
        assertThat(Escape.urlUnescape("a+b", false)).isEqualTo("a+b");
        assertThat(Escape.urlUnescape("%ZZ%%4")).isEqualTo("%ZZ%%4");
        assertThat(Escape.urlUnescape("%FF%ED%A0%80")).isEqualTo("\ufffd".repeat(4));
        assertThat(Escape.urlUnescapeBytes("%FF+", true)).containsExactly(0xff, ' ');
    }

    @Test
    void jsonEncodeIsSafeInScriptsAndDecodeRefusesWhatIsNotJson() {
        assertThat(Escape.jsonEncode(Map.of("s", "</script><!--&"))).isEqualTo(
                "{\"s\":\"\\u003C/script\\u003E\\u003C!--\\u0026\"}");
        assertThat(Escape.jsonEncode(List.of(1, "é"))).isEqualTo("[1,\"é\"]");
        assertThat(Escape.jsonDecode("{\"a\": [1, 2.5, null, true]}"))
                .isEqualTo(Map.of("a", java.util.Arrays.asList(1, 2.5, null, true)));
        assertThat((Double) Escape.jsonDecode("NaN")).isNaN();
        for (String bad : List.of("", "{", "[1,]", "[1] x", "'a'", "{a:1}", "\"\t\"", "[".repeat(2000) + "]".repeat(2000))) {
            assertThatThrownBy(() -> Escape.jsonDecode(bad)).as(bad.length() > 20 ? "deep" : bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        record Point(int x, int y) {
        }
        assertThat(Escape.jsonDecode("{\"x\":1,\"y\":2}", Point.class)).isEqualTo(new Point(1, 2));
        assertThatThrownBy(() -> Escape.jsonEncode(new Object())).isInstanceOf(IllegalArgumentException.class);
    }

    /** Found by EscapeFuzzTest#jsonDecode (seed lone-surrogate): "\ud800" decoded, then encoded raw. */
    @Test
    void jsonEncodeEscapesSurrogatesSoALoneOneSurvivesAndBothEncodersAgree() {
        String lone = (String) Escape.jsonDecode("\"a\\ud800b\"");
        assertThat(lone).isEqualTo("a\ud800b");
        assertThat(Escape.jsonEncode(lone)).isEqualTo("\"a\\ud800b\"");
        assertThat(Escape.jsonEncodeUtf8(lone)).isEqualTo("\"a\\ud800b\"".getBytes(StandardCharsets.US_ASCII));
        assertThat(Escape.jsonDecode(Escape.jsonEncode(lone))).isEqualTo(lone);
        assertThat(Escape.jsonEncode("\ud83d\ude00")).isEqualTo("\"\\ud83d\\ude00\"");
        assertThat(Escape.jsonEncode(List.of(Double.NaN, Double.NEGATIVE_INFINITY)))
                .as("non-finite numbers as strings, valid JSON").isEqualTo("[\"NaN\",\"-Infinity\"]");
    }

    @Test
    void squeeze() {
        assertThat(Escape.squeeze("  a \t\n\u0000 b  ")).isEqualTo("a b");
        assertThat(Escape.squeeze("a b")).isEqualTo("a b");
        assertThat(Escape.squeeze("\u00a0a\u00a0")).as("Python's strip removes no-break spaces").isEqualTo("a");
    }

    @Test
    void linkifyNeverLinksScriptUrlsAndEscapesEverything() {
        LinkifyOptions permissive = LinkifyOptions.builder()
                .permittedProtocols(List.of("http", "javascript", "JavaScript", "data", "vbscript")).build();
        for (String s : List.of("javascript://x/%0Aalert(1)", "JavaScript://x", "data://text/html", "vbscript://x")) {
            assertThat(Escape.linkify(s, permissive)).doesNotContain("<a");
        }
        assertThat(Escape.linkify("<b>http://x.com/?a=1&b=\"2\"</b>")).isEqualTo(
                "&lt;b&gt;<a href=\"http://x.com/?a=1&amp;b=&quot;2\">http://x.com/?a=1&amp;b=&quot;2</a>&quot;&lt;/b&gt;");
        assertThat(Escape.linkify("www.example.com, then (http://a.com/x_(y))."))
                .isEqualTo("<a href=\"http://www.example.com\">www.example.com</a>, then "
                        + "(<a href=\"http://a.com/x_(y)\">http://a.com/x_(y)</a>).");
        assertThat(Escape.linkify("www.a.com", LinkifyOptions.builder().requireProtocol(true).build())).isEqualTo("www.a.com");
        String plain = "no links here";
        assertThat(Escape.linkify(plain)).isSameAs(plain);
    }

    @Test
    void linkifyShortensLongUrls() {
        String url = "http://www.example.com/averyveryverylongpath/and/more?x=1";
        String html = Escape.linkify(url, LinkifyOptions.builder().shorten(true).build());
        assertThat(html).isEqualTo("<a href=\"" + url + "\" title=\"" + url + "\">http://www.example.com/averyver...</a>");
    }

    @Test
    void utf8AndToUnicode() {
        assertThat(Escape.utf8("é")).containsExactly(0xc3, 0xa9);
        assertThat(Escape.utf8((String) null)).isNull();
        assertThat(Escape.toUnicode("é".getBytes(StandardCharsets.UTF_8))).isEqualTo("é");
        assertThatThrownBy(() -> Escape.toUnicode(new byte[] {(byte) 0xff})).isInstanceOf(IllegalArgumentException.class);
        byte[] b = {1, 2};
        assertThat(Escape.utf8(b)).isSameAs(b);
    }
}
