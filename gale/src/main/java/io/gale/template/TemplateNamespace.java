package io.gale.template;

import io.gale.web.RequestHandler;
import java.util.HashMap;
import java.util.Map;

/**
 * The variables of one render (Tornado's template namespace): what a template sees by name,
 * plus the handler it renders for. {@code RequestHandler.getTemplateNamespace()} fills in
 * Tornado's entries ({@code handler}, {@code request}, {@code currentUser}, ...); the model given
 * to {@code render} is added over them; an override of {@code getTemplateNamespace} adds its own:
 *
 * <pre>{@code
 * @Override
 * protected TemplateNamespace getTemplateNamespace() {
 *     return super.getTemplateNamespace().put("siteName", "Gale blog");
 * }
 * }</pre>
 *
 * <p>Functions ({@code reverseUrl(...)}, {@code linkify(...)}) are not here: they belong to the
 * application and are given to its engine once ({@link TemplateEngine#withFunctions}); they
 * receive this namespace when called.
 *
 * <p>One namespace serves one render, on one thread; not thread-safe.
 */
public final class TemplateNamespace {
    private final RequestHandler handler;
    private final HashMap<String, Object> values;

    /**
     * An empty namespace for rendering on behalf of {@code handler}; null outside a request (an
     * e-mail rendered by a background job, a test).
     *
     * @param handler the request handler
     */
    public TemplateNamespace(RequestHandler handler) {
        this(handler, 16);
    }

    /**
     * As {@link #TemplateNamespace(RequestHandler)}, sized for about {@code expectedEntries} values.
     *
     * @param handler the request handler
     * @param expectedEntries the expected entries
     */
    public TemplateNamespace(RequestHandler handler, int expectedEntries) {
        this.handler = handler;
        this.values = HashMap.newHashMap(expectedEntries);
    }

    /**
     * The handler this render is for, or null outside a request.
     *
     * @return the handler this render is for, or null outside a request
     */
    public RequestHandler handler() {
        return handler;
    }

    /**
     * Sets a variable, replacing an earlier value of that name.
     *
     * @param name the name
     * @param value the value
     * @return this template namespace
     */
    public TemplateNamespace put(String name, Object value) {
        values.put(name, value);
        return this;
    }

    /**
     * Sets every entry of {@code model}, replacing earlier values of the same names.
     *
     * @param model the template's variables
     * @return this template namespace
     */
    public TemplateNamespace putAll(Map<String, ?> model) {
        values.putAll(model);
        return this;
    }

    /**
     * The value of a variable, or null.
     *
     * @param name the name
     * @return the value of a variable, or null
     */
    public Object get(String name) {
        return values.get(name);
    }

    /**
     * The variables, live (engines read them; changes show in the render).
     *
     * @return the variables, live (engines read them; changes show in the render)
     */
    public Map<String, Object> values() {
        return values;
    }
}
