package io.gale.web;

import io.gale.template.EscapeFunctions;
import io.gale.template.SafeHtml;
import io.gale.template.TemplateFunction;
import io.gale.template.TemplateNamespace;
import io.gale.template.UIMethod;
import java.util.HashMap;
import java.util.Map;

/**
 * The functions of an application's templates (Tornado's namespace callables): the escape
 * helpers, the handler's ({@code reverseUrl}, {@code module}) and the {@code uiMethods} setting.
 * Each handler function is one line here: it finds the request's handler in the render's
 * namespace and calls the handler's method of the same name, so a new one (for example
 * {@code staticUrl}, {@code xsrfFormHtml}, {@code _}) is one more line in {@link #table}.
 */
final class HandlerFunctions {
    private HandlerFunctions() {
    }

    static Map<String, TemplateFunction> table(Map<String, UIMethod> uiMethods) {
        Map<String, TemplateFunction> t = new HashMap<>(EscapeFunctions.all());
        t.put("reverseUrl", (ns, a) -> handler(ns).reverseUrl(a.string(0), a.rest(1)));
        t.put("module", (ns, a) -> SafeHtml.of(handler(ns).pageModules(true).render(a.string(0), a)));
        uiMethods.forEach((name, method) -> t.put(name, (ns, a) -> method.call(ns.handler(), a)));
        return Map.copyOf(t);
    }

    private static RequestHandler handler(TemplateNamespace ns) {
        RequestHandler h = ns.handler();
        if (h == null) {
            throw new IllegalStateException("only available when rendering for a request");
        }
        return h;
    }
}
