package io.gale.web;

import io.gale.locale.Locale;
import io.gale.template.EscapeFunctions;
import io.gale.template.SafeHtml;
import io.gale.template.TemplateArgs;
import io.gale.template.TemplateFunction;
import io.gale.template.TemplateNamespace;
import io.gale.template.UIMethod;
import java.util.HashMap;
import java.util.Map;

/**
 * The functions of an application's templates (Tornado's namespace callables): the escape
 * helpers, the handler's ({@code reverseUrl}, {@code staticUrl}, {@code module}, {@code xsrfFormHtml}, {@code xsrfToken},
 * {@code _} and {@code pgettext} of the request's locale) and the {@code uiMethods} setting.
 * Each handler function is one line here: it finds the request's handler in the render's
 * namespace and calls the handler's method of the same name, so a new one is one more line in
 * {@link #table}.
 */
final class HandlerFunctions {
    private HandlerFunctions() {
    }

    static Map<String, TemplateFunction> table(Map<String, UIMethod> uiMethods) {
        Map<String, TemplateFunction> t = new HashMap<>(EscapeFunctions.all());
        t.put("reverseUrl", (ns, a) -> handler(ns).reverseUrl(a.string(0), a.rest(1)));
        t.put("module", (ns, a) -> SafeHtml.of(handler(ns).pageModules(true).render(a.string(0), a)));
        t.put("staticUrl", (ns, a) -> handler(ns).staticUrl(a.string(0)));
        t.put("xsrfFormHtml", (ns, a) -> SafeHtml.of(handler(ns).xsrfFormHtml()));
        t.put("xsrfToken", (ns, a) -> handler(ns).xsrfToken());
        t.put("_", (ns, a) -> translate(handler(ns).locale(), a));
        t.put("pgettext", (ns, a) -> a.size() >= 4
                ? handler(ns).locale().pgettext(a.string(0), a.string(1), a.string(2), count(a.get(3)))
                : handler(ns).locale().pgettext(a.string(0), a.string(1)));
        uiMethods.forEach((name, method) -> t.put(name, (ns, a) -> method.call(ns.handler(), a)));
        return Map.copyOf(t);
    }

    /** Tornado's {@code _(message)} and {@code _(singular, plural, count)}. */
    private static String translate(Locale locale, TemplateArgs a) {
        return a.size() >= 3 ? locale.translate(a.string(0), a.string(1), count(a.get(2))) : locale.translate(a.string(0));
    }

    private static long count(Object n) {
        if (n instanceof Number number) {
            return number.longValue();
        }
        throw new IllegalArgumentException("a plural count must be a number, not " + n);
    }

    private static RequestHandler handler(TemplateNamespace ns) {
        RequestHandler h = ns.handler();
        if (h == null) {
            throw new IllegalStateException("only available when rendering for a request");
        }
        return h;
    }
}
