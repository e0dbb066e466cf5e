package io.gale.locale;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Jazzer fuzz targets for the locale parsers that read bytes Gale does not control: the
 * Accept-Language chooser (every request), and the .mo, .po and CSV readers and the plural-forms
 * evaluator (translation files). Under {@code mvn test} they replay the seeds in
 * {@code src/test/resources/io/gale/locale/LocaleFuzzTestInputs/<target>/}; see docs/testing.md
 * to fuzz for real. The only acceptable outcomes: a value, or a {@link TranslationFormatException}.
 */
class LocaleFuzzTest {
    private static final Locales LOCALES;

    static {
        try {
            LOCALES = Locales.loadTranslations(TestCatalogues.csvDir()).withDefaultLocale("en");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Accept-Language field values: always a supported locale. */
    @FuzzTest(maxDuration = "30s")
    void acceptLanguage(FuzzedDataProvider data) {
        String first = data.consumeString(4096);
        String second = data.consumeRemainingAsString();
        Locale l = LOCALES.fromAcceptLanguage(List.of(first, second), "en_US");
        assertThat(LOCALES.supportedLocales()).contains(l.code());
        assertThat(LOCALES.get(first.split(",")).code()).isIn(LOCALES.supportedLocales());
    }

    /**
     * Compiled gettext catalogues: a refusal names the file; a catalogue read answers its lookups
     * from its tables ({@link #assertLookupsFollowTheTables}) and, written again by the test's
     * {@link MoWriter} (in UTF-8, either byte order), reads back equal.
     */
    @FuzzTest(maxDuration = "30s")
    void moParser(FuzzedDataProvider data) throws TranslationFormatException {
        long count = data.consumeLong();
        byte[] bytes = data.consumeRemainingAsBytes();
        GettextCatalog c;
        try {
            c = MoParser.parse(bytes, "fuzz.mo");
        } catch (TranslationFormatException expected) {
            assertThat(expected.getMessage()).startsWith("fuzz.mo");
            return;
        }
        assertLookupsFollowTheTables(c, count);
        assertThat(rewritten(c, count % 2 == 0)).isEqualTo(c);
    }

    /**
     * Source gettext catalogues: as {@link #moParser}, and the .mo the test writes from a .po read
     * gives the same catalogue ({@link PoParser}'s contract: what msgfmt and MoParser would give).
     */
    @FuzzTest(maxDuration = "30s")
    void poParser(FuzzedDataProvider data) throws TranslationFormatException {
        long count = data.consumeLong();
        byte[] bytes = data.consumeRemainingAsBytes();
        GettextCatalog c;
        try {
            c = PoParser.parse(bytes, "fuzz.po");
        } catch (TranslationFormatException expected) {
            assertThat(expected.getMessage()).startsWith("fuzz.po");
            return;
        }
        assertLookupsFollowTheTables(c, count);
        assertThat(rewritten(c, count % 2 == 0)).isEqualTo(c);
    }

    /** Counts plural lookups are checked for besides the fuzzer's. */
    private static final long[] LOOKUP_COUNTS = {0, 1, 2, 5, 11, 21, 100};

    /**
     * GettextCatalog's contract: the header is not a message; a singular entry is what
     * translate (and pgettext, for a key with a context) gives; a plural entry gives form
     * rule(n) when there is one, else the msgid for 1 and the plural argument otherwise.
     */
    private static void assertLookupsFollowTheTables(GettextCatalog c, long count) {
        assertThat(c.translate("")).as("the header entry is not a message").isEmpty();
        c.singular().forEach((key, value) -> {
            assertThat(c.translate(key)).isEqualTo(value);
            int sep = key.indexOf(GettextCatalog.CONTEXT_SEPARATOR);
            if (sep >= 0) {
                assertThat(c.pgettext(key.substring(0, sep), key.substring(sep + 1))).isEqualTo(value);
            }
        });
        c.plural().forEach((key, forms) -> {
            for (long n : LongStream.concat(LongStream.of(count), LongStream.of(LOOKUP_COUNTS)).toArray()) {
                int i = c.rule().index(n);
                String expected = i >= 0 && i < forms.size() ? forms.get(i) : n == 1 ? key : "\1other";
                assertThat(c.translate(key, "\1other", n)).as("n = %d", n).isEqualTo(expected);
            }
        });
    }

    /** The catalogue written by the test's MoWriter (UTF-8) and read by MoParser. */
    private static GettextCatalog rewritten(GettextCatalog c, boolean bigEndian) throws TranslationFormatException {
        MoWriter w = new MoWriter().utf8Header("nplurals=2; plural=" + c.rule() + ";");
        c.singular().forEach(w::add);
        c.plural().forEach((key, forms) -> w.addPlural(key, "other", forms.toArray(String[]::new)));
        if (bigEndian) {
            w.bigEndian();
        }
        return MoParser.parse(w.bytes(), "again.mo");
    }

    /**
     * Tornado's CSV translation files, in a detected or a given encoding: a refusal names the file;
     * lookups follow the tables.
     */
    @FuzzTest(maxDuration = "30s")
    void csvParser(FuzzedDataProvider data) {
        boolean latin1 = data.consumeBoolean();
        byte[] bytes = data.consumeRemainingAsBytes();
        CsvCatalog c;
        try {
            c = CsvParser.parse(bytes, latin1 ? StandardCharsets.ISO_8859_1 : null, "fuzz.csv");
        } catch (TranslationFormatException expected) {
            assertThat(expected.getMessage()).startsWith("fuzz.csv");
            return;
        }
        c.tables().get("unknown").forEach((k, v) -> assertThat(c.translate(k)).isEqualTo(v));
        c.tables().get("singular").forEach((k, v) -> assertThat(c.translate(k, "\1other", 1)).isEqualTo(v));
        c.tables().get("plural").forEach((k, v) -> assertThat(c.translate("\1one", k, 2)).isEqualTo(v));
    }

    /**
     * CSV files the test writes (rows of entries the fuzzer chooses, fields quoted or bare, any of
     * the three line endings, UTF-8 with or without BOM or UTF-16 with BOM) read back as Tornado
     * reads them: line breaks normalised to LF, fields stripped as Python's str.strip() does, rows
     * with an unknown plural indicator left out, the last row of a message winning.
     */
    @FuzzTest(maxDuration = "30s")
    void csvRoundTrip(FuzzedDataProvider data) throws TranslationFormatException {
        String newline = data.pickValue(List.of("\n", "\r\n", "\r"));
        int encoding = data.consumeInt(0, 2);
        Map<String, Map<String, String>> expected = new HashMap<>();
        for (String kind : List.of("singular", "plural", "unknown")) {
            expected.put(kind, new HashMap<>());
        }
        StringBuilder csv = new StringBuilder();
        int rows = data.consumeInt(0, 8);
        for (int i = 0; i < rows; i++) {
            String message = data.consumeString(40);
            String translation = data.consumeString(40);
            String kind = data.pickValue(List.of("", "singular", "plural", "unknown", " plural ", "dual"));
            boolean quote = data.consumeBoolean();
            List<String> fields = kind.isEmpty() ? List.of(message, translation) : List.of(message, translation, kind);
            csv.append(fields.stream().map(f -> quote || needsQuotes(f) ? "\"" + f.replace("\"", "\"\"") + "\"" : f)
                    .collect(Collectors.joining(","))).append(newline);
            String table = kind.isEmpty() ? "unknown" : pythonStrip(kind);
            if (expected.containsKey(table)) {
                expected.get(table).put(pythonStrip(lf(message)), pythonStrip(lf(translation)));
            }
        }
        if (encoding == 0 && csv.toString().startsWith("\ufeff")) {
            return; // in a UTF-8 file, a leading U+FEFF is the byte order mark (Python's utf-8-sig)
        }
        String text = (encoding == 1 ? "\ufeff" : "") + csv;
        Charset charset = encoding == 2 ? StandardCharsets.UTF_16 : StandardCharsets.UTF_8; // UTF_16: BE, with BOM
        byte[] bytes = text.getBytes(charset);
        if (!new String(bytes, charset).equals(text)) {
            return; // a lone surrogate the encoder replaced: not a file anyone can write
        }
        assertThat(CsvParser.parse(bytes, null, "fuzz.csv").tables()).isEqualTo(expected);
    }

    /** A bare field cannot start with a quote nor hold a comma or a line break. */
    private static boolean needsQuotes(String field) {
        return field.startsWith("\"") || field.contains(",") || field.contains("\n") || field.contains("\r");
    }

    /** Python's universal newlines. */
    private static String lf(String s) {
        return s.replace("\r\n", "\n").replace('\r', '\n');
    }

    /** Python's str.isspace() for characters of the BMP, listed from Python's own table. */
    private static final String PYTHON_SPACES = "\t\n\u000b\f\r\u001c\u001d\u001e\u001f \u0085\u00a0\u1680"
            + "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

    private static String pythonStrip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && PYTHON_SPACES.indexOf(s.charAt(from)) >= 0) {
            from++;
        }
        while (to > from && PYTHON_SPACES.indexOf(s.charAt(to - 1)) >= 0) {
            to--;
        }
        return s.substring(from, to);
    }

