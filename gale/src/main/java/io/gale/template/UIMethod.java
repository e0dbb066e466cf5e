package io.gale.template;

import io.gale.web.RequestHandler;

/**
 * A helper function for templates with access to the request's handler (Tornado's
 * {@code ui_methods}: a function whose first argument is the handler). Registered by name with
 * the {@code uiMethods} setting and called from any template as {@code name(args...)}:
 *
 * <pre>{@code
 * ApplicationSettings.builder().uiMethods(Map.of(
 *         "greeting", (handler, args) -> "Hello, " + handler.currentUser()))
 * // template:  <p>{{ greeting() }}</p>
 * }</pre>
 *
 * <p>A {@link SafeHtml} result is inserted as it is, anything else escaped (with autoescape on).
 * Called on the request's thread; shared by all requests, so it must be thread-safe.
 */
@FunctionalInterface
public interface UIMethod {
    /**
     * Runs the method for one call in a template.
     *
     * @param handler the handler rendering the template, or null outside a request
     * @param args the call's arguments
     * @return what the template inserts ({@link SafeHtml} as it is, anything else escaped)
     * @throws Exception any failure; the caller reports it
     */
    Object call(RequestHandler handler, TemplateArgs args) throws Exception;
}
