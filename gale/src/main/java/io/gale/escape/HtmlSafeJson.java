package io.gale.escape;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Gale's one JSON codec (Jackson), shared by {@link Escape} and handler output. The writer escapes
 * {@code <}, {@code >} and {@code &} as {@code \}{@code u003C}-style sequences, so JSON embedded in
 * HTML can never close a {@code <script>} element nor start a comment or entity (Tornado only
 * escapes {@code </}; this is a superset). The reader takes what Python's {@code json.loads}
 * takes: {@code NaN} and {@code Infinity}, and nothing after the value. The writer writes a
 * non-finite double as the string {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"} (valid
 * JSON, which a browser's {@code JSON.parse} reads; Python writes them bare), and every
 * UTF-16 surrogate as a {@code \}{@code uD83D}-style escape, as {@code json.dumps} does by default:
 * a string holding a lone surrogate (which a {@code \}{@code uD800} escape can give) then encodes
 * to well-formed text, the same from {@link #encode} and {@link #encodeUtf8}, and reads back as it
 * was. Both are thread-safe.
 *
 * <p>Limits (Jackson's defaults): nesting depth 1000 (Python's recursion limit is about the
 * same), numbers of at most 1000 digits, strings of at most 20,000,000 characters.
 */
final class HtmlSafeJson {
    private HtmlSafeJson() {
    }

    private static final ObjectWriter WRITER;
    private static final ObjectMapper READER;

    static {
        ObjectMapper mapper = JsonMapper.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        mapper.getFactory().setCharacterEscapes(new HtmlSafeEscapes());
        WRITER = mapper.writer();
        READER = mapper;
    }

    static String encode(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw cannotEncode(value, e);
        }
    }

    static byte[] encodeUtf8(Object value) {
        try {
            return WRITER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw cannotEncode(value, e);
        }
    }

    private static IllegalArgumentException cannotEncode(Object value, JsonProcessingException e) {
        return new IllegalArgumentException("cannot encode " + (value == null ? "null" : value.getClass().getName())
                + " as JSON: " + e.getOriginalMessage(), e);
    }

    static <T> T decode(String json, Class<T> type) {
        try {
            return READER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static final class HtmlSafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] escapes;

        HtmlSafeEscapes() {
            escapes = standardAsciiEscapesForJSON();
            escapes['<'] = ESCAPE_STANDARD;
            escapes['>'] = ESCAPE_STANDARD;
            escapes['&'] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        /** Called for each non-ASCII character: surrogates escaped, everything else as it is. */
        @Override
        public SerializableString getEscapeSequence(int ch) {
            return Character.isSurrogate((char) ch) ? SURROGATES[ch - Character.MIN_SURROGATE] : null;
        }
    }

    /** {@code \}{@code uD800} ... {@code \}{@code uDFFF}, made once. */
    private static final SerializableString[] SURROGATES = new SerializableString[2048];

    static {
        for (int i = 0; i < SURROGATES.length; i++) {
            SURROGATES[i] = new SerializedString(String.format("\\u%04x", Character.MIN_SURROGATE + i));
        }
    }
}
