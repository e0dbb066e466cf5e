package io.gale.locale;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a gettext source catalogue ({@code .po}) into the same {@link GettextCatalog} that
 * {@code msgfmt} and {@link MoParser} would give for it: entries of {@code msgctxt},
 * {@code msgid}, {@code msgid_plural}, {@code msgstr} / {@code msgstr[N]}, each keyword followed
 * by one or more C string literals on the following lines (concatenated). As {@code msgfmt}
 * does, fuzzy entries ({@code #, fuzzy}), obsolete ones ({@code #~}) and untranslated ones (the
 * first msgstr empty) are left out, and a message defined twice is an error. The header entry
 * (empty msgid) gives the charset the strings are decoded with and the plural rule.
 *
 * <p>Strict: an unknown keyword, a keyword out of order, a string literal without its closing
 * quote or with an unknown escape, {@code msgstr[N]} out of sequence, a plural entry without
 * plural translations (or the reverse), a NUL in a msgid, msgctxt, msgid_plural or plural
 * msgstr (a .mo could not hold it) are {@link TranslationFormatException}s naming the line.
 * Nothing else is thrown, whatever the bytes. Work and memory are linear in the file's size
 * (escapes only shrink a string). Stateless and thread-safe.
 */
final class PoParser {
    private PoParser() {
    }

    /** One entry being read: strings as raw bytes (ISO-8859-1 chars) until the charset is known. */
    private static final class Entry {
        int line;
        boolean fuzzy;
        String context;
        String id;
        String idPlural;
        final List<String> strs = new ArrayList<>(2);
        /** Which string the next continuation line extends: 'c', 'i', 'p', 's' (strs' last), or 0. */
        char current;
    }

    /**
     * Parses {@code data}; {@code file} names it in messages.
     *
     * @throws TranslationFormatException if it is not a valid catalogue
     */
    static GettextCatalog parse(byte[] data, String file) throws TranslationFormatException {
        if (data.length > LocaleLimits.MAX_FILE_BYTES) {
            throw new TranslationFormatException(file + ": larger than " + LocaleLimits.MAX_FILE_BYTES + " bytes");
        }
        // ISO-8859-1 maps each byte to one char, so the syntax (all ASCII) is read before the
        // header says how the strings' bytes are to be decoded.
        String text = new String(data, StandardCharsets.ISO_8859_1);
        List<Entry> entries = new ArrayList<>();
        Entry e = null;
        boolean fuzzyNext = false;
        int lineNo = 0;
        int pos = 0;
        if (text.startsWith("\u00ef\u00bb\u00bf")) {
            pos = 3; // a UTF-8 byte order mark
        }
        while (pos <= text.length()) {
            int nl = text.indexOf('\n', pos);
            int end = nl < 0 ? text.length() : nl;
            String line = text.substring(pos, end).strip();
            pos = end + 1;
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.charAt(0) == '#') {
                if (line.startsWith("#,") && hasFlag(line.substring(2), "fuzzy")) {
                    fuzzyNext = true;
                }
                continue; // comments, references, flags, previous msgids, obsolete (#~) entries
            }
            String at = file + ":" + lineNo;
            if (line.charAt(0) == '"') {
                if (e == null || e.current == 0) {
                    throw new TranslationFormatException(at + ": string without a keyword");
                }
                String more = literal(line, 0, at);
                switch (e.current) {
                    case 'c' -> e.context += more;
                    case 'i' -> e.id += more;
                    case 'p' -> e.idPlural += more;
                    default -> e.strs.set(e.strs.size() - 1, e.strs.get(e.strs.size() - 1) + more);
                }
                continue;
            }
            int space = 0;
            while (space < line.length() && line.charAt(space) != ' ' && line.charAt(space) != '\t'
                    && line.charAt(space) != '"') {
                space++;
            }
            String keyword = line.substring(0, space);
            String value = literal(line, space, at);
            switch (keyword) {
                case "msgctxt", "msgid" -> {
                    boolean continues = keyword.equals("msgid") && e != null && e.context != null && e.id == null
                            && e.strs.isEmpty();
                    if (!continues) {
                        if (e != null && e.strs.isEmpty()) {
                            throw new TranslationFormatException(at + ": " + keyword + " before the msgstr of the entry "
                                    + "at line " + e.line);
                        }
                        e = new Entry();
                        e.line = lineNo;
                        e.fuzzy = fuzzyNext;
                        fuzzyNext = false;
                        entries.add(e);
                    }
                    if (keyword.equals("msgctxt")) {
                        e.context = value;
                        e.current = 'c';
                    } else {
                        e.id = value;
                        e.current = 'i';
                    }
                }
                case "msgid_plural" -> {
                    if (e == null || e.id == null || e.idPlural != null || !e.strs.isEmpty()) {
                        throw new TranslationFormatException(at + ": msgid_plural out of place");
                    }
                    e.idPlural = value;
                    e.current = 'p';
                }
                case "msgstr" -> {
                    if (e == null || e.id == null || !e.strs.isEmpty() || e.idPlural != null) {
                        throw new TranslationFormatException(at + ": msgstr out of place"
                                + (e != null && e.idPlural != null ? " (a plural entry needs msgstr[N])" : ""));
                    }
                    e.strs.add(value);
                    e.current = 's';
                }
                default -> {
                    int index = pluralIndex(keyword);
                    if (index < 0) {
                        throw new TranslationFormatException(at + ": unknown keyword \"" + abbreviate(keyword) + "\"");
                    }
                    if (e == null || e.id == null || e.idPlural == null) {
                        throw new TranslationFormatException(at + ": msgstr[" + index + "] without msgid_plural");
                    }
                    if (index != e.strs.size()) {
                        throw new TranslationFormatException(at + ": msgstr[" + index + "] out of sequence (expected msgstr["
                                + e.strs.size() + "])");
                    }
                    e.strs.add(value);
                    e.current = 's';
                }
            }
        }
        if (e != null && e.strs.isEmpty()) {
            throw new TranslationFormatException(file + ":" + e.line + ": entry without msgstr");
        }
        return build(entries, file);
    }

    private static GettextCatalog build(List<Entry> entries, String file) throws TranslationFormatException {
        GettextHeader header = GettextHeader.NONE;
        for (Entry e : entries) {
            if (e.context == null && e.id.isEmpty()) {
                header = GettextHeader.parse(decode(e.strs.get(0), StandardCharsets.UTF_8, file, e.line), file);
                break;
            }
        }
        Charset cs = header.charset();
        Map<String, String> singular = new HashMap<>();
        Map<String, List<String>> plural = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Entry e : entries) {
            String key = decode(e.context == null ? e.id : e.context + GettextCatalog.CONTEXT_SEPARATOR + e.id, cs,
                    file, e.line);
            Integer before = seen.put(key, e.line);
            if (before != null) {
                throw new TranslationFormatException(file + ":" + e.line + ": duplicate message definition (first at line "
                        + before + ")");
            }
            if (key.isEmpty() || e.fuzzy || e.strs.get(0).isEmpty()) {
                continue; // the header; fuzzy and untranslated entries, which msgfmt leaves out
            }
            // A .mo separates msgid from msgid_plural, and plural forms, by NUL: a NUL inside one of
            // them would compile into another entry than this one, so the catalogue is refused.
            if (key.indexOf('\0') >= 0 || e.idPlural != null && (e.idPlural.indexOf('\0') >= 0
                    || e.strs.stream().anyMatch(str -> str.indexOf('\0') >= 0))) {
                throw new TranslationFormatException(file + ":" + e.line + ": a NUL in a msgid, msgctxt, msgid_plural "
                        + "or plural msgstr cannot be compiled into a .mo file");
            }
            if (e.idPlural == null) {
                singular.put(key, decode(e.strs.get(0), cs, file, e.line));
            } else {
                List<String> forms = new ArrayList<>(e.strs.size());
                for (String s : e.strs) {
                    forms.add(decode(s, cs, file, e.line));
                }
                plural.put(key, List.copyOf(forms));
            }
        }
        return new GettextCatalog(singular, plural, header.plural());
    }

    private static String decode(String raw, Charset cs, String file, int line) throws TranslationFormatException {
        try {
            byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
            return Decoding.strict(bytes, 0, bytes.length, cs);
        } catch (java.nio.charset.CharacterCodingException ex) {
            throw new TranslationFormatException(file + ":" + line + ": string is not valid " + cs.name());
        }
    }

    private static boolean hasFlag(String flags, String flag) {
        for (String f : flags.split(",")) {
            if (f.strip().equals(flag)) {
                return true;
            }
        }
        return false;
    }

    /** {@code msgstr[N]} → N (at most 3 digits); -1 for anything else. */
    private static int pluralIndex(String keyword) {
        if (!keyword.startsWith("msgstr[") || !keyword.endsWith("]") || keyword.length() < 9 || keyword.length() > 11) {
            return -1;
        }
        int v = 0;
        for (int i = 7; i < keyword.length() - 1; i++) {
            char c = keyword.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /**
     * The C string literal starting at or after {@code from} (after blanks), which must end the
     * line, with its escapes resolved.
     */
    static String literal(String line, int from, String at) throws TranslationFormatException {
        int i = from;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        if (i >= line.length() || line.charAt(i) != '"') {
            throw new TranslationFormatException(at + ": expected a string in quotes");
        }
        StringBuilder sb = new StringBuilder(line.length() - i);
        i++;
        for (;;) {
            if (i >= line.length()) {
                throw new TranslationFormatException(at + ": string without its closing quote");
            }
            char c = line.charAt(i++);
            if (c == '"') {
                break;
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i >= line.length()) {
                throw new TranslationFormatException(at + ": string without its closing quote");
            }
            char x = line.charAt(i++);
            switch (x) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'v' -> sb.append('\u000b');
                case '\\', '"', '\'', '?' -> sb.append(x);
                case 'x' -> {
                    int v = 0;
                    int digits = 0;
                    while (i < line.length() && Character.digit(line.charAt(i), 16) >= 0 && digits < 2) {
                        v = v * 16 + Character.digit(line.charAt(i++), 16);
                        digits++;
                    }
                    if (digits == 0) {
                        throw new TranslationFormatException(at + ": \\x without hex digits");
                    }
                    sb.append((char) v);
                }
                default -> {
                    if (x < '0' || x > '7') {
                        throw new TranslationFormatException(at + ": unknown escape \\" + x);
                    }
                    int v = x - '0';
                    for (int k = 0; k < 2 && i < line.length() && line.charAt(i) >= '0' && line.charAt(i) <= '7'; k++) {
                        v = v * 8 + (line.charAt(i++) - '0');
                    }
                    sb.append((char) (v & 0xff));
                }
            }
        }
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        if (i != line.length()) {
            throw new TranslationFormatException(at + ": text after the string");
        }
        return sb.toString();
    }
}
