package io.gale.bench;

import io.gale.http.HttpExchange;
import io.gale.http.HttpHeaders;
import io.gale.http.HttpServerRequest;
import io.gale.http.HttpVersion;
import io.gale.ioloop.IOLoop;
import io.gale.template.TemplateArgs;
import io.gale.template.UIModule;
import io.gale.web.Application;
import io.gale.web.ApplicationSettings;
import io.gale.web.BenchHandlers;
import io.gale.web.RequestHandler;
import io.gale.escape.Escape;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.extension.escaper.SafeString;
import io.pebbletemplates.pebble.loader.FileLoader;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A Tornado-blog-like home page (a base template it extends, a header that depends on the user,
 * 20 entries each rendered by a UI module from its own template) through Gale's
 * {@code renderString}, against Pebble called directly on the same templates in two ways: the
 * entry template included in the loop (the cheapest plain-Pebble page), and a Pebble function
 * rendering the entry template for each entry (the work a module does). Gale's side
 * includes what a request pays: a new handler attached to the request, the namespace, a module
 * instance and 20 module calls, each building its own namespace.
 *
 * <p>Run: {@code java -jar gale-bench/target/benchmarks.jar TemplateBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseG1GC", "-Xmx1g"})
public class TemplateBench {
    /** A blog entry, read by the templates as {@code entry.slug} etc. */
    public record Entry(int id, String slug, String title, String published, String html) {
    }

    /** Tornado's blog demo's {@code Entry} module. */
    public static final class EntryModule extends UIModule {
        @Override
        public String render(TemplateArgs args) {
            return renderString("modules/entry.html", Map.of("entry", args.get(0)));
        }

        @Override
        public String embeddedCss() {
            return ".entry { margin-bottom: 2em; }";
        }
    }

    /** The handler rendering the page. */
    public static final class HomeHandler extends RequestHandler {
        @Override
        protected Object getCurrentUser() {
            return "ann";
        }
    }

    private static final String BASE = """
            <!DOCTYPE html>
            <html>
              <head>
                <meta charset="UTF-8"/>
                <title>{{ blogTitle }}</title>
                <link rel="stylesheet" href="/static/blog.css" type="text/css"/>
              </head>
              <body>
                <div id="body">
                  <div id="header">
                    <div style="float:right">
                      {% if currentUser %}
                        <a href="/compose">New post</a> -
                        <a href="/auth/logout?next={{ urlEscape(request.uri) }}">Sign out</a>
                      {% else %}
                        <a href="/auth/login?next={{ urlEscape(request.uri) }}">Sign in</a>
                      {% endif %}
                    </div>
                    <h1><a href="/">{{ blogTitle }}</a></h1>
                  </div>
                  <div id="content">{% block body %}{% endblock %}</div>
                </div>
                {% block bottom %}{% endblock %}
              </body>
            </html>
            """;
    private static final String ENTRY = """
            <div class="entry">
              <h1><a href="/entry/{{ entry.slug }}">{{ entry.title }}</a></h1>
              <div class="date">{{ entry.published }}</div>
              <div class="body">{{ entry.html | raw }}</div>
              {% if currentUser %}
                <div class="admin"><a href="/compose?id={{ entry.id }}">Edit this post</a></div>
              {% endif %}
            </div>
            """;
    private static final String HOME = """
            {% extends "base.html" %}
            {% block body %}
              {% for entry in entries %}{% module Entry(entry) %}{% endfor %}
              <div><a href="/archive">Archive</a></div>
            {% endblock %}
            """;
    private static final String HOME_PEBBLE = HOME.replace("{% module Entry(entry) %}", "{% include \"modules/entry.html\" %}");
    private static final String HOME_PEBBLE_FUNCTION = HOME.replace("{% module Entry(entry) %}", "{{ Entry(entry) }}");

    private Path dir;
    private IOLoop loop;
    private Application app;
    private HttpExchange connection;
    private HttpServerRequest request;
    private Map<String, Object> model;
    private PebbleEngine pebble;
    private Map<String, Object> pebbleModel;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("gale-template-bench");
        Files.createDirectories(dir.resolve("modules"));
        Files.writeString(dir.resolve("base.html"), BASE);
        Files.writeString(dir.resolve("home.html"), HOME);
        Files.writeString(dir.resolve("home-pebble.html"), HOME_PEBBLE);
        Files.writeString(dir.resolve("home-pebble-function.html"), HOME_PEBBLE_FUNCTION);
        Files.writeString(dir.resolve("modules/entry.html"), ENTRY);
        List<Entry> entries = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            entries.add(new Entry(i, "post-" + i, "Post number " + i + " & more", "2026-11-" + (i % 28 + 1),
                    "<p>The <em>body</em> of post " + i + ", with some text to make it look like one.</p>"));
        }
        loop = new IOLoop();
        connection = new NullConnection(loop);
        app = new Application(List.of(), ApplicationSettings.builder().templatePath(dir)
                .uiModules(Map.of("Entry", EntryModule.class)).build());
        request = new HttpServerRequest(connection, "GET", "/?page=1", HttpVersion.HTTP_1_1,
                new HttpHeaders().add("Host", "localhost"), "127.0.0.1", "http");
        model = Map.of("blogTitle", "Gale Blog", "entries", entries);

        FileLoader loader = new FileLoader(dir.toString());
        pebbleModel = new HashMap<>(model);
        pebbleModel.put("currentUser", "ann");
        pebbleModel.put("request", request);
        // Pebble has no urlEscape function: give it the same one Gale's templates call
        pebble = new PebbleEngine.Builder().loader(loader).extension(new PebbleSide()).build();

        String gale = galeRenderString();
        for (String direct : List.of(pebbleInclude(), pebbleModuleFunction())) {
            if (!gale.equals(direct) || !gale.contains("Post number 20 &amp; more")) {
                throw new IllegalStateException("the renders differ:\n" + gale + "\n----\n" + direct);
            }
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        loop.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A request's page through {@code RequestHandler.renderString}. */
    @Benchmark
    public String galeRenderString() {
        HomeHandler h = BenchHandlers.attach(new HomeHandler(), app, request, connection);
        return h.renderString("home.html", model);
    }

    /**
     * The same page from Pebble's own API, the entries included in the loop: the cheapest way to
     * write this page in plain Pebble (one evaluation, the include shares the page's context).
     */
    @Benchmark
    public String pebbleInclude() throws IOException {
        StringWriter out = new StringWriter();
        pebble.getTemplate("home-pebble.html").evaluate(out, pebbleModel);
        return out.toString();
    }

    /**
     * The same page from Pebble's own API doing a UI module's work: a Pebble function renders the
     * entry template on its own for each entry (as a module does) and returns it as safe markup.
     */
    @Benchmark
    public String pebbleModuleFunction() throws IOException {
        StringWriter out = new StringWriter();
        pebble.getTemplate("home-pebble-function.html").evaluate(out, pebbleModel);
        return out.toString();
    }

    /** Pebble's side of {@code urlEscape(...)} and of the Entry module. */
    final class PebbleSide extends AbstractExtension {
        @Override
        public Map<String, Function> getFunctions() {
            return Map.of("urlEscape", new Function() {
                @Override
                public List<String> getArgumentNames() {
                    return List.of("value");
                }

                @Override
                public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int line) {
                    return Escape.urlEscape(String.valueOf(args.get("value")));
                }
            }, "Entry", new Function() {
                @Override
                public List<String> getArgumentNames() {
                    return List.of("entry");
                }

                @Override
                public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int line) {
                    Map<String, Object> entryModel = new HashMap<>();
                    entryModel.put("entry", args.get("entry"));
                    entryModel.put("currentUser", context.getVariable("currentUser"));
                    entryModel.put("request", context.getVariable("request"));
                    StringWriter out = new StringWriter();
                    try {
                        pebble.getTemplate("modules/entry.html").evaluate(out, entryModel);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return new SafeString(out.toString());
                }
            });
        }
    }

    /** An exchange that is never written to (renderString does not send). */
    private static final class NullConnection implements HttpExchange {
        private final IOLoop loop;

        NullConnection(IOLoop loop) {
            this.loop = loop;
        }

        @Override
        public IOLoop loop() {
            return loop;
        }

        @Override
        public long maxBodySize() {
            return 0;
        }

        @Override
        public void setMaxBodySize(long bytes) {
        }

        @Override
        public CompletableFuture<Void> writeHeaders(int status, String reason, HttpHeaders headers, long contentLength,
                ByteBuffer firstChunk) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> write(ByteBuffer chunk) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> finish(HttpHeaders trailers) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean headersWritten() {
            return false;
        }

        @Override
        public boolean isClosed() {
            return false;
        }

        @Override
        public void close() {
        }
    }
}
