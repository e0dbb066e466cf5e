package io.gale.web;

import io.gale.http.HttpUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compiled route pattern (Tornado's {@code PathMatches}): a regex anchored at both ends whose
 * groups become the handler's path arguments, and, for simple patterns, the template that
 * {@link Application#reverseUrl} fills. Immutable and thread-safe.
 */
final class PathPattern {
    private final String source;
    private final Pattern pattern;
    /** group index (1-based) to name, null entries for unnamed groups. */
    private final String[] groupNames;
    /** literal pieces between groups; null if the pattern is too complex to reverse. */
    private final List<String> reverseParts;

    PathPattern(String regex) {
        String anchored = regex.endsWith("$") ? regex : regex + "$";
        this.source = regex;
        this.pattern = Pattern.compile(anchored);
        int count = pattern.matcher("").groupCount();
        this.groupNames = new String[count + 1];
        for (Map.Entry<String, Integer> e : pattern.namedGroups().entrySet()) {
            groupNames[e.getValue()] = e.getKey();
        }
        this.reverseParts = reverseTemplate(anchored, count);
    }

    String source() {
        return source;
    }

    int groupCount() {
        return groupNames.length - 1;
    }

    /** Matches a (still percent-encoded) path; null when it does not match. */
    Matcher match(String path) {
        Matcher m = pattern.matcher(path);
        return m.matches() ? m : null;
    }

    /** The name of group {@code i} (1-based), or null. */
    String groupName(int i) {
        return groupNames[i];
    }

    /**
     * Fills the pattern's groups with {@code args}, percent-encoded.
     *
     * @throws IllegalArgumentException if the pattern is not reversible or the count is wrong
     */
    String reverse(Object... args) {
        if (reverseParts == null) {
            throw new IllegalArgumentException("cannot reverse the complex pattern " + source);
        }
        if (args.length != groupCount()) {
            throw new IllegalArgumentException("pattern " + source + " needs " + groupCount() + " arguments, got "
                    + args.length);
        }
        StringBuilder sb = new StringBuilder(reverseParts.get(0));
        for (int i = 0; i < args.length; i++) {
            sb.append(HttpUtil.urlEncode(String.valueOf(args[i]), false).replace("%2F", "/"));
            sb.append(reverseParts.get(i + 1));
        }
        return sb.toString();
    }

    /**
     * Splits {@code ^literal(group)literal(group)literal$} into its literal parts, as Tornado's
     * {@code _find_groups}: null when a literal holds regex syntax or groups nest.
     */
    private static List<String> reverseTemplate(String regex, int groups) {
        String p = regex.startsWith("^") ? regex.substring(1) : regex;
        p = p.substring(0, p.length() - 1); // the '$'
        List<String> parts = new ArrayList<>(groups + 1);
        StringBuilder literal = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                char next = p.charAt(++i);
                if (depth == 0) {
                    if (Character.isLetterOrDigit(next)) {
                        return null; // \d, \w, ... outside a group: no single literal
                    }
                    literal.append(next);
                }
                continue;
            }
            if (c == '(') {
                if (depth == 0) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                } else {
                    return null;
                }
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth < 0) {
                    return null;
                }
            } else if (depth == 0 && "[]{}*+?|.^$".indexOf(c) >= 0) {
                return null;
            } else if (depth == 0) {
                literal.append(c);
            }
        }
        parts.add(literal.toString());
        return parts.size() == groups + 1 ? parts : null;
    }
}
