package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HttpUtilUrlTest {

    @Test
    void urlConcatAppendsToExistingQueryAndKeepsFragment() {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("c", "d");
        assertThat(HttpUtil.urlConcat("http://example.com/foo?a=b", args)).isEqualTo("http://example.com/foo?a=b&c=d");
        assertThat(HttpUtil.urlConcat("http://example.com/foo#frag", args)).isEqualTo("http://example.com/foo?c=d#frag");
        assertThat(HttpUtil.urlConcat("http://example.com/foo?a=b#x?y", args))
                .isEqualTo("http://example.com/foo?a=b&c=d#x?y");
    }

    @Test
    void urlConcatMatchesTornadoCases() {
        List<Map.Entry<String, String>> yz = List.of(Map.entry("y", "y"), Map.entry("z", "z"));
        assertThat(HttpUtil.urlConcat("https://localhost/path?r=1&t=2", yz)).isEqualTo("https://localhost/path?r=1&t=2&y=y&z=z");
        assertThat(HttpUtil.urlConcat("https://localhost/path?", yz)).isEqualTo("https://localhost/path?y=y&z=z");
        assertThat(HttpUtil.urlConcat("https://localhost/path", yz)).isEqualTo("https://localhost/path?y=y&z=z");
        assertThat(HttpUtil.urlConcat("https://localhost/path?a&b", List.of())).isEqualTo("https://localhost/path?a=&b=");
        assertThat(HttpUtil.urlConcat("https://localhost/path", List.of())).isEqualTo("https://localhost/path");
        assertThat(HttpUtil.urlConcat("https://localhost/path?x", List.of(Map.entry("y", "1"), Map.entry("y", "2"))))
                .isEqualTo("https://localhost/path?x=&y=1&y=2");
    }

    @Test
    void urlConcatEncodesValues() {
        assertThat(HttpUtil.urlConcat("/p", List.of(Map.entry("q", "a b&c=d/é"))))
                .isEqualTo("/p?q=a+b%26c%3Dd%2F%C3%A9");
        assertThat(HttpUtil.urlConcat("/p?q=a%20b+c", List.of())).isEqualTo("/p?q=a+b+c");
    }

    @Test
    void urlEncodeEscapesAllButUnreserved() {
        assertThat(HttpUtil.urlEncode("AZaz09-._~")).isEqualTo("AZaz09-._~");
        assertThat(HttpUtil.urlEncode("a b/c?d")).isEqualTo("a%20b%2Fc%3Fd");
        assertThat(HttpUtil.urlEncode("a b", true)).isEqualTo("a+b");
        assertThat(HttpUtil.urlEncode("€😀")).isEqualTo("%E2%82%AC%F0%9F%98%80");
        assertThat(HttpUtil.urlEncode("+")).isEqualTo("%2B");
        assertThat(HttpUtil.urlEncode("")).isEmpty();
    }

    @Test
    void urlDecodeRoundTripsAndTreatsPlusAsSpaceOnlyInFormMode() {
        String s = "a b+c/€😀%";
        assertThat(HttpUtil.urlDecode(HttpUtil.urlEncode(s))).isEqualTo(s);
        assertThat(HttpUtil.urlDecode(HttpUtil.urlEncode(s, true), true)).isEqualTo(s);
        assertThat(HttpUtil.urlDecode("a+b")).isEqualTo("a+b");
        assertThat(HttpUtil.urlDecode("a+b", true)).isEqualTo("a b");
        assertThat(HttpUtil.urlDecode("%41%62")).isEqualTo("Ab");
    }

    @Test
    void urlDecodeRejectsMalformedEscapesAndUtf8() {
        for (String bad : List.of("%", "%4", "%zz", "a%g0", "abc%")) {
            assertThatThrownBy(() -> HttpUtil.urlDecode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> HttpUtil.urlDecode("%C3%28")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpUtil.urlDecode("%FF")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parseQueryStringKeepsOrderBlanksAndRepeats() {
        Map<String, List<String>> q = HttpUtil.parseQueryString("b=2&a=1&b=3&empty=&flag&&=x&c=a+b%20c");
        assertThat(q.keySet()).containsExactly("b", "a", "empty", "flag", "", "c");
        assertThat(q.get("b")).containsExactly("2", "3");
        assertThat(q.get("empty")).containsExactly("");
        assertThat(q.get("flag")).containsExactly("");
        assertThat(q.get("")).containsExactly("x");
        assertThat(q.get("c")).containsExactly("a b c");
        assertThat(HttpUtil.parseQueryString("")).isEmpty();
        assertThat(HttpUtil.parseQueryString(null)).isEmpty();
    }

    @Test
    void parseQueryStringIsLenientWithMalformedInputLikeBrowsers() {
        Map<String, List<String>> q = HttpUtil.parseQueryString("a=%zz&b=%4&c=100%&d=%C3%28&e=%E2%82%AC");
        assertThat(q.get("a")).containsExactly("%zz");
        assertThat(q.get("b")).containsExactly("%4");
        assertThat(q.get("c")).containsExactly("100%");
        assertThat(q.get("d")).containsExactly("\uFFFD(");
        assertThat(q.get("e")).containsExactly("€");
    }

    @Test
    void parseQueryStringHonoursCharset() {
        assertThat(HttpUtil.parseQueryString("n=%E9", StandardCharsets.ISO_8859_1).get("n")).containsExactly("é");
    }

    @Test
    void encodeQueryString() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("a b", "1&2");
        m.put("c", "");
        assertThat(HttpUtil.encodeQueryString(m)).isEqualTo("a+b=1%262&c=");
    }

    @Test
    void splitHostAndPort() {
        assertThat(HttpUtil.splitHostAndPort("example.com")).isEqualTo(new HostAndPort("example.com", -1));
        assertThat(HttpUtil.splitHostAndPort("example.com:8080")).isEqualTo(new HostAndPort("example.com", 8080));
        assertThat(HttpUtil.splitHostAndPort("example.com:")).isEqualTo(new HostAndPort("example.com", -1));
        assertThat(HttpUtil.splitHostAndPort("[::1]:443")).isEqualTo(new HostAndPort("[::1]", 443));
        assertThat(HttpUtil.splitHostAndPort("[::1]")).isEqualTo(new HostAndPort("[::1]", -1));
        assertThat(HttpUtil.splitHostAndPort("::1")).isEqualTo(new HostAndPort("::1", -1));
        assertThat(HttpUtil.splitHostAndPort("h:0").hasPort()).isTrue();
        for (String bad : List.of("h:abc", "h:65536", "h:123456", "[::1", "[::1]x", "[::1]:x", "h:-1", "h: 80")) {
            assertThatThrownBy(() -> HttpUtil.splitHostAndPort(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
