package io.gale.template;

import io.gale.escape.Escape;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.Extension;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gale's default {@link TemplateEngine}: Pebble 4 (Jinja/Twig syntax: {@code {% extends %}},
 * {@code {% block %}}, {@code {% include %}}, {@code {% macro %}}, {@code {% for %}},
 * {@code {{ value }}}), configured the way Tornado's templates behave:
 *
 * <ul>
 *   <li>Autoescape on by default: every {@code {{ }}} is escaped with {@link Escape#xhtmlEscape}
 *       (Pebble's {@code escape} filter and its {@code html} strategy are Gale's) unless it is marked raw ({@code | raw},
 *       {@code {% raw x %}}) or is {@link SafeHtml}. Per template:
 *       {@code {% autoescape false %}...{% endautoescape %}}.
 *   <li>Templates from a directory ({@link Builder#templatePath}) and/or the class path
 *       ({@link Builder#classpath}), compiled once and cached; with the cache off (debug mode) a
 *       template is read and compiled on every use, so an edit shows on the next request.
 *   <li>The escape helpers ({@link EscapeFunctions}) and the application's functions are Pebble
 *       functions, callable in macros and included templates too; {@code {% module Name(args) %}}
 *       and {@code {% raw expr %}} work as in Tornado.
 *   <li>Errors are {@link TemplateException}s naming the template and line.
 * </ul>
 *
 * <pre>{@code
 * TemplateEngine engine = PebbleTemplateEngine.builder()
 *         .templatePath(Path.of("templates"))
 *         .cache(false)
 *         .build();
 * String html = engine.renderToString("home.html", new TemplateNamespace(null).put("title", "Home"));
 * }</pre>
 *
 * <p>Limits: {@link TemplateLimits}. Thread-safe: one engine renders for all requests at once.
 * Variables that do not exist print as nothing (Pebble's default; {@link Builder#strictVariables}
 * makes them errors as in Tornado).
 */
public final class PebbleTemplateEngine implements TemplateEngine {
    private final Builder config;
    private final PebbleEngine pebble;
    /**
     * The largest output of each template so far: {@link #renderToString} starts its buffer at
     * that size, so a page is not copied again and again while its buffer grows. One entry per
     * template name (bounded by the templates the application has).
     */
    private final ConcurrentHashMap<String, Integer> sizes = new ConcurrentHashMap<>();

    private PebbleTemplateEngine(Builder config, Map<String, TemplateFunction> functions) {
        this.config = config;
        Map<String, TemplateFunction> all = new HashMap<>(EscapeFunctions.all());
        all.putAll(functions);
        PebbleEngine.Builder b = new PebbleEngine.Builder()
                .loader(new TemplateLoader(config.templatePath, config.classpathRoot,
                        config.classLoader != null ? config.classLoader : PebbleTemplateEngine.class.getClassLoader(),
                        config.limits.maxTemplateBytes()))
                .autoEscaping(config.autoescape)
                .cacheActive(config.cache)
                .strictVariables(config.strictVariables)
                .extension(new GaleExtension(all));
        if (config.limits.maxRenderedChars() > 0) {
            b.maxRenderedSize(config.limits.maxRenderedChars());
        }
        for (Extension e : config.extensions) {
            b.extension(e);
        }
        this.pebble = b.build();
    }

    /**
     * A builder: no template directory, class path root {@code templates}, autoescape and cache on.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void render(String name, TemplateNamespace namespace, Writer out) throws IOException {
        try {
            PebbleTemplate template = pebble.getTemplate(name);
            template.evaluate(out, new PebbleNamespace(namespace));
        } catch (TemplateException e) {
            throw e;
        } catch (PebbleException e) {
            throw converted(e, name);
        } catch (StackOverflowError e) {
            throw new TemplateException(name, 0, "recursion too deep (a template including or extending itself?)", e);
        } catch (RuntimeException e) {
            throw new TemplateException(name, 0, e.toString(), e);
        }
    }

    @Override
    public String renderToString(String name, TemplateNamespace namespace) {
        Integer size = sizes.get(name);
        StringBuilderWriter out = new StringBuilderWriter(size == null ? 256 : size);
        try {
            render(name, namespace, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the writer is in memory
        }
        int length = out.length();
        if (size == null || length > size) {
            sizes.put(name, length);
        }
        return out.toString();
    }

    /** Pebble's error as Gale's, keeping a missing template's list of places searched. */
    private static TemplateException converted(PebbleException e, String name) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TemplateException te) {
                return te;
            }
        }
        String file = e.getFileName() != null ? e.getFileName() : name;
        int line = e.getLineNumber() == null ? 0 : e.getLineNumber();
        String message = e.getPebbleMessage() != null ? e.getPebbleMessage() : String.valueOf(e.getCause());
        return new TemplateException(file, line, message, e);
    }

    @Override
    public TemplateEngine withFunctions(Map<String, TemplateFunction> functions) {
        return new PebbleTemplateEngine(config, functions);
    }

    /**
     * The underlying Pebble engine (for its own API: {@code getTemplate}, the template cache).
     *
     * @return the underlying Pebble engine (for its own API: {@code getTemplate}, the template cache)
     */
    public PebbleEngine pebble() {
        return pebble;
    }

    /** Configuration of a {@link PebbleTemplateEngine}; not thread-safe. */
    public static final class Builder {
        private Path templatePath;
        private String classpathRoot = "templates";
        private ClassLoader classLoader;
        private boolean autoescape = true;
        private boolean cache = true;
        private boolean strictVariables;
        private TemplateLimits limits = TemplateLimits.DEFAULTS;
        private final List<Extension> extensions = new ArrayList<>();
        private Map<String, TemplateFunction> functions = Map.of();

        private Builder() {
        }

        private Builder copy() {
            Builder b = new Builder();
            b.templatePath = templatePath;
            b.classpathRoot = classpathRoot;
            b.classLoader = classLoader;
            b.autoescape = autoescape;
            b.cache = cache;
            b.strictVariables = strictVariables;
            b.limits = limits;
            b.extensions.addAll(extensions);
            b.functions = functions;
            return b;
        }

        /**
         * The template directory, searched first; null for none (default).
         *
         * @param directory the template path
         * @return this builder
         */
        public Builder templatePath(Path directory) {
            this.templatePath = directory;
            return this;
        }

        /**
         * The class path folder searched after the directory (default {@code templates}, so
         * {@code src/main/resources/templates/home.html} is {@code "home.html"}); null for none.
         * In a named module the folder's package must be open to {@code io.gale}.
         *
         * @param root the classpath
         * @return this builder
         */
        public Builder classpath(String root) {
            this.classpathRoot = root;
            return this;
        }

        /**
         * The class loader of the class path templates; default: Gale's.
         *
         * @param loader the class loader
         * @return this builder
         */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = loader;
            return this;
        }

        /**
         * Escapes every {@code {{ }}} not marked raw (default true: Tornado's and Pebble's default).
         *
         * @param autoescape true for autoescape
         * @return this builder
         */
        public Builder autoescape(boolean autoescape) {
            this.autoescape = autoescape;
            return this;
        }

        /**
         * Keeps compiled templates (default true); false re-reads and recompiles on every use (debug).
         *
         * @param cache true for cache
         * @return this builder
         */
        public Builder cache(boolean cache) {
            this.cache = cache;
            return this;
        }

        /**
         * Makes a missing variable or attribute an error, as in Tornado (default false: prints nothing).
         *
         * @param strict true for strict variables
         * @return this builder
         */
        public Builder strictVariables(boolean strict) {
            this.strictVariables = strict;
            return this;
        }

        /**
         * See {@link TemplateLimits}; default {@link TemplateLimits#DEFAULTS}.
         *
         * @param limits the limits
         * @return this builder
         */
        public Builder limits(TemplateLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Adds a Pebble extension (filters, tests, functions, tags of your own).
         *
         * @param extension the extension
         * @return this builder
         */
        public Builder extension(Extension extension) {
            this.extensions.add(Objects.requireNonNull(extension, "extension"));
            return this;
        }

        /**
         * Functions callable by name, besides the escape helpers (an application adds its own with {@link #withFunctions}).
         *
         * @param functions the functions
         * @return this builder
         */
        public Builder functions(Map<String, TemplateFunction> functions) {
            this.functions = Map.copyOf(functions);
            return this;
        }

        /**
         * Builds the {@code PebbleTemplateEngine}.
         *
         * @return the pebble template engine
         */
        public PebbleTemplateEngine build() {
            return new PebbleTemplateEngine(copy(), functions);
        }
    }
}
