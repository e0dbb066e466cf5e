package io.gale.internal.http;

import io.gale.http.Http1ParserLimits;
import io.gale.http.HttpHeaderNames;
import io.gale.http.HttpHeaders;
import io.gale.http.HttpStatus;
import io.gale.http.HttpVersion;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental HTTP/1.1 message parser (RFC 9112), one instance per connection and direction: the
 * server parses requests, the client parses responses with the same code.
 *
 * <h2>Driving it (pull API)</h2>
 * The caller feeds whatever bytes arrived and pulls events one at a time with {@link #next}:
 * <pre>{@code
 * Http1Parser p = Http1Parser.forRequests(Http1ParserLimits.DEFAULTS);
 * // on every read: buf is in read mode (flip()ed)
 * loop:
 * for (;;) {
 *     switch (p.next(buf)) {
 *         case NEED_MORE -> { break loop; }                         // buf fully consumed: read more
 *         case HEAD -> handle(p.method(), p.target(), p.headers());  // may pause here (100-continue)
 *         case BODY -> consume(p.body());                           // a slice of buf: use it before the next read
 *         case MESSAGE_COMPLETE -> finishRequest(p.trailers());     // the next call starts the next message
 *         case UPGRADE -> { switchProtocol(buf); break loop; }      // remaining bytes belong to the new protocol
 *         case ERROR -> { answer(p.error().status()); close(); break loop; }
 *     }
 * }
 * buf.compact();  // keep unconsumed bytes (a pipelined message, or a paused body) for the next read
 * // on EOF: p.finish() -> END (clean), MESSAGE_COMPLETE (body delimited by close) or ERROR (truncated)
 * }</pre>
 * {@code next} consumes only the bytes belonging to the event it returns, so several pipelined
 * messages in one buffer come out one after another and nothing is lost. After {@code HEAD} the
 * parser does nothing until {@code next} is called again: a server that must answer
 * {@code Expect: 100-continue} (see {@link #expectsContinue()}) or stop reading simply stops calling.
 * Head bytes split across reads are buffered internally; body bytes are never copied:
 * {@link #body()} is a slice of the caller's buffer, valid until that buffer is modified.
 *
 * <h2>Strictness</h2>
 * Errors are values: {@code next} never throws for any input; it returns {@link Event#ERROR} and
 * {@link #error()} gives the status to answer (400, 413, 414, 431, 501 or 505; for a response
 * parser the status only classifies the fault). The parser then stays in the error state, since
 * the next message boundary is unknown. Decisions beyond the MUSTs of RFC 9112, all towards
 * rejecting:
 * <ul>
 * <li>bare LF as a line terminator is 400 (section 2.2 allows, but does not require, accepting it);
 *     a bare CR anywhere in the head is 400, detected even before the line is complete;</li>
 * <li>a second Content-Length field line is 400 even with an equal value, as is a list value
 *     ({@code 5, 5}), a sign, or more than 18 significant digits (section 6.3 allows merging equal
 *     values, but merging is what smuggling relies on);</li>
 * <li>Transfer-Encoding with Content-Length is 400 in both directions (section 6.3 rule 3); in a
 *     request, chunked must be the final coding and appear once (else 400), other codings are
 *     501 (section 6.1: not implemented), and any Transfer-Encoding in an HTTP/1.0 request is 400;
 *     in a response, codings without a final chunked are read until close (rule 4);</li>
 * <li>obs-fold is 400 in requests and replaced by SP in responses (section 5.2);</li>
 * <li>the request-target must be visible US-ASCII without {@code #}, and be origin-form,
 *     absolute-form, authority-form (CONNECT only, port required) or {@code *} (OPTIONS only);</li>
 * <li>HTTP/1.1 requests need exactly one Host field (section 3.2) whose value is a non-empty
 *     uri-host[:port] (RFC 9110 section 4.2.1 forbids an empty http host): a port of digits
 *     only, an IPv6 literal in brackets (RFC 3986 section 3.2.2);</li>
 * <li>HTTP/1.0 and HTTP/1.1 are accepted, and a higher minor version of HTTP/1 is read as
 *     HTTP/1.1 (RFC 9110 section 6.2); other well-formed HTTP/x.y is 505, anything else 400;</li>
 * <li>chunk sizes are hex digits only (at most 2^63-1), chunk extensions must match
 *     {@code *( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] )};</li>
 * <li>a message after a 1xx response is parsed as the final response to the same request.</li>
 * </ul>
 * Lenient where RFC 9112 asks recipients to be: up to 8 empty lines
 * before a start line are skipped (section 2.2), whitespace around field values is trimmed, a
 * status line may lack the SP before an empty reason phrase.
 *
 * <p>Not thread-safe: confined to the connection's loop thread.
 */
public final class Http1Parser {

    /** What {@link #next} produced. */
    public enum Event {
        /** All given bytes were consumed without completing an event: feed more. */
        NEED_MORE,
        /** A message head is ready: start line, {@link #headers()}, {@link #bodyFraming()}. */
        HEAD,
        /** {@link #body()} holds the next slice of body data. */
        BODY,
        /** The message is complete ({@link #trailers()} for chunked); the next call parses the next one. */
        MESSAGE_COMPLETE,
        /**
         * The connection switches protocols after the message just completed (CONNECT, or a request
         * with {@code Connection: upgrade}; a 101 or CONNECT 2xx response). Remaining bytes are not
         * HTTP/1.1; call {@link #declineUpgrade()} to keep parsing HTTP instead.
         */
        UPGRADE,
        /** The input is malformed or exceeds a limit: see {@link #error()}; close the connection. */
        ERROR,
        /** From {@link #finish()} (and {@code next} afterwards): the input ended cleanly between messages. */
        END
    }

    private enum State {
        START_LINE, HEADERS, BODY_START, BODY_FIXED, BODY_UNTIL_CLOSE, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_CR,
        CHUNK_DATA_LF, TRAILERS, BODY_END, MESSAGE_DONE, UPGRADED, ERROR, CLOSED
    }

    /** Empty lines tolerated before a start line (kept in sync with the class comment). */
    static final int MAX_LEADING_EMPTY_LINES = 8;
    private static final int MAX_CHUNK_SIZE_DIGITS = 16;
    /** HttpHeaders' unchecked fast paths (package-private in io.gale.http, lent through HeadersAccess). */
    private static final HeadersAccess.Access HEADERS = HeadersAccess.get();

    private static final HttpParseError ERR_BARE_LF = new HttpParseError(400, "bare LF line terminator");
    private static final HttpParseError ERR_BARE_CR = new HttpParseError(400, "bare CR");
    private static final HttpParseError ERR_HEADER_SIZE = new HttpParseError(431, "header section too large");
    private static final HttpParseError ERR_HEADER_COUNT = new HttpParseError(431, "too many header fields");
    private static final HttpParseError ERR_TRAILER_SIZE = new HttpParseError(431, "trailer section too large");
    private static final HttpParseError ERR_BODY_SIZE = new HttpParseError(413, "body too large");
    private static final HttpParseError ERR_URI_TOO_LONG = new HttpParseError(414, "request-target too long");
    private static final HttpParseError ERR_START_LINE_TOO_LONG = new HttpParseError(400, "start line too long");
    private static final HttpParseError ERR_TRUNCATED = new HttpParseError(400, "connection closed mid-message");
    /** The line buffer of a released parser (see {@link #release()}). */
    private static final byte[] NO_BYTES = new byte[0];

    private final boolean requestMode;
    private final Http1ParserLimits limits;

    private State state = State.START_LINE;
    private HttpParseError error;

    // line assembly: a line split across reads, or from a direct buffer, is copied here
    private byte[] lineBuf = new byte[256];
    private int lineLen;
    // the current complete line, without its CRLF
    private byte[] la;
    private int lFrom;
    private int lTo;

    // per message
    private int leadingEmptyLines;
    private int headerBytes;
    private String method;
    private String target;
    private HttpVersion version;
    private int status;
    private String reason;
    private HttpHeaders headers;
    private HttpHeaders trailers;
    private int contentLengthCount;
    private int transferEncodingCount;
    private int hostCount;
    /** Whether fields that need a semantic look at the end of the head were seen (skips list scans). */
    private boolean sawConnection;
    private boolean sawExpect;
    private boolean sawUpgrade;
    private BodyFraming framing;
    private long contentLength;
    private long remaining;
    private long bodyTotal;
    private int chunkExtTotal;
    private boolean keepAlive;
    private boolean expectsContinue;
    private boolean upgrade;
    private ByteBuffer body;
    /** Set by classifyTransferEncoding: the codings are well-formed but chunked is not the last. */
    private boolean lastCodingIsNotChunked;

    // response mode: the method of the request this response answers
    private String requestMethod = "GET";

    private Http1Parser(boolean requestMode, Http1ParserLimits limits) {
        this.requestMode = requestMode;
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
        beginMessage();
    }

    /**
     * A parser for requests (server side).
     *
     * @param limits the limits
     * @return a parser for requests (server side)
     */
    public static Http1Parser forRequests(Http1ParserLimits limits) {
        return new Http1Parser(true, limits);
    }

    /**
     * A parser for responses (client side); see {@link #expectResponseTo(String)}.
     *
     * @param limits the limits
     * @return a parser for responses (client side); see {@link #expectResponseTo(String)}
     */
    public static Http1Parser forResponses(Http1ParserLimits limits) {
        return new Http1Parser(false, limits);
    }

    /**
     * Response mode: the method of the request the next response answers (default GET). It decides
     * the body rules for HEAD and CONNECT (RFC 9112 section 6.3); it stays in effect until changed.
     *
     * @param requestMethod the request method
     */
    public void expectResponseTo(String requestMethod) {
        this.requestMethod = java.util.Objects.requireNonNull(requestMethod);
    }

    /**
     * Parses from {@code in} (position to limit) until one event is complete or the bytes run out.
     * Consumes only the bytes of that event; never throws for malformed input.
     *
     * @param in the bytes read so far
     * @return the parsed event
     */
    public Event next(ByteBuffer in) {
        for (;;) {
            switch (state) {
                case START_LINE -> {
                    if (!readLine(in, limits.maxStartLineLength(), true)) {
                        return pendingOrError();
                    }
                    if (lFrom == lTo) {
                        if (++leadingEmptyLines > MAX_LEADING_EMPTY_LINES) {
                            return fail(400, "empty start line");
                        }
                        continue;
                    }
                    if (!(requestMode ? parseRequestLine() : parseStatusLine())) {
                        // A bare CR anywhere in the head is 400 however the bytes arrived: split
                        // reads find it before the line is complete, so a whole line's own error
                        // (505 for "HTTP/9.1 ...\rX") must not win over it. Error path only.
                        if (containsCr(la, lFrom, lTo)) {
                            error = ERR_BARE_CR;
                        }
                        return Event.ERROR;
                    }
                    state = State.HEADERS;
                }
                case HEADERS -> {
                    if ((requestMode || headers.isEmpty()) && lineLen == 0 && in.hasRemaining()) {
                        byte first = in.get(in.position());
                        if (first == ' ' || first == '\t') {
                            // fail fast: obs-fold, or whitespace between start-line and first field (section 2.2)
                            return fail(400, headers.isEmpty() ? "whitespace after start line" : "obsolete line folding");
                        }
                    }
                    int budget = limits.maxHeaderSize() - headerBytes;
                    if (!readLine(in, budget - 2, false)) {
                        return pendingOrError();
                    }
                    headerBytes += lTo - lFrom + 2;
                    if (lFrom == lTo) {
                        if (!finishHead()) {
                            return Event.ERROR;
                        }
                        state = State.BODY_START;
                        return Event.HEAD;
                    }
                    if (!parseFieldLine(headers)) {
                        return Event.ERROR;
                    }
                    if (headers.size() > limits.maxHeaderCount()) {
                        return fail(ERR_HEADER_COUNT);
                    }
                }
                case BODY_START -> {
                    switch (framing) {
                        case NONE -> state = State.BODY_END;
                        case CONTENT_LENGTH -> state = contentLength == 0 ? State.BODY_END : State.BODY_FIXED;
                        case CHUNKED -> state = State.CHUNK_SIZE;
                        case UNTIL_CLOSE -> state = State.BODY_UNTIL_CLOSE;
                    }
                }
                case BODY_FIXED -> {
                    if (!in.hasRemaining()) {
                        return Event.NEED_MORE;
                    }
                    sliceBody(in);
                    if (remaining == 0) {
                        state = State.BODY_END;
                    }
                    return Event.BODY;
                }
                case BODY_UNTIL_CLOSE -> {
                    if (!in.hasRemaining()) {
                        return Event.NEED_MORE;
                    }
                    remaining = in.remaining();
                    sliceBody(in);
                    return Event.BODY;
                }
                case CHUNK_SIZE -> {
                    if (!readLine(in, MAX_CHUNK_SIZE_DIGITS + limits.maxChunkExtensionSize() - chunkExtTotal, false)) {
                        return pendingOrError();
                    }
                    if (!parseChunkSizeLine()) {
                        return Event.ERROR;
                    }
                }
                case CHUNK_DATA -> {
                    if (!in.hasRemaining()) {
                        return Event.NEED_MORE;
                    }
                    sliceBody(in);
                    if (remaining == 0) {
                        state = State.CHUNK_DATA_CR;
                    }
                    return Event.BODY;
                }
                case CHUNK_DATA_CR -> {
                    if (!in.hasRemaining()) {
                        return Event.NEED_MORE;
                    }
                    if (in.get() != '\r') {
                        return fail(400, "chunk data not followed by CRLF");
                    }
                    state = State.CHUNK_DATA_LF;
                }
                case CHUNK_DATA_LF -> {
                    if (!in.hasRemaining()) {
                        return Event.NEED_MORE;
                    }
                    if (in.get() != '\n') {
                        return fail(400, "chunk data not followed by CRLF");
                    }
                    state = State.CHUNK_SIZE;
                }
                case TRAILERS -> {
                    if (!readLine(in, limits.maxTrailerSize() - headerBytes - 2, false)) {
                        return pendingOrError();
                    }
                    headerBytes += lTo - lFrom + 2;
                    if (lFrom == lTo) {
                        state = State.BODY_END;
                        continue;
                    }
                    if (trailers == null) {
                        trailers = new HttpHeaders();
                    }
                    if (!parseFieldLine(trailers)) {
                        return Event.ERROR;
                    }
                }
                case BODY_END -> {
                    state = State.MESSAGE_DONE;
                    return Event.MESSAGE_COMPLETE;
                }
                case MESSAGE_DONE -> {
                    if (upgrade) {
                        state = State.UPGRADED;
                        return Event.UPGRADE;
                    }
                    beginMessage();
                }
                case UPGRADED -> {
                    return Event.UPGRADE;
                }
                case ERROR -> {
                    return Event.ERROR;
                }
                case CLOSED -> {
                    return Event.END;
                }
            }
        }
    }

    /**
     * Tells the parser the peer closed its side. Returns {@link Event#MESSAGE_COMPLETE} if that ends
     * a body delimited by close, {@link Event#END} if the connection was idle between messages (or
     * upgraded), or {@link Event#ERROR} if a message was cut short.
     *
     * @return the finish
     */
    public Event finish() {
        switch (state) {
            case BODY_UNTIL_CLOSE -> {
                state = State.CLOSED;
                return Event.MESSAGE_COMPLETE;
            }
            case START_LINE -> {
                if (lineLen == 0) {
                    state = State.CLOSED;
                    return Event.END;
                }
                return fail(ERR_TRUNCATED);
            }
            case MESSAGE_DONE, UPGRADED, CLOSED -> {
                state = State.CLOSED;
                return Event.END;
            }
            case ERROR -> {
                return Event.ERROR;
            }
            default -> {
                return fail(ERR_TRUNCATED);
            }
        }
    }

    /**
     * After {@link Event#UPGRADE}: the upgrade was refused, so continue parsing HTTP/1.1 messages
     * from the following bytes.
     */
    public void declineUpgrade() {
        if (state == State.UPGRADED) {
            upgrade = false;
            beginMessage();
        }
    }

    // ---------------------------------------------------------------- accessors

    /**
     * The error after {@link Event#ERROR}, else null.
     *
     * @return the error after {@link Event#ERROR}, else null
     */
    public HttpParseError error() {
        return error;
    }

    /**
     * Request method (request mode), valid from {@link Event#HEAD} until the next message starts.
     *
     * @return the HTTP method
     */
    public String method() {
        return method;
    }

    /**
     * Request-target exactly as received (request mode).
     *
     * @return the target
     */
    public String target() {
        return target;
    }

    /**
     * Protocol version of the current message.
     *
     * @return the HTTP version
     */
    public HttpVersion version() {
        return version;
    }

    /**
     * Status code (response mode).
     *
     * @return the status code
     */
    public int status() {
        return status;
    }

    /**
     * Reason phrase, possibly empty (response mode).
     *
     * @return the reason phrase
     */
    public String reason() {
        return reason;
    }

    /**
     * Header fields of the current message; a fresh instance per message, which the caller may keep.
     *
     * @return the headers
     */
    public HttpHeaders headers() {
        return headers;
    }

    /**
     * Trailer fields of a chunked message after {@link Event#MESSAGE_COMPLETE}; empty if none.
     *
     * @return the trailers
     */
    public HttpHeaders trailers() {
        return trailers == null ? new HttpHeaders() : trailers;
    }

    /**
     * How the body of the current message is delimited.
     *
     * @return how the body of the current message is delimited
     */
    public BodyFraming bodyFraming() {
        return framing;
    }

    /**
     * The Content-Length of the current message, or -1 if not {@link BodyFraming#CONTENT_LENGTH}.
     *
     * @return the Content-Length of the current message, or -1 if not {@link BodyFraming#CONTENT_LENGTH}
     */
    public long contentLength() {
        return framing == BodyFraming.CONTENT_LENGTH ? contentLength : -1;
    }

    /**
     * The body slice of the last {@link Event#BODY}: a view of the caller's buffer, not a copy.
     *
     * @return the body slice of the last {@link Event#BODY}: a view of the caller's buffer, not a copy
     */
    public ByteBuffer body() {
        return body;
    }

    /**
     * Whether the connection may carry another message after this one (RFC 9112 section 9.3):
     * HTTP/1.1 unless {@code Connection: close}; HTTP/1.0 only with {@code Connection: keep-alive};
     * never after a body delimited by close.
     *
     * @return whether the connection may carry another message after this one (RFC 9112 section 9.3): HTTP/1.1 unless {@code Connection: close}; HTTP/1.0 only with {@code Connection: keep-alive}; never after a body delimited by close
     */
    public boolean isKeepAlive() {
        return keepAlive;
    }

    /**
     * Request mode: an HTTP/1.1 request with {@code Expect: 100-continue}.
     *
     * @return true for an HTTP/1.1 request with {@code Expect: 100-continue}
     */
    public boolean expectsContinue() {
        return expectsContinue;
    }

    /**
     * Whether the current message switches protocols once complete (see {@link Event#UPGRADE}).
     *
     * @return whether the current message switches protocols once complete (see {@link Event#UPGRADE})
     */
    public boolean isUpgrade() {
        return upgrade;
    }

    /**
     * Whether this parser reads requests (true) or responses (false).
     *
     * @return whether this parser reads requests (true) or responses (false)
     */
    public boolean isRequestParser() {
        return requestMode;
    }

    // ---------------------------------------------------------------- lines

    /**
     * Finds the next CRLF-terminated line. On success sets la/lFrom/lTo (CRLF excluded), consumes the
     * line and returns true. Otherwise buffers the partial line and returns false; on a framing
     * violation or when the line exceeds {@code max} bytes it records the error (and returns false).
     */
    private boolean readLine(ByteBuffer in, int max, boolean startLine) {
        int pos = in.position();
        int lim = in.limit();
        int lf = -1;
        if (lineLen > 0 && lineBuf[lineLen - 1] == '\r' && pos < lim && in.get(pos) != '\n') {
            return lineError(ERR_BARE_CR);
        }
        if (in.hasArray()) {
            byte[] a = in.array();
            int off = in.arrayOffset();
            int scanEnd = off + lim;
            int i = indexOfLf(a, off + pos, scanEnd);
            if (i >= 0) {
                lf = i - off;
            } else if (hasBareCr(a, off + pos, scanEnd)) {
                // an incomplete line: fail fast on a bare CR instead of waiting for a LF. A complete
                // line needs no such scan: every line grammar rejects CR inside the line.
                return lineError(ERR_BARE_CR);
            }
            if (lf >= 0 && lineLen == 0) {
                // fast path: the whole line is in the caller's array
                int len = lf - pos;
                if (len == 0 || a[off + lf - 1] != '\r') {
                    return lineError(ERR_BARE_LF);
                }
                if (len - 1 > max) {
                    // judge the same bounded prefix as the split-input path below, so the status
                    // does not depend on how the bytes arrived
                    return lineError(tooLong(startLine, a, off + pos, off + pos + Math.min(len - 1, max + 2)));
                }
                la = a;
                lFrom = off + pos;
                lTo = off + lf - 1;
                in.position(lf + 1);
                return true;
            }
        } else {
            for (int i = pos; i < lim; i++) {
                byte b = in.get(i);
                if (b == '\n') {
                    lf = i;
                    break;
                }
                if (b == '\r' && i + 1 < lim && in.get(i + 1) != '\n') {
                    return lineError(ERR_BARE_CR);
                }
            }
        }
        int take = (lf >= 0 ? lf : lim) - pos;
        // max + 1: room for the CR that precedes LF
        if (lineLen + take > max + 1) {
            // keep (a bounded part of) the prefix only so tooLong() can tell a long target from garbage
            appendLine(in, pos, Math.min(take, max + 2 - lineLen));
            return lineError(tooLong(startLine, lineBuf, 0, lineLen));
        }
        appendLine(in, pos, take);
        in.position(pos + take);
        if (lf < 0) {
            return false;
        }
        in.position(lf + 1);
        if (lineLen == 0 || lineBuf[lineLen - 1] != '\r') {
            return lineError(ERR_BARE_LF);
        }
        la = lineBuf;
        lFrom = 0;
        lTo = lineLen - 1;
        lineLen = 0; // the line buffer content stays valid until the next append
        return true;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LFS = 0x0A0A_0A0A_0A0A_0A0AL;
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGHS = 0x8080_8080_8080_8080L;

    /** Index of the first LF in a[from, to), or -1; eight bytes per step (SWAR zero-byte search). */
    public static int indexOfLf(byte[] a, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(a, i) ^ LFS;
            // the lowest flagged byte is exactly the first zero byte (false positives only above it)
            long t = (x - ONES) & ~x & HIGHS;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Whether a[from, to) holds a CR followed by something other than LF (a CR at the end may still be fine). */
    private static boolean hasBareCr(byte[] a, int from, int to) {
        for (int i = from; i < to - 1; i++) {
            if (a[i] == '\r' && a[i + 1] != '\n') {
                return true;
            }
        }
        return false;
    }

    /** Whether a[from, to) holds a CR: inside a line (its CRLF excluded) every CR is bare. */
    private static boolean containsCr(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] == '\r') {
                return true;
            }
        }
        return false;
    }

    private void appendLine(ByteBuffer in, int pos, int n) {
        if (n <= 0) {
            return;
        }
        if (lineLen + n > lineBuf.length) {
            lineBuf = Arrays.copyOf(lineBuf, Math.max(lineBuf.length * 2, lineLen + n));
        }
        in.get(pos, lineBuf, lineLen, n);
        lineLen += n;
    }

    private HttpParseError tooLong(boolean startLine, byte[] a, int from, int to) {
        if (!startLine) {
            return state == State.CHUNK_SIZE ? new HttpParseError(400, "chunk extensions too large")
                : state == State.TRAILERS ? ERR_TRAILER_SIZE : ERR_HEADER_SIZE;
        }
        if (requestMode) {
            // a request-line is long because of its target once the method has ended
            for (int i = from; i < to; i++) {
                if (a[i] == ' ') {
                    return ERR_URI_TOO_LONG;
                }
            }
        }
        return ERR_START_LINE_TOO_LONG;
    }

    private boolean lineError(HttpParseError e) {
        lineLen = -1;
        fail(e);
        return false;
    }

    private Event pendingOrError() {
        return state == State.ERROR ? Event.ERROR : Event.NEED_MORE;
    }

    private Event fail(int status, String reason) {
        return fail(new HttpParseError(status, reason));
    }

    private Event fail(HttpParseError e) {
        if (state != State.ERROR) {
            error = e;
            state = State.ERROR;
        }
        return Event.ERROR;
    }

    // ---------------------------------------------------------------- start lines

    private boolean parseRequestLine() {
        byte[] a = la;
        int p = lFrom;
        int end = lTo;
        int m = p;
        while (m < end && HttpChars.isTchar(a[m])) {
            m++;
        }
        if (m == p || m == end || a[m] != ' ') {
            fail(400, "invalid method");
            return false;
        }
        method = internMethod(a, p, m - p);
        int t = m + 1;
        int te = t;
        while (te < end && HttpChars.isTargetChar(a[te])) {
            te++;
        }
        if (te == t || te == end || a[te] != ' ') {
            fail(400, "invalid request-target");
            return false;
        }
        if (!parseVersion(a, te + 1, end)) {
            return false;
        }
        if (!validTargetForm(a, t, te)) {
            fail(400, "invalid request-target form");
            return false;
        }
        target = (te - t == 1 && a[t] == '/') ? "/" : new String(a, t, te - t, StandardCharsets.ISO_8859_1);
        return true;
    }

    /** RFC 9112 section 3.2: origin-form, absolute-form, authority-form (CONNECT), asterisk (OPTIONS). */
    private boolean validTargetForm(byte[] a, int from, int to) {
        boolean connect = "CONNECT".equals(method);
        if (connect) {
            return validAuthorityForm(a, from, to);
        }
        if (a[from] == '/') {
            return true;
        }
        if (a[from] == '*') {
            return to - from == 1 && "OPTIONS".equals(method);
        }
        // absolute-form: scheme ":" hier-part; scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
        if (!isAlpha(a[from])) {
            return false;
        }
        for (int i = from + 1; i < to; i++) {
            byte b = a[i];
            if (b == ':') {
                return validAbsoluteAuthority(a, i + 1, to);
            }
            if (!isAlpha(b) && !(b >= '0' && b <= '9') && b != '+' && b != '-' && b != '.') {
                return false;
            }
        }
        return false;
    }

    /**
     * The authority of an absolute-form target replaces Host (RFC 9112 section 3.2.2), so it
     * obeys Host's rules; a target without "//" has none (Host stays).
     */
    private static boolean validAbsoluteAuthority(byte[] a, int from, int to) {
        if (to - from < 2 || a[from] != '/' || a[from + 1] != '/') {
            return true;
        }
        int start = from + 2;
        int end = start;
        while (end < to && a[end] != '/' && a[end] != '?') {
            if (a[end] == '@') {
                start = end + 1; // userinfo is not part of the host
            }
            end++;
        }
        return validHost(new String(a, start, end - start, StandardCharsets.ISO_8859_1));
    }

    /** authority-form = uri-host ":" port, no userinfo. */
    private static boolean validAuthorityForm(byte[] a, int from, int to) {
        int colon = -1;
        for (int i = to - 1; i >= from; i--) {
            if (a[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= from || colon == to - 1) {
            return false;
        }
        for (int i = colon + 1; i < to; i++) {
            if (a[i] < '0' || a[i] > '9') {
                return false;
            }
        }
        for (int i = from; i < colon; i++) {
            if (!HttpChars.isHostChar(a[i]) || a[i] == '/' || a[i] == '?') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlpha(byte b) {
        int l = b | 0x20;
        return l >= 'a' && l <= 'z';
    }

    /** HTTP-version = "HTTP/" DIGIT "." DIGIT, exactly filling [from, to). */
    private boolean parseVersion(byte[] a, int from, int to) {
        if (to - from == 8 && a[from] == 'H' && a[from + 1] == 'T' && a[from + 2] == 'T' && a[from + 3] == 'P'
            && a[from + 4] == '/' && isDigit(a[from + 5]) && a[from + 6] == '.' && isDigit(a[from + 7])) {
            if (a[from + 5] == '1' && a[from + 7] == '0') {
                version = HttpVersion.HTTP_1_0;
                return true;
            }
            if (a[from + 5] == '1') {
                // HTTP/1.1, or a higher minor version: served as HTTP/1.1, the highest minor
                // version Gale conforms to (RFC 9110 section 6.2); a response says HTTP/1.1.
                version = HttpVersion.HTTP_1_1;
                return true;
            }
            fail(505, "HTTP version not supported");
            return false;
        }
        fail(400, "invalid HTTP version");
        return false;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** status-line = HTTP-version SP status-code SP [ reason-phrase ]; a missing final SP is tolerated. */
    private boolean parseStatusLine() {
        byte[] a = la;
        int p = lFrom;
        int end = lTo;
        if (end - p < 12 || a[p + 8] != ' ') {
            fail(400, "invalid status line");
            return false;
        }
        if (!parseVersion(a, p, p + 8)) {
            return false;
        }
        if (!isDigit(a[p + 9]) || !isDigit(a[p + 10]) || !isDigit(a[p + 11])) {
            fail(400, "invalid status code");
            return false;
        }
        status = (a[p + 9] - '0') * 100 + (a[p + 10] - '0') * 10 + (a[p + 11] - '0');
        if (status < 100) {
            fail(400, "invalid status code");
            return false;
        }
        int r = p + 12;
        if (r == end) {
            reason = "";
            return true;
        }
        if (a[r] != ' ') {
            fail(400, "invalid status line");
            return false;
        }
        for (int i = r + 1; i < end; i++) {
            if (!HttpChars.isFieldValueChar(a[i])) {
                fail(400, "invalid reason phrase");
                return false;
            }
        }
        reason = new String(a, r + 1, end - r - 1, StandardCharsets.ISO_8859_1);
        return true;
    }

    private static final String[] METHODS = {"GET", "PUT", "POST", "HEAD", "PATCH", "TRACE", "DELETE", "OPTIONS",
        "CONNECT"};

    private static String internMethod(byte[] a, int off, int len) {
        for (String m : METHODS) {
            if (m.length() == len) {
                int i = 0;
                while (i < len && a[off + i] == m.charAt(i)) {
                    i++;
                }
                if (i == len) {
                    return m;
                }
            }
        }
        return new String(a, off, len, StandardCharsets.ISO_8859_1);
    }

    // ---------------------------------------------------------------- fields

    /** field-line = field-name ":" OWS field-value OWS (RFC 9112 section 5). */
    private boolean parseFieldLine(HttpHeaders into) {
        byte[] a = la;
        int p = lFrom;
        int end = lTo;
        byte first = a[p];
        if (first == ' ' || first == '\t') {
            return unfold(into, a, p, end);
        }
        int n = p;
        while (n < end && HttpChars.isTchar(a[n])) {
            n++;
        }
        if (n == end || a[n] != ':') {
            if (n < end && (a[n] == ' ' || a[n] == '\t') && n > p) {
                fail(400, "whitespace before colon");
            } else if (n < end && a[n] == '\r') {
                fail(ERR_BARE_CR);
            } else {
                fail(400, "invalid header name");
            }
            return false;
        }
        if (n == p) {
            fail(400, "empty header name");
            return false;
        }
        int v = n + 1;
        while (v < end && (a[v] == ' ' || a[v] == '\t')) {
            v++;
        }
        int ve = end;
        while (ve > v && (a[ve - 1] == ' ' || a[ve - 1] == '\t')) {
            ve--;
        }
        for (int i = v; i < ve; i++) {
            if (!HttpChars.isFieldValueChar(a[i])) {
                fail(a[i] == '\r' ? ERR_BARE_CR : new HttpParseError(400, "invalid character in header value"));
                return false;
            }
        }
        String name = HEADERS.knownName(a, p, n - p);
        if (name == null) {
            name = new String(a, p, n - p, StandardCharsets.ISO_8859_1);
        }
        String value = v == ve ? "" : new String(a, v, ve - v, StandardCharsets.ISO_8859_1);
        if (into == headers) {
            if (name == HttpHeaderNames.CONTENT_LENGTH) {
                // validate at once: fail fast, before the rest of the head arrives
                contentLengthCount++;
                if (contentLengthCount > 1) {
                    fail(400, "duplicate Content-Length");
                    return false;
                }
                if (!parseContentLength(value)) {
                    return false;
                }
            } else if (name == HttpHeaderNames.TRANSFER_ENCODING) {
                transferEncodingCount++;
            } else if (name == HttpHeaderNames.HOST) {
                hostCount++;
            } else if (name == HttpHeaderNames.CONNECTION) {
                sawConnection = true;
            } else if (name == HttpHeaderNames.EXPECT) {
                sawExpect = true;
            } else if (name == HttpHeaderNames.UPGRADE) {
                sawUpgrade = true;
            }
        }
        HEADERS.addUnchecked(into, name, value);
        return true;
    }

    /** obs-fold: a line starting with whitespace continues the previous field value. */
    private boolean unfold(HttpHeaders into, byte[] a, int p, int end) {
        if (requestMode || into.isEmpty()) {
            fail(400, "obsolete line folding");
            return false;
        }
        // RFC 9112 section 5.2: a user agent replaces obs-fold with SP
        int v = p;
        while (v < end && (a[v] == ' ' || a[v] == '\t')) {
            v++;
        }
        int ve = end;
        while (ve > v && (a[ve - 1] == ' ' || a[ve - 1] == '\t')) {
            ve--;
        }
        for (int i = v; i < ve; i++) {
            if (!HttpChars.isFieldValueChar(a[i])) {
                fail(400, "invalid character in header value");
                return false;
            }
        }
        String last = into.valueAt(into.size() - 1);
        String cont = new String(a, v, ve - v, StandardCharsets.ISO_8859_1);
        HEADERS.setLastValue(into, last.isEmpty() ? cont : cont.isEmpty() ? last : last + ' ' + cont);
        return true;
    }

    // ---------------------------------------------------------------- head semantics

    private boolean finishHead() {
        HttpHeaders h = headers;
        boolean http11 = version == HttpVersion.HTTP_1_1;
        if (sawConnection) {
            keepAlive = http11 ? !h.containsValue(HttpHeaderNames.CONNECTION, "close", true)
                : h.containsValue(HttpHeaderNames.CONNECTION, "keep-alive", true)
                    && !h.containsValue(HttpHeaderNames.CONNECTION, "close", true);
        } else {
            keepAlive = http11;
        }
        return requestMode ? finishRequestHead(h, http11) : finishResponseHead(h);
    }

    private boolean finishRequestHead(HttpHeaders h, boolean http11) {
        if (hostCount > 1 || (http11 && hostCount == 0)) {
            fail(400, hostCount == 0 ? "missing Host" : "duplicate Host");
            return false;
        }
        if (hostCount == 1 && !validHost(h.get(HttpHeaderNames.HOST))) {
            fail(400, "invalid Host");
            return false;
        }
        if (transferEncodingCount > 0) {
            if (contentLengthCount > 0) {
                fail(400, "both Content-Length and Transfer-Encoding");
                return false;
            }
            if (!http11) {
                fail(400, "Transfer-Encoding in HTTP/1.0 request");
                return false;
            }
            int te = classifyTransferEncoding(h);
            if (te != 0) {
                fail(te, te == 501 ? "unsupported transfer coding" : "invalid Transfer-Encoding");
                return false;
            }
            framing = BodyFraming.CHUNKED;
        } else if (contentLengthCount > 0) {
            if (contentLength > limits.maxBodySize()) {
                fail(ERR_BODY_SIZE);
                return false;
            }
            framing = BodyFraming.CONTENT_LENGTH;
        } else {
            framing = BodyFraming.NONE;
        }
        expectsContinue = sawExpect && http11 && h.containsValue(HttpHeaderNames.EXPECT, "100-continue", true);
        upgrade = "CONNECT".equals(method)
            || (sawUpgrade && sawConnection && h.containsValue(HttpHeaderNames.CONNECTION, "upgrade", true));
        if ("CONNECT".equals(method)) {
            // RFC 9110 section 9.3.6: a CONNECT request has no content; what follows is tunnel data
            framing = BodyFraming.NONE;
        }
        return true;
    }

    private boolean finishResponseHead(HttpHeaders h) {
        boolean connect2xx = "CONNECT".equals(requestMethod) && status / 100 == 2;
        if (!HttpStatus.responseHasBody(requestMethod, status)) {
            // RFC 9112 section 6.3 rules 1 and 2: no content whatever the headers say
            framing = BodyFraming.NONE;
            upgrade = status == 101 || connect2xx;
            if (status < 200 && status != 101) {
                keepAlive = true; // an interim response says nothing about the connection
            }
            return true;
        }
        if (transferEncodingCount > 0) {
            if (contentLengthCount > 0) {
                fail(400, "both Content-Length and Transfer-Encoding");
                return false;
            }
            int te = classifyTransferEncoding(h);
            if (te == 0) {
                framing = BodyFraming.CHUNKED;
            } else if (te == 501) {
                framing = BodyFraming.CHUNKED; // framing is sound; decoding the other codings is the client's job
            } else if (lastCodingIsNotChunked) {
                // RFC 9112 section 6.3 rule 4: chunked not final in a response: read until close
                framing = BodyFraming.UNTIL_CLOSE;
                keepAlive = false;
            } else {
                fail(400, "invalid Transfer-Encoding");
                return false;
            }
        } else if (contentLengthCount > 0) {
            if (contentLength > limits.maxBodySize()) {
                fail(ERR_BODY_SIZE);
                return false;
            }
            framing = BodyFraming.CONTENT_LENGTH;
        } else {
            framing = BodyFraming.UNTIL_CLOSE;
            keepAlive = false;
        }
        return true;
    }

    /**
     * 0 if Transfer-Encoding is exactly {@code chunked} (case-insensitive, possibly split over
     * lines/list members that are otherwise empty); 400 if malformed, chunked repeated or not final;
     * 501 if other (well-formed) codings precede chunked.
     */
    private int classifyTransferEncoding(HttpHeaders h) {
        lastCodingIsNotChunked = false;
        int chunked = 0;
        boolean others = false;
        boolean lastChunked = false;
        boolean any = false;
        for (int i = HEADERS.indexOf(h, HttpHeaderNames.TRANSFER_ENCODING, 0); i >= 0;
             i = HEADERS.indexOf(h, HttpHeaderNames.TRANSFER_ENCODING, i + 1)) {
            String v = h.valueAt(i);
            int s = 0;
            int len = v.length();
            while (s <= len) {
                int c = v.indexOf(',', s);
                int e = c < 0 ? len : c;
                int a = s;
                int b = e;
                while (a < b && (v.charAt(a) == ' ' || v.charAt(a) == '\t')) {
                    a++;
                }
                while (b > a && (v.charAt(b - 1) == ' ' || v.charAt(b - 1) == '\t')) {
                    b--;
                }
                if (a < b) {
                    // a transfer-coding: token, optionally with parameters (which chunked never has)
                    any = true;
                    if (b - a == 7 && v.regionMatches(true, a, "chunked", 0, 7)) {
                        chunked++;
                        lastChunked = true;
                    } else {
                        if (!isCoding(v, a, b)) {
                            return 400;
                        }
                        others = true;
                        lastChunked = false;
                    }
                }
                if (c < 0) {
                    break;
                }
                s = c + 1;
            }
        }
        if (!any || chunked > 1) {
            return 400;
        }
        if (!lastChunked) {
            lastCodingIsNotChunked = true;
            return 400;
        }
        return others ? 501 : 0;
    }

    /** token *( OWS ";" OWS token "=" ( token / quoted-string ) ), checked loosely: token start, no CTLs. */
    private static boolean isCoding(String v, int a, int b) {
        int i = a;
        while (i < b && v.charAt(i) < 0x80 && HttpChars.isTchar(v.charAt(i))) {
            i++;
        }
        if (i == a) {
            return false;
        }
        if (i == b) {
            return true;
        }
        // parameters: accept only ';' followed by visible characters
        char c = v.charAt(i);
        if (c != ';' && c != ' ' && c != '\t') {
            return false;
        }
        for (; i < b; i++) {
            char x = v.charAt(i);
            if (!HttpChars.isFieldValueChar(x)) {
                return false;
            }
        }
        return true;
    }

    /** Content-Length = 1*DIGIT; a second field line is rejected by the caller, even if equal. */
    private boolean parseContentLength(String v) {
        int len = v.length();
        int i = 0;
        while (i < len - 1 && v.charAt(i) == '0') {
            i++; // leading zeros are valid digits and must not count towards the overflow bound
        }
        if (len == 0 || !allDigits(v)) {
            fail(400, "invalid Content-Length");
            return false;
        }
        if (len - i > 18) {
            // 18 digits always fit in a long; more is an overflow attempt or absurd
            fail(400, "Content-Length too large");
            return false;
        }
        long n = 0;
        for (; i < len; i++) {
            n = n * 10 + (v.charAt(i) - '0');
        }
        contentLength = n;
        remaining = n;
        return true;
    }

    private static boolean allDigits(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * uri-host [ ":" port ] by character class; empty is rejected: an "http" URI with an empty host is
     * invalid (RFC 9110 section 4.2.1), so an origin server cannot reconstruct the target URI.
     */
    private static boolean validHost(String v) {
        if (v.isEmpty()) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c > 0x7F || !HttpChars.isHostChar(c)) {
                return false;
            }
        }
        int portColon;
        if (v.charAt(0) == '[') {
            // IP-literal: hex digits, ':' and '.' (an IPv4 tail) between the brackets
            int close = v.indexOf(']');
            if (close < 3) {
                return false;
            }
            for (int i = 1; i < close; i++) {
                char c = v.charAt(i);
                if (c != ':' && c != '.' && Character.digit(c, 16) < 0) {
                    return false;
                }
            }
            if (close == v.length() - 1) {
                return true;
            }
            portColon = close + 1;
            if (v.charAt(portColon) != ':') {
                return false;
            }
        } else {
            portColon = v.indexOf(':');
            if (portColon < 0) {
                return v.indexOf('[') < 0 && v.indexOf(']') < 0;
            }
            if (portColon == 0 || v.indexOf('[') >= 0 || v.indexOf(']') >= 0) {
                return false; // no host, or brackets that do not open an IP-literal
            }
        }
        // port = *DIGIT: a second ':' (an IPv6 address without brackets) or any non-digit fails
        for (int i = portColon + 1; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- chunked

    /** chunk-size [ chunk-ext ] (RFC 9112 section 7.1). */
    private boolean parseChunkSizeLine() {
        byte[] a = la;
        int p = lFrom;
        int end = lTo;
        long size = 0;
        int i = p;
        while (i < end) {
            int d = HttpChars.hexValue(a[i]);
            if (d < 0) {
                break;
            }
            if ((size >>> 59) != 0) {
                fail(400, "chunk size too large");
                return false;
            }
            size = (size << 4) | d;
            i++;
        }
        if (i == p) {
            fail(400, "invalid chunk size");
            return false;
        }
        if (i < end) {
            int extLen = end - i;
            chunkExtTotal += extLen;
            if (chunkExtTotal > limits.maxChunkExtensionSize()) {
                fail(400, "chunk extensions too large");
                return false;
            }
            if (!validChunkExtensions(a, i, end)) {
                fail(400, "invalid chunk extension");
                return false;
            }
        }
        bodyTotal += size;
        if (bodyTotal > limits.maxBodySize() || bodyTotal < 0) {
            fail(ERR_BODY_SIZE);
            return false;
        }
        if (size == 0) {
            headerBytes = 0; // now counts trailer bytes
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
        return true;
    }

    /** *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ), val = token / quoted-string. */
    private static boolean validChunkExtensions(byte[] a, int i, int end) {
        while (i < end) {
            i = skipWs(a, i, end);
            if (i == end || a[i] != ';') {
                return false;
            }
            i = skipWs(a, i + 1, end);
            int n = i;
            while (i < end && HttpChars.isTchar(a[i])) {
                i++;
            }
            if (i == n) {
                return false;
            }
            int afterName = i;
            i = skipWs(a, i, end);
            if (i < end && a[i] == '=') {
                i = skipWs(a, i + 1, end);
                if (i < end && a[i] == '"') {
                    i = endOfQuotedString(a, i, end);
                    if (i < 0) {
                        return false;
                    }
                } else {
                    int v = i;
                    while (i < end && HttpChars.isTchar(a[i])) {
                        i++;
                    }
                    if (i == v) {
                        return false;
                    }
                }
            } else {
                i = afterName;
                if (i < end && a[i] != ';' && a[i] != ' ' && a[i] != '\t') {
                    return false;
                }
                int w = skipWs(a, i, end);
                if (w == end && w != i) {
                    return false; // trailing whitespace is not followed by ';'
                }
            }
        }
        return true;
    }

    private static int skipWs(byte[] a, int i, int end) {
        while (i < end && (a[i] == ' ' || a[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE; returns the index after it, or -1. */
    private static int endOfQuotedString(byte[] a, int i, int end) {
        i++;
        while (i < end) {
            int c = a[i] & 0xFF;
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                if (i + 1 >= end) {
                    return -1;
                }
                int q = a[i + 1] & 0xFF;
                if (!HttpChars.isFieldValueChar(q)) {
                    return -1;
                }
                i += 2;
                continue;
            }
            if (!HttpChars.isFieldValueChar(c)) {
                return -1;
            }
            i++;
        }
        return -1;
    }

    // ---------------------------------------------------------------- body

    private void sliceBody(ByteBuffer in) {
        int n = (int) Math.min(in.remaining(), remaining);
        int pos = in.position();
        body = in.slice(pos, n);
        in.position(pos + n);
        remaining -= n;
    }

    /**
     * Drops what the parser holds once its connection stops speaking HTTP/1.1 (handed to a new
     * owner after an upgrade): the line buffer, the current line, body and trailers. The upgraded
     * connection may live for hours and its request object keeps the parser reachable, so this is
     * memory per WebSocket. Every later {@link #next} returns {@link Event#END}.
     */
    public void release() {
        state = State.CLOSED;
        lineBuf = NO_BYTES;
        lineLen = 0;
        la = null;
        body = null;
        trailers = null;
    }

    private void beginMessage() {
        state = State.START_LINE;
        lineLen = 0;
        if (lineBuf.length > 4096) {
            lineBuf = new byte[256]; // do not keep one huge header's buffer for the connection's lifetime
        }
        leadingEmptyLines = 0;
        headerBytes = 0;
        method = null;
        target = null;
        version = null;
        status = 0;
        reason = null;
        headers = new HttpHeaders();
        trailers = null;
        contentLengthCount = 0;
        transferEncodingCount = 0;
        hostCount = 0;
        sawConnection = false;
        sawExpect = false;
        sawUpgrade = false;
        framing = BodyFraming.NONE;
        contentLength = -1;
        remaining = 0;
        bodyTotal = 0;
        chunkExtTotal = 0;
        keepAlive = false;
        expectsContinue = false;
        upgrade = false;
        body = null;
    }
}
