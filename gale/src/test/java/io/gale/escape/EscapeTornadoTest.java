package io.gale.escape;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a table of inputs through {@link Escape} and through Debian's Tornado 6.2
 * ({@code /usr/bin/python3}, {@code tornado.escape}) and requires the same answers: hand-picked
 * edge cases plus seeded random strings built from the characters each function cares about.
 * Fails (does not skip) when the interpreter or Tornado is missing.
 */
@Timeout(120)
class EscapeTornadoTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RANDOM_CASES = 1500;

    @TempDir
    static Path dir;
    private static Path script;

    @BeforeAll
    static void copyScript() throws Exception {
        script = dir.resolve("tornado_escape.py");
        try (InputStream in = EscapeTornadoTest.class.getResourceAsStream("tornado_escape.py")) {
            Files.copy(in, script);
        }
    }

    /** One case for Python and the Java answer it must match. */
    private record Case(Map<String, Object> python, String gale) {
    }

    private static Case c(String fn, String in, String gale, Object... options) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fn", fn);
        m.put("in", in);
        for (int i = 0; i < options.length; i += 2) {
            m.put((String) options[i], options[i + 1]);
        }
        return new Case(m, gale);
    }

    /** Runs the cases through Tornado and returns its results, in order. */
    private static List<JsonNode> tornado(List<Case> cases) throws Exception {
        Path in = dir.resolve("cases-" + System.nanoTime() + ".json");
        JSON.writeValue(in.toFile(), cases.stream().map(Case::python).toList());
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString())
                .redirectInput(in.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("python3 with tornado ran").isZero();
        List<JsonNode> results = new ArrayList<>();
        JSON.readTree(out).forEach(results::add);
        assertThat(results).hasSameSizeAs(cases);
        return results;
    }

    private static void compare(List<Case> cases) throws Exception {
        List<JsonNode> results = tornado(cases);
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            JsonNode r = results.get(i);
            String expected = r.has("out") ? r.get("out").asText() : "<" + r.get("error").asText() + ">";
            if (!expected.equals(cases.get(i).gale())) {
                mismatches.add(cases.get(i).python() + "\n    tornado: " + expected + "\n    gale:    " + cases.get(i).gale());
            }
        }
        assertThat(mismatches).as("cases where Gale differs from Tornado 6.2").isEmpty();
    }

    // -------------------------------------------------------------------------- generators

    private static String random(Random rnd, List<String> tokens, int maxTokens) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(maxTokens + 1);
        for (int i = 0; i < n; i++) {
            sb.append(tokens.get(rnd.nextInt(tokens.size())));
        }
        return sb.toString();
    }

    private static List<String> inputs(List<String> fixed, List<String> tokens, long seed) {
        List<String> all = new ArrayList<>(fixed);
        Random rnd = new Random(seed);
        for (int i = 0; i < RANDOM_CASES; i++) {
            all.add(random(rnd, tokens, 12));
        }
        return all;
    }

    private static final List<String> TEXT_TOKENS = List.of("a", "Z", "0", " ", "<", ">", "&", "\"", "'", "/",
            "é", "€", "😀", "\u00a0", "\t", "\n", "\u0001", "\u001f", "\u2028", "\u3000", "\u0085", "_", "-", "%", "+",
            "~", ";", "#");

    // ------------------------------------------------------------------------------- tests

    @Test
    void xhtmlEscapeAndSqueeze() throws Exception {
        List<Case> cases = new ArrayList<>();
        for (String s : inputs(List.of("", "plain", "<script>alert('x')</script>", "a & b \"c\"",
                "  \t\n a \u0000\u0001 b \u00a0", "\u00a0x\u00a0", "\u2007\u202f\u200bx\u180e"), TEXT_TOKENS, 1)) {
            cases.add(c("xhtml_escape", s, Escape.xhtmlEscape(s)));
            cases.add(c("squeeze", s, Escape.squeeze(s)));
        }
        compare(cases);
    }

    @Test
    void xhtmlUnescape() throws Exception {
        List<String> fixed = List.of("&amp;", "&lt;&gt;&quot;&#39;", "&apos;", "&AMP;", "&eacute;&Eacute;", "&nbsp",
                "&#65;&#x41;&#X41;&#x;&#;&;", "&#1114111;&#1114112;&#x110000;", "&#0;", "&#55296;", "&#1_0;&#1__0;&#_1;",
                "&#x0x41;&#x_41;&#x0x_41;&#0x41;", "&#١٢٣;&#x١F;&#²;", "&&amp;amp;", "a&b;c", "&unknown;", "&#65",
                "&é;", "&#ｘ41;", "&#x4１;", "&thetasym;&zwj;&euro;&hearts;");
        List<String> tokens = List.of("&", "&", "#", "x", "X", "amp", "lt", "eacute", "Eacute", "nbsp", "apos", ";",
                ";", "1", "0", "_", "65", "41", "١٢٣", "²", "a", "é", " ", "1114111", "99", "F", "0x", "😀");
        List<Case> cases = new ArrayList<>();
        for (String s : inputs(fixed, tokens, 2)) {
            cases.add(c("xhtml_unescape", s, Escape.xhtmlUnescape(s)));
        }
        List<JsonNode> results = tornado(cases);
        // Tornado raises OverflowError for references beyond a C int; Gale keeps them as text.
        List<Case> comparable = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            JsonNode r = results.get(i);
            if (r.has("error")) {
                assertThat(r.get("error").asText()).isEqualTo("OverflowError");
                assertThat(cases.get(i).gale()).contains("&#");
            } else {
                comparable.add(cases.get(i));
            }
        }
        assertThat(comparable.size()).isGreaterThan(cases.size() * 9 / 10);
        compare(comparable);
    }

    @Test
    void urlEscapeAndUnescape() throws Exception {
        List<String> fixedEscape = List.of("", "a b", "a+b/c?d=e&f", "~-._", "é€😀", "\u0000\r\n", "%");
        List<String> tokens = List.of("a", " ", "/", "+", "~", "%", "2", "F", "%2F", "%C3%A9", "%E2%82", "%AC",
                "%ZZ", "%e9", "%", "é", "€", "😀", "%00", "%ED%A0%80", "%F0%9F%98", "%80", "%FF", "%C0%AF", "?", "&", "=");
        List<Case> cases = new ArrayList<>();
        for (String s : inputs(fixedEscape, tokens, 3)) {
            for (boolean plus : new boolean[] {true, false}) {
                cases.add(c("url_escape", s, Escape.urlEscape(s, plus), "plus", plus));
                cases.add(c("url_unescape", s, Escape.urlUnescape(s, plus), "plus", plus));
                cases.add(c("url_unescape_bytes", s, HexFormat.of().formatHex(Escape.urlUnescapeBytes(s, plus)),
                        "plus", plus));
            }
        }
        compare(cases);
    }

    @Test
    void linkify() throws Exception {
        List<String> fixed = List.of("", "hello http://example.com/ world", "www.example.com.", "(see http://a.com/x)",
                "http://en.wikipedia.org/wiki/Foo_(bar)", "http://a.com/?a=1&b=2&c=\"3\"", "http://", "http:/", "http:///x",
                "http:////x", "mailto:x@y.z", "ftp://files.example.com/a", "javascript:alert(1)", "javascript://x%0Aalert(1)",
                "HTTP://EXAMPLE.COM", "a-http://x.com", "-http://x.com", "xwww.example.com", "www.", "www.x",
                "http://x.com/a.(b)", "http://x.com/(a)(b)c", "http://x.com/a\\b", "http://例え.jp/パス。",
                "http://a.com/😀 x", "<http://a.com/>", "'www.a.com'", "http://a.com/&lt;b&gt;",
                "http://www.example.com/wpstyle/?p=364.", "https://www.example.com/foo/?bar=baz&inga=42&quux",
                "http://✪df.ws/123", "http://userid:password@example.com:8080/", "http://142.42.1.1/",
                "http://foo.com/blah_(wikipedia)#cite-1", "www.a.com\u00a0b", "http://a.com\u2028b", "ö://x.y",
                "http://x.com/" + "a".repeat(40) + "/b?c=d", "http://www.example.com/" + "verylongpath".repeat(5),
                "https://x.org/a&amp;b", "http://x.com/abcdefghijklmnop?q=1&r=2&s=3&t=4&u=5&v=6",
                "http://" + "h".repeat(50) + ".com/p/q", "www.x.com/" + "é".repeat(30) + "😀".repeat(20));
        List<String> tokens = List.of("http", "https", "ftp", "www", "www.", ".", "://", ":/", ":", "/", "//", "///",
                "example.com", "(", ")", "&", "&amp;", "a", "?q=1", "#", ",", "!", " ", "é", "😀", "-", "_", "\\",
                "javascript:", "\"", "'", "<", ">", "x", "1", "\u00a0", "HTTP://", ";", "=", "[", "]", "~", "\u0001",
                "\u3000", "٣", "toolongsegment", "?");
        List<Case> cases = new ArrayList<>();
        LinkifyOptions plain = LinkifyOptions.DEFAULTS;
        LinkifyOptions all = LinkifyOptions.builder().shorten(true).extraParams("  rel=\"nofollow\" ")
                .requireProtocol(true).permittedProtocols(List.of("http", "https", "ftp", "mailto", "ö")).build();
        LinkifyOptions computed = LinkifyOptions.builder().shorten(true)
                .extraParams(href -> " data-h=\"" + href.codePointCount(0, href.length()) + "\" ").build();
        List<String> inputs = inputs(fixed, tokens, 4);
        for (String s : inputs) {
            cases.add(c("linkify", s, Escape.linkify(s, plain)));
            cases.add(c("linkify", s, Escape.linkify(s, all), "shorten", true, "extra", "  rel=\"nofollow\" ",
                    "requireProtocol", true, "protocols", List.of("http", "https", "ftp", "mailto", "ö")));
            cases.add(c("linkify", s, Escape.linkify(s, computed), "shorten", true, "extraFromHref", true));
        }
        compare(cases);
    }

    @Test
    void jsonAgreesBothWays() throws Exception {
        List<String> texts = new ArrayList<>(List.of("{}", "[]", "1", "-0", "1.5e300", "1e400", "12345678901234567890123",
                "\"a\\u00e9\\ud83d\\ude00\"", "\"\\ud800\"", "NaN", "Infinity", "-Infinity", "nan", "true", "null",
                "{\"a\": [1, 2, {\"b\": null}]}", "{\"a\":1,\"a\":2}", " [1] ", "[1,]", "{\"a\"}", "", "[1] x", "'a'",
                "01", "1.", ".5", "\"\t\"", "\"\\x41\"", "[" .repeat(50) + "]".repeat(50), "{\"\u00e9\": \"</script>\"}",
                "\"\u2028\"", "[true, false]", "0.1", "-1e-7", "1E2"));
        List<Case> cases = new ArrayList<>();
        for (String t : texts) {
            String gale;
            try {
                gale = Escape.jsonEncode(Escape.jsonDecode(t));
            } catch (IllegalArgumentException e) {
                gale = null;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fn", "json");
            m.put("in", t);
            m.put("gale", gale);
            cases.add(new Case(m, "same"));
        }
        for (String s : inputs(List.of("</script>", "<!--", "]]>"), TEXT_TOKENS, 6)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fn", "json_encode");
            m.put("in", s);
            m.put("gale", Escape.jsonEncode(s));
            cases.add(new Case(m, "same"));
        }
        compare(cases);
    }
}