    /** Counts every rule is evaluated for besides the fuzzer's own, the usual pivots of plural rules. */
    private static final long[] COUNTS = {0, 1, 2, 3, 5, 11, 12, 21, 22, 25, 100, 101, 111, 1000, -1, -7,
        Long.MIN_VALUE, Long.MAX_VALUE};

    /**
     * Plural-Forms expressions, evaluated for a count: {@link PluralForms} must accept exactly what
     * an independent evaluator written here ({@link ReferencePlural}: precedence climbing over a
     * token list, exact BigInteger arithmetic) accepts within the documented limits, and give the
     * same index for the fuzzer's count and a list of usual ones. This checks precedence and
     * associativity, the short-circuits, the floor division and remainder, and that an overflow
     * or a division by zero answers -1.
     */
    @FuzzTest(maxDuration = "30s")
    void pluralForms(FuzzedDataProvider data) {
        long n = data.consumeLong();
        String expression = data.consumeRemainingAsString();
        int semicolon = expression.indexOf(';');
        String source = semicolon < 0 ? expression : expression.substring(0, semicolon);
        ReferencePlural reference = ReferencePlural.parse(source);
        boolean overLimits = source.length() > LocaleLimits.MAX_PLURAL_EXPRESSION_LENGTH
                || reference != null && reference.maxDepth > LocaleLimits.MAX_PLURAL_EXPRESSION_DEPTH;
        PluralForms p;
        try {
            p = PluralForms.fromHeader("nplurals=2; plural=" + expression);
        } catch (TranslationFormatException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            assertThat(reference == null || overLimits).as("refused a valid expression: %s", refused.getMessage())
                    .isTrue();
            return;
        }
        assertThat(reference).as("accepted an invalid expression").isNotNull();
        assertThat(overLimits).as("accepted an expression over the limits").isFalse();
        assertThat(p.index(n)).as("n = %d", n).isEqualTo(reference.index(n));
        for (long c : COUNTS) {
            assertThat(p.index(c)).as("n = %d", c).isEqualTo(reference.index(c));
        }
    }

