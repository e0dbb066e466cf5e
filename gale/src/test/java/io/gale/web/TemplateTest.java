package io.gale.web;

import static io.gale.web.Route.url;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.template.SafeHtml;
import io.gale.template.TemplateArgs;
import io.gale.template.TemplateEngine;
import io.gale.template.TemplateNamespace;
import io.gale.template.UIMethod;
import io.gale.template.UIModule;
import io.gale.testing.InMemoryClient;
import io.gale.testing.TestResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Templates through handlers, in memory: inheritance, includes, macros, UI modules and their
 * resources, autoescape in every position, the debug-mode cache, errors with template and line.
 */
@Timeout(60)
class TemplateTest {
    @TempDir
    static Path dir;

    static void write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @BeforeAll
    static void templates() throws Exception {
        write("base.html", """
                <!DOCTYPE html>
                <html><head><title>{% block title %}Base{% endblock %}</title></head>
                <body>{% block body %}base body{% endblock %}{% block footer %}<footer>base</footer>{% endblock %}</body></html>""");
        write("layout.html", """
                {% extends "base.html" %}
                {% block title %}Layout - {{ parent() }}{% endblock %}
                {% block body %}<nav>{% include "partials/nav.html" %}</nav><main>{% block content %}layout{% endblock %}</main>{% endblock %}""");
        write("blog/page.html", """
                {% extends "layout.html" %}
                {% block title %}{{ title }} | {{ parent() }}{% endblock %}
                {% block content %}<h1>{{ title }}</h1>{% for e in entries %}<p>{{ loop.index }}:{{ e }}</p>{% endfor %}{% endblock %}""");
        write("partials/nav.html", """
                <a href="{{ reverseUrl('entry', 'a b') }}">{{ currentUser }}</a>{% include "./item.html" %}""");
        write("partials/item.html", "<i>{{ request.path }}</i>");
        write("macros.html", """
                {% macro field(name, value, kind="text") %}<input type="{{ kind }}" name="{{ name }}" value="{{ value }}">\
                <a href="{{ reverseUrl('entry', value) }}">{{ linkify(value) }}</a>{{ greet(name) }}{% endmacro %}""");
        write("forms.html", """
                {% import "macros.html" %}{{ field("q", query) }}|{{ field("n", "www.x.org", kind="hidden") }}""");
        write("entries.html", """
                <html><head><title>x</title></head><body>{% for e in entries %}{% module Entry(e, note="n") %}{% endfor %}\
                {% module Sidebar() %}</body></html>""");
        write("modules/entry.html", "<article>{{ entry }}|{{ note }}</article>");
        write("fragment.html", "{% module Entry('only') %}");
        write("template-module.html", "{% module Template('modules/entry.html', entry='<e>', note=3) %}");
        write("escape.html", """
                <p>{{ v }}</p>
                <p title="{{ v }}">a</p>
                <p title='{{ v }}'>b</p>
                <a href="/search?q={{ urlEscape(v) }}">s</a>
                <a href="{{ url }}">u</a>
                <script>var data = {{ jsonEncode(v) | raw }};</script>
                <raw>{{ v | raw }}</raw><tag>{% raw v %}</tag>
                <safe>{{ safe }}</safe>
                {% autoescape false %}<off>{{ v }}</off>{% endautoescape %}""");
        write("namespace.html", "{{ siteName }}|{{ handler.request().method() }}|{{ currentUser }}|{{ greet('x') }}");
        write("bad-parse.html", "line one\nline two\n{% if %}\n");
        write("bad-render.html", "fine\n{{ boom() }}\n");
        write("bad-outer.html", "a\nb\n{% include 'bad-render.html' %}");
        write("bad-attribute.html", "\n\n\n{{ thing.explode() }}");
        write("recursive.html", "{% include 'recursive.html' %}");
    }

    /** A module with every kind of resource, used once per entry. */
    public static final class EntryModule extends UIModule {
        @Override
        public String render(TemplateArgs args) {
            return renderString("modules/entry.html", Map.of("entry", args.get(0), "note", args.get("note", "-")));
        }

        @Override
        public List<String> cssFiles() {
            return List.of("entry.css", "/abs/common.css");
        }

        @Override
        public List<String> javascriptFiles() {
            return List.of("entry.js", "https://cdn.example.com/lib.js");
        }

        @Override
        public String embeddedCss() {
            return ".entry{color:red}";
        }

        @Override
        public String embeddedJavascript() {
            return "initEntries();";
        }

        @Override
        public String htmlHead() {
            return "<meta name=\"entry\">";
        }

