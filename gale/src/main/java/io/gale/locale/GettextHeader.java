package io.gale.locale;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;

/**
 * The parts of a gettext catalogue's header entry (the translation of the empty msgid) that
 * reading it needs: the charset of {@code Content-Type} and the {@code Plural-Forms} rule. Lines
 * are {@code Name: value}; a line without a colon continues the previous value; names are
 * compared case-insensitively, as Python's {@code gettext} does.
 */
record GettextHeader(Charset charset, PluralForms plural) {
    /** A catalogue without a header: UTF-8 and the Germanic rule. */
    static final GettextHeader NONE = new GettextHeader(StandardCharsets.UTF_8, PluralForms.GERMANIC);

    /**
     * Parses the header text.
     *
     * @throws TranslationFormatException for an unknown charset or an invalid plural rule
     */
    static GettextHeader parse(String text, String file) throws TranslationFormatException {
        String contentType = null;
        String pluralForms = null;
        String last = null;
        for (String line : text.split("\n")) {
            String item = line.strip();
            if (item.isEmpty() || (item.startsWith("#-#-#-#-#") && item.endsWith("#-#-#-#-#"))) {
                continue;
            }
            int colon = item.indexOf(':');
            if (colon >= 0) {
                last = item.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                String value = item.substring(colon + 1).strip();
                if (last.equals("content-type")) {
                    contentType = value;
                } else if (last.equals("plural-forms")) {
                    pluralForms = value;
                }
            } else if ("plural-forms".equals(last)) {
                pluralForms += "\n" + item;
            }
        }
        Charset charset = StandardCharsets.UTF_8;
        if (contentType != null) {
            int at = contentType.indexOf("charset=");
            if (at >= 0) {
                String name = contentType.substring(at + "charset=".length()).strip();
                int end = 0;
                while (end < name.length() && name.charAt(end) != ';' && !Character.isWhitespace(name.charAt(end))) {
                    end++;
                }
                name = name.substring(0, end);
                try {
                    charset = Charset.forName(name);
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    throw new TranslationFormatException(file + ": unknown charset \"" + name + "\" in Content-Type");
                }
            }
        }
        PluralForms plural = PluralForms.GERMANIC;
        if (pluralForms != null) {
            try {
                plural = PluralForms.fromHeader(pluralForms);
            } catch (TranslationFormatException e) {
                throw new TranslationFormatException(file + ": " + e.getMessage());
            }
        }
        return new GettextHeader(charset, plural);
    }
}
