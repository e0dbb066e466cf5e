package io.gale.http;

import io.gale.internal.http.GzipDecoder;
import io.gale.http2.Http2ErrorCode;
import io.gale.http2.Http2Exception;
import io.gale.http2.Http2Fields;
import io.gale.http2.Http2Stream;
import io.gale.ioloop.IOLoop;
import io.gale.iostream.StreamClosedException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and its response on an HTTP/2 connection: one stream, made by the
 * {@link Http2ServerConnection} when the client opens it. The same {@link HttpExchange} contract
 * as {@link Http1Exchange}, so the delegate cannot tell the protocols apart except by
 * {@link HttpServerRequest#version()}.
 *
 * <p><b>Request.</b> The validated head ({@link Http2Fields}: pseudo-header rules, connection
 * fields refused, {@code cookie} crumbs joined) becomes an {@link HttpServerRequest} with
 * {@code :path} as its URI and a {@code Host} field from {@code :authority} when the client sent
 * none (RFC 9113 section 8.3.1), so the web layer finds the host where HTTP/1.1 puts it. A head
 * over SETTINGS_MAX_HEADER_LIST_SIZE is answered 431, an expectation other than
 * {@code 100-continue} 417.
 *
 * <p><b>Body and flow control.</b> DATA goes to the delegate in pieces of at most
 * {@code chunkSize} (decompressed first with {@code decompressRequest}). The stream's and the
 * connection's windows are given back ({@link Http2Stream#consumed}) only once a slice was handed
 * to the delegate, so a delegate whose stage holds the body back stops the client after one
 * window; what arrives meanwhile (at most that window) is copied and queued. The body limit is
 * {@link #maxBodySize()}, as in HTTP/1.1: a declared length over it is answered 413 before
 * {@code 100 Continue}, a body that grows past it 413 when it does.
 *
 * <p><b>100-continue.</b> An informational {@code 100} head is sent when the body is about to be
 * read: after {@code headersReceived} (or its stage) and only if no response began.
 *
 * <p><b>Response.</b> {@link ResponseFraming} decides once; HTTP/2 needs no framing fields: a
 * response without content ends the stream with its HEADERS, a typed length goes as
 * {@code content-length}, a body goes as DATA (futures complete when the bytes reached the kernel
 * after the client's windows allowed them, so a handler that waits for them is paced by the
 * client), and {@code finish} ends the stream with an empty DATA frame or the trailers.
 * {@code date} is added unless given. The caller's headers are never modified. Connection fields
 * the web layer may set ({@code Connection}, {@code Transfer-Encoding}) are left out.
 *
 * <p><b>Ending early.</b> A response finished before the request body ended lets the body go on
 * to the delegate (as HTTP/1.1 does on a reusable connection), except after an error answer,
 * which stops the upload with RST_STREAM NO_ERROR once sent (section 8.1). {@link #close()} resets
 * the stream (INTERNAL_ERROR); the connection and its other streams go on. A reset by the client
 * or the connection's end tells the delegate {@code onConnectionClose} unless its exchange was
 * complete.
 *
 * <p><b>Extended CONNECT</b> (RFC 8441, {@code :protocol} present; the connection advertised
 * SETTINGS_ENABLE_CONNECT_PROTOCOL): the request goes to the delegate as a {@code GET} of
 * {@code :path} without a body ({@link TunnelExchange}); the stream's DATA goes to an
 * {@link Http2Tunnel} instead, made now so that early bytes wait there (within the stream
 * window). A handler that takes the stream over answers 2xx and calls {@link #openTunnel()}; any
 * other finished answer (a rejection, a handler that is not a WebSocket one) ends our side and
 * then resets the client's with NO_ERROR.
 *
 * <p>Threading: confined to the connection's loop.
 */
final class Http2ServerExchange implements TunnelExchange, Http2Stream.Listener {
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(Http2ServerExchange.class);
    }

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final HttpHeaders NO_HEADERS = new HttpHeaders();
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private enum Response { NONE, STARTED, FINISHED }

    /** A piece of the body copied while the delegate was not ready, with the DATA bytes it stands for. */
    private record Piece(ByteBuffer data, int wireBytes) {
    }

    private final Http2ServerConnection conn;
    private final Http2Stream stream;
    private final HttpServerOptions options;
    private HttpServerRequest request;
    private String method;
    private HttpMessageDelegate message;

    // the request body
    private boolean headReceived;
    private boolean hasBody;
    private long declaredLength = -1;
    private boolean expectsContinue;
    private long maxBodySize;
    private boolean bodyStarted;
    private boolean decompress;
    private GzipDecoder decompressor;
    /** DATA bytes fed to the decompressor and not yet given back to the windows. */
    private int decoderWireBytes;
    private final ArrayDeque<Piece> queued = new ArrayDeque<>();
    private boolean paused;
    private long received;
    private boolean endReceived;
    private boolean requestComplete;
    /** The rest of the body is unwanted (an error answer, a failed delegate): consumed and dropped. */
    private boolean discarding;

    // the response
    private Response response = Response.NONE;
    private ResponseFraming framing;
    private boolean wireBody;
    private boolean streamEnded;
    private boolean errorAnswer;
    /** Completes when the end of the response was written (its last DATA or HEADERS). */
    private CompletableFuture<Void> endSent;
    private boolean ended;
    private boolean closed;

    // extended CONNECT (RFC 8441)
    private String tunnelProtocol;
    private Http2Tunnel tunnel;
    private boolean tunnelOpened;
    private int status;

    Http2ServerExchange(Http2ServerConnection conn, Http2Stream stream) {
        this.conn = conn;
        this.stream = stream;
        this.options = conn.options();
        this.maxBodySize = options.limits().maxBodySize();
    }

    // -------------------------------------------------------------------- Http2Stream.Listener

    @Override
    public void onHeaders(Http2Stream s, Http2Fields fields, boolean endStream) {
        if (headReceived) {
            // trailers of the request: not passed on (as over HTTP/1.1); they end the body
            if (endStream) {
                endReceived = true;
                pump();
            }
            return;
        }
        headReceived = true;
        endReceived = endStream;
        hasBody = !endStream;
        method = fields.method() != null ? fields.method() : "GET"; // absent only in a head over the limit
        if (fields.protocol() != null && !endStream) {
            // RFC 8441 section 5: the HTTP/2 form of GET + Upgrade; what follows is the tunnel's
            tunnelProtocol = fields.protocol();
            tunnel = new Http2Tunnel(stream, conn.loop());
            method = "GET";
            endReceived = true;
            hasBody = false;
        }
        HttpHeaders headers = fields.headers();
        String authority = fields.authority();
        if (authority != null && !headers.contains(HttpHeaderNames.HOST)) {
            headers.add(HttpHeaderNames.HOST, authority);                                       // 8.3.1
        }
        String uri = fields.path() != null ? fields.path() : authority; // CONNECT has no :path
        String ip = conn.peerIp();
        String protocol = conn.baseProtocol();
        if (options.xheaders()) {
            ip = XHeaders.remoteIp(headers, ip, options.trustedDownstream());
            if (options.protocol() == null) {
                protocol = XHeaders.protocol(headers, protocol);
            }
        }
        request = new HttpServerRequest(this, method, uri == null ? "/" : uri, HttpVersion.HTTP_2, headers, ip,
                protocol);
        if (fields.tooLarge()) {
            errorAnswer(431);
            return;
        }
        declaredLength = fields.contentLength();
        String expect = headers.get(HttpHeaderNames.EXPECT);
        if (expect != null) {
            if (!expect.strip().equalsIgnoreCase("100-continue")) {
                Log.LOG.debug("Unsupported expectation from {}: {}", ip, expect);
                errorAnswer(417);
                return;
            }
            expectsContinue = hasBody;
        }
        if (options.decompressRequest() && hasBody) {
            String ce = headers.get(HttpHeaderNames.CONTENT_ENCODING);
            if (ce != null && ce.strip().equalsIgnoreCase("gzip")) {
                headers.remove(HttpHeaderNames.CONTENT_ENCODING);
                headers.set("X-Consumed-Content-Encoding", "gzip");
                decompress = true;
            }
        }
        CompletionStage<?> stage;
        try {
            message = conn.delegate().startRequest(this);
            stage = message.headersReceived(request);
        } catch (Throwable t) {
            delegateFailed(t);
            return;
        }
        if (stage != null) {
            pause(stage, true);
        } else {
            afterHead();
            pump();
        }
    }

    @Override
    public void onData(Http2Stream s, ByteBuffer data, boolean endStream) {
        if (tunnel != null) {
            tunnel.onData(data, endStream);
            return;
        }
        int n = data.remaining();
        if (endStream) {
            endReceived = true;
        }
        if (discarding || closed) {
            stream.consumed(n);
            return;
        }
        received += n;
        if (received > maxBodySize) {
            stream.consumed(n);
            bodyTooLarge();
            return;
        }
        if (n > 0) {
            if (blocked()) {
                ByteBuffer copy = ByteBuffer.allocate(n);
                copy.put(data).flip();
                queued.add(new Piece(copy, n));
            } else {
                deliver(data, n);
            }
        }
        pump();
    }

    @Override
    public void onError(Http2Stream s, Http2Exception error) {
        if (tunnel != null) {
            tunnel.onGone();
        }
        streamGone();
    }

    /** The stream ended without both sides finishing (reset either way, connection gone). */
    private void streamGone() {
        if (closed) {
            return;
        }
        closed = true;
        releaseBody();
        HttpMessageDelegate m = message;
        message = null;
        if (m != null && !(requestComplete && response == Response.FINISHED)) {
            try {
                m.onConnectionClose();
            } catch (Throwable t) {
                Log.LOG.error("Exception in onConnectionClose of {}", request, t);
            }
        }
    }

    // ---------------------------------------------------------------------------- the body

    /** Whether a new slice must wait: the delegate is paused, the head not handled, or older bytes wait. */
    private boolean blocked() {
        return paused || !bodyStarted || !queued.isEmpty() || decoderWireBytes > 0;
    }

    /**
     * The head was handled: the body is read now, under the limit as it stands. Sends 100 if
     * asked, unless the response began (the body is then unwanted) or the declared length is over
     * the limit (413).
     */
    private void afterHead() {
        bodyStarted = true;
        if (!hasBody || message == null) {
            return;
        }
        boolean tooLarge = declaredLength > maxBodySize;
        if (response != Response.NONE) {
            if (expectsContinue || tooLarge) {
                discard(); // answered without wanting the body
                return;
            }
        } else if (tooLarge) {
            bodyTooLarge();
            return;
        } else if (expectsContinue && !endReceived && received == 0) {
            stream.sendResponse(100, NO_HEADERS, false);
        }
        expectsContinue = false;
        if (decompress) {
            decompressor = new GzipDecoder(options.chunkSize(), maxBodySize);
        }
    }

    /**
     * Hands {@code data} (a slice of the read buffer, or a queued copy) to the delegate, through
     * the decompressor if any; gives its DATA bytes back to the windows once all of it was handed
     * over. If the delegate pauses midway, the rest is kept (copied when it was the read buffer's).
     */
    private void deliver(ByteBuffer data, int wireBytes) {
        if (decompressor != null) {
            decompressor.feed(data);
            decoderWireBytes += wireBytes;
            drainDecoder();
            if (decoderWireBytes > 0 && decompressor != null) {
                decompressor.retainInput(); // paused: the slice is the read buffer's
            }
            return;
        }
        int max = options.chunkSize();
        while (data.hasRemaining() && message != null && !paused) {
            ByteBuffer piece;
            if (data.remaining() <= max) {
                piece = data.slice();
                data.position(data.limit());
            } else {
                piece = data.slice(data.position(), max);
                data.position(data.position() + max);
            }
            if (!toDelegate(piece)) {
                break;
            }
        }
        if (data.hasRemaining() && message != null && !closed) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining());
            copy.put(data).flip();
            queued.addFirst(new Piece(copy, wireBytes));
        } else {
            stream.consumed(wireBytes);
        }
    }

    /** Takes decompressed pieces to the delegate until the fed input is used up (true) or it pauses. */
    private boolean drainDecoder() {
        while (decompressor != null && !paused && message != null) {
            ByteBuffer piece = decompressor.next();
            if (piece == null) {
                if (decompressor.error() != null) {
                    int status = decompressor.tooLarge() ? 413 : 400;
                    Log.LOG.debug("Malformed gzip request body from {}: {}", request.remoteIp(), decompressor.error());
                    errorAnswer(status);
                    return false;
                }
                stream.consumed(decoderWireBytes);
                decoderWireBytes = 0;
                return true;
            }
            toDelegate(piece);
        }
        return false;
    }

    /** One piece to the delegate; false if it paused or failed. */
    private boolean toDelegate(ByteBuffer piece) {
        CompletionStage<?> stage;
        try {
            stage = message.dataReceived(piece);
        } catch (Throwable t) {
            delegateFailed(t);
            return false;
        }
        if (stage != null) {
            pause(stage, false);
            return false;
        }
        return true;
    }

    /** Delivers what waits while the delegate lets it; ends the request when all of it went. */
    private void pump() {
        while (!paused && bodyStarted && message != null && !closed) {
            if (decoderWireBytes > 0 && !drainDecoder()) {
                return;
            }
            Piece p = queued.poll();
            if (p == null) {
                break;
            }
            deliver(p.data(), p.wireBytes());
        }
        if (endReceived && !requestComplete && !paused && bodyStarted && queued.isEmpty() && decoderWireBytes == 0
                && message != null && !closed) {
            complete();
        }
    }

    private void complete() {
        if (decompressor != null) {
            String bad = decompressor.finish();
            boolean tooLarge = decompressor.tooLarge();
            decompressor.close();
            decompressor = null;
            if (bad != null) {
                Log.LOG.debug("Malformed gzip request body from {}: {}", request.remoteIp(), bad);
                errorAnswer(tooLarge ? 413 : 400);
                return;
            }
        }
        requestComplete = true;
        try {
            message.finish();
        } catch (Throwable t) {
            delegateFailed(t);
            return;
        }
        endIfDone();
    }

    private void pause(CompletionStage<?> stage, boolean head) {
        paused = true;
        IOLoop loop = conn.loop();
        stage.whenComplete((v, e) -> loop.runOrSubmit(() -> resume(head, e)));
    }

    private void resume(boolean head, Throwable error) {
        paused = false;
        if (closed || message == null) {
            return;
        }
        if (error != null) {
            delegateFailed(error);
            return;
        }
        if (head) {
            afterHead();
        }
        pump();
    }

    private void bodyTooLarge() {
        Log.LOG.debug("Request body from {} larger than its limit {}", request.remoteIp(), maxBodySize);
        errorAnswer(413);
    }

    /** No more of the body is wanted: what waits is given back to the windows, later DATA dropped. */
    private void discard() {
        discarding = true;
        releaseBody();
        if (endSent != null) {
            endSent.whenComplete((v, e) -> stopUpload());
        }
    }

    private void releaseBody() {
        Piece p;
        while ((p = queued.poll()) != null) {
            stream.consumed(p.wireBytes());
        }
        if (decoderWireBytes > 0) {
            stream.consumed(decoderWireBytes);
            decoderWireBytes = 0;
        }
        if (decompressor != null) {
            decompressor.close();
            decompressor = null;
        }
    }

    /**
     * The server answers by itself ({@link ProtocolErrorPage}) if the response has not begun, else
     * resets the stream; the delegate hears {@code onConnectionClose}, as it would over HTTP/1.1
     * (where such errors close the connection).
     */
    private void errorAnswer(int status) {
        HttpMessageDelegate m = message;
        message = null;
        if (response == Response.NONE && !closed) {
            ErrorBody page = ProtocolErrorPage.of(conn.delegate(), status);
            errorAnswer = true;
            response = Response.FINISHED;
            HttpHeaders extra = new HttpHeaders().set("date", DateCache.dateValue())
                    .set("content-length", Integer.toString(page.body().length));
            CompletableFuture<Void> sent;
            if ("HEAD".equals(method) || page.body().length == 0) {
                stream.sendResponse(status, ProtocolErrorPage.headers(page), extra, true);
                sent = DONE;
            } else {
                stream.sendResponse(status, ProtocolErrorPage.headers(page), extra, false);
                sent = stream.sendData(ByteBuffer.wrap(page.body()), true);
            }
            streamEnded = true;
            endSent = sent;
            discard();
            sent.whenComplete((v, e) -> endIfDone());
        } else {
            discard();
            stream.reset(Http2ErrorCode.INTERNAL_ERROR);
            closed = true;
        }
        if (m != null) {
            try {
                m.onConnectionClose();
            } catch (Throwable t) {
                Log.LOG.error("Exception in onConnectionClose of {}", request, t);
            }
        }
    }

    /** RFC 9113 section 8.1: a complete response came first; the client may stop sending. */
    private void stopUpload() {
        boolean sending = tunnel != null ? !tunnelOpened && !stream.isClosed() : !endReceived && !requestComplete;
        if (sending && !closed) {
            stream.reset(Http2ErrorCode.NO_ERROR);
        }
    }

    private void delegateFailed(Throwable t) {
        Log.LOG.error("Uncaught exception while serving {}", request, t);
        errorAnswer(500);
    }

    /** The request is received and the response finished. */
    private void endIfDone() {
        if (!ended && response == Response.FINISHED && (requestComplete || errorAnswer)) {
            ended = true;
            message = null;
            request.markFinished(conn.loop().time());
        }
    }

    // ------------------------------------------------------------------------ HttpExchange

    @Override
    public IOLoop loop() {
        return conn.loop();
    }

    @Override
    public long maxBodySize() {
        return maxBodySize;
    }

    @Override
    public void setMaxBodySize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("maxBodySize < 0: " + bytes);
        }
        if (bodyStarted) {
            throw new IllegalStateException("setMaxBodySize() after the body started to be read");
        }
        maxBodySize = bytes;
    }

    @Override
    public CompletableFuture<Void> writeHeaders(int status, String reason, HttpHeaders headers, long contentLength,
            ByteBuffer firstChunk) {
        if (response != Response.NONE) {
            throw new IllegalStateException("headers already written");
        }
        if (status < 200) {
            throw new IllegalArgumentException("HTTP/2 responses through an exchange are final (status " + status
                    + "); 100 Continue is sent by the exchange, and there is no 101 (RFC 9113 section 8.6)");
        }
        if (closed) {
            return failedClosed();
        }
        ResponseFraming f = ResponseFraming.decide(method, status, headers, contentLength); // may refuse: state unchanged
        HttpHeaders extra = new HttpHeaders();
        if (!headers.contains(HttpHeaderNames.DATE)) {
            extra.add("date", DateCache.dateValue());
        }
        if (f.writesLength) {
            extra.add("content-length", Long.toString(f.length));
        }
        boolean endNow = !f.body || f.declared() && f.length == 0;
        stream.sendResponse(status, headers, extra, endNow); // may refuse a field: state unchanged
        this.status = status;
        response = Response.STARTED;
        framing = f;
        wireBody = f.body;
        streamEnded = endNow;
        if (firstChunk == null || !firstChunk.hasRemaining() || !wireBody) {
            return DONE;
        }
        return write(firstChunk);
    }

    private void checkStarted() {
        if (response != Response.STARTED) {
            throw new IllegalStateException(response == Response.NONE ? "headers not written" : "response finished");
        }
    }

    @Override
    public CompletableFuture<Void> write(ByteBuffer chunk) {
        checkStarted();
        if (closed) {
            return failedClosed();
        }
        if (!chunk.hasRemaining() || !wireBody) {
            return DONE;
        }
        if (!framing.count(chunk.remaining())) {
            long excess = framing.excess(chunk.remaining());
            close(); // what was sent cannot be completed into a valid message
            throw new IllegalStateException("response body exceeds its Content-Length by " + excess + " bytes");
        }
        if (streamEnded) {
            return DONE;
        }
        return wrap(stream.sendData(chunk, false));
    }

    @Override
    public CompletableFuture<Void> finish(HttpHeaders trailers) {
        checkStarted();
        ResponseFraming.checkTrailers(trailers);
        response = Response.FINISHED;
        if (wireBody && framing.missing() > 0) {
            long missing = framing.missing();
            close();
            throw new IllegalStateException("response finished " + missing + " bytes short of its Content-Length");
        }
        CompletableFuture<Void> f;
        if (closed) {
            f = failedClosed();
        } else if (streamEnded) {
            f = DONE;
        } else if (trailers != null && trailers.size() > 0) {
            f = wrap(stream.sendTrailers(trailers));
        } else {
            f = wrap(stream.sendData(EMPTY, true));
        }
        streamEnded = true;
        endSent = f;
        if (tunnel != null) {
            // an extended CONNECT answered without taking the stream over: the client may stop sending
            f.whenComplete((v, e) -> {
                tunnel.onGone();
                stopUpload();
            });
        }
        if (requestComplete) {
            endIfDone();
        } else if (discarding || expectsContinue) {
            discard(); // the body is not wanted: the client is told to stop once the response is out
        }
        // else: answered before the body ended; it still goes to the delegate
        return f;
    }

    /** The stream's failures as the exchange contract names them (the client went away). */
    private static CompletableFuture<Void> wrap(CompletableFuture<Void> f) {
        if (f.isDone() && !f.isCompletedExceptionally()) {
            return f;
        }
        return f.exceptionallyCompose(e -> failedClosed());
    }

    @Override
    public String tunnelProtocol() {
        return tunnelProtocol;
    }

    @Override
    public ByteTunnel openTunnel() {
        if (tunnel == null) {
            throw new IllegalStateException("not an extended CONNECT: no tunnel to open");
        }
        if (tunnelOpened || response != Response.STARTED || streamEnded || status < 200 || status > 299) {
            throw new IllegalStateException("openTunnel() needs a 2xx head written and the response not finished");
        }
        if (isClosed()) {
            throw new IllegalStateException("openTunnel() on a closed stream");
        }
        tunnelOpened = true;
        response = Response.FINISHED;
        ended = true;
        message = null; // the delegate's exchange is over; the stream is the tunnel's
        return tunnel;
    }

    @Override
    public boolean headersWritten() {
        return response != Response.NONE;
    }

    @Override
    public boolean isClosed() {
        return closed || conn.isClosed();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        stream.reset(Http2ErrorCode.INTERNAL_ERROR);
        streamGone();
    }

    private static CompletableFuture<Void> failedClosed() {
        return CompletableFuture.failedFuture(new StreamClosedException(null));
    }

    @Override
    public String toString() {
        return "Http2ServerExchange[" + stream + ", " + request + ", response " + response + "]";
    }
}
