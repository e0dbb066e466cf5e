package io.gale.http2;

import java.util.HashMap;
import java.util.Map;

/**
 * HPACK field block encoder (RFC 7541), one per connection: it owns the dynamic table the peer's
 * decoder mirrors.
 *
 * <pre>{@code
 * out.reset();
 * encoder.beginBlock(out);                          // pending dynamic table size updates
 * encoder.encodeStatus(200, out);
 * encoder.encode("content-type", "text/plain", false, out);
 * // frame out.array()[0, out.length()) with Http2FrameWriter.writeHeaders
 * }</pre>
 *
 * <h2>Representation choices</h2>
 * <ul>
 * <li>A field equal to a static entry, or (unless sensitive) to a dynamic one, is an indexed
 *     field: one or two octets.</li>
 * <li>Sensitive fields are literals never indexed (RFC 7541 section 7.1.3), so that neither this
 *     table nor any intermediary's holds them where compression side channels (CRIME-style
 *     guessing) could reach: the caller's flag, {@code authorization} and
 *     {@code proxy-authorization} always, and {@code cookie} values shorter than 20 octets, which
 *     are cheap to guess (longer cookies are indexed: they repeat on every request).</li>
 * <li>Fields whose values rarely repeat are literals without indexing, so they do not evict
 *     useful entries: {@code :path}, {@code content-length}, {@code content-range}, {@code etag},
 *     {@code last-modified}, {@code if-none-match}, {@code if-modified-since}, {@code age},
 *     {@code location} and {@code set-cookie}; as is any field larger than three quarters of the
 *     table. Everything else is a literal with incremental indexing.</li>
 * <li>Names are lower-cased ({@link Http2Names#lowerCase}) and referenced by index when a table
 *     holds them. Each string is Huffman-coded when that is shorter.</li>
 * </ul>
 *
 * <h2>Table size</h2>
 * The table uses at most {@link Http2Limits#encoderTableSize()} octets, and never more than the
 * peer's SETTINGS_HEADER_TABLE_SIZE ({@link #setPeerMaxTableSize}). A change is applied (and
 * entries evicted) at once and signalled at the start of the next block; when the size went down
 * and up again in between, the smallest size is signalled first, then the final one (section 4.2).
 *
 * <p>Strings are written as ISO-8859-1: a char above 0xFF is an {@link IllegalArgumentException}
 * (the caller's error, as in the HTTP/1.1 encoder). Not thread-safe: confined to the connection's
 * loop thread.
 */
final class HpackEncoder {
    /** Indexed statuses of the static table (RFC 7541 Appendix A, entries 8 to 14). */
    private static final int[] STATUS_INDEX = new int[600];
    private static final String[] STATUS_TEXT = new String[1000];

    static {
        int[] codes = {200, 204, 206, 304, 400, 404, 500};
        for (int i = 0; i < codes.length; i++) {
            STATUS_INDEX[codes[i]] = 8 + i;
        }
    }

    // Indexing policies of a name (see the class comment).
    private static final int INDEX = 0;
    private static final int NO_INDEX = 1;
    private static final int NEVER_INDEX = 2;
    /** Never indexed when the value is shorter than {@link #SHORT_COOKIE}, else indexed. */
    private static final int COOKIE = 3;
    private static final int SHORT_COOKIE = 20;

    /** What the encoder knows of a name: its wire form, its first static index (or 0), its policy. */
    private record NameInfo(String lower, int staticIndex, int policy) {
    }

    /** Every spelling {@link Http2Names} knows, to its info: one hash lookup per field. */
    private static final Map<String, NameInfo> NAMES = new HashMap<>(1024);

    static {
        // plain loops, no lambdas: a first lambda costs tens of milliseconds of bootstrap
        Map<String, NameInfo> byLower = new HashMap<>(256);
        for (Map.Entry<String, String> e : Http2Names.spellings().entrySet()) {
            String lower = e.getValue();
            NameInfo info = byLower.get(lower);
            if (info == null) {
                info = new NameInfo(lower, HpackStaticTable.nameIndex(lower), policy(lower));
                byLower.put(lower, info);
            }
            NAMES.put(e.getKey(), info);
        }
    }

    private static int policy(String lowerCaseName) {
        return switch (lowerCaseName) {
            case "authorization", "proxy-authorization" -> NEVER_INDEX;
            case "cookie" -> COOKIE;
            case ":path", "content-length", "content-range", "etag", "last-modified", "if-none-match",
                 "if-modified-since", "age", "location", "set-cookie" -> NO_INDEX;
            default -> INDEX;
        };
    }

    private final long maxCapacity;
    private final HpackDynamicTable table;
    /** A size update is owed at the next block start. */
    private boolean updatePending;
    /** The smallest capacity since the last block (signalled first when below the final one). */
    private long smallestPending;

