package io.gale.httpclient;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Streaming gzip decoder (RFC 1952) for one response body: header, raw deflate data, and the
 * CRC-32/size trailer, which is checked. Input arrives in arbitrary pieces; output goes to a sink
 * in pieces of a reused buffer, valid only during the call. One member only; bytes after it are an
 * error. Not thread-safe: confined to the connection's loop. Call {@link #end()} to free the
 * native inflater.
 */
final class GzipDecoder {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private enum State { HEADER, EXTRA_LEN, EXTRA, NAME, COMMENT, HCRC, DATA, TRAILER, DONE }

    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final ByteBuffer out = ByteBuffer.allocate(32 * 1024);
    private final byte[] small = new byte[10];
    private final Consumer<ByteBuffer> sink;
    private State state = State.HEADER;
    private int have;
    private int flags;
    private int extraLeft;
    private long size;

    GzipDecoder(Consumer<ByteBuffer> sink) {
        this.sink = sink;
    }

    /** Decodes all of {@code in}. */
    void feed(ByteBuffer in) throws IOException {
        while (in.hasRemaining()) {
            switch (state) {
                case HEADER -> {
                    if (!fill(in, 10)) {
                        return;
                    }
                    if ((small[0] & 0xFF) != 0x1f || (small[1] & 0xFF) != 0x8b) {
                        throw new IOException("gzip body: bad magic bytes");
                    }
                    if (small[2] != 8) {
                        throw new IOException("gzip body: unknown compression method " + small[2]);
                    }
                    flags = small[3] & 0xFF;
                    state = next(State.EXTRA_LEN);
                }
                case EXTRA_LEN -> {
                    if (!fill(in, 2)) {
                        return;
                    }
                    extraLeft = (small[0] & 0xFF) | (small[1] & 0xFF) << 8;
                    state = State.EXTRA;
                }
                case EXTRA -> {
                    int n = Math.min(extraLeft, in.remaining());
                    in.position(in.position() + n);
                    extraLeft -= n;
                    if (extraLeft == 0) {
                        state = next(State.NAME);
                    }
                }
                case NAME, COMMENT -> {
                    while (in.hasRemaining()) {
                        if (in.get() == 0) {
                            state = next(state == State.NAME ? State.COMMENT : State.HCRC);
                            break;
                        }
                    }
                }
                case HCRC -> {
                    if (!fill(in, 2)) {
                        return;
                    }
                    state = State.DATA;
                }
                case DATA -> inflate(in);
                case TRAILER -> {
                    if (!fill(in, 8)) {
                        return;
                    }
                    long expectCrc = le32(0);
                    long expectSize = le32(4);
                    if (expectCrc != crc.getValue() || expectSize != (size & 0xFFFFFFFFL)) {
                        throw new IOException("gzip body: CRC or size mismatch (corrupt data)");
                    }
                    state = State.DONE;
                }
                case DONE -> throw new IOException("gzip body: data after the end of the compressed stream");
            }
        }
    }

    /** The body ended: fails if the gzip stream was cut short. */
    void finish() throws IOException {
        if (state != State.DONE) {
            throw new IOException("gzip body: truncated");
        }
    }

    void end() {
        inflater.end();
    }

    /** The first header state at or after {@code s} that the flags ask for. */
    private State next(State s) {
        have = 0;
        return switch (s) {
            case EXTRA_LEN -> (flags & FEXTRA) != 0 ? State.EXTRA_LEN : next(State.NAME);
            case NAME -> (flags & FNAME) != 0 ? State.NAME : next(State.COMMENT);
            case COMMENT -> (flags & FCOMMENT) != 0 ? State.COMMENT : next(State.HCRC);
            case HCRC -> (flags & FHCRC) != 0 ? State.HCRC : State.DATA;
            default -> s;
        };
    }

    private void inflate(ByteBuffer in) throws IOException {
        inflater.setInput(in);
        try {
            while (!inflater.finished()) {
                out.clear();
                int n = inflater.inflate(out);
                if (n > 0) {
                    out.flip();
                    crc.update(out.duplicate());
                    size += n;
                    sink.accept(out);
                } else if (inflater.needsInput()) {
                    break;
                } else if (inflater.needsDictionary()) {
                    throw new IOException("gzip body: deflate stream needs a dictionary");
                }
            }
        } catch (DataFormatException e) {
            throw new IOException("gzip body: corrupt deflate data: " + e.getMessage(), e);
        }
        if (inflater.finished()) {
            // the inflater consumed part of in; the rest is the trailer
            int unread = inflater.getRemaining();
            in.position(in.limit() - unread);
            state = State.TRAILER;
            have = 0;
        } else {
            in.position(in.limit());
        }
    }

    private boolean fill(ByteBuffer in, int need) {
        int n = Math.min(need - have, in.remaining());
        in.get(small, have, n);
        have += n;
        if (have < need) {
            return false;
        }
        have = 0;
        return true;
    }

    private long le32(int at) {
        return (small[at] & 0xFFL) | (small[at + 1] & 0xFFL) << 8 | (small[at + 2] & 0xFFL) << 16
                | (small[at + 3] & 0xFFL) << 24;
    }
}
