package io.gale.http;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Incremental gzip decoder for one request body ({@code decompressRequest}): fed the body slices
 * as they arrive, hands out decompressed pieces of at most {@code chunkSize} bytes, and counts the
 * decompressed total against the body limit, so a small "gzip bomb" is stopped at the limit
 * instead of filling memory. Concatenated gzip members (RFC 1952 section 2.2) are accepted; each
 * member's CRC-32 and length are checked.
 *
 * <p>Driving it: {@link #feed} a slice, then call {@link #next} until it returns null (all of the
 * slice consumed), then feed the next. The slice must stay untouched until then. After the last
 * slice, {@link #finish} says whether the stream ended cleanly.
 *
 * <p>Not thread-safe: confined to the connection's loop; {@link #close} frees the native inflater.
 */
final class RequestDecompressor {
    static final HttpParseError ERR_BAD_GZIP = new HttpParseError(400, "malformed gzip request body");
    static final HttpParseError ERR_TOO_LARGE = new HttpParseError(413, "decompressed body too large");

    private enum State { HEADER, EXTRA_LEN, EXTRA, NAME, COMMENT, HCRC, DATA, TRAILER, BETWEEN }

    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] out;
    private final long maxOutput;

    private State state = State.HEADER;
    private ByteBuffer in;
    private int need = 10;
    private int flags;
    private final byte[] small = new byte[10];
    private int smallLen;
    private long total;
    private long memberSize;
    private HttpParseError error;

    RequestDecompressor(int chunkSize, long maxOutput) {
        this.out = new byte[chunkSize];
        this.maxOutput = maxOutput;
    }

    /** Gives the next compressed slice; the decompressor reads it (without copying) during {@link #next}. */
    void feed(ByteBuffer slice) {
        in = slice;
    }

    /**
     * The next decompressed piece (valid until the next call), or null when the fed slice is used
     * up or an error occurred (see {@link #error()}).
     */
    ByteBuffer next() {
        while (error == null && in != null) {
            if (state == State.DATA) {
                if (!inflater.needsInput() || in.hasRemaining()) {
                    if (inflater.needsInput()) {
                        inflater.setInput(in);
                    }
                    int n;
                    try {
                        n = inflater.inflate(out);
                    } catch (DataFormatException e) {
                        error = ERR_BAD_GZIP;
                        return null;
                    }
                    if (inflater.finished()) {
                        state = State.TRAILER;
                        need = 8;
                        smallLen = 0;
                    }
                    if (n > 0) {
                        total += n;
                        memberSize += n;
                        if (total > maxOutput) {
                            error = ERR_TOO_LARGE;
                            return null;
                        }
                        crc.update(out, 0, n);
                        return ByteBuffer.wrap(out, 0, n);
                    }
                    if (state == State.DATA && !inflater.needsInput()) {
                        error = ERR_BAD_GZIP; // no progress with input left: a preset dictionary, never valid in gzip
                    }
                    continue;
                }
                in = null;
                return null;
            }
            if (!in.hasRemaining()) {
                in = null;
                return null;
            }
            headerByte(in.get() & 0xFF);
        }
        return null;
    }

    /** One byte of a gzip header or trailer. */
    private void headerByte(int b) {
        switch (state) {
            case BETWEEN, HEADER -> {
                state = State.HEADER;
                small[smallLen++] = (byte) b;
                if (smallLen == 1 && b != 0x1f || smallLen == 2 && b != 0x8b || smallLen == 3 && b != 8) {
                    error = ERR_BAD_GZIP;
                } else if (smallLen == 10) {
                    flags = small[3] & 0xFF;
                    if ((flags & 0xE0) != 0) {
                        error = ERR_BAD_GZIP; // reserved bits set
                        return;
                    }
                    smallLen = 0;
                    afterHeaderField(State.HEADER);
                }
            }
            case EXTRA_LEN -> {
                small[smallLen++] = (byte) b;
                if (smallLen == 2) {
                    need = (small[0] & 0xFF) | (small[1] & 0xFF) << 8;
                    smallLen = 0;
                    if (need == 0) {
                        afterHeaderField(State.EXTRA);
                    } else {
                        state = State.EXTRA;
                    }
                }
            }
            case EXTRA -> {
                if (--need == 0) {
                    afterHeaderField(State.EXTRA);
                }
            }
            case NAME -> {
                if (b == 0) {
                    afterHeaderField(State.NAME);
                }
            }
            case COMMENT -> {
                if (b == 0) {
                    afterHeaderField(State.COMMENT);
                }
            }
            case HCRC -> {
                if (++smallLen == 2) {
                    smallLen = 0;
                    afterHeaderField(State.HCRC);
                }
            }
            case TRAILER -> {
                small[smallLen++] = (byte) b;
                if (smallLen == 8) {
                    long sum = le32(0);
                    long size = le32(4);
                    if (sum != crc.getValue() || size != (memberSize & 0xFFFFFFFFL)) {
                        error = ERR_BAD_GZIP;
                        return;
                    }
                    smallLen = 0;
                    state = State.BETWEEN;
                }
            }
            default -> throw new IllegalStateException(state.toString());
        }
    }

    /** Moves to the next optional header field present after {@code done}, or to the data. */
    private void afterHeaderField(State done) {
        State[] order = {State.HEADER, State.EXTRA, State.NAME, State.COMMENT, State.HCRC};
        int[] flag = {0, FEXTRA, FNAME, FCOMMENT, FHCRC};
        int i = 0;
        while (order[i] != done) {
            i++;
        }
        for (i++; i < order.length; i++) {
            if ((flags & flag[i]) != 0) {
                state = order[i] == State.EXTRA ? State.EXTRA_LEN : order[i];
                return;
            }
        }
        state = State.DATA;
        inflater.reset();
        crc.reset();
        memberSize = 0;
        // Input left in the slice goes to the inflater on the next step.
        if (in != null && in.hasRemaining()) {
            inflater.setInput(in);
        }
    }

    private long le32(int at) {
        return (small[at] & 0xFFL) | (small[at + 1] & 0xFFL) << 8 | (small[at + 2] & 0xFFL) << 16
                | (small[at + 3] & 0xFFL) << 24;
    }

    /** Copies the unconsumed part of the fed slice, which the caller is about to lose. */
    void retainInput() {
        if (in == null) {
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(in.remaining());
        copy.put(in).flip();
        in = copy.hasRemaining() ? copy : null;
        if (state == State.DATA && in != null) {
            inflater.setInput(in); // the inflater read from the old buffer; it continues from the copy
        }
    }

    /** Whether a fed slice is not used up yet (call {@link #next}). */
    boolean hasPending() {
        return in != null;
    }

    /** The error that stopped decoding, else null. */
    HttpParseError error() {
        return error;
    }

    /** At the end of the body: null if the gzip stream ended cleanly, else the error to answer. */
    HttpParseError finish() {
        if (error != null) {
            return error;
        }
        return state == State.BETWEEN ? null : ERR_BAD_GZIP;
    }

    /** Decompressed bytes so far. */
    long total() {
        return total;
    }

    void close() {
        inflater.end();
    }
}
