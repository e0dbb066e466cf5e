package io.gale.template;

import java.util.List;
import java.util.Map;

/**
 * The arguments of a call from a template: positional ones in order and named ones
 * ({@code linkify(text, shorten=true)}), as a {@link TemplateFunction}, {@link UIMethod} or
 * {@link UIModule} receives them. Immutable.
 *
 * @param positional the positional arguments (elements may be null)
 * @param named the named arguments by name
 */
public record TemplateArgs(List<Object> positional, Map<String, Object> named) {
    /** No arguments. */
    public static final TemplateArgs NONE = new TemplateArgs(List.of(), Map.of());

    /**
     * Creates a {@code TemplateArgs}; its components are described in the class comment.
     */
    public TemplateArgs {
        positional = java.util.Collections.unmodifiableList(positional);
        named = java.util.Collections.unmodifiableMap(named);
    }

    /**
     * The number of positional arguments.
     *
     * @return the number of positional arguments
     */
    public int size() {
        return positional.size();
    }

    /**
     * Positional argument {@code i}.
     *
     * @param i the index, from 0
     * @return the value
     * @throws IllegalArgumentException if there are not that many
     */
    public Object get(int i) {
        if (i >= positional.size()) {
            throw new IllegalArgumentException("missing argument " + (i + 1) + " (got " + positional.size() + ")");
        }
        return positional.get(i);
    }

    /**
     * Positional argument {@code i} as text ({@code toString}; null stays null).
     *
     * @param i the index, from 0
     * @return the string
     */
    public String string(int i) {
        Object v = get(i);
        return v == null ? null : v.toString();
    }

    /**
     * The named argument {@code name}, or {@code defaultValue} when it was not given.
     *
     * @param name the name
     * @param defaultValue returned when there is none
     * @return the named argument {@code name}, or {@code defaultValue} when it was not given
     */
    public Object get(String name, Object defaultValue) {
        return named.containsKey(name) ? named.get(name) : defaultValue;
    }

    /**
     * The named argument {@code name} as a boolean ({@code Boolean}, or text "true"); {@code defaultValue} if absent.
     *
     * @param name the name
     * @param defaultValue returned when there is none
     * @return the named argument {@code name} as a boolean ({@code Boolean}, or text "true"); {@code defaultValue} if absent
     */
    public boolean flag(String name, boolean defaultValue) {
        Object v = named.get(name);
        return v == null ? defaultValue : v instanceof Boolean b ? b : Boolean.parseBoolean(v.toString());
    }

    /**
     * The positional arguments from {@code from} on, as an array (for varargs such as {@code reverseUrl}).
     *
     * @param from the from
     * @return the positional arguments from {@code from} on, as an array (for varargs such as {@code reverseUrl})
     */
    public Object[] rest(int from) {
        return from >= positional.size() ? new Object[0] : positional.subList(from, positional.size()).toArray();
    }
}
