package io.gale.template;

/**
 * A function templates call by name, such as {@code reverseUrl("entry", slug)} or
 * {@code linkify(text)}: Tornado's namespace callables. It receives the render's namespace (for
 * the handler and request) and the call's arguments. A {@link SafeHtml} result is inserted as it
 * is; anything else is escaped when autoescape is on.
 *
 * <p>Functions are shared by every render at once: they must be thread-safe (stateless, as a rule).
 * An exception becomes a {@link TemplateException} naming the template and line of the call.
 */
@FunctionalInterface
public interface TemplateFunction {
    /**
     * Runs the function for one call in a template.
     *
     * @param namespace the render's namespace (handler, request, variables)
     * @param args the call's arguments
     * @return what the template inserts ({@link SafeHtml} as it is, anything else escaped)
     * @throws Exception any failure; the caller reports it
     */
    Object call(TemplateNamespace namespace, TemplateArgs args) throws Exception;
}
