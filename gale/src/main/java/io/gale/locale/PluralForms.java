package io.gale.locale;

/**
 * A gettext plural rule: the {@code plural=} C expression of a catalogue's {@code Plural-Forms}
 * header, parsed once into a tree and evaluated for each count. Only what gettext allows is
 * accepted: the variable {@code n}, decimal literals, parentheses and the operators
 * {@code ! * / % + - < > <= >= == != && || ?:} with C's precedence. There is no scripting
 * engine behind it and nothing else to call.
 *
 * <p>Semantics are GNU gettext's (comparisons and logic give 0 or 1), except that {@code /} and
 * {@code %} round towards negative infinity as Tornado's Python evaluator does; the two agree
 * for every count that is not negative. A division by zero or an overflow makes
 * {@link #index(long)} answer -1, which callers treat like a missing translation.
 *
 * <p>Limits: {@link LocaleLimits#MAX_PLURAL_EXPRESSION_LENGTH} characters and
 * {@link LocaleLimits#MAX_PLURAL_EXPRESSION_DEPTH} levels of nesting, so parsing and evaluation
 * are bounded by the expression's size. Immutable and thread-safe.
 */
final class PluralForms {
    /** The rule of catalogues without a {@code Plural-Forms} header: Germanic, {@code n != 1}. */
    static final PluralForms GERMANIC = new PluralForms("n != 1", new Bin('!', new Var(), new Lit(1)));

    private final String source;
    private final Node root;

    private PluralForms(String source, Node root) {
        this.source = source;
        this.root = root;
    }

    /**
     * The rule of a {@code Plural-Forms} header value such as {@code nplurals=2; plural=(n > 1);}:
     * the expression after {@code plural=} up to the next {@code ;}.
     *
     * @throws TranslationFormatException if there is no {@code plural=} or the expression is invalid
     */
    static PluralForms fromHeader(String value) throws TranslationFormatException {
        int at = value.indexOf("plural=", Math.max(0, value.indexOf(';')));
        if (at < 0) {
            throw new TranslationFormatException("Plural-Forms without plural=: " + value);
        }
        int start = at + "plural=".length();
        int end = value.indexOf(';', start);
        return parse(end < 0 ? value.substring(start) : value.substring(start, end));
    }

    /**
     * Parses a plural expression ({@code n != 1}, {@code (n > 1)}, ...).
     *
     * @throws TranslationFormatException if it is invalid or over the limits
     */
    static PluralForms parse(String expression) throws TranslationFormatException {
        if (expression.length() > LocaleLimits.MAX_PLURAL_EXPRESSION_LENGTH) {
            throw new TranslationFormatException("plural expression longer than "
                    + LocaleLimits.MAX_PLURAL_EXPRESSION_LENGTH + " characters");
        }
        Parser p = new Parser(expression);
        Node root = p.ternary(0);
        if (p.token != T_END) {
            throw p.error();
        }
        return new PluralForms(expression.strip(), root);
    }