        @Override
        public String htmlBody() {
            return "<div id=\"entry-footer\"></div>";
        }
    }

    /** Shares resources with EntryModule: they must still appear once. */
    public static final class SidebarModule extends UIModule {
        @Override
        public String render(TemplateArgs args) {
            return "<aside>" + request().path() + "</aside>";
        }

        @Override
        public List<String> cssFiles() {
            return List.of("/abs/common.css");
        }

        @Override
        public List<String> javascriptFiles() {
            return List.of("https://cdn.example.com/lib.js");
        }

        @Override
        public String embeddedJavascript() {
            return "initSidebar();";
        }
    }

    public static final class SiteHandler extends RequestHandler {
        public void get() {
            render("namespace.html", Map.of());
        }

        @Override
        protected TemplateNamespace getTemplateNamespace() {
            return super.getTemplateNamespace().put("siteName", "Gale <blog>");
        }

        @Override
        protected Object getCurrentUser() {
            return "ann";
        }
    }

    public static final class Entry extends RequestHandler {
        public void get(String slug) {
            write(slug);
        }
    }

    record Thing() {
        public String explode() {
            throw new IllegalStateException("exploded");
        }
    }

    static final String HOSTILE = "<script>alert(\"x\" & 'y')</script> é 😀";

    static final Map<String, UIMethod> METHODS = Map.of(
            "greet", (h, a) -> "hi " + a.get(0) + " at " + (h == null ? "-" : h.request().path()),
            "boom", (h, a) -> {
                throw new IllegalStateException("kaboom");
            });

    static Application app(ApplicationSettings.Builder settings) {
        Application app = new Application(List.of(
                url("/entry/([^/]+)", Entry.class, Map.of(), "entry"),
                url("/site", SiteHandler.class)),
                settings.templatePath(dir).uiMethods(METHODS)
                        .uiModules(Map.of("Entry", EntryModule.class, "Sidebar", SidebarModule.class)).build());
        app.get("/page", h -> h.render("blog/page.html", Map.of("title", "Post", "entries", List.of("a", "<b>"))));
        app.get("/forms", h -> h.render("forms.html", Map.of("query", "http://x.com/?a=1&b=<2>")));
        app.get("/entries", h -> h.render("entries.html", Map.of("entries", List.of("one", "two", "three"))));
        app.get("/fragment", h -> h.write(h.renderString("fragment.html", Map.of())));
        app.get("/fragment-page", h -> h.render("fragment.html", Map.of()));
        app.get("/template-module", h -> h.render("template-module.html"));
        app.get("/escape", h -> h.render("escape.html", Map.of("v", HOSTILE,
                "url", "javascript:alert(1)\" onmouseover=\"x", "safe", SafeHtml.of("<b>mine</b>"))));
        app.get("/edit", h -> h.render("edit.html"));
        app.get("/cp", h -> h.render("cp/hello.html", Map.of("name", "<n>")));
        app.get("/render/(.+)", h -> h.render(h.pathArgs().get(0), Map.of("thing", new Thing())));
        return app;
    }

    static InMemoryClient client(ApplicationSettings.Builder settings) {
        return new InMemoryClient(app(settings));
    }

    static int count(String haystack, String needle) {
        return haystack.split(Pattern.quote(needle), -1).length - 1;
    }

    @Test
    void inheritanceThreeLevelsDeepWithIncludes() {
        try (InMemoryClient c = client(ApplicationSettings.builder())) {
            TestResponse r = c.fetch("/page");
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=UTF-8");
            assertThat(r.text()).isEqualTo("""
                    <!DOCTYPE html>
                    <html><head><title>Post | Layout - Base</title></head>
                    <body><nav><a href="/entry/a%20b"></a><i>/page</i></nav><main><h1>Post</h1><p>0:a</p><p>1:&lt;b&gt;</p>\
                    </main><footer>base</footer></body></html>""");
        }
    }

    @Test
    void macrosSeeTheApplicationsFunctionsAndEscape() {
        try (InMemoryClient c = client(ApplicationSettings.builder())) {
            String text = c.fetch("/forms").text();
            assertThat(text).isEqualTo("<input type=\"text\" name=\"q\" value=\"http://x.com/?a=1&amp;b=&lt;2&gt;\">"
                    + "<a href=\"/entry/http%3A//x.com/%3Fa%3D1%26b%3D%3C2%3E\">"
                    + "<a href=\"http://x.com/?a=1&amp;b\">http://x.com/?a=1&amp;b</a>=&lt;2&gt;</a>hi q at /forms"
                    + "|<input type=\"hidden\" name=\"n\" value=\"www.x.org\"><a href=\"/entry/www.x.org\">"
                    + "<a href=\"http://www.x.org\">www.x.org</a></a>hi n at /forms");
        }
    }