    /**
     * A second plural-expression evaluator, written differently from {@link PluralForms} on purpose:
     * tokens first, then precedence climbing (C's levels {@code || && ==/!= </>/<=/>= +/- * / %},
     * binary operators left-associative, {@code ?:} right-associative with a full expression in
     * the middle, {@code !} prefix), evaluated in BigInteger with every intermediate result checked
     * against the long range. Semantics from PluralForms' contract: comparisons and logic give 0 or
     * 1, {@code /} and {@code %} round towards negative infinity, an overflow or a division by zero
     * makes the index -1, as does a result outside 0..Integer.MAX_VALUE.
     */
    static final class ReferencePlural {
        private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
        private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);
        private static final List<String> OPERATORS = List.of("||", "&&", "==", "!=", "<=", ">=", "<", ">", "+",
                "-", "*", "/", "%", "!", "(", ")", "?", ":");
        private static final Map<String, Integer> PRECEDENCE = Map.ofEntries(Map.entry("||", 1), Map.entry("&&", 2),
                Map.entry("==", 3), Map.entry("!=", 3), Map.entry("<", 4), Map.entry(">", 4), Map.entry("<=", 4),
                Map.entry(">=", 4), Map.entry("+", 5), Map.entry("-", 5), Map.entry("*", 6), Map.entry("/", 6),
                Map.entry("%", 6));

        private interface Expr {
            BigInteger at(BigInteger n);
        }

        private final List<String> tokens;
        private int next;
        private int depth;
        int maxDepth;
        private Expr root;

        private ReferencePlural(List<String> tokens) {
            this.tokens = tokens;
        }

