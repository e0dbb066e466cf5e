package io.gale.web;

import io.gale.http.HttpUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A redirect target with Python {@code str.format} placeholders, as Tornado's
 * {@code RedirectHandler} takes it: {@code {0}}, {@code {1}} ... for the route's groups in order,
 * {@code {}} for the next one, {@code {name}} for a named group, {@code {{}} and {@code }}} for
 * literal braces. Format specifications, conversions, attributes and indexes ({@code {0:>5}},
 * {@code {0!r}}, {@code {0.x}}, {@code {0[1]}}) are refused when the template is parsed, as is
 * mixing {@code {}} with {@code {0}} (Python refuses that too).
 *
 * <p>A substituted value is the group's percent-decoded text encoded again for a URL path
 * ({@code /} kept, everything but {@code A-Z a-z 0-9 - . _ ~} percent-encoded, as
 * {@link Application#reverseUrl} does), where Tornado inserts the decoded text as it is; the two
 * agree on ordinary path segments, and Gale's never puts a space, a quote or a non-ASCII
 * character into {@code Location}. An unmatched optional group gives "" (Tornado: "None").
 * Immutable and thread-safe.
 */
final class UrlTemplate {
    /** A literal piece (index -1, name null), a positional field (index ≥ 0) or a named field. */
    private record Part(String literal, int index, String name) {
    }

    private final String source;
    private final List<Part> parts;

    private UrlTemplate(String source, List<Part> parts) {
        this.source = source;
        this.parts = parts;
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException for an unbalanced brace or an unsupported field
     */
    static UrlTemplate parse(String template) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int auto = 0;
        boolean manual = false;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '}') {
                if (i + 1 < template.length() && template.charAt(i + 1) == '}') {
                    literal.append('}');
                    i++;
                    continue;
                }
                throw new IllegalArgumentException("single '}' in redirect URL " + template);
            }
            if (c != '{') {
                literal.append(c);
                continue;
            }
            if (i + 1 < template.length() && template.charAt(i + 1) == '{') {
                literal.append('{');
                i++;
                continue;
            }
            int close = template.indexOf('}', i);
            if (close < 0) {
                throw new IllegalArgumentException("single '{' in redirect URL " + template);
            }
            String field = template.substring(i + 1, close);
            if (!literal.isEmpty()) {
                parts.add(new Part(literal.toString(), -1, null));
                literal.setLength(0);
            }
            if (field.isEmpty()) {
                if (manual) {
                    throw new IllegalArgumentException("cannot mix {} and {0} in redirect URL " + template);
                }
                parts.add(new Part(null, auto++, null));
            } else if (field.chars().allMatch(ch -> ch >= '0' && ch <= '9') && field.length() <= 4) {
                if (auto > 0) {
                    throw new IllegalArgumentException("cannot mix {} and {0} in redirect URL " + template);
                }
                manual = true;
                parts.add(new Part(null, Integer.parseInt(field), null));
            } else if (isIdentifier(field)) {
                parts.add(new Part(null, -1, field));
            } else {
                throw new IllegalArgumentException("unsupported field {" + field + "} in redirect URL " + template
                        + " (Gale supports {}, {0} and {name})");
            }
            i = close;
        }
        if (!literal.isEmpty()) {
            parts.add(new Part(literal.toString(), -1, null));
        }
        return new UrlTemplate(template, List.copyOf(parts));
    }

    private static boolean isIdentifier(String s) {
        if (!Character.isJavaIdentifierStart(s.charAt(0)) || s.charAt(0) == '$') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!Character.isJavaIdentifierPart(s.charAt(i)) || s.charAt(i) == '$') {
                return false;
            }
        }
        return true;
    }

    /**
     * The URL with the fields filled.
     *
     * @throws IllegalArgumentException if a field names a group the route does not have
     */
    String format(List<String> args, Map<String, String> kwargs) {
        StringBuilder sb = new StringBuilder(source.length() + 32);
        for (Part p : parts) {
            if (p.literal() != null) {
                sb.append(p.literal());
                continue;
            }
            String value;
            if (p.name() != null) {
                if (!kwargs.containsKey(p.name())) {
                    throw new IllegalArgumentException("redirect URL " + source + " names group " + p.name()
                            + ", which the route does not have");
                }
                value = kwargs.get(p.name());
            } else {
                if (p.index() >= args.size()) {
                    throw new IllegalArgumentException("redirect URL " + source + " uses group {" + p.index()
                            + "}, the route has " + args.size());
                }
                value = args.get(p.index());
            }
            if (value != null) {
                sb.append(HttpUtil.urlEncode(value, false).replace("%2F", "/"));
            }
        }
        return sb.toString();
    }

    /** Whether the template is a path on this server ({@code /...}, not {@code //host/...}). */
    boolean isLocalPath() {
        return source.startsWith("/") && !source.startsWith("//") && !source.startsWith("/\\");
    }

    @Override
    public String toString() {
        return source;
    }
}