    @Test
    void uiModulesBringTheirResourcesOncePerPage() {
        try (InMemoryClient c = client(ApplicationSettings.builder())) {
            String page = c.fetch("/entries").text();
            assertThat(page).contains("<article>one|n</article><article>two|n</article><article>three|n</article>"
                    + "<aside>/entries</aside>");
            for (String once : List.of("<link href=\"/static/entry.css\"", "<link href=\"/abs/common.css\"",
                    "<script src=\"/static/entry.js\"", "<script src=\"https://cdn.example.com/lib.js\"",
                    ".entry{color:red}", "initEntries();", "initSidebar();", "<meta name=\"entry\">",
                    "<div id=\"entry-footer\"></div>")) {
                assertThat(count(page, once)).as(once).isEqualTo(1);
            }
            String head = page.substring(0, page.indexOf("</head>"));
            assertThat(head).contains("entry.css", "common.css", ".entry{color:red}", "<meta name=\"entry\">")
                    .doesNotContain("<script");
            String tail = page.substring(page.indexOf("<aside>"), page.indexOf("</body>"));
            assertThat(tail).contains("entry.js", "lib.js", "initEntries();\ninitSidebar();", "entry-footer");
            assertThat(page.indexOf("lib.js")).isLessThan(page.indexOf("initEntries")).as("files, then code");
            assertThat(page).endsWith("</body></html>");
        }
    }

    @Test
    void renderStringCollectsButDoesNotInsertAndAFragmentGetsItsResourcesAround() {
        try (InMemoryClient c = client(ApplicationSettings.builder())) {
            assertThat(c.fetch("/fragment").text()).isEqualTo("<article>only|-</article>");
            String page = c.fetch("/fragment-page").text();
            assertThat(page).startsWith("<link href=\"/static/entry.css\"").contains("<article>only|-</article><script")
                    .endsWith("<div id=\"entry-footer\"></div>\n");
            assertThat(c.fetch("/template-module").text()).isEqualTo("<article>&lt;e&gt;|3</article>");
        }
    }

    @Test
    void autoescapeCoversTextAttributesUrlsAndScripts() {
        try (InMemoryClient c = client(ApplicationSettings.builder())) {
            String page = c.fetch("/escape").text();
            String escaped = "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt; é 😀";
            assertThat(page).contains("<p>" + escaped + "</p>", "<p title=\"" + escaped + "\">a</p>",
                    "<p title='" + escaped + "'>b</p>",
                    "<a href=\"/search?q=%3Cscript%3Ealert%28%22x%22+%26+%27y%27%29%3C%2Fscript%3E+%C3%A9+%F0%9F%98%80\">s</a>",
                    "<a href=\"javascript:alert(1)&quot; onmouseover=&quot;x\">u</a>",
                    "<script>var data = \"\\u003Cscript\\u003Ealert(\\\"x\\\" \\u0026 'y')\\u003C/script\\u003E é \\ud83d\\ude00\";</script>",
                    "<raw>" + HOSTILE + "</raw><tag>" + HOSTILE + "</tag>", "<safe><b>mine</b></safe>",
                    "<off>" + HOSTILE + "</off>");
            // the hostile script element appears exactly where it was asked for raw: three times
            assertThat(count(page, "<script>alert")).isEqualTo(3);
        }
    }

    @Test
    void autoescapeCanBeSwitchedOffForTheApplication() {
        try (InMemoryClient c = client(ApplicationSettings.builder().autoescape(false))) {
            String page = c.fetch("/escape").text();
            assertThat(page).contains("<p>" + HOSTILE + "</p>", "<safe><b>mine</b></safe>");
        }
    }

    @Test
    void theNamespaceHasTornadosEntriesAndCanBeExtended() {
        try (InMemoryClient c = client(ApplicationSettings.builder())) {
            assertThat(c.fetch("/site").text()).isEqualTo("Gale &lt;blog&gt;|GET|ann|hi x at /site");
        }
    }

    @Test
    void classPathTemplatesAreFoundAfterTheDirectory() {
        try (InMemoryClient c = client(ApplicationSettings.builder())) {
            assertThat(c.fetch("/cp").text()).isEqualTo("<p>from the class path: &lt;n&gt;</p>\n");
        }
        Application noPath = new Application(List.of(), ApplicationSettings.builder().build());
        noPath.get("/cp", h -> h.render("cp/hello.html", Map.of("name", "x")));
        try (InMemoryClient c = new InMemoryClient(noPath)) {
            assertThat(c.fetch("/cp").text()).isEqualTo("<p>from the class path: x</p>\n");
        }
    }

