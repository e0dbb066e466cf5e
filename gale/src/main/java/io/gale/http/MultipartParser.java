package io.gale.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Streaming {@code multipart/*} parser (RFC 2046 section 5.1.1, RFC 7578): fed the body in
 * chunks as they arrive, it reports each part as {@code partStart(headers)}, any number of
 * {@code partData(slice)} and {@code partEnd()}, buffering nothing but one part's header block.
 *
 * <pre>{@code
 * MultipartParser p = new MultipartParser(boundary, FormLimits.DEFAULTS, listener);
 * p.feed(chunk);   // as often as chunks arrive
 * p.finish();      // at end of body: fails unless the close delimiter was seen
 * }</pre>
 *
 * <p><b>Threading and lifecycle:</b> not thread-safe; one instance parses one body, on one
 * thread at a time (the connection's loop). After the first {@link HttpFormException} (from
 * the input or thrown by the listener) the parser is dead and rethrows that failure.
 *
 * <p><b>How it searches:</b> a part ends at {@code CRLF "--" boundary}. Boundary characters
 * are restricted to RFC 2046 {@code bchars}, so the delimiter contains CR only at its first
 * byte and cannot overlap itself: after a failed comparison the search resumes past the bytes
 * compared, so every byte is examined a bounded number of times (linear time, no quadratic
 * rescanning), and a delimiter split across chunks is tracked by the length of its matched
 * prefix alone. CR bytes are located eight at a time (SWAR) on heap buffers. The body is
 * treated as if it began with CRLF, so the first boundary line needs no special case; a
 * preamble before it and an epilogue after the close delimiter are ignored.
 */
public final class MultipartParser {
    /** Receives the parts of a body. Slices are valid only during the call. */
    public interface Listener {
        /**
         * A part begins; its headers have been read in full.
         *
         * @param headers the headers
         * @throws HttpFormException if the body is malformed
         */
        void partStart(PartHeaders headers) throws HttpFormException;

        /**
         * Some bytes of the current part's body. The buffer is a view of the caller's chunk
         * (or of parser state) that is valid only until this method returns: copy what you keep.
         *
         * @param data the bytes
         * @throws HttpFormException if the body is malformed
         */
        void partData(ByteBuffer data) throws HttpFormException;

        /**
         * The current part is complete.
         *
         * @throws HttpFormException if the body is malformed
         */
        void partEnd() throws HttpFormException;
    }

    /** RFC 2046 allows 70; a little slack for clients that exceed it, but bounded. */
    static final int MAX_BOUNDARY_LENGTH = 200;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long CRS = 0x0D0D0D0D0D0D0D0DL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private enum State {
        PREAMBLE, // discarding bytes before the first delimiter
        DELIMITER_TAIL, // after "--boundary": expect "--", padding or CRLF
        CLOSE_DASH, // after "--boundary-": expect the second '-'
        PADDING, // transport padding (SP / HTAB) before CRLF
        EXPECT_LF, // after the CR ending a delimiter line
        HEADERS, // reading a part's header block
        BODY, // streaming a part's body
        EPILOGUE, // after the close delimiter: ignoring everything
        FAILED
    }

    private final byte[] delimiter; // CRLF "--" boundary
    private final ByteBuffer delimiterView; // read-only, to hand out a carried delimiter prefix
    private final FormLimits limits;
    private final Listener listener;

    private State state = State.PREAMBLE;
    /** Bytes of {@link #delimiter} matched at the end of previous input, in PREAMBLE or BODY. */
    private int matched = 2; // the virtual CRLF before the body
    private int parts;
    private byte[] headerBuf = new byte[256];
    private int headerLen;
    private int headerEnd; // how many bytes of CRLF CRLF end the header block so far
    private HttpFormException failure;

    /**
     * Creates a parser for one body.
     *
     * @param boundary the {@code boundary} parameter of the Content-Type, unquoted
     * @param limits the limits
     * @param listener the listener
     * @throws HttpFormException if the boundary is empty, too long or has characters outside
     *     RFC 2046 {@code bchars}
     */
    public MultipartParser(String boundary, FormLimits limits, Listener listener) throws HttpFormException {
        checkBoundary(boundary);
        this.limits = limits;
        this.listener = listener;
        byte[] b = boundary.getBytes(StandardCharsets.US_ASCII);
        delimiter = new byte[b.length + 4];
        delimiter[0] = '\r';
        delimiter[1] = '\n';
        delimiter[2] = '-';
        delimiter[3] = '-';
        System.arraycopy(b, 0, delimiter, 4, b.length);
        delimiterView = ByteBuffer.wrap(delimiter).asReadOnlyBuffer();
    }

    private static void checkBoundary(String boundary) throws HttpFormException {
        int n = boundary == null ? 0 : boundary.length();
        if (n == 0 || n > MAX_BOUNDARY_LENGTH || boundary.charAt(n - 1) == ' ') {
            throw new HttpFormException("invalid multipart boundary");
        }
        for (int i = 0; i < n; i++) {
            char c = boundary.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "'()+_,-./:=? ".indexOf(c) >= 0;
            if (!ok) throw new HttpFormException("invalid character in multipart boundary");
        }
    }

    /**
     * Whether the close delimiter has been seen; later input is epilogue and ignored.
     *
     * @return whether the close delimiter has been seen; later input is epilogue and ignored
     */
    public boolean isComplete() {
        return state == State.EPILOGUE;
    }

    /**
     * Number of parts started so far.
     *
     * @return number of parts started so far
     */
    public int partCount() {
        return parts;
    }

    /**
     * Parses all remaining bytes of {@code chunk}, advancing its position to its limit.
     *
     * @param chunk the data to write
     * @throws HttpFormException on malformed input, an exceeded limit, or from the listener
     */
    public void feed(ByteBuffer chunk) throws HttpFormException {
        if (failure != null) throw failure;
        try {
            int p = chunk.position();
            int end = chunk.limit();
            while (p < end) {
                p = switch (state) {
                    case PREAMBLE, BODY -> scanData(chunk, p, end);
                    case HEADERS -> readHeaders(chunk, p, end);
                    case EPILOGUE -> end;
                    default -> delimiterTail(chunk.get(p), p);
                };
            }
            chunk.position(end);
        } catch (HttpFormException e) {
            fail(e);
            throw e;
        } catch (RuntimeException | Error e) {
            fail(new HttpFormException("multipart listener failed: " + e));
            throw e;
        }
    }

    /**
     * Ends the body.
     *
     * @throws HttpFormException unless the close delimiter was seen
     */
    public void finish() throws HttpFormException {
        if (failure != null) throw failure;
        String problem = switch (state) {
            case EPILOGUE -> null;
            case PREAMBLE -> "no multipart boundary found";
            case HEADERS, BODY -> "multipart body ends inside a part (no final boundary)";
            default -> "multipart body ends inside a boundary line";
        };
        if (problem != null) throw fail(new HttpFormException(problem));
    }

    private HttpFormException fail(HttpFormException e) {
        failure = e;
        state = State.FAILED;
        return e;
    }

    // ---- data: preamble and part bodies -------------------------------------------------

    /** Scans part-body (or preamble) bytes from {@code p}; returns where parsing continues. */
    private int scanData(ByteBuffer buf, int p, int end) throws HttpFormException {
        int n = delimiter.length;
        if (matched > 0) {
            int k = 0;
            while (matched + k < n && p + k < end && buf.get(p + k) == delimiter[matched + k]) k++;
            if (matched + k == n) { // delimiter completed across chunks; the carried bytes were it
                matched = 0;
                onDelimiter();
                return p + k;
            }
            if (p + k == end) { // still a prefix: wait for more
                matched += k;
                return end;
            }
            // Not a delimiter: the carried prefix was data. The bytes just compared cannot start
            // one either (CR occurs only at delimiter[0]), so they are data too.
            int carried = matched;
            matched = 0;
            if (state == State.BODY) listener.partData(delimiterView.slice(0, carried));
            return scanFrom(buf, p, p + k, end);
        }
        return scanFrom(buf, p, p, end);
    }

    /** Data starts at {@code dataStart}; the delimiter search starts at {@code from}. */
    private int scanFrom(ByteBuffer buf, int dataStart, int from, int end) throws HttpFormException {
        int n = delimiter.length;
        int i = from;
        while (true) {
            int cr = indexOfCr(buf, i, end);
            if (cr < 0) {
                emit(buf, dataStart, end);
                return end;
            }
            int k = 1;
            while (k < n && cr + k < end && buf.get(cr + k) == delimiter[k]) k++;
            if (k == n) {
                emit(buf, dataStart, cr);
                onDelimiter();
                return cr + n;
            }
            if (cr + k == end) { // a delimiter prefix ends the chunk: hold it back
                emit(buf, dataStart, cr);
                matched = k;
                return end;
            }
            i = cr + k; // linear: the compared bytes hold no CR
        }
    }

    private void emit(ByteBuffer buf, int from, int to) throws HttpFormException {
        if (to > from && state == State.BODY) listener.partData(buf.slice(from, to - from));
    }

    private void onDelimiter() throws HttpFormException {
        if (state == State.BODY) listener.partEnd();
        state = State.DELIMITER_TAIL;
    }

    private static int indexOfCr(ByteBuffer buf, int from, int to) {
        int i = from;
        if (buf.hasArray()) {
            byte[] a = buf.array();
            int off = buf.arrayOffset();
            for (; i + 8 <= to; i += 8) {
                long x = (long) LONGS.get(a, off + i) ^ CRS;
                long t = (x - ONES) & ~x & HIGHS; // lowest set high bit marks the first CR byte exactly
                if (t != 0) return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (buf.get(i) == '\r') return i;
        }
        return -1;
    }

    // ---- the rest of a boundary line --------------------------------------------------

    private int delimiterTail(byte b, int p) throws HttpFormException {
        switch (state) {
            case DELIMITER_TAIL -> {
                if (b == '-') state = State.CLOSE_DASH;
                else if (b == ' ' || b == '\t') state = State.PADDING;
                else if (b == '\r') state = State.EXPECT_LF;
                else throw new HttpFormException("boundary found inside a part (boundary not followed by CRLF)");
            }
            case CLOSE_DASH -> {
                if (b != '-') throw new HttpFormException("malformed multipart close delimiter");
                state = State.EPILOGUE;
            }
            case PADDING -> {
                if (b == '\r') state = State.EXPECT_LF;
                else if (b != ' ' && b != '\t') throw new HttpFormException("malformed multipart boundary line");
            }
            case EXPECT_LF -> {
                if (b != '\n') throw new HttpFormException("multipart boundary line not ended by CRLF");
                if (parts == limits.maxParts()) {
                    throw new HttpFormException("too many multipart parts (limit " + limits.maxParts() + ")");
                }
                parts++;
                state = State.HEADERS;
                headerLen = 0;
                headerEnd = 2; // the CRLF just read may be followed directly by the empty line
            }
            default -> throw new IllegalStateException(state.name());
        }
        return p + 1;
    }

    // ---- part headers -----------------------------------------------------------------

    private int readHeaders(ByteBuffer buf, int p, int end) throws HttpFormException {
        int max = limits.maxPartHeaderSize() + 2; // + the CRLF of the terminating empty line
        while (p < end) {
            byte b = buf.get(p++);
            if (headerLen == max) throw new HttpFormException("multipart part headers too large (limit " + limits.maxPartHeaderSize() + " bytes)");
            if (headerLen == headerBuf.length) headerBuf = java.util.Arrays.copyOf(headerBuf, Math.min(max, headerLen * 2));
            headerBuf[headerLen++] = b;
            if (b == '\r') headerEnd = (headerEnd == 0 || headerEnd == 2) ? headerEnd + 1 : 1;
            else if (b == '\n') headerEnd = (headerEnd == 1 || headerEnd == 3) ? headerEnd + 1 : 0;
            else headerEnd = 0;
            if (headerEnd == 4) {
                PartHeaders headers = PartHeaderBlock.parse(headerBuf, headerLen - 2);
                state = State.BODY;
                matched = 0;
                listener.partStart(headers);
                return p;
            }
        }
        return p;
    }
}
