package io.gale.template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;

/**
 * A template engine as Gale uses it (Tornado's {@code template_loader}): finds a template by
 * name, compiles it (once, if it caches) and renders it with a {@link TemplateNamespace}. Gale's
 * default is {@link PebbleTemplateEngine}; an application plugs in another (JTE, Thymeleaf, a
 * differently configured Pebble) with the {@code templateEngine} setting or by overriding
 * {@code RequestHandler.createTemplateLoader}, without touching its handlers.
 *
 * <p>What an implementation must do: make the namespace's {@linkplain TemplateNamespace#values()
 * values} visible as variables; make the {@linkplain #withFunctions functions} callable by name;
 * not escape {@link SafeHtml} values; report errors as {@link TemplateException} (with template
 * name and line where it knows them) and a missing template as
 * {@link TemplateNotFoundException}.
 *
 * <p>Threading: one engine serves every request of an application at once, on every loop and
 * virtual thread: implementations must be thread-safe. A render runs on the calling thread and
 * blocks it only for template I/O (loading a template not yet cached).
 */
public interface TemplateEngine {
    /**
     * Renders the template {@code name} into {@code out}.
     *
     * @param name the name
     * @param namespace the template namespace
     * @param out where to write
     * @throws TemplateNotFoundException if there is no such template (or a template it includes)
     * @throws TemplateException if a template cannot be parsed or fails while rendering
     * @throws IOException if {@code out} fails
     */
    void render(String name, TemplateNamespace namespace, Writer out) throws IOException;

    /**
     * Renders the template {@code name} to a String (see {@link #render}).
     *
     * @param name the name
     * @param namespace the template namespace
     * @return the rendered string
     */
    default String renderToString(String name, TemplateNamespace namespace) {
        StringBuilderWriter out = new StringBuilderWriter();
        try {
            render(name, namespace, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the writer is in memory
        }
        return out.toString();
    }

    /**
     * This engine with {@code functions} callable by name in its templates (the application's
     * helpers, {@code uiMethods} and {@code module}), in addition to its own. The application calls
     * this once per engine, when it starts using it; an engine whose templates reach functions
     * through the namespace at render time may return itself (the default).
     *
     * @param functions the functions
     * @return this template engine
     */
    default TemplateEngine withFunctions(Map<String, TemplateFunction> functions) {
        return this;
    }
}
