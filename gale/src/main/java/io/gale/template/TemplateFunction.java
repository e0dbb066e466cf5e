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
    Object call(TemplateNamespace namespace, TemplateArgs args) throws Exception;
}
