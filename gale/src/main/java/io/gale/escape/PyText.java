package io.gale.escape;

/**
 * Python 3's character classes, as Tornado's regular expressions see them: {@code \w}, and
 * {@code int()}'s digit rules ({@code \s}, {@code str.isspace()} and {@code str.strip()} are
 * {@link io.gale.internal.text.PyStrings}, shared with the locale package).
 * Java's {@code Character.isWhitespace}, {@code isLetterOrDigit} and {@code Integer.parseInt}
 * differ at the edges (no-break spaces, {@code No}/{@code Nl} numbers, underscores in numbers),
 * and the escape functions must give Tornado's answers there too. Stateless.
 */
final class PyText {
    private PyText() {
    }

    /** Python's {@code \w} on a str: a letter, a number of any kind (Nd, Nl, No), or {@code _}. */
    static boolean isWord(int cp) {
        if (cp < 128) {
            return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
        }
        if (Character.isLetter(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /**
     * Python's {@code int(text, radix)} for radix 10 or 16, on text without sign or spaces:
     * decimal digits of any script, ASCII letters for 16, single underscores between digits, an
     * optional {@code 0x} prefix for 16.
     *
     * @return the value, {@link Long#MAX_VALUE} if it is larger than that, or -1 if Python would
     *     raise {@code ValueError}
     */
    static long parseInt(String text, int radix) {
        int i = 0;
        int n = text.length();
        boolean afterPrefix = false;
        if (radix == 16 && n >= 2 && text.charAt(0) == '0' && (text.charAt(1) == 'x' || text.charAt(1) == 'X')) {
            i = 2;
            afterPrefix = true;
        }
        long value = 0;
        int digits = 0;
        boolean lastUnderscore = false;
        while (i < n) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '_') {
                // allowed between digits, and right after a base prefix
                if (lastUnderscore || (digits == 0 && !afterPrefix)) {
                    return -1;
                }
                lastUnderscore = true;
                continue;
            }
            int d = digit(cp, radix);
            if (d < 0) {
                return -1;
            }
            lastUnderscore = false;
            digits++;
            value = value > (Long.MAX_VALUE - d) / radix ? Long.MAX_VALUE : value * radix + d;
        }
        return digits == 0 || lastUnderscore ? -1 : value;
    }

    private static int digit(int cp, int radix) {
        if (cp >= '0' && cp <= '9') {
            return cp - '0';
        }
        if (radix == 16) {
            if (cp >= 'a' && cp <= 'f') {
                return cp - 'a' + 10;
            }
            if (cp >= 'A' && cp <= 'F') {
                return cp - 'A' + 10;
            }
        }
        // int() reads decimal digits of every script (category Nd), but letters only in ASCII
        return cp >= 128 && Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER ? Character.digit(cp, 10) : -1;
    }
}