    /**
     * An encoder whose table holds at most {@code maxTableSize} octets. Until the peer's SETTINGS
     * says otherwise its decoder allows 4096 (RFC 9113 section 6.5.2); a smaller maximum is
     * signalled in the first block.
     */
    HpackEncoder(int maxTableSize) {
        if (maxTableSize < 0) {
            throw new IllegalArgumentException("table size " + maxTableSize);
        }
        this.maxCapacity = maxTableSize;
        long capacity = Math.min(HpackDecoder.DEFAULT_TABLE_SIZE, maxTableSize);
        this.table = new HpackDynamicTable(capacity);
        if (capacity != HpackDecoder.DEFAULT_TABLE_SIZE) {
            updatePending = true;
            smallestPending = capacity;
        }
    }

    /** The peer's SETTINGS_HEADER_TABLE_SIZE (an unsigned 32-bit value) arrived. */
    void setPeerMaxTableSize(long settingsValue) {
        long capacity = Math.min(settingsValue, maxCapacity);
        if (capacity == table.capacity() && !updatePending) {
            return;
        }
        table.setCapacity(capacity);
        smallestPending = updatePending ? Math.min(smallestPending, capacity) : capacity;
        updatePending = true;
    }

    /** Starts a field block in {@code out}: writes the dynamic table size updates owed, if any. */
    void beginBlock(ByteOut out) {
        if (updatePending) {
            if (smallestPending < table.capacity()) {
                writeInt(out, 0x20, 5, smallestPending);
            }
            writeInt(out, 0x20, 5, table.capacity());
            updatePending = false;
        }
    }

    /** Encodes {@code :status} (indexed for the seven statuses of the static table). */
    void encodeStatus(int status, ByteOut out) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status " + status);
        }
        int index = status < STATUS_INDEX.length ? STATUS_INDEX[status] : 0;
        if (index != 0) {
            out.write(0x80 | index);
        } else {
            String text = STATUS_TEXT[status];
            if (text == null) {
                // a benign race across connections: Strings are immutable and safely published
                text = Integer.toString(status);
                STATUS_TEXT[status] = text;
            }
            encode(":status", text, false, out);
        }
    }

    /**
     * Encodes one field; {@code sensitive} forces a never-indexed literal.
     *
     * @throws IllegalArgumentException if the name or value holds a char above 0xFF
     */
    void encode(String name, String value, boolean sensitive, ByteOut out) {
        NameInfo info = NAMES.get(name);
        if (info == null) {
            info = NAMES.get(Http2Names.lowerCase(name));   // an unusual spelling of a known name
        }
        String n = info != null ? info.lower : Http2Names.lowerCase(name);
        int staticIndex = info != null ? info.staticIndex : 0;
        int policy = info != null ? info.policy : INDEX;
        if (staticIndex > 0) {
            int exact = HpackStaticTable.findValue(staticIndex, value);
            if (exact > 0) {
                writeInt(out, 0x80, 7, exact);
                return;
            }
        }
        boolean never = sensitive || policy == NEVER_INDEX || (policy == COOKIE && value.length() < SHORT_COOKIE);
        int d = table.find(n, value);
        if (d > 0 && !never) {
            writeInt(out, 0x80, 7, HpackStaticTable.LENGTH + d);
            return;
        }
        int nameIndex = staticIndex > 0 ? staticIndex : d != 0 ? HpackStaticTable.LENGTH + Math.abs(d) : 0;
        if (never) {
            writeLiteral(out, 0x10, 4, nameIndex, n, value);
        } else if (policy != NO_INDEX && HpackDynamicTable.entrySize(n, value) * 4 <= table.capacity() * 3) {
            writeLiteral(out, 0x40, 6, nameIndex, n, value);
            table.add(n, value);
        } else {
            writeLiteral(out, 0x00, 4, nameIndex, n, value);
        }
    }

    /** The dynamic table (for tests and diagnostics). */
    HpackDynamicTable table() {
        return table;
    }

    private static void writeLiteral(ByteOut out, int pattern, int prefixBits, int nameIndex, String name,
                                     String value) {
        if (nameIndex > 0) {
            writeInt(out, pattern, prefixBits, nameIndex);
        } else {
            out.write(pattern);
            writeString(out, name);
        }
        writeString(out, value);
    }

    /** An integer with an N-bit prefix (RFC 7541 section 5.1), the prefix's high bits set to {@code pattern}. */
    static void writeInt(ByteOut out, int pattern, int prefixBits, long value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            out.write(pattern | (int) value);
            return;
        }
        out.write(pattern | max);
        value -= max;
        while (value >= 0x80) {
            out.write((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    /** A string literal (section 5.2), Huffman-coded when shorter. */
    static void writeString(ByteOut out, String s) {
        int len = s.length();
        int huffmanLength = HpackHuffman.encodedLength(s);
        if (huffmanLength < len) {
            writeInt(out, 0x80, 7, huffmanLength);
            int at = out.reserve(huffmanLength);
            HpackHuffman.encode(s, out.array(), at);
            out.advance(huffmanLength);
        } else {
            writeInt(out, 0x00, 7, len);
            int at = out.reserve(len);
            byte[] a = out.array();
            for (int i = 0; i < len; i++) {
                a[at + i] = (byte) s.charAt(i);
            }
            out.advance(len);
        }
    }
}
