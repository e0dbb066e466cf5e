package io.gale.escape;

import io.gale.http.HttpUtil;
import io.gale.internal.text.PyStrings;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Escaping and unescaping for HTML, URLs and JSON (Tornado's {@code tornado.escape}), with the
 * results of Tornado 6.2: a table of inputs is run through both in {@code EscapeTornadoTest}.
 *
 * <pre>{@code
 * Escape.xhtmlEscape("<a href='x'>")           // &lt;a href=&#39;x&#39;&gt;
 * Escape.urlEscape("a b/c")                     // a+b%2Fc
 * Escape.urlEscape("a b/c", false)              // a%20b/c
 * Escape.jsonEncode(Map.of("s", "</script>"))  // {"s":"\u003C/script\u003E"}
 * Escape.linkify("see www.example.com!")        // see <a href="http://www.example.com">www.example.com</a>!
 * }</pre>
 *
 * <p>Departures from Tornado, each on the safe side: {@link #jsonEncode} escapes {@code <},
 * {@code >} and {@code &} (Tornado only {@code </}) and writes compact JSON with non-ASCII
 * characters as they are; {@link #linkify} never links {@code javascript:}, {@code vbscript:} or
 * {@code data:} URLs even when they are permitted; {@link #xhtmlUnescape} keeps a numeric
 * reference too large for any code point as text where Tornado raises.
 *
 * <p>All methods are static, thread-safe and never throw for any text input except where
 * documented ({@link #jsonDecode} and {@link #toUnicode(byte[])}: {@link IllegalArgumentException}).
 */
public final class Escape {
    private Escape() {
    }

    // ---------------------------------------------------------------------------------- HTML

    /**
     * Escapes {@code & < > " '} as {@code &amp; &lt; &gt; &quot; &#39;}: safe in element content
     * and in quoted attribute values (not in unquoted attributes, scripts or styles). Returns the
     * argument itself when there is nothing to escape.
     *
     * @param value the value
     * @return the escaped string
     */
    public static String xhtmlEscape(String value) {
        int n = value.length();
        int i = 0;
        while (i < n && replacement(value.charAt(i)) == null) {
            i++;
        }
        if (i == n) {
            return value;
        }
        StringBuilder out = new StringBuilder(n + 16).append(value, 0, i);
        for (; i < n; i++) {
            char c = value.charAt(i);
            String r = replacement(c);
            if (r == null) {
                out.append(c);
            } else {
                out.append(r);
            }
        }
        return out.toString();
    }

    private static String replacement(char c) {
        return switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> null;
        };
    }

    /**
     * Decodes character references: HTML 4's 252 named ones ({@code &amp;}, {@code &eacute;},
     * case-sensitive), decimal {@code &#233;} and hexadecimal {@code &#xE9;}. A reference needs
     * its {@code ;}. Anything else stays as it is: unknown names, numbers beyond U+10FFFF, and
     * HTML5-only names such as {@code &apos;} (Tornado's rules, including Python's lenient number
     * syntax: digits of any script and underscores between digits).
     *
     * @param value the value
     * @return the decoded string
     */
    public static String xhtmlUnescape(String value) {
        int amp = value.indexOf('&');
        if (amp < 0) {
            return value;
        }
        int n = value.length();
        StringBuilder out = new StringBuilder(n).append(value, 0, amp);
        int i = amp;
        while (i < n) {
            char c = value.charAt(i);
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int j = i + 1;
            boolean numeric = j < n && value.charAt(j) == '#';
            if (numeric) {
                j++;
            }
            int k = j;
            while (k < n) {
                int cp = value.codePointAt(k);
                if (!PyText.isWord(cp)) {
                    break;
                }
                k += Character.charCount(cp);
            }
            String decoded = k > j && k < n && value.charAt(k) == ';' ? reference(value.substring(j, k), numeric) : null;
            if (decoded == null) {
                out.append('&');
                i++;
            } else {
                out.append(decoded);
                i = k + 1;
            }
        }
        return out.toString();
    }

    private static String reference(String name, boolean numeric) {
        if (!numeric) {
            return HtmlEntities.lookup(name);
        }
        char first = name.charAt(0);
        long cp = first == 'x' || first == 'X' ? PyText.parseInt(name.substring(1), 16) : PyText.parseInt(name, 10);
        return cp < 0 || cp > Character.MAX_CODE_POINT ? null : Character.toString((int) cp);
    }

    // ----------------------------------------------------------------------------------- URLs

    /**
     * {@link #urlEscape(String, boolean)} with {@code plus}: for query arguments.
     *
     * @param value the value
     * @return the result (see {@link #urlEscape(String, boolean)})
     */
    public static String urlEscape(String value) {
        return urlEscape(value, true);
    }

    /**
     * Percent-encodes {@code value} as UTF-8, leaving {@code A-Z a-z 0-9 - . _ ~}. With
     * {@code plus} (query arguments, Python's {@code quote_plus}) a space becomes {@code +} and
     * {@code /} is encoded; without (path segments, Python's {@code quote}) a space becomes
     * {@code %20} and {@code /} stays.
     *
     * @param value the value
     * @param plus true for query arguments ({@code +} for a space), false for path segments ({@code %20})
     * @return the encoded string
     */
    public static String urlEscape(String value, boolean plus) {
        return plus ? HttpUtil.urlEncode(value, true) : HttpUtil.urlEncodePath(value);
    }

    /**
     * {@link #urlUnescape(String, boolean)} with {@code plus}.
     *
     * @param value the value
     * @return the result (see {@link #urlUnescape(String, boolean)})
     */
    public static String urlUnescape(String value) {
        return urlUnescape(value, true);
    }

    /**
     * Decodes percent-escapes (and {@code +} as a space when {@code plus}) and reads the bytes as
     * UTF-8: a malformed escape stays as it is, bytes that are not UTF-8 become U+FFFD.
     *
     * @param value the value
     * @param plus true for query arguments ({@code +} for a space), false for path segments ({@code %20})
     * @return the decoded string
     */
    public static String urlUnescape(String value, boolean plus) {
        return HttpUtil.urlDecodeLenient(value, plus);
    }

    /**
     * {@link #urlUnescape(String, boolean)} to the raw bytes (Tornado's {@code encoding=None}).
     *
     * @param value the value
     * @param plus true for query arguments ({@code +} for a space), false for path segments ({@code %20})
     * @return the result (see {@link #urlUnescape(String, boolean)})
     */
    public static byte[] urlUnescapeBytes(String value, boolean plus) {
        return HttpUtil.urlDecodeToBytes(value, plus);
    }

    // ----------------------------------------------------------------------------------- JSON

    /**
     * {@code value} as JSON (Jackson: maps, lists, records, beans, strings, numbers, booleans,
     * null), safe inside a {@code <script>} element: {@code <}, {@code >} and {@code &} are
     * written as {@code \}{@code u003C}-style escapes. It is not safe in an HTML attribute
     * without HTML escaping (it contains {@code "}).
     *
     * @param value the value
     * @return the string
     * @throws IllegalArgumentException if Jackson cannot encode it
     */
    public static String jsonEncode(Object value) {
        return HtmlSafeJson.encode(value);
    }

    /**
     * {@link #jsonEncode} as UTF-8 bytes, without the intermediate String.
     *
     * @param value the value
     * @return the result (see {@link #jsonEncode})
     */
    public static byte[] jsonEncodeUtf8(Object value) {
        return HtmlSafeJson.encodeUtf8(value);
    }

    /**
     * Parses JSON as Python's {@code json.loads} would: objects become {@code Map}s (keys in
     * order), arrays {@code List}s, numbers {@code Integer}/{@code Long}/{@code BigInteger} or
     * {@code Double}; {@code NaN} and {@code Infinity} are accepted; nothing may follow the value.
     *
     * @param value the value
     * @return the parsed value
     * @throws IllegalArgumentException for text that is not JSON, or beyond the limits listed on
     *     {@code jsonEncode}'s codec (nesting depth 1000, numbers of 1000 digits, strings of 20 M chars)
     */
    public static Object jsonDecode(String value) {
        return HtmlSafeJson.decode(value, Object.class);
    }

    /**
     * {@link #jsonDecode(String)} into {@code type} (a record, a bean, a collection type).
     *
     * @param <T> the type of the values
     * @param value the value
     * @param type the type
     * @return the result (see {@link #jsonDecode(String)})
     */
    public static <T> T jsonDecode(String value, Class<T> type) {
        return HtmlSafeJson.decode(value, type);
    }

    // ----------------------------------------------------------------------------------- text

    /**
     * Replaces each run of control characters and spaces (U+0000-U+0020) with one space, then strips.
     *
     * @param value the value
     * @return the string
     */
    public static String squeeze(String value) {
        StringBuilder out = null;
        int n = value.length();
        int i = 0;
        while (i < n) {
            char c = value.charAt(i);
            if (c > ' ') {
                if (out != null) {
                    out.append(c);
                }
                i++;
                continue;
            }
            int j = i + 1;
            while (j < n && value.charAt(j) <= ' ') {
                j++;
            }
            if (out == null) {
                if (c == ' ' && j == i + 1) {
                    i++;
                    continue; // a single space stays as it is
                }
                out = new StringBuilder(n).append(value, 0, i);
            }
            out.append(' ');
            i = j;
        }
        return PyStrings.strip(out == null ? value : out.toString());
    }

    /**
     * Turns the URLs in plain {@code text} into links, with {@link LinkifyOptions#DEFAULTS};
     * the text is HTML-escaped first, so the result is safe HTML.
     *
     * @param text the text
     * @return the string
     */
    public static String linkify(String text) {
        return Linkifier.linkify(text, LinkifyOptions.DEFAULTS);
    }

    /**
     * Turns the URLs in plain {@code text} into links: {@code http://}, {@code https://} (or the
     * permitted protocols) and bare {@code www.} hosts (linked as {@code http://}), ending before
     * trailing punctuation. The text is HTML-escaped first, so the result is safe HTML.
     *
     * @param text the text
     * @param options the options
     * @return the string
     */
    public static String linkify(String text, LinkifyOptions options) {
        return Linkifier.linkify(text, options);
    }

    // ------------------------------------------------------------------------------ encodings

    /**
     * {@code value} as UTF-8 bytes; null stays null.
     *
     * @param value the value
     * @return the bytes
     */
    public static byte[] utf8(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Bytes are already UTF-8 (Tornado's {@code utf8} passes them through); null stays null.
     *
     * @param value the value
     * @return the bytes
     */
    public static byte[] utf8(byte[] value) {
        return value;
    }

    /**
     * UTF-8 bytes as a String; null stays null.
     *
     * @param value the value
     * @return the string
     * @throws IllegalArgumentException if the bytes are not UTF-8
     */
    public static String toUnicode(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8: " + e.getMessage(), e);
        }
    }

    /**
     * A String is already text (Tornado's {@code to_unicode} passes it through); null stays null.
     *
     * @param value the value
     * @return a String is already text (Tornado's {@code to_unicode} passes it through); null stays null
     */
    public static String toUnicode(String value) {
        return value;
    }
}
