package io.gale.internal.autoreload;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One message between the autoreload supervisor and a child JVM: a type and text fields, written
 * as one line, {@code TYPE<TAB>field<TAB>field...<LF>}, UTF-8. This class is the one place for the
 * line format; {@link LinkChannel} carries the lines.
 *
 * <p>Fields are escaped so that any text fits on the line: {@code \} as {@code \\}, TAB as
 * {@code \t}, LF as {@code \n}, CR as {@code \r}; nothing else is escaped. A type is 1 to 32
 * upper-case ASCII letters or underscores. {@link #decode} refuses anything else with an
 * {@link IllegalArgumentException} (a dangling or unknown escape, a bad type, a CR or LF in the
 * line), so a malformed line is never half-read.
 *
 * <table class="striped">
 * <caption>Messages (child: the JVM running the application; supervisor: the JVM that owns the ports)</caption>
 * <thead><tr><th>type</th><th>from</th><th>fields</th><th>meaning</th></tr></thead>
 * <tbody>
 * <tr><td>{@code HELLO}</td><td>child</td><td>child id, pid</td><td>first message of a connection</td></tr>
 * <tr><td>{@code CHECK}</td><td>supervisor</td><td>class names</td><td>load these (changed) classes before {@code main}</td></tr>
 * <tr><td>{@code CHECK_OK}</td><td>child</td><td></td><td>every class loaded</td></tr>
 * <tr><td>{@code CHECK_FAILED}</td><td>child</td><td>message</td><td>a class could not be loaded; the child exits</td></tr>
 * <tr><td>{@code BIND}</td><td>child</td><td>request id, address ("" for all), port, internal port</td><td>the application listens: forward this public port to the child's loopback port</td></tr>
 * <tr><td>{@code BOUND}</td><td>supervisor</td><td>request id, then host and port per public socket</td><td>forwarding</td></tr>
 * <tr><td>{@code BIND_FAILED}</td><td>supervisor</td><td>request id, message</td><td>the public port could not be bound</td></tr>
 * <tr><td>{@code LIVE}</td><td>child</td><td>path</td><td>changes under this path need no restart (templates, static files)</td></tr>
 * <tr><td>{@code WATCH}</td><td>child</td><td>path</td><td>restart when this path changes too</td></tr>
 * <tr><td>{@code STOP}</td><td>supervisor</td><td>drain time in ms</td><td>a newer child serves: finish what is in flight and exit</td></tr>
 * </tbody>
 * </table>
 *
 * @param type the message type
 * @param fields the fields, unescaped
 */
public record LinkMessage(String type, List<String> fields) {
    /** Child to supervisor: {@code HELLO childId pid}. */
    public static final String HELLO = "HELLO";
    /** Supervisor to child: {@code CHECK className...}. */
    public static final String CHECK = "CHECK";
    /** Child to supervisor: the classes loaded. */
    public static final String CHECK_OK = "CHECK_OK";
    /** Child to supervisor: {@code CHECK_FAILED message}. */
    public static final String CHECK_FAILED = "CHECK_FAILED";
    /** Child to supervisor: {@code BIND requestId address port internalPort}. */
    public static final String BIND = "BIND";
    /** Supervisor to child: {@code BOUND requestId host port [host port]...}. */
    public static final String BOUND = "BOUND";
    /** Supervisor to child: {@code BIND_FAILED requestId message}. */
    public static final String BIND_FAILED = "BIND_FAILED";
    /** Child to supervisor: {@code LIVE path}. */
    public static final String LIVE = "LIVE";
    /** Child to supervisor: {@code WATCH path}. */
    public static final String WATCH = "WATCH";
    /** Supervisor to child: {@code STOP drainMillis}. */
    public static final String STOP = "STOP";

    private static final int MAX_TYPE = 32;

    /**
     * Checks the type and copies the fields.
     *
     * @throws IllegalArgumentException if the type is not 1-32 of {@code A-Z} and {@code _}
     */
    public LinkMessage {
        Objects.requireNonNull(type, "type");
        if (!validType(type)) {
            throw new IllegalArgumentException("bad message type: " + printable(type));
        }
        fields = List.copyOf(fields);
    }

    /**
     * A message.
     *
     * @param type the type, such as {@link #BIND}
     * @param fields its fields
     * @return the message
     */
    public static LinkMessage of(String type, String... fields) {
        return new LinkMessage(type, List.of(fields));
    }

    /**
     * A field.
     *
     * @param i its index
     * @return the field
     * @throws IllegalArgumentException if the message has no such field
     */
    public String field(int i) {
        if (i < 0 || i >= fields.size()) {
            throw new IllegalArgumentException(type + " has no field " + i + " (it has " + fields.size() + ")");
        }
        return fields.get(i);
    }

    /**
     * The message as one line, with its LF.
     *
     * @return the line
     */
    public String encode() {
        StringBuilder b = new StringBuilder(type.length() + 16 * fields.size() + 1).append(type);
        for (String f : fields) {
            b.append('\t');
            for (int i = 0; i < f.length(); i++) {
                char c = f.charAt(i);
                switch (c) {
                    case '\\' -> b.append("\\\\");
                    case '\t' -> b.append("\\t");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    default -> b.append(c);
                }
            }
        }
        return b.append('\n').toString();
    }

    /**
     * Reads a line written by {@link #encode}, without its LF.
     *
     * @param line the line
     * @return the message
     * @throws IllegalArgumentException if the line is malformed; the message says where
     */
    public static LinkMessage decode(String line) {
        int tab = line.indexOf('\t');
        String type = tab < 0 ? line : line.substring(0, tab);
        if (!validType(type)) {
            throw new IllegalArgumentException("bad message type: " + printable(type));
        }
        List<String> fields = new ArrayList<>();
        if (tab >= 0) {
            StringBuilder f = new StringBuilder();
            for (int i = tab + 1; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\t') {
                    fields.add(f.toString());
                    f.setLength(0);
                } else if (c == '\\') {
                    if (++i == line.length()) {
                        throw new IllegalArgumentException("dangling escape at the end of a " + type + " line");
                    }
                    switch (line.charAt(i)) {
                        case '\\' -> f.append('\\');
                        case 't' -> f.append('\t');
                        case 'n' -> f.append('\n');
                        case 'r' -> f.append('\r');
                        default -> throw new IllegalArgumentException("unknown escape \\" + printable(String.valueOf(line.charAt(i)))
                                + " at " + i + " of a " + type + " line");
                    }
                } else if (c == '\n' || c == '\r') {
                    throw new IllegalArgumentException("raw line break at " + i + " of a " + type + " line");
                } else {
                    f.append(c);
                }
            }
            fields.add(f.toString());
        }
        return new LinkMessage(type, fields);
    }

    private static boolean validType(String type) {
        if (type.isEmpty() || type.length() > MAX_TYPE) {
            return false;
        }
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if ((c < 'A' || c > 'Z') && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return s.length() > 40 ? b.append("...").toString() : b.toString();
    }
}
