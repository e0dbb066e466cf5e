package io.gale.template;

import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import io.pebbletemplates.pebble.template.Scope;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/**
 * The root scope Gale hands Pebble for a render: the namespace's values, plus the namespace
 * itself under a key no template can spell, so that Gale's functions and tags find the render
 * they belong to. Lookups go straight to the values map (no copy per render).
 */
final class PebbleNamespace extends AbstractMap<String, Object> {
    /** Not a valid Pebble identifier, so never a template variable. */
    static final String KEY = "gale namespace";

    private final TemplateNamespace namespace;
    private final Map<String, Object> values;

    PebbleNamespace(TemplateNamespace namespace) {
        this.namespace = namespace;
        this.values = namespace.values();
    }

    /**
     * The namespace of the render {@code context} belongs to. Inside a macro Pebble hides the
     * caller's variables, so the lookup falls back to the outermost scopes.
     */
    static TemplateNamespace of(EvaluationContext context) {
        Object ns = context.getVariable(KEY);
        if (ns == null && context instanceof EvaluationContextImpl impl) {
            for (Scope scope : impl.getScopeChain().getGlobalScopes()) {
                ns = scope.get(KEY);
                if (ns != null) {
                    break;
                }
            }
        }
        return (TemplateNamespace) ns;
    }

    @Override
    public Object get(Object key) {
        return KEY.equals(key) ? namespace : values.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return KEY.equals(key) || values.containsKey(key);
    }

    @Override
    public Object put(String key, Object value) {
        return values.put(key, value);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return values.entrySet();
    }
}
