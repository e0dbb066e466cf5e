package io.gale.locale;

import io.gale.internal.text.PyStrings;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Reads Tornado's CSV translation format ({@code load_translations}): rows of
 * {@code "message","translation"[,"plural"|"singular"|"unknown"]} in CSV's "excel" dialect as
 * Python's {@code csv} module reads it (comma separated, fields optionally in double quotes,
 * {@code ""} for a quote inside quotes, line breaks allowed inside quotes; lenient like Python's
 * non-strict reader: a quote inside an unquoted field is a character, text after a closing quote
 * joins the field, a file ending inside quotes ends the field). Line breaks are normalised first
 * ({@code \r\n} and {@code \r} become {@code \n}), as Python's text mode does. Fields are
 * stripped as Python's {@code str.strip()} strips (no-break spaces and U+0085 too); rows with
 * fewer than two fields are skipped; a row with another plural indicator is logged and skipped,
 * as Tornado does.
 *
 * <p>Encoding: the one given, else detected per file as Tornado does: UTF-16 with a UTF-16 byte
 * order mark, else UTF-8 with or without its BOM. Bytes invalid in that encoding are a
 * {@link TranslationFormatException} (Tornado raises too). Work and memory are linear in the
 * file's size. Stateless and thread-safe.
 */
final class CsvParser {
    private CsvParser() {
    }

    /**
     * Parses one file; {@code encoding} null to detect it.
     *
     * @throws TranslationFormatException if the bytes do not decode or the file is too large
     */
    static CsvCatalog parse(byte[] data, Charset encoding, String file) throws TranslationFormatException {
        if (data.length > LocaleLimits.MAX_FILE_BYTES) {
            throw new TranslationFormatException(file + ": larger than " + LocaleLimits.MAX_FILE_BYTES + " bytes");
        }
        String text = decode(data, encoding, file);
        Map<String, Map<String, String>> tables = new HashMap<>();
        for (String kind : List.of("singular", "plural", "unknown")) {
            tables.put(kind, new HashMap<>());
        }
        Rows rows = new Rows(text);
        for (List<String> row = rows.next(); row != null; row = rows.next()) {
            if (row.size() < 2) {
                continue;
            }
            String plural = row.size() > 2 ? PyStrings.strip(row.get(2)) : "";
            if (plural.isEmpty()) {
                plural = "unknown";
            }
            Map<String, String> table = tables.get(plural);
            if (table == null) {
                LoggerFactory.getLogger("gale.general").error("Unrecognized plural indicator '{}' in {} line {}",
                        plural.length() > 40 ? plural.substring(0, 40) + "..." : plural, file, rows.recordLine);
                continue;
            }
            table.put(PyStrings.strip(row.get(0)), PyStrings.strip(row.get(1)));
        }
        return new CsvCatalog(tables.get("singular"), tables.get("plural"), tables.get("unknown"));
    }

    private static String decode(byte[] data, Charset encoding, String file) throws TranslationFormatException {
        Charset cs = encoding;
        int skip = 0;
        if (cs == null) {
            boolean utf16 = data.length >= 2 && ((data[0] == (byte) 0xff && data[1] == (byte) 0xfe)
                    || (data[0] == (byte) 0xfe && data[1] == (byte) 0xff));
            cs = utf16 ? StandardCharsets.UTF_16 : StandardCharsets.UTF_8;
            if (!utf16 && data.length >= 3 && data[0] == (byte) 0xef && data[1] == (byte) 0xbb && data[2] == (byte) 0xbf) {
                skip = 3; // utf-8-sig
            }
        }
        try {
            return Decoding.strict(data, skip, data.length - skip, cs);
        } catch (CharacterCodingException e) {
            throw new TranslationFormatException(file + ": not valid " + cs.name()
                    + (encoding == null ? " (detected from its byte order mark or its absence)" : ""), e);
        }
    }

    /** The records of a CSV text, one at a time; lines counted for messages. */
    static final class Rows {
        private final String s;
        private int pos;
        private int line = 1;
        /** The line the last returned record started on. */
        int recordLine;

        Rows(String text) {
            // Python's text mode: universal newlines.
            this.s = text.indexOf('\r') < 0 ? text : text.replace("\r\n", "\n").replace('\r', '\n');
        }

        private static final int START_FIELD = 0;
        private static final int IN_FIELD = 1;
        private static final int IN_QUOTES = 2;
        private static final int QUOTE_IN_QUOTES = 3;

        /** The next record (empty for a blank line, as Python's reader), or null at the end. */
        List<String> next() {
            if (pos >= s.length()) {
                return null;
            }
            recordLine = line;
            List<String> fields = new ArrayList<>(3);
            if (s.charAt(pos) == '\n') {
                pos++;
                line++;
                return fields;
            }
            StringBuilder field = new StringBuilder();
            int state = START_FIELD;
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '\n') {
                    line++;
                }
                switch (state) {
                    case START_FIELD, IN_FIELD -> {
                        if (c == '\n') {
                            fields.add(field.toString());
                            return fields;
                        } else if (c == ',') {
                            fields.add(field.toString());
                            field.setLength(0);
                            state = START_FIELD;
                        } else if (c == '"' && state == START_FIELD) {
                            state = IN_QUOTES;
                        } else {
                            field.append(c);
                            state = IN_FIELD;
                        }
                    }
                    case IN_QUOTES -> {
                        if (c == '"') {
                            state = QUOTE_IN_QUOTES;
                        } else {
                            field.append(c);
                        }
                    }
                    default -> { // QUOTE_IN_QUOTES: a doubled quote, or the end of the quotes
                        if (c == '"') {
                            field.append('"');
                            state = IN_QUOTES;
                        } else if (c == ',') {
                            fields.add(field.toString());
                            field.setLength(0);
                            state = START_FIELD;
                        } else if (c == '\n') {
                            fields.add(field.toString());
                            return fields;
                        } else {
                            field.append(c);
                            state = IN_FIELD;
                        }
                    }
                }
            }
            fields.add(field.toString()); // the text ended: the record ends (inside quotes too, as Python's non-strict reader)
            return fields;
        }
    }
}
