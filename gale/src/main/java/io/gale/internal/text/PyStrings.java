package io.gale.internal.text;

/**
 * Python 3's whitespace, as {@code str.isspace()} and {@code str.strip()} see it: the one place
 * that knows it, for the packages that must read text as Tornado does ({@code io.gale.escape},
 * {@code io.gale.locale}). Java's {@code Character.isWhitespace} and {@code String.strip()} leave
 * out the no-break spaces (U+00A0, U+2007, U+202F) and U+0085, which Python strips. Stateless.
 */
public final class PyStrings {
    private PyStrings() {
    }

    /**
     * Python's {@code str.isspace()} (and {@code \s} on a str): bidirectional class WS, B or S, or
     * category Zs.
     *
     * @param cp a code point
     * @return whether Python counts it as whitespace
     */
    public static boolean isSpace(int cp) {
        if (cp < 128) {
            return cp == ' ' || (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x1f);
        }
        return cp == 0x85 || Character.isSpaceChar(cp);
    }

    /**
     * Python's {@code str.strip()}.
     *
     * @param s the text
     * @return {@code s} without leading and trailing {@link #isSpace} characters
     */
    public static String strip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to) {
            int cp = s.codePointAt(from);
            if (!isSpace(cp)) {
                break;
            }
            from += Character.charCount(cp);
        }
        while (to > from) {
            int cp = s.codePointBefore(to);
            if (!isSpace(cp)) {
                break;
            }
            to -= Character.charCount(cp);
        }
        return s.substring(from, to);
    }
}
