package io.gale.demos;

/**
 * HTML escaping for text placed in element content or a quoted attribute (Tornado's
 * {@code xhtml_escape}), shared by the demos that build HTML by hand. Stateless.
 */
public final class Html {
    private Html() {
    }

    /** {@code s} with {@code & < > " '} replaced by entities; returns {@code s} itself when none occur. */
    public static String escape(String s) {
        StringBuilder out = null;
        int last = 0;
        for (int i = 0; i < s.length(); i++) {
            String entity = switch (s.charAt(i)) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (entity != null) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 16);
                }
                out.append(s, last, i).append(entity);
                last = i + 1;
            }
        }
        return out == null ? s : out.append(s, last, s.length()).toString();
    }
}
