package io.gale.http2;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * HPACK field block decoder (RFC 7541), one per connection: it owns the dynamic table the peer's
 * encoder fills.
 *
 * <h2>Driving it</h2>
 * A field block arrives in fragments (a HEADERS or PUSH_PROMISE frame, then CONTINUATION frames,
 * each possibly split further by socket reads). Each fragment is passed as it comes:
 * <pre>{@code
 * Http2Error e = decoder.decode(fragment, endOfBlock, (name, value, sensitive) -> headers.add(name, value));
 * if (e != null) { goAway(e); }                      // always a connection error
 * else if (endOfBlock && decoder.headerListTooLarge()) { answer431(); }
 * }</pre>
 * Representations split across fragments are handled: the bytes of an unfinished one (at most
 * one, bounded by the string limit) are kept until the rest arrives; everything else is decoded
 * straight from the caller's array with no copy. Fragments in direct buffers are copied first.
 * {@code decode} consumes the whole fragment.
 *
 * <h2>Output</h2>
 * Fields go to the {@link FieldSink} in block order, names in lower case as sent. Names are the
 * shared instances of {@link Http2Names} when known, and fields from the tables are the very
 * strings stored there, so an indexed field allocates nothing and a literal allocates its value.
 * Octets become chars one to one (ISO-8859-1), as the HTTP/1.1 parser does; validating names and
 * values (RFC 9113 section 8.2.1) is the connection's job. {@code sensitive} marks never-indexed
 * literals (RFC 7541 section 7.1.3): a proxy must re-encode them the same way.
 *
 * <h2>Errors and limits</h2>
 * Errors are values: {@code decode} never throws for peer input and returns an
 * {@link Http2Error}, always a connection error since the compression context is lost; the
 * decoder then stays failed. COMPRESSION_ERROR (RFC 9113 section 4.3) for every decoding error of
 * RFC 7541: index 0 or beyond both tables, an integer longer than 5 continuation octets or above
 * 2^31-1, invalid Huffman (EOS, padding longer than 7 bits or not all ones), a block ending inside
 * a representation, a dynamic table size update above the SETTINGS_HEADER_TABLE_SIZE in force,
 * after the first field of a block, or missing when the setting was lowered below the table's
 * capacity; also a string literal longer than {@link Http2Limits#maxHeaderListSize()}.
 * ENHANCE_YOUR_CALM when the decoded size exceeds {@link Http2Limits#maxHeaderBlockSize()} (an
 * HPACK bomb: a few index octets expanding to table entries). Past
 * {@link Http2Limits#maxHeaderListSize()} decoding goes on to keep the table in step, fields are
 * no longer delivered and {@link #headerListTooLarge()} is set.
 *
 * <p>Not thread-safe: confined to the connection's loop thread.
 */
final class HpackDecoder {

    /** Receives the fields of a block, in order. */
    @FunctionalInterface
    interface FieldSink {
        /** One decoded field; {@code sensitive} for a never-indexed literal. */
        void field(String name, String value, boolean sensitive);
    }

    /** Initial SETTINGS_HEADER_TABLE_SIZE (RFC 9113 section 6.5.2). */
    static final int DEFAULT_TABLE_SIZE = 4096;

    /** measure/readInt result: the error field holds why. Need-more results are negative counts. */
    private static final int ERR = Integer.MIN_VALUE;
    /** Most continuation octets of an integer: 5 carry 35 bits, enough for 2^31-1 with a 4-bit prefix. */
    private static final int MAX_INT_CONTINUATIONS = 5;

    private static final Http2Error ERR_INDEX_ZERO = compression("index 0");
    private static final Http2Error ERR_INDEX_RANGE = compression("index beyond the static and dynamic tables");
    private static final Http2Error ERR_INT_OVERFLOW = compression("integer above 2^31-1 or longer than 5 octets");
    private static final Http2Error ERR_STRING_LENGTH = compression("string literal longer than the header list limit");
    private static final Http2Error ERR_HUFFMAN = compression("invalid Huffman code (EOS or bad padding)");
    private static final Http2Error ERR_TRUNCATED = compression("field block ends inside a field representation");
    private static final Http2Error ERR_UPDATE_TOO_LARGE =
        compression("dynamic table size update above SETTINGS_HEADER_TABLE_SIZE");
    private static final Http2Error ERR_UPDATE_LATE = compression("dynamic table size update after a field");
    private static final Http2Error ERR_UPDATE_MISSING = compression("dynamic table size update required first");
    private static final Http2Error ERR_BOMB = Http2Error.connection(Http2ErrorCode.ENHANCE_YOUR_CALM,
        "decoded field block above the hard limit");

    private final HpackDynamicTable table;
    private final int maxStringLength;
    private final long maxHeaderListSize;
    private final long maxHeaderBlockSize;
    /** SETTINGS_HEADER_TABLE_SIZE in force: the largest size update allowed. */
    private long maxTableSize;
    /** After our setting dropped below the table's capacity: the next block's update must be at most this; else -1. */
    private long requiredUpdate = -1;

    private Http2Error error;

    // per block
    private boolean inBlock;
    private boolean fieldSeen;
    private long listSize;
    private boolean tooLarge;

    /** Bytes of a representation cut by the end of a fragment. */
    private byte[] partial = new byte[0];
    private int partialLen;
    /** Copy of a fragment from a direct buffer. */
    private byte[] direct = new byte[0];
    /** Huffman output. */
    private byte[] huffman = new byte[64];

    /** Outputs of the integer and string readers (to return a position and a value without allocating). */
    private int intValue;
    private int pos;

    /**
     * A decoder whose table starts with {@code tableSize} as both capacity and allowed maximum. A
     * connection passes {@link #DEFAULT_TABLE_SIZE} (the size both ends assume before SETTINGS) and
     * calls {@link #setMaxTableSize} once the peer acknowledged our SETTINGS_HEADER_TABLE_SIZE.
     */
    HpackDecoder(long tableSize, Http2Limits limits) {
        this.table = new HpackDynamicTable(tableSize);
        this.maxTableSize = tableSize;
        this.maxStringLength = limits.maxHeaderListSize();
        this.maxHeaderListSize = limits.maxHeaderListSize();
        this.maxHeaderBlockSize = limits.maxHeaderBlockSize();
    }

    private static Http2Error compression(String reason) {
        return Http2Error.connection(Http2ErrorCode.COMPRESSION_ERROR, reason);
    }

    /**
     * Our SETTINGS_HEADER_TABLE_SIZE changed and the peer acknowledged it: size updates may go up
     * to {@code settingsValue}; if that is below the table's capacity, the next block must begin
     * with an update to at most the smallest such value (RFC 7541 section 4.2). Call between blocks.
     */
    void setMaxTableSize(long settingsValue) {
        maxTableSize = settingsValue;
        if (settingsValue < table.capacity()) {
            requiredUpdate = requiredUpdate < 0 ? settingsValue : Math.min(requiredUpdate, settingsValue);
        }
    }

    /**
     * Decodes one fragment of a field block, delivering complete fields to {@code sink};
     * {@code endOfBlock} for the last fragment (END_HEADERS seen and the frame's payload done).
     * Consumes the whole fragment.
     *
     * @return null, or the connection error that ends the connection (the same on every later call)
     */
    Http2Error decode(ByteBuffer fragment, boolean endOfBlock, FieldSink sink) {
        if (error != null) {
            return error;
        }
        if (!inBlock) {
            inBlock = true;
            fieldSeen = false;
            listSize = 0;
            tooLarge = false;
        }
        int n = fragment.remaining();
        byte[] a;
        int p;
        if (fragment.hasArray()) {
            a = fragment.array();
            p = fragment.arrayOffset() + fragment.position();
        } else {
            if (direct.length < n) {
                direct = new byte[Math.max(n, direct.length * 2)];
            }
            fragment.get(fragment.position(), direct, 0, n);
            a = direct;
            p = 0;
        }
        fragment.position(fragment.limit());
        int e = p + n;
        if (partialLen > 0) {
            p = completePartial(a, p, e, sink);
            if (p == ERR) {
                return error;
            }
        }
        while (p < e) {
            int r = measure(a, p, e);
            if (r == ERR) {
                return error;
            }
            if (r < 0) {
                appendPartial(a, p, e - p);
                break;
            }
            if (!decodeRepresentation(a, p, sink)) {
                return error;
            }
            p += r;
        }
        if (endOfBlock) {
            if (partialLen > 0) {
                return fail(ERR_TRUNCATED);
            }
            inBlock = false;
        }
        return null;
    }

    /**
     * Whether the current or last block went past {@link Http2Limits#maxHeaderListSize()}: its
     * later fields were not delivered. Reset when the next block starts.
     */
    boolean headerListTooLarge() {
        return tooLarge;
    }

    /** The dynamic table (for tests and diagnostics). */
    HpackDynamicTable table() {
        return table;
    }

    /**
     * Feeds bytes into the unfinished representation until it is complete (then decodes it) or the
     * fragment runs out. Returns the new position in {@code a}, or ERR.
     */
    private int completePartial(byte[] a, int p, int e, FieldSink sink) {
        for (;;) {
            int r = measure(partial, 0, partialLen);
            if (r == ERR) {
                return ERR;
            }
            if (r > 0) {
                // Complete, and exactly: each need-more count is a lower bound of what the
                // representation still lacks, so no byte of the next one was taken.
                partialLen = 0;
                return decodeRepresentation(partial, 0, sink) ? p : ERR;
            }
            if (p == e) {
                return p;
            }
            int take = Math.min(-r, e - p);
            appendPartial(a, p, take);
            p += take;
        }
    }

    private void appendPartial(byte[] a, int p, int n) {
        if (partialLen + n > partial.length) {
            partial = Arrays.copyOf(partial, Math.max(partialLen + n, Math.max(64, partial.length * 2)));
        }
        System.arraycopy(a, p, partial, partialLen, n);
        partialLen += n;
    }

    /**
     * Length of the representation at {@code a[p]} (p < e) if all of it is in {@code [p, e)};
     * otherwise minus a lower bound of the octets it still needs; or ERR. Reads lengths only.
     */
    private int measure(byte[] a, int p, int e) {
        int b = a[p] & 0xff;
        int q;
        if (b >= 0x80) {
            q = readInt(a, p, e, 7);
            return q < 0 ? q : q - p;
        }
        if (b >= 0x40) {
            q = readInt(a, p, e, 6);
        } else if (b >= 0x20) {
            q = readInt(a, p, e, 5);
            return q < 0 ? q : q - p;
        } else {
            q = readInt(a, p, e, 4);
        }
        if (q < 0) {
            return q;
        }
        if (intValue == 0) {
            q = skipString(a, q, e);
            if (q < 0) {
                return q;
            }
        }
        q = skipString(a, q, e);
        return q < 0 ? q : q - p;
    }

    private int skipString(byte[] a, int p, int e) {
        if (p == e) {
            return -1;
        }
        int q = readInt(a, p, e, 7);
        if (q < 0) {
            return q;
        }
        int len = intValue;
        if (len > maxStringLength) {
            error = ERR_STRING_LENGTH;
            return ERR;
        }
        int avail = e - q;
        return avail < len ? -(len - avail) : q + len;
    }

    /**
     * Reads an integer with an N-bit prefix (RFC 7541 section 5.1) at {@code a[p]} into
     * {@link #intValue}; returns the position after it, -1 if more octets are needed, or ERR.
     */
    private int readInt(byte[] a, int p, int e, int prefixBits) {
        int max = (1 << prefixBits) - 1;
        int v = a[p++] & max;
        if (v < max) {
            intValue = v;
            return p;
        }
        long value = v;
        for (int i = 0, shift = 0;; i++, shift += 7) {
            if (p == e) {
                return -1;
            }
            if (i == MAX_INT_CONTINUATIONS) {
                error = ERR_INT_OVERFLOW;
                return ERR;
            }
            int b = a[p++];
            value += (long) (b & 0x7f) << shift;
            if (value > Integer.MAX_VALUE) {
                error = ERR_INT_OVERFLOW;
                return ERR;
            }
            if (b >= 0) {
                intValue = (int) value;
                return p;
            }
        }
    }

    /** Decodes the complete representation at {@code a[p]}; false on error. */
    private boolean decodeRepresentation(byte[] a, int p, FieldSink sink) {
        int b = a[p] & 0xff;
        if (b >= 0x20 && b < 0x40) {
            return sizeUpdate(a, p);
        }
        if (requiredUpdate >= 0) {
            return failed(ERR_UPDATE_MISSING);
        }
        fieldSeen = true;
        if (b >= 0x80) {
            readInt(a, p, a.length, 7);
            int index = intValue;
            if (index == 0) {
                return failed(ERR_INDEX_ZERO);
            }
            if (index <= HpackStaticTable.LENGTH) {
                return emit(HpackStaticTable.name(index), HpackStaticTable.value(index), false, sink);
            }
            int d = index - HpackStaticTable.LENGTH;
            if (d > table.length()) {
                return failed(ERR_INDEX_RANGE);
            }
            return emit(table.name(d), table.value(d), false, sink);
        }
        boolean indexing = b >= 0x40;
        boolean never = !indexing && (b & 0x10) != 0;
        int q = readInt(a, p, a.length, indexing ? 6 : 4);
        int index = intValue;
        String name;
        if (index == 0) {
            name = readString(a, q, true);
            if (name == null) {
                return false;
            }
            q = pos;
        } else if (index <= HpackStaticTable.LENGTH) {
            name = HpackStaticTable.name(index);
        } else if (index - HpackStaticTable.LENGTH <= table.length()) {
            name = table.name(index - HpackStaticTable.LENGTH);
        } else {
            return failed(ERR_INDEX_RANGE);
        }
        String value = readString(a, q, false);
        if (value == null) {
            return false;
        }
        if (indexing) {
            table.add(name, value);
        }
        return emit(name, value, never, sink);
    }

    private boolean sizeUpdate(byte[] a, int p) {
        if (fieldSeen) {
            return failed(ERR_UPDATE_LATE);
        }
        readInt(a, p, a.length, 5);
        long size = intValue;
        if (size > maxTableSize) {
            return failed(ERR_UPDATE_TOO_LARGE);
        }
        table.setCapacity(size);
        if (requiredUpdate >= 0 && size <= requiredUpdate) {
            requiredUpdate = -1;
        }
        return true;
    }

    /** Reads a complete string literal at {@code a[p]}; sets {@link #pos} after it. Null on error. */
    private String readString(byte[] a, int p, boolean isName) {
        boolean huff = a[p] < 0;
        int q = readInt(a, p, a.length, 7);
        int len = intValue;
        pos = q + len;
        if (!huff) {
            return isName ? Http2Names.name(a, q, len) : latin1(a, q, len);
        }
        int max = HpackHuffman.maxDecodedLength(len);
        if (huffman.length < max) {
            huffman = new byte[Math.max(max, huffman.length * 2)];
        }
        int n = HpackHuffman.decode(a, q, len, huffman);
        if (n < 0) {
            error = ERR_HUFFMAN;
            return null;
        }
        return isName ? Http2Names.name(huffman, 0, n) : latin1(huffman, 0, n);
    }

    private static String latin1(byte[] a, int off, int len) {
        return len == 0 ? "" : new String(a, off, len, StandardCharsets.ISO_8859_1);
    }

    private boolean emit(String name, String value, boolean sensitive, FieldSink sink) {
        listSize += HpackDynamicTable.entrySize(name, value);
        if (listSize > maxHeaderBlockSize) {
            return failed(ERR_BOMB);
        }
        if (listSize > maxHeaderListSize) {
            tooLarge = true;
            return true;
        }
        sink.field(name, value, sensitive);
        return true;
    }

    private boolean failed(Http2Error e) {
        error = e;
        return false;
    }

    private Http2Error fail(Http2Error e) {
        error = e;
        return e;
    }
}