    @Test
    void debugModeShowsAnEditedTemplateAtOnceAndProductionKeepsTheCompiledOne() throws Exception {
        for (boolean debug : new boolean[] {true, false}) {
            write("edit.html", "first version");
            try (InMemoryClient c = client(ApplicationSettings.builder().debug(debug))) {
                assertThat(c.fetch("/edit").text()).isEqualTo("first version");
                write("edit.html", "second version, longer");
                assertThat(c.fetch("/edit").text()).as("debug " + debug)
                        .isEqualTo(debug ? "second version, longer" : "first version");
            }
        }
        // the cache is its own setting too
        write("edit.html", "one");
        try (InMemoryClient c = client(ApplicationSettings.builder().compiledTemplateCache(false))) {
            assertThat(c.fetch("/edit").text()).isEqualTo("one");
            write("edit.html", "two");
            assertThat(c.fetch("/edit").text()).isEqualTo("two");
        }
    }

    /** Captures what the SLF4J simple logger writes (to System.err) while a request runs. */
    private static String logOf(Runnable request) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            request.run();
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        original.print(log);
        return log;
    }

    /** The log line of a template error and the traceback page must both say template, line and cause. */
    private static void assertReported(InMemoryClient c, String template, String where, String cause) {
        String[] page = new String[1];
        String log = logOf(() -> {
            TestResponse r = c.fetch("/render/" + template);
            assertThat(r.code()).isEqualTo(500);
            page[0] = r.text();
        });
        Matcher line = Pattern.compile("(?m)^.*Template error GET /render/" + Pattern.quote(template) + " .*$").matcher(log);
        assertThat(line.find()).as("log line in:\n" + log).isTrue();
        assertThat(line.group()).contains(where, cause);
        assertThat(page[0]).contains(where, cause);
    }

    @Test
    void parseAndRenderErrorsNameTheTemplateAndLine() {
        try (InMemoryClient c = client(ApplicationSettings.builder().serveTraceback(true))) {
            assertReported(c, "bad-parse.html", "bad-parse.html:3: ", "Unexpected");
            assertReported(c, "bad-render.html", "bad-render.html:2: ", "kaboom");
            assertReported(c, "bad-outer.html", "bad-render.html:2: ", "kaboom");
            assertReported(c, "bad-attribute.html", "bad-attribute.html:4: ", "explode");
            assertReported(c, "recursive.html", "recursive.html", "recursion too deep");
        }
        try (InMemoryClient c = client(ApplicationSettings.builder())) {
            String[] page = new String[1];
            logOf(() -> page[0] = c.fetch("/render/bad-render.html").text());
            assertThat(page[0]).as("no details without serveTraceback")
                    .isEqualTo("<html><title>500: Internal Server Error</title><body>500: Internal Server Error</body></html>");
        }
    }

    @Test
    void aMissingTemplateNamesThePathsSearched() {
        try (InMemoryClient c = client(ApplicationSettings.builder().serveTraceback(true))) {
            String[] page = new String[1];
            String log = logOf(() -> page[0] = c.fetch("/render/nope/missing.html").text());
            String searched = "template not found: nope/missing.html (searched " + dir.toAbsolutePath().normalize()
                    .resolve("nope/missing.html") + ", classpath:templates/nope/missing.html)";
            assertThat(page[0]).contains(searched);
            assertThat(log).contains(searched);
            logOf(() -> page[0] = c.fetch("/render/..%2F..%2Fetc%2Fpasswd").text());
            assertThat(page[0]).contains("template not found: ../../etc/passwd (searched nothing: the name leaves the template root)");
        }
    }

    @Test
    void anotherEngineCanBePluggedIn() {
        TemplateEngine mine = new TemplateEngine() {
            @Override
            public void render(String name, TemplateNamespace ns, java.io.Writer out) throws java.io.IOException {
                out.write(name + ":" + ns.get("x") + ":" + ns.handler().request().path());
            }
        };
        Application app = new Application(List.of(), ApplicationSettings.builder().templateEngine(mine).build());
        app.get("/mine", h -> h.render("any", Map.of("x", 1)));
        try (InMemoryClient c = new InMemoryClient(app)) {
            assertThat(c.fetch("/mine").text()).isEqualTo("any:1:/mine");
        }
    }
}
