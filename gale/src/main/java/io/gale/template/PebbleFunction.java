package io.gale.template;

import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.extension.escaper.SafeString;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Gale {@link TemplateFunction} as a Pebble function: Pebble hands positional arguments as
 * "0", "1", ... (no declared names) and named ones by name; the result's {@link SafeHtml} becomes
 * Pebble's SafeString, which the escaper leaves alone. An exception from the function becomes a
 * Pebble error at the call's template and line; a {@link TemplateException} from a nested render
 * (a module's template) passes through, since it already names its own template.
 */
final class PebbleFunction implements Function {
    private final String name;
    private final TemplateFunction function;

    PebbleFunction(String name, TemplateFunction function) {
        this.name = name;
        this.function = function;
    }

    @Override
    public List<String> getArgumentNames() {
        return null;
    }

    @Override
    public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int lineNumber) {
        TemplateNamespace ns = PebbleNamespace.of(context);
        return call(name, function, ns, arguments(args), self.getName(), lineNumber);
    }

    static Object call(String name, TemplateFunction function, TemplateNamespace ns, TemplateArgs args,
            String template, int line) {
        Object result;
        try {
            result = function.call(ns, args);
        } catch (TemplateException | PebbleException e) {
            throw e;
        } catch (Exception e) {
            throw new PebbleException(e, name + "(): " + e, line, template);
        }
        return result instanceof SafeHtml html ? new SafeString(html.html()) : result;
    }

    /** Pebble's argument map ("0", "1", ... then names) as TemplateArgs. */
    static TemplateArgs arguments(Map<String, Object> args) {
        if (args.isEmpty()) {
            return TemplateArgs.NONE;
        }
        List<Object> positional = new ArrayList<>(args.size());
        Map<String, Object> named = null;
        for (int i = 0; ; i++) {
            String key = Integer.toString(i);
            if (!args.containsKey(key)) {
                break;
            }
            positional.add(args.get(key));
        }
        if (positional.size() < args.size()) {
            named = new HashMap<>();
            for (Map.Entry<String, Object> e : args.entrySet()) {
                if (!isIndex(e.getKey())) {
                    named.put(e.getKey(), e.getValue());
                }
            }
        }
        return new TemplateArgs(positional, named == null ? Map.of() : named);
    }

    private static boolean isIndex(String key) {
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) < '0' || key.charAt(i) > '9') {
                return false;
            }
        }
        return !key.isEmpty();
    }
}
