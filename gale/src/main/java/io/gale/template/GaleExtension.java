package io.gale.template;

import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.tokenParser.TokenParser;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What Gale adds to Pebble: its template functions (escape helpers, the application's handler
 * functions, {@code uiMethods}) as Pebble functions, its {@code escape} filter, and the Tornado tags
 * {@code {% module Name(args) %}} and {@code {% raw expr %}}.
 */
final class GaleExtension extends AbstractExtension {
    private final Map<String, Function> functions;
    private final List<TokenParser> tags;

    GaleExtension(Map<String, TemplateFunction> templateFunctions) {
        Map<String, Function> f = new HashMap<>();
        templateFunctions.forEach((name, fn) -> f.put(name, new PebbleFunction(name, fn)));
        this.functions = Map.copyOf(f);
        this.tags = List.of(new ModuleTag(templateFunctions.get("module")), new RawTag());
    }

    @Override
    public Map<String, Filter> getFilters() {
        return Map.of("escape", new EscapeFilter()); // replaces Pebble's: extensions given to the builder win
    }

    @Override
    public Map<String, Function> getFunctions() {
        return functions;
    }

    @Override
    public List<TokenParser> getTokenParsers() {
        return tags;
    }
}
