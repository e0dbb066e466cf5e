package io.gale.pubsub;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RESP2 values (the Redis serialisation protocol) from bytes as they arrive.
 *
 * <p>Values: simple string → {@link String}, error → {@link RespError}, integer → {@link Long},
 * bulk string → {@code byte[]}, array → {@code List<Object>}, null bulk string or array →
 * {@code null}. RESP3 types are not spoken: the client never sends {@code HELLO 3}.
 *
 * <p>{@link #read} either takes one complete value off the buffer or, when the value is not
 * complete yet, leaves the buffer as it was and answers {@link #NEED_MORE}; the caller offers the
 * same bytes again with more appended. A partial value is re-scanned from its start, which costs
 * one pass over its headers (a bulk string's body is skipped by its length, never scanned), so a
 * value split anywhere reads the same as a whole one.
 *
 * <p>Limits (a server is trusted only so far): a bulk string of at most {@code maxBulk} bytes, a
 * line (simple string, error, integer, length) of at most {@value #MAX_LINE} bytes, arrays of at
 * most {@value #MAX_ELEMENTS} elements nested at most {@value #MAX_DEPTH} deep. Anything else is
 * a {@link RespProtocolException}, after which the connection is closed: there is no way to
 * resynchronise inside a RESP stream.
 *
 * <p>Not thread-safe: one per connection.
 */
final class RespReader {
    /** The answer for an incomplete value. */
    static final Object NEED_MORE = new Object();
    static final int MAX_LINE = 16 * 1024;
    static final int MAX_ELEMENTS = 1024;
    static final int MAX_DEPTH = 8;
    /** Digits of a long, with its sign. */
    private static final int MAX_NUMBER_LENGTH = 20;

    private final int maxBulk;
    private int pos; // absolute index in the buffer being read

    RespReader(int maxBulk) {
        if (maxBulk < 0) {
            throw new IllegalArgumentException("maxBulk " + maxBulk);
        }
        this.maxBulk = maxBulk;
    }

    /**
     * Takes one value off {@code buf}, advancing its position past it; or answers
     * {@link #NEED_MORE} and leaves the position where it was.
     *
     * @throws RespProtocolException for malformed input or a limit exceeded
     */
    Object read(ByteBuffer buf) {
        pos = buf.position();
        Object v = value(buf, 0);
        if (v != NEED_MORE) {
            buf.position(pos);
        }
        return v;
    }

    private Object value(ByteBuffer b, int depth) {
        if (pos >= b.limit()) {
            return NEED_MORE;
        }
        byte type = b.get(pos);
        int lineStart = pos + 1;
        int lineEnd = lineEnd(b, lineStart);
        if (lineEnd < 0) {
            return NEED_MORE;
        }
        int next = lineEnd + 2;
        switch (type) {
            case '+' -> {
                pos = next;
                return text(b, lineStart, lineEnd);
            }
            case '-' -> {
                pos = next;
                return new RespError(text(b, lineStart, lineEnd));
            }
            case ':' -> {
                long n = number(b, lineStart, lineEnd);
                pos = next;
                return n;
            }
            case '$' -> {
                long n = number(b, lineStart, lineEnd);
                if (n == -1) {
                    pos = next;
                    return null;
                }
                if (n < 0) {
                    throw new RespProtocolException("negative bulk string length " + n);
                }
                if (n > maxBulk) {
                    throw new RespProtocolException("bulk string of " + n + " bytes exceeds the limit of " + maxBulk);
                }
                int len = (int) n;
                if ((long) b.limit() - next < len + 2L) {
                    return NEED_MORE;
                }
                if (b.get(next + len) != '\r' || b.get(next + len + 1) != '\n') {
                    throw new RespProtocolException("bulk string of " + len + " bytes not followed by CRLF");
                }
                byte[] data = new byte[len];
                b.get(next, data);
                pos = next + len + 2;
                return data;
            }
            case '*' -> {
                long n = number(b, lineStart, lineEnd);
                if (n == -1) {
                    pos = next;
                    return null;
                }
                if (n < 0) {
                    throw new RespProtocolException("negative array length " + n);
                }
                if (n > MAX_ELEMENTS) {
                    throw new RespProtocolException("array of " + n + " elements exceeds the limit of " + MAX_ELEMENTS);
                }
                if (depth >= MAX_DEPTH) {
                    throw new RespProtocolException("arrays nested deeper than " + MAX_DEPTH);
                }
                pos = next;
                List<Object> items = new ArrayList<>((int) n);
                for (int i = 0; i < n; i++) {
                    Object item = value(b, depth + 1);
                    if (item == NEED_MORE) {
                        return NEED_MORE;
                    }
                    items.add(item);
                }
                return items;
            }
            default -> throw new RespProtocolException("unknown RESP2 type byte 0x" + Integer.toHexString(type & 0xff));
        }
    }

    /** Index of the CR ending the line that starts at {@code from}; -1 if it has not arrived. */
    private static int lineEnd(ByteBuffer b, int from) {
        int limit = b.limit();
        int scanTo = (int) Math.min(limit, (long) from + MAX_LINE + 1);
        for (int i = from; i < scanTo; i++) {
            byte c = b.get(i);
            if (c == '\r') {
                if (i + 1 >= limit) {
                    return -1;
                }
                if (b.get(i + 1) != '\n') {
                    throw new RespProtocolException("CR not followed by LF");
                }
                return i;
            }
            if (c == '\n') {
                throw new RespProtocolException("LF without CR");
            }
        }
        if (scanTo - from > MAX_LINE) {
            throw new RespProtocolException("line longer than " + MAX_LINE + " bytes");
        }
        return -1;
    }

    private static String text(ByteBuffer b, int from, int to) {
        byte[] bytes = new byte[to - from];
        b.get(from, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A RESP integer: an optional minus and 1 to 19 digits, within a long. */
    private static long number(ByteBuffer b, int from, int to) {
        int i = from;
        boolean negative = i < to && b.get(i) == '-';
        if (negative) {
            i++;
        }
        if (i == to || to - from > MAX_NUMBER_LENGTH) {
            throw new RespProtocolException("malformed integer of " + (to - from) + " bytes");
        }
        long n = 0;
        for (; i < to; i++) {
            byte c = b.get(i);
            if (c < '0' || c > '9') {
                throw new RespProtocolException("malformed integer: byte 0x" + Integer.toHexString(c & 0xff));
            }
            try {
                n = Math.addExact(Math.multiplyExact(n, 10), negative ? -(c - '0') : c - '0');
            } catch (ArithmeticException e) {
                throw new RespProtocolException("integer out of range");
            }
        }
        return n;
    }
}
