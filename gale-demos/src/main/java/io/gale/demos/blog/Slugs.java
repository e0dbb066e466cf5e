package io.gale.demos.blog;

import java.text.Normalizer;

/**
 * An entry's slug, the last segment of its URL ({@code /entry/my-first-post}), made from its title
 * the way Tornado's demo does: compatibility-decomposed (NFKD, so {@code é} gives {@code e} plus
 * an accent that is then dropped), every run of characters that are not letters, digits or
 * underscores becomes one {@code -}, lower case, ASCII only, at most {@value #MAX_LENGTH}
 * characters (cut at a {@code -} where there is one); a title with nothing left gives
 * {@code entry}. Unlike Tornado's, the length is bounded: its schema's slug column holds 100
 * characters while a title may have 512. Uniqueness is the store's ({@link BlogStore#insert}).
 * Stateless.
 */
final class Slugs {
    /** The longest slug made here; the store may add {@code -N}, and the column holds 100. */
    static final int MAX_LENGTH = 80;

    private Slugs() {
    }

    static String fromTitle(String title) {
        String decomposed = Normalizer.normalize(title, Normalizer.Form.NFKD);
        StringBuilder b = new StringBuilder(Math.min(decomposed.length(), MAX_LENGTH + 1));
        boolean gap = false;
        for (int i = 0; i < decomposed.length() && b.length() <= MAX_LENGTH; i++) {
            char c = decomposed.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
                if (gap && b.length() > 0) {
                    b.append('-');
                }
                gap = false;
                b.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                if (gap && b.length() > 0) {
                    b.append('-');
                }
                gap = false;
                b.append((char) (c + ('a' - 'A')));
            } else if (!isWordPart(c)) {
                gap = true; // a separator (space, punctuation): one '-' before the next word
            }
            // other word characters (letters of other scripts, combining accents) vanish, as
            // Tornado's ASCII encoding with errors='ignore' drops them
        }
        String slug = b.length() > MAX_LENGTH ? cut(b.toString()) : b.toString();
        return slug.isEmpty() ? "entry" : slug;
    }

    /** Python's {@code \w} for one character: letters, digits, marks that join words, underscore. */
    private static boolean isWordPart(char c) {
        int type = Character.getType(c);
        return Character.isLetterOrDigit(c) || c == '_' || type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK
                || Character.isSurrogate(c);
    }

    /** The first {@value #MAX_LENGTH} characters, back to the last {@code -} when that keeps half. */
    private static String cut(String slug) {
        String head = slug.substring(0, MAX_LENGTH);
        int dash = head.lastIndexOf('-');
        return dash >= MAX_LENGTH / 2 ? head.substring(0, dash) : head;
    }
}
