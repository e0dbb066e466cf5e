package io.gale.internal.http;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Incremental gzip decoder (RFC 1952) for one message body, the one of both sides: the server's
 * request decompression ({@code decompressRequest}) and the client's response decompression
 * ({@code decompressResponse}). Fed the body in slices as they arrive, it hands out decompressed
 * pieces of at most {@code pieceSize} bytes and counts the decompressed total against
 * {@code maxOutput}, so a small "gzip bomb" stops at the limit instead of filling memory.
 * Concatenated members (RFC 1952 section 2.2) are accepted; each member's CRC-32 and length are
 * checked. A codec class, public only for {@code io.gale.httpclient}.
 *
 * <p>Driving it: {@link #feed} a slice, then call {@link #next} until it returns null (the slice
 * is used up, or decoding failed: {@link #error()}), then feed the next. The slice must stay
 * untouched until then, or be handed over with {@link #retainInput()}. After the last slice,
 * {@link #finish} says whether the stream ended cleanly.
 *
 * <p>Failures are values: {@link #error()} describes the first one ({@link #tooLarge()} tells the
 * limit apart from malformed input), and the decoder stays failed.
 *
 * <p>Not thread-safe: confined to its connection's loop. {@link #close} frees the native inflater.
 */
public final class GzipDecoder implements AutoCloseable {
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
    private String error;
    private boolean tooLarge;
    private boolean members;

    /**
     * Creates a {@code GzipDecoder}.
     *
     * @param pieceSize the largest piece {@link #next} returns (its buffer is reused)
     * @param maxOutput most decompressed bytes accepted; more is an error ({@link #tooLarge()})
     */
    public GzipDecoder(int pieceSize, long maxOutput) {
        if (pieceSize <= 0 || maxOutput < 0) {
            throw new IllegalArgumentException("pieceSize " + pieceSize + ", maxOutput " + maxOutput);
        }
        this.out = new byte[pieceSize];
        this.maxOutput = maxOutput;
    }

    /**
     * Gives the next compressed slice; the decoder reads it (without copying) during {@link #next}.
     *
     * @param slice the slice
     */
    public void feed(ByteBuffer slice) {
        in = slice;
    }

    /**
     * The next decompressed piece (valid until the next call), or null when the fed slice is used
     * up or decoding failed (see {@link #error()}).
     *
     * @return the next decompressed piece (valid until the next call), or null when the fed slice is used up or decoding failed (see {@link #error()})
     */
    public ByteBuffer next() {
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
                        return fail("corrupt deflate data: " + e.getMessage());
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
                            tooLarge = true;
                            return fail("more than " + maxOutput + " bytes decompressed");
                        }
                        crc.update(out, 0, n);
                        return ByteBuffer.wrap(out, 0, n);
                    }
                    if (state == State.DATA && !inflater.needsInput()) {
                        // no progress with input left: a preset dictionary, never valid in gzip
                        return fail("deflate stream needs a dictionary");
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

    private ByteBuffer fail(String message) {
        if (error == null) {
            error = message;
        }
        return null;
    }

    /** One byte of a gzip header or trailer. */
    private void headerByte(int b) {
        switch (state) {
            case BETWEEN, HEADER -> {
                if (state == State.BETWEEN) {
                    state = State.HEADER;
                    members = true;
                }
                small[smallLen++] = (byte) b;
                if (smallLen == 1 && b != 0x1f || smallLen == 2 && b != 0x8b) {
                    fail(members ? "data after the end of the compressed stream" : "bad magic bytes");
                } else if (smallLen == 3 && b != 8) {
                    fail("unknown compression method " + b);
                } else if (smallLen == 10) {
                    flags = small[3] & 0xFF;
                    if ((flags & 0xE0) != 0) {
                        fail("reserved header flags set");
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
                        fail("CRC or size mismatch (corrupt data)");
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
    public void retainInput() {
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

    /**
     * Whether a fed slice is not used up yet (call {@link #next}).
     *
     * @return whether a fed slice is not used up yet (call {@link #next})
     */
    public boolean hasPending() {
        return in != null;
    }

    /**
     * What stopped decoding, or null.
     *
     * @return what stopped decoding, or null
     */
    public String error() {
        return error;
    }

    /**
     * Whether {@link #error()} is the {@code maxOutput} limit rather than malformed input.
     *
     * @return whether {@link #error()} is the {@code maxOutput} limit rather than malformed input
     */
    public boolean tooLarge() {
        return tooLarge;
    }

    /**
     * At the end of the body: null if the stream ended cleanly after a whole member, else what is
     * wrong (the earlier error, or "truncated").
     *
     * @return the finish
     */
    public String finish() {
        if (error == null && state != State.BETWEEN) {
            error = "truncated";
        }
        return error;
    }

    /**
     * Decompressed bytes so far.
     *
     * @return the total
     */
    public long total() {
        return total;
    }

    /** Frees the native inflater. */
    @Override
    public void close() {
        inflater.end();
    }
}
