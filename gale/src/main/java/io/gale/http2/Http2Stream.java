package io.gale.http2;

import io.gale.http.HttpHeaders;
import io.gale.http.HttpStatus;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * One HTTP/2 stream of an {@link Http2Connection}: one request and its response. The same class
 * serves both sides: a client opens it with {@link #sendRequest}, a server answers with
 * {@link #sendResponse}; either sends a body with {@link #sendData} (flow-controlled: queued until
 * the peer's windows allow, in frames of at most the peer's SETTINGS_MAX_FRAME_SIZE) and may end
 * with {@link #sendTrailers}. What the peer sends arrives at the {@link Listener}.
 *
 * <h2>Receiving and flow control</h2>
 * DATA arrives as slices of the connection's read buffer ({@link Listener#onData}), valid only
 * during the call. The stream's and the connection's receive windows are given back to the peer
 * when the application calls {@link #consumed} for those bytes (at once or later, when it has
 * processed them), not when they arrive: a consumer that stops calling it stops the peer after
 * one window (see {@link Http2InboundWindow}).
 *
 * <h2>Ending</h2>
 * A stream closes when both sides sent END_STREAM, or when either resets it ({@link #reset});
 * the listener hears {@link Listener#onError} only when the stream ends without both sides
 * finishing (reset by the peer or by us, GOAWAY, connection failure). Pending {@link #sendData}
 * futures fail then.
 *
 * <p>Threading: the connection's loop only, like the connection.
 */
public final class Http2Stream {

    /** Receives what the peer sends on one stream, on the connection's loop. */
    public interface Listener {
        /**
         * A field block: the head (on a client, informational 1xx heads come before the final one)
         * or trailers ({@code fields.kind()} says which); validated (RFC 9113 section 8), so a
         * malformed block never arrives here: the stream is reset and {@link #onError} called.
         * {@code endStream}: the peer sends nothing more.
         */
        void onHeaders(Http2Stream stream, Http2Fields fields, boolean endStream);

        /**
         * Body bytes (padding removed), possibly empty when only {@code endStream} is news. The
         * buffer is the connection's and valid during the call only; call
         * {@link Http2Stream#consumed} for its bytes once they are processed.
         */
        void onData(Http2Stream stream, ByteBuffer data, boolean endStream);

        /** The stream ended early; see {@link Http2Exception#unprocessed()} for the retry rule. */
        void onError(Http2Stream stream, Http2Exception error);
    }

    /** A piece of the body or the trailers, waiting for the send window. */
    record Pending(ByteBuffer data, HttpHeaders trailers, boolean end, CompletableFuture<Void> done) {
    }

    final Http2Connection conn;
    /** Set at creation for a local stream, by the handler for a peer's. */
    Listener listener;
    int id;
    Http2StreamState state = Http2StreamState.IDLE;
    final Http2InboundWindow in;
    final Http2OutboundWindow out;
    final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** END_STREAM (or trailers) queued: nothing more may be sent. */
    boolean endQueued;
    /** Waiting in the connection's queue for connection window. */
    boolean blockedOnConnection;
    /** The final (non-1xx) head arrived: a later block is trailers. */
    boolean headReceived;
    /** The request was HEAD: its response has no content whatever content-length says. */
    boolean headRequest;
    /** content-length of the received message (-1 if absent) and the DATA bytes received so far. */
    long expectedLength = -1;
    long receivedLength;
    /** The stream ended by our RST_STREAM. */
    boolean resetByUs;

    Http2Stream(Http2Connection conn, Listener listener, int receiveWindow, long sendWindow) {
        this.conn = conn;
        this.listener = listener;
        this.in = new Http2InboundWindow(receiveWindow, receiveWindow);
        this.out = new Http2OutboundWindow(sendWindow);
    }

    /** The stream id (0 until a client's request head is sent). */
    public int id() {
        return id;
    }

    /** Whether the stream is closed (both sides ended, or reset). */
    public boolean isClosed() {
        return state == Http2StreamState.CLOSED;
    }

    /** The connection carrying the stream. */
    public Http2Connection connection() {
        return conn;
    }

    /**
     * Client: sends the request head, which opens the stream (its id is assigned now, so ids go
     * out in increasing order). Fields of {@code headers} that HTTP/2 does not carry are left out
     * ({@link Http2HeaderRules}); {@code authority} replaces {@code Host}.
     *
     * @param endStream no body follows
     * @throws IllegalStateException if the stream was opened already or the connection cannot
     *     open streams now ({@link Http2Connection#canOpenStream()})
     * @throws IllegalArgumentException if a field cannot be sent (CR, LF, NUL, chars above 0xFF);
     *     nothing was sent then
     */
    public void sendRequest(String method, String scheme, String authority, String path, HttpHeaders headers,
                            boolean endStream) {
        conn.sendRequest(this, method, scheme, authority, path, headers, endStream);
    }

    /**
     * Server: sends the response head ({@code status} 1xx for an informational head, which leaves
     * the stream open for the final one).
     *
     * @throws IllegalArgumentException if a field cannot be sent; nothing was sent then
     */
    public void sendResponse(int status, HttpHeaders headers, boolean endStream) {
        conn.sendResponse(this, status, headers, null, endStream);
    }

    /**
     * Server: {@link #sendResponse(int, HttpHeaders, boolean)} with {@code extra} fields after
     * {@code headers} (those the server adds: {@code date}, {@code content-length}), so that a
     * caller's shared headers are neither copied nor changed.
     */
    public void sendResponse(int status, HttpHeaders headers, HttpHeaders extra, boolean endStream) {
        conn.sendResponse(this, status, headers, extra, endStream);
    }

    /**
     * Queues body bytes (not copied: leave {@code data} alone until the future completes). They go
     * out as the peer's flow-control windows allow.
     *
     * @return completes when the bytes were handed to the kernel; fails with
     *     {@link Http2Exception} if the stream ends first
     */
    public CompletableFuture<Void> sendData(ByteBuffer data, boolean endStream) {
        return conn.sendData(this, data, endStream);
    }

    /** Queues the trailers, which end the stream (after any queued body bytes). */
    public CompletableFuture<Void> sendTrailers(HttpHeaders trailers) {
        return conn.sendTrailers(this, trailers);
    }

    /**
     * The application processed {@code n} bytes delivered by {@link Listener#onData}: gives them
     * back to the peer's windows (a WINDOW_UPDATE once half a window is owed). Safe after the
     * stream closed (then only the connection window is given back).
     */
    public void consumed(int n) {
        conn.consumed(this, n);
    }

    /**
     * Resets the stream (RST_STREAM with {@code code}, e.g. CANCEL when the application gives up).
     * The listener is not called; pending sends fail. No effect on a closed stream.
     */
    public void reset(Http2ErrorCode code) {
        conn.resetByApplication(this, code);
    }

    // ----------------------------------------------------------------- connection's side

    /**
     * The message rules of RFC 9113 section 8.1 that need this stream's history, for a received
     * block that is well-formed on its own: trailers end the stream and follow as many DATA bytes
     * as {@code content-length} said; no 101 (section 8.6); an informational head does not end the
     * stream; a head with {@code content-length} above 0 and END_STREAM lacks its content (not for
     * HEAD, 204, 304). Null when the block is fine.
     */
    String checkBlock(Http2Fields f, boolean end) {
        if (f.kind() == Http2Fields.Kind.TRAILERS) {
            if (!end) {
                return "trailers without END_STREAM";                                                // 8.1
            }
            return expectedLength >= 0 && receivedLength != expectedLength ? "DATA and content-length differ" : null;
        }
        if (f.kind() == Http2Fields.Kind.RESPONSE) {
            int st = f.status();
            if (st == 101) {
                return "101 Switching Protocols";                                                    // 8.6
            }
            if (st < 200) {
                return end ? "informational response with END_STREAM" : null;                       // 8.1
            }
            return end && !noContent(st) && f.contentLength() > 0 ? "content-length without DATA" : null;
        }
        return end && f.contentLength() > 0 ? "content-length without DATA" : null;                  // 8.1.1
    }

    /** Records a received block that passed {@link #checkBlock}: after the final head, DATA may come. */
    void recordBlock(Http2Fields f) {
        boolean informational = f.kind() == Http2Fields.Kind.RESPONSE && f.status() < 200;
        if (f.kind() != Http2Fields.Kind.TRAILERS && !informational) {
            headReceived = true;
            boolean none = f.kind() == Http2Fields.Kind.RESPONSE && noContent(f.status());
            expectedLength = none ? 0 : f.contentLength();
        }
    }

    /**
     * {@code n} DATA bytes arrived ({@code end}: with END_STREAM): null, or why the message is
     * malformed (more or fewer bytes than {@code content-length} said, section 8.1.1).
     */
    String checkData(int n, boolean end) {
        receivedLength += n;
        if (expectedLength >= 0 && (receivedLength > expectedLength || end && receivedLength != expectedLength)) {
            return "DATA and content-length differ";
        }
        return null;
    }

    /** A response with this status to this stream's request has no content (HEAD, 1xx, 204, 304). */
    private boolean noContent(int status) {
        return headRequest || !HttpStatus.permitsContent(status);
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    Pending peekPending() {
        return pending.peek();
    }

    void addData(ByteBuffer data, boolean end, CompletableFuture<Void> done) {
        pending.add(new Pending(data, null, end, done));
        endQueued |= end;
    }

    void addTrailers(HttpHeaders trailers, CompletableFuture<Void> done) {
        pending.add(new Pending(null, trailers, true, done));
        endQueued = true;
    }

    /** Fails every queued send with {@code error}. */
    void failPending(Http2Exception error) {
        Pending p;
        while ((p = pending.poll()) != null) {
            p.done().completeExceptionally(error);
        }
    }

    @Override
    public String toString() {
        return "Http2Stream[" + id + ", " + state + "]";
    }
}
