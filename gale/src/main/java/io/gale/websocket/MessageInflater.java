package io.gale.websocket;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses permessage-deflate messages piece by piece as their frames arrive, counting the
 * output so that a small compressed message that inflates to gigabytes (a decompression bomb)
 * is stopped as soon as it passes the message size limit, never fully inflated.
 *
 * <p>Not thread-safe; owned by one connection. {@link #close()} frees the native zlib memory.
 */
final class MessageInflater {
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    /** Where inflated bytes go; returns false to stop (limit exceeded, invalid UTF-8...). */
    interface Output {
        boolean accept(byte[] a, int off, int len);
    }

    private final Inflater inflater = new Inflater(true);
    private final boolean noContextTakeover;
    private final byte[] chunk;
    /** Whether the current message brought any compressed bytes. */
    private boolean fed;

    MessageInflater(boolean noContextTakeover, byte[] scratch) {
        this.noContextTakeover = noContextTakeover;
        this.chunk = scratch;
    }

    /**
     * Inflates a piece of a compressed message.
     *
     * @return false if {@code out} refused bytes
     * @throws DataFormatException on corrupt deflate data
     */
    boolean inflate(byte[] a, int off, int len, Output out) throws DataFormatException {
        fed |= len > 0;
        inflater.setInput(a, off, len);
        return drain(out);
    }

    /**
     * Ends the message: feeds the removed 00 00 FF FF and drains the rest. A message that came
     * with no compressed bytes at all (some zlib-based peers send that for an empty message after
     * a flush, instead of RFC 7692's single 00 byte) is empty, and the tail is not fed: alone it
     * is no valid deflate data.
     */
    boolean finish(Output out) throws DataFormatException {
        if (!fed) {
            return true;
        }
        fed = false;
        boolean ok = true;
        if (!inflater.finished()) {
            inflater.setInput(TAIL);
            ok = drain(out);
        }
        if (noContextTakeover || inflater.finished()) {
            // A peer that ended its deflate stream (BFINAL) starts a new one with the next message.
            inflater.reset();
        }
        return ok;
    }

    private boolean drain(Output out) throws DataFormatException {
        while (true) {
            int n = inflater.inflate(chunk);
            if (n > 0 && !out.accept(chunk, 0, n)) {
                return false;
            }
            if (n == 0) {
                if (inflater.finished()) {
                    if (inflater.getRemaining() > 0) {
                        throw new DataFormatException("data after the end of the deflate stream");
                    }
                    return true;
                }
                if (inflater.needsInput() || inflater.needsDictionary()) {
                    if (inflater.needsDictionary()) {
                        throw new DataFormatException("preset dictionary required");
                    }
                    return true;
                }
            }
        }
    }

    void close() {
        inflater.end();
    }
}
