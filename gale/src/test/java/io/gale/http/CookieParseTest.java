package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CookieParseTest {

    @Test
    void splitsOnSemicolonAndFirstEquals() {
        Map<String, String> c = HttpUtil.parseCookieHeader("a=1; b=2==3;c = x y ;  d=");
        assertThat(c).containsExactly(Map.entry("a", "1"), Map.entry("b", "2==3"), Map.entry("c", "x y"), Map.entry("d", ""));
    }

    @Test
    void unquotesLikePython() {
        Map<String, String> c = HttpUtil.parseCookieHeader(
                "q=\"quoted\"; o=\"\\101\\102\"; e=\"a\\\"b\\\\c\"; half=\"x; lone=\"; tail=\"ab\\\"");
        assertThat(c.get("q")).isEqualTo("quoted");
        assertThat(c.get("o")).isEqualTo("AB");
        assertThat(c.get("e")).isEqualTo("a\"b\\c");
        assertThat(c.get("half")).isEqualTo("\"x");
        assertThat(c.get("lone")).isEqualTo("\"");
        assertThat(c.get("tail")).isEqualTo("ab\\");
        // \4xx is not an octal escape in Python's pattern ([0-3][0-7][0-7]): just "4" then "01"
        assertThat(HttpUtil.parseCookieHeader("v=\"\\401\"").get("v")).isEqualTo("401");
    }

    @Test
    void ignoresEmptyNamesAndChunksWithoutEquals() {
        Map<String, String> c = HttpUtil.parseCookieHeader(";;novalue; =orphan;  ; a=1;=;");
        assertThat(c).containsExactly(Map.entry("a", "1"));
        assertThat(HttpUtil.parseCookieHeader("")).isEmpty();
        assertThat(HttpUtil.parseCookieHeader(null)).isEmpty();
    }

    @Test
    void laterDuplicateWinsButKeepsFirstPosition() {
        Map<String, String> c = HttpUtil.parseCookieHeader("a=1; b=2; a=3");
        assertThat(c).containsExactly(Map.entry("a", "3"), Map.entry("b", "2"));
    }

    @Test
    void keepsNonAsciiAndOddCharactersAsBrowsersSendThem() {
        Map<String, String> c = HttpUtil.parseCookieHeader("name with space=v; é=ü; json={\"k\":1}");
        assertThat(c).containsEntry("name with space", "v").containsEntry("é", "ü").containsEntry("json", "{\"k\":1}");
    }

    /** CVE-2024-7592: Python's unquoting was quadratic on backslash-heavy quoted values. */
    @Test
    @Timeout(5)
    void pathologicalMegabyteHeadersParseInLinearTime() {
        int mb = 1 << 20;
        String backslashes = "a=\"" + "\\".repeat(mb) + "\"";
        assertThat(HttpUtil.parseCookieHeader(backslashes).get("a")).hasSize(mb / 2);
        String octals = "a=\"" + "\\012".repeat(mb / 4) + "\"";
        assertThat(HttpUtil.parseCookieHeader(octals).get("a")).hasSize(mb / 4);
        String noEquals = "x".repeat(mb) + ";a=1";
        assertThat(HttpUtil.parseCookieHeader(noEquals)).containsOnlyKeys("a");
        String manySemis = ";".repeat(mb) + "a=1";
        assertThat(HttpUtil.parseCookieHeader(manySemis)).containsOnlyKeys("a");
        String manyPairs = "k=v;".repeat(mb / 4);
        assertThat(HttpUtil.parseCookieHeader(manyPairs)).containsOnlyKeys("k");
        String spaces = "a=" + " ".repeat(mb) + "x" + " ".repeat(mb);
        assertThat(HttpUtil.parseCookieHeader(spaces).get("a")).isEqualTo("x");
        String quotes = "a=" + "\"".repeat(mb);
        assertThat(HttpUtil.parseCookieHeader(quotes).get("a")).hasSize(mb - 2);
    }
}
