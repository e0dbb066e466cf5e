package io.gale.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Pebble engine on its own (no application): loader rules, helpers, tags, limits, errors, threads. */
@Timeout(60)
class PebbleTemplateEngineTest {
    @TempDir
    Path dir;

    private PebbleTemplateEngine engine(String name, String text) throws Exception {
        return engine(name, text, PebbleTemplateEngine.builder());
    }

    private PebbleTemplateEngine engine(String name, String text, PebbleTemplateEngine.Builder b) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return b.templatePath(dir).build();
    }

    private static TemplateNamespace ns(Object... kv) {
        TemplateNamespace ns = new TemplateNamespace(null);
        for (int i = 0; i < kv.length; i += 2) {
            ns.put((String) kv[i], kv[i + 1]);
        }
        return ns;
    }

    @Test
    void escapeHelpersWorkWithoutARequestAndTakeNamedArguments() throws Exception {
        TemplateEngine e = engine("h.html", """
                {{ linkify(t) }}|{{ linkify(t, shorten=true, extraParams='rel="nofollow"') }}|{{ urlEscape(p) }}|\
                {{ urlEscape(p, false) }}|{{ urlEscape(p, plus=false) }}|{{ squeeze(s) }}|{{ escape(h) }}|{{ xhtmlEscape(h) }}|\
                {{ jsonEncode(m) }}""");
        String out = e.renderToString("h.html", ns("t", "see http://example.com/a/very/long/path/that/goes/on/and/on <b>",
                "p", "a b/c", "s", "  a \n b ", "h", "<&>", "m", Map.of("k", "</")));
        assertThat(out).isEqualTo("see <a href=\"http://example.com/a/very/long/path/that/goes/on/and/on\">"
                + "http://example.com/a/very/long/path/that/goes/on/and/on</a> &lt;b&gt;"
                + "|see <a href=\"http://example.com/a/very/long/path/that/goes/on/and/on\" rel=\"nofollow\" "
                + "title=\"http://example.com/a/very/long/path/that/goes/on/and/on\">http://example.com/a...</a> &lt;b&gt;"
                + "|a+b%2Fc|a%20b/c|a%20b/c|a b|&lt;&amp;&gt;|&lt;&amp;&gt;|{&quot;k&quot;:&quot;\\u003C/&quot;}");
    }

    @Test
    void tornadoTagsAndMacros() throws Exception {
        TemplateEngine e = engine("t.html", """
                {% macro shout(x) %}{{ x | upper }}{{ linkify('www.a.com') }}{% endmacro %}\
                {% raw v %}|{{ v | raw }}|{{ v }}|{{ shout(v) }}""");
        assertThat(e.renderToString("t.html", ns("v", "<i>")))
                .isEqualTo("<i>|<i>|&lt;i&gt;|&lt;I&gt;<a href=\"http://www.a.com\">www.a.com</a>");
    }

    @Test
    void errorsNameTemplateAndLine() throws Exception {
        PebbleTemplateEngine e = engine("m.html", "a\n{% module Entry(1) %}");
        assertThatThrownBy(() -> e.renderToString("m.html", ns())).isInstanceOf(TemplateException.class)
                .hasMessage("m.html:2: {% module Entry %} outside an application (no module function)")
                .satisfies(t -> {
                    assertThat(((TemplateException) t).templateName()).isEqualTo("m.html");
                    assertThat(((TemplateException) t).line()).isEqualTo(2);
                });
        engine("f.html", "\n\n{{ reverseUrl('x') }}");
        assertThatThrownBy(() -> e.renderToString("f.html", ns())).isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("f.html:3: ").hasMessageContaining("reverseUrl");
        engine("s.html", "\n{{ missing.attribute }}");
        PebbleTemplateEngine strict = PebbleTemplateEngine.builder().templatePath(dir).strictVariables(true).build();
        assertThat(e.renderToString("s.html", ns())).isEqualTo("\n");
        assertThatThrownBy(() -> strict.renderToString("s.html", ns())).isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("s.html:2: ").hasMessageContaining("missing");
        engine("p.html", "{% module 'notacall' %}");
        assertThatThrownBy(() -> e.renderToString("p.html", ns())).hasMessageStartingWith("p.html:1: {% module %} needs a call");
        assertThatThrownBy(() -> e.renderToString("absent.html", ns())).isInstanceOf(TemplateNotFoundException.class)
                .satisfies(t -> assertThat(((TemplateNotFoundException) t).searched()).containsExactly(
                        dir.toAbsolutePath().normalize().resolve("absent.html").toString(), "classpath:templates/absent.html"));
    }

    @Test
    void limits() throws Exception {
        TemplateLimits limits = TemplateLimits.builder().maxTemplateBytes(64).maxRenderedChars(100).build();
        PebbleTemplateEngine e = engine("big.html", "x".repeat(65), PebbleTemplateEngine.builder().limits(limits));
        assertThatThrownBy(() -> e.renderToString("big.html", ns())).isInstanceOf(TemplateException.class)
                .hasMessageContaining("maxTemplateBytes");
        engine("loop.html", "{% for i in range(1, 200) %}xx{% endfor %}");
        assertThatThrownBy(() -> e.renderToString("loop.html", ns())).isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("loop.html");
        assertThatThrownBy(() -> TemplateLimits.builder().maxTemplateBytes(0).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesAreKeptInsideTheRoots() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("a/b.html", "a/b.html");
        cases.put("/a/b.html", "a/b.html");
        cases.put("a/./b.html", "a/b.html");
        cases.put("a//b.html", "a/b.html");
        cases.put("a/../b.html", "b.html");
        cases.put("../b.html", null);
        cases.put("a/../../b.html", null);
        cases.put("a\\b.html", null);
        cases.put("a\0.html", null);
        cases.put("", null);
        cases.put("/", null);
        cases.forEach((name, clean) -> assertThat(TemplateLoader.clean(name)).as(name).isEqualTo(clean));
    }

    @Test
    void relativeNamesResolveAgainstTheIncludingTemplate() throws Exception {
        engine("a/inner.html", "inner");
        engine("a/b/leaf.html", "leaf");
        TemplateEngine e = engine("a/outer.html", "{% include './inner.html' %}|{% include './b/leaf.html' %}|{% include 'a/inner.html' %}");
        assertThat(e.renderToString("a/outer.html", ns())).isEqualTo("inner|leaf|inner");
    }

    @Test
    void oneEngineRendersFromManyThreadsAtOnce() throws Exception {
        TemplateEngine e = engine("c.html", "{% for i in items %}{{ i }},{% endfor %}{{ who }}");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String who = "t" + t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        if (!e.renderToString("c.html", ns("items", List.of(1, 2, 3), "who", who)).equals("1,2,3," + who)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