    /** The index of the plural form for {@code n}, or -1 if the expression cannot be evaluated for it. */
    int index(long n) {
        try {
            long v = root.eval(n);
            return v < 0 || v > Integer.MAX_VALUE ? -1 : (int) v;
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PluralForms p && p.source.equals(source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    // ------------------------------------------------------------------------------- the tree

    private sealed interface Node permits Var, Lit, Not, Bin, Cond {
        long eval(long n);
    }

    private record Var() implements Node {
        public long eval(long n) {
            return n;
        }
    }

    private record Lit(long value) implements Node {
        public long eval(long n) {
            return value;
        }
    }

    private record Not(Node operand) implements Node {
        public long eval(long n) {
            return operand.eval(n) == 0 ? 1 : 0;
        }
    }

    private record Cond(Node test, Node then, Node otherwise) implements Node {
        public long eval(long n) {
            return test.eval(n) != 0 ? then.eval(n) : otherwise.eval(n);
        }
    }

    /** A binary operator, by a one-character code: {@code |&=!<>LG+-*}{@code /%} (L is <=, G is >=). */
    private record Bin(char op, Node left, Node right) implements Node {
        public long eval(long n) {
            long a = left.eval(n);
            switch (op) {
                case '|':
                    return a != 0 || right.eval(n) != 0 ? 1 : 0;
                case '&':
                    return a != 0 && right.eval(n) != 0 ? 1 : 0;
                default:
                    break;
            }
            long b = right.eval(n);
            return switch (op) {
                case '=' -> a == b ? 1 : 0;
                case '!' -> a != b ? 1 : 0;
                case '<' -> a < b ? 1 : 0;
                case '>' -> a > b ? 1 : 0;
                case 'L' -> a <= b ? 1 : 0;
                case 'G' -> a >= b ? 1 : 0;
                case '+' -> Math.addExact(a, b);
                case '-' -> Math.subtractExact(a, b);
                case '*' -> Math.multiplyExact(a, b);
                // ArithmeticException for 0, as Python's ZeroDivisionError, and for the one overflow
                // (Long.MIN_VALUE / -1), which floorDiv would answer silently with Long.MIN_VALUE.
                case '/' -> Math.floorDivExact(a, b);
                case '%' -> Math.floorMod(a, b);
                default -> throw new IllegalStateException("operator " + op);
            };
        }
    }

    // ----------------------------------------------------------------------------- the parser

    private static final int T_END = 0;
    private static final int T_N = 1;
    private static final int T_NUMBER = 2;
    private static final int T_OP = 3;

    /** Recursive descent over C's precedence levels; {@code depth} counts nesting. */
    private static final class Parser {
        private final String s;
        private int pos;
        private int token;
        /** The operator (one-character code as in {@link Bin}, or one of {@code ( ) ? :}) of a T_OP token. */
        private char op;
        private long number;
        private int tokenStart;

        Parser(String s) throws TranslationFormatException {
            this.s = s;
            advance();
        }

        TranslationFormatException error() {
            String at = token == T_END ? "end of expression" : "'" + s.substring(tokenStart, Math.min(pos, s.length())) + "'";
            return new TranslationFormatException("invalid plural expression \"" + s + "\" at " + at);
        }

        private boolean isOp(char c) {
            return token == T_OP && op == c;
        }

        private void advance() throws TranslationFormatException {
            while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
            tokenStart = pos;
            if (pos == s.length()) {
                token = T_END;
                return;
            }
            char c = s.charAt(pos);
            if (c >= '0' && c <= '9') {
                long v = 0;
                while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                    try {
                        v = Math.addExact(Math.multiplyExact(v, 10), s.charAt(pos++) - '0');
                    } catch (ArithmeticException e) {
                        throw new TranslationFormatException("number too large in plural expression \"" + s + "\"");
                    }
                }
                token = T_NUMBER;
                number = v;
                checkWordEnd();
                return;
            }
            if (c == 'n') {
                pos++;
                token = T_N;
                checkWordEnd();
                return;
            }
            token = T_OP;
            char next = pos + 1 < s.length() ? s.charAt(pos + 1) : 0;
            pos++;
            switch (c) {
                case '|', '&' -> {
                    if (next != c) {
                        throw error();
                    }
                    pos++;
                    op = c;
                }
                case '=' -> {
                    if (next != '=') {
                        throw error();
                    }
                    pos++;
                    op = '=';
                }
                case '!' -> {
                    if (next == '=') {
                        pos++;
                        op = '!';   // != ; a lone ! is '~' below
                    } else {
                        op = '~';
                    }
                }
                case '<', '>' -> {
                    if (next == '=') {
                        pos++;
                        op = c == '<' ? 'L' : 'G';
                    } else {
                        op = c;
                    }
                }
                case '+', '-', '*', '/', '%', '(', ')', '?', ':' -> op = c;
                default -> throw error();
            }
        }

        private void checkWordEnd() throws TranslationFormatException {
            if (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                while (pos < s.length() && Character.isLetterOrDigit(s.charAt(pos))) {
                    pos++;
                }
                token = T_OP;
                throw error();
            }
        }

        private static void checkDepth(int depth, String s) throws TranslationFormatException {
            if (depth > LocaleLimits.MAX_PLURAL_EXPRESSION_DEPTH) {
                throw new TranslationFormatException("plural expression nested deeper than "
                        + LocaleLimits.MAX_PLURAL_EXPRESSION_DEPTH + ": \"" + s + "\"");
            }
        }

        /** {@code or ('?' ternary ':' ternary)?}: right-associative, as in C. */
        Node ternary(int depth) throws TranslationFormatException {
            Node test = binary(0, depth);
            if (!isOp('?')) {
                return test;
            }
            checkDepth(depth + 1, s);
            advance();
            Node then = ternary(depth + 1);
            if (!isOp(':')) {
                throw error();
            }
            advance();
            Node otherwise = ternary(depth + 1);
            return new Cond(test, then, otherwise);
        }

        /** Precedence levels from loosest to tightest. */
        private static final String[] LEVELS = {"|", "&", "=!", "<>LG", "+-", "*/%"};

        private Node binary(int level, int depth) throws TranslationFormatException {
            if (level == LEVELS.length) {
                return unary(depth);
            }
            Node left = binary(level + 1, depth);
            while (token == T_OP && LEVELS[level].indexOf(op) >= 0) {
                char o = op;
                advance();
                left = new Bin(o, left, binary(level + 1, depth));
            }
            return left;
        }

        private Node unary(int depth) throws TranslationFormatException {
            if (isOp('~')) {
                checkDepth(depth + 1, s);
                advance();
                return new Not(unary(depth + 1));
            }
            if (isOp('(')) {
                checkDepth(depth + 1, s);
                advance();
                Node inner = ternary(depth + 1);
                if (!isOp(')')) {
                    throw error();
                }
                advance();
                return inner;
            }
            if (token == T_N) {
                advance();
                return new Var();
            }
            if (token == T_NUMBER) {
                long v = number;
                advance();
                return new Lit(v);
            }
            throw error();
        }
    }
}