        /** The parsed expression, or null if it is not one. */
        static ReferencePlural parse(String s) {
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < s.length();) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    i++;
                } else if (c >= '0' && c <= '9') {
                    int j = i;
                    while (j < s.length() && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
                        j++;
                    }
                    tokens.add(s.substring(i, j));
                    i = j;
                } else if (c == 'n') {
                    tokens.add("n");
                    i++;
                } else {
                    int at = i;
                    String op = OPERATORS.stream().filter(o -> s.startsWith(o, at)).findFirst().orElse(null);
                    if (op == null) {
                        return null;
                    }
                    tokens.add(op);
                    i += op.length();
                }
            }
            ReferencePlural r = new ReferencePlural(tokens);
            try {
                r.root = r.conditional();
            } catch (IllegalArgumentException invalid) {
                return null;
            }
            return r.next == tokens.size() ? r : null;
        }

        int index(long n) {
            try {
                BigInteger v = root.at(BigInteger.valueOf(n));
                return v.signum() < 0 || v.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0 ? -1 : v.intValue();
            } catch (ArithmeticException overflowOrZero) {
                return -1;
            }
        }

        private String peek() {
            return next < tokens.size() ? tokens.get(next) : "";
        }

        private String take() {
            if (next == tokens.size()) {
                throw new IllegalArgumentException("end");
            }
            return tokens.get(next++);
        }

        private void expect(String token) {
            if (!take().equals(token)) {
                throw new IllegalArgumentException("expected " + token);
            }
        }

        private void enter() {
            maxDepth = Math.max(maxDepth, ++depth);
        }

        private Expr conditional() {
            Expr test = binary(1);
            if (!peek().equals("?")) {
                return test;
            }
            take();
            enter();
            Expr then = conditional();
            expect(":");
            Expr otherwise = conditional();
            depth--;
            return n -> test.at(n).signum() != 0 ? then.at(n) : otherwise.at(n);
        }

        private Expr binary(int minPrecedence) {
            Expr left = unary();
            for (;;) {
                Integer prec = PRECEDENCE.get(peek());
                if (prec == null || prec < minPrecedence) {
                    return left;
                }
                String op = take();
                Expr a = left;
                Expr b = binary(prec + 1);
                left = combine(op, a, b);
            }
        }

        private Expr unary() {
            String t = take();
            if (t.equals("!")) {
                enter();
                Expr x = unary();
                depth--;
                return n -> bool(x.at(n).signum() == 0);
            }
            if (t.equals("(")) {
                enter();
                Expr x = conditional();
                expect(")");
                depth--;
                return x;
            }
            if (t.equals("n")) {
                return n -> n;
            }
            if (!t.isEmpty() && Character.isDigit(t.charAt(0))) {
                BigInteger v = new BigInteger(t);
                if (v.compareTo(MAX) > 0) {
                    throw new IllegalArgumentException("literal too large");
                }
                return n -> v;
            }
            throw new IllegalArgumentException("unexpected " + t);
        }

        private static Expr combine(String op, Expr a, Expr b) {
            return switch (op) {
                case "||" -> n -> bool(a.at(n).signum() != 0 || b.at(n).signum() != 0);
                case "&&" -> n -> bool(a.at(n).signum() != 0 && b.at(n).signum() != 0);
                default -> n -> arithmetic(op, a.at(n), b.at(n));
            };
        }

        private static BigInteger arithmetic(String op, BigInteger x, BigInteger y) {
            int cmp = x.compareTo(y);
            BigInteger r = switch (op) {
                case "==" -> bool(cmp == 0);
                case "!=" -> bool(cmp != 0);
                case "<" -> bool(cmp < 0);
                case ">" -> bool(cmp > 0);
                case "<=" -> bool(cmp <= 0);
                case ">=" -> bool(cmp >= 0);
                case "+" -> x.add(y);
                case "-" -> x.subtract(y);
                case "*" -> x.multiply(y);
                case "/", "%" -> {
                    BigInteger[] qr = x.divideAndRemainder(y); // ArithmeticException for 0
                    boolean adjust = qr[1].signum() != 0 && qr[1].signum() != y.signum();
                    yield op.equals("/") ? (adjust ? qr[0].subtract(BigInteger.ONE) : qr[0])
                            : (adjust ? qr[1].add(y) : qr[1]);
                }
                default -> throw new IllegalStateException(op);
            };
            if (r.compareTo(MIN) < 0 || r.compareTo(MAX) > 0) {
                throw new ArithmeticException("overflow");
            }
            return r;
        }

        private static BigInteger bool(boolean b) {
            return b ? BigInteger.ONE : BigInteger.ZERO;
        }
    }
}
