package io.gale.http;

import io.gale.internal.http.Http1Parser;
import io.gale.internal.http.HttpParseError;
import io.gale.internal.http.Http1Encoder;
import io.gale.internal.http.Http1ChunkedEncoder;
import io.gale.internal.http.BodyFraming;
import io.gale.internal.http.GzipDecoder;
import io.gale.ioloop.IOLoop;
import io.gale.iostream.IOStream;
import io.gale.iostream.StreamClosedException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and its response on an HTTP/1.1 connection (Tornado's {@code HTTP1Connection}, made
 * per request by the {@link Http1ServerConnection}): the request's head and delegate, its body's
 * flow control, limit, {@code 100 Continue} and decompression, and the response's framing and
 * encoding. Per-request state lives and dies here, so nothing is reset by hand between requests.
 *
 * <p><b>Body.</b> The connection hands over the parser's body slices ({@link #onBody}); they go to
 * the delegate in pieces of at most {@code chunkSize} ({@link #deliverBody}), through the
 * {@link GzipDecoder} with {@code decompressRequest}. A stage returned by the delegate pauses
 * the connection's reading ({@link #paused()}) until it completes. The body is held to
 * {@link #maxBodySize()}: a declared length when the body is about to be read, the bytes as they
 * arrive, and the decompressed total.
 *
 * <p><b>100-continue.</b> Answered when the body is actually about to be read: after
 * {@code headersReceived} returned (or its stage completed) without the response having started,
 * and the declared length is within the limit. A response begun first abandons the body: the
 * connection closes after it (RFC 9110 section 10.1.1).
 *
 * <p><b>Response.</b> {@link ResponseFraming} decides once; this class maps its decision onto
 * HTTP/1.1 (Content-Length, chunked, or close-delimited for HTTP/1.0), writes the head with
 * {@code Date}, framing and {@code Connection} fields, and hands bytes to the connection, which
 * corks and orders them.
 *
 * <p>Threading: confined to the connection's loop. Failures of the delegate and protocol errors
 * go to the connection, which answers them in one place.
 */
final class Http1Exchange implements DetachableExchange {
    /** The logger, created on first use (see {@link Http1ServerConnection}). */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(Http1Exchange.class);
    }

    private static final byte[] CONTINUE_100 = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] TE_CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CONN_CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CONN_KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.ISO_8859_1);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    static final HttpParseError ERR_BODY_TOO_LARGE = new HttpParseError(413, "body larger than its limit");

    /** How the body goes on the wire. */
    private enum Wire { NONE, LENGTH, CHUNKED, CLOSE }

    private enum Response { NONE, STARTED, FINISHED }

    private enum Resume { AFTER_HEAD, AFTER_DATA }

    private final Http1ServerConnection connection;
    private final HttpServerOptions options;
    private final HttpServerRequest request;
    private final String method;
    private final HttpVersion version;
    /** The request allows the connection to be reused (its version and Connection field, the server's settings). */
    private final boolean requestKeepAlive;
    private HttpMessageDelegate message;

    // the request body
    private final boolean hasBody;
    /** The declared Content-Length, or -1. */
    private final long declaredLength;
    private final boolean expectsContinue;
    private long maxBodySize;
    private boolean bodyStarted;
    private boolean awaitingContinue;
    private boolean decompress;
    private long received;
    private ByteBuffer pendingBody;
    private GzipDecoder decompressor;
    private boolean paused;
    private boolean requestComplete;
    /** Answered without reading the body: the connection closes after the response. */
    private boolean abandoned;

    // the response
    private Response response = Response.NONE;
    private int status;
    private ResponseFraming framing;
    private Wire wire;
    private boolean responseKeepAlive;
    private boolean ended;

    Http1Exchange(Http1ServerConnection connection, Http1Parser parser, boolean requestKeepAlive, String remoteIp,
            String protocol) {
        this.connection = connection;
        this.options = connection.options();
        this.method = parser.method();
        this.version = parser.version();
        this.requestKeepAlive = requestKeepAlive;
        this.hasBody = parser.bodyFraming() != BodyFraming.NONE;
        this.declaredLength = parser.bodyFraming() == BodyFraming.CONTENT_LENGTH ? parser.contentLength() : -1;
        this.expectsContinue = parser.expectsContinue();
        this.maxBodySize = options.limits().maxBodySize();
        this.request = new HttpServerRequest(this, method, parser.target(), version, parser.headers(), remoteIp,
                protocol);
    }

    // ------------------------------------------------------------------------------ request

    /**
     * Checks the head, sets up decompression, and hands the request to a delegate from
     * {@code delegate}; then waits for the stage it returned, or goes on to the body.
     */
    void start(HttpServerConnectionDelegate delegate) {
        HttpHeaders headers = request.headers();
        if (version == HttpVersion.HTTP_1_1 && !expectsContinue && headers.contains(HttpHeaderNames.EXPECT)) {
            Log.LOG.debug("Unsupported expectation from {}: {}", request.remoteIp(), headers.get(HttpHeaderNames.EXPECT));
            connection.answerAndClose(417);
            return;
        }
        if (options.decompressRequest() && hasBody) {
            String ce = headers.get(HttpHeaderNames.CONTENT_ENCODING);
            if (ce != null && ce.strip().equalsIgnoreCase("gzip")) {
                headers.remove(HttpHeaderNames.CONTENT_ENCODING);
                headers.set("X-Consumed-Content-Encoding", "gzip");
                decompress = true; // the decoder is made when the limit is settled, before the body
            }
        }
        awaitingContinue = expectsContinue && hasBody;
        CompletionStage<?> stage;
        try {
            message = delegate.startRequest(this);
            stage = message.headersReceived(request);
        } catch (Throwable t) {
            delegateFailed(t);
            return;
        }
        if (stage != null) {
            pause(stage, Resume.AFTER_HEAD);
        } else {
            afterHead();
        }
    }

    /**
     * The head was handled: the body is going to be read now, under the limit as it stands. Sends
     * 100 Continue if asked, unless the response began (the body is then abandoned) or the
     * declared length is over the limit (413).
     */
    private void afterHead() {
        bodyStarted = true;
        if (!hasBody) {
            awaitingContinue = false;
            return;
        }
        boolean tooLarge = declaredLength > maxBodySize;
        if (response != Response.NONE) {
            if (awaitingContinue || tooLarge) {
                // Answered without wanting the body: the client may or may not send it (or it is
                // too large to read and throw away), so the connection cannot be reused.
                awaitingContinue = false;
                abandon();
                return;
            }
        } else if (tooLarge) {
            connection.protocolError(ERR_BODY_TOO_LARGE);
            return;
        } else if (awaitingContinue) {
            awaitingContinue = false;
            connection.send(ByteBuffer.wrap(CONTINUE_100));
        }
        if (decompress) {
            decompressor = new GzipDecoder(options.chunkSize(), maxBodySize);
        }
    }

    /** The body will not be read: close after the response (at once if it is finished). */
    private void abandon() {
        abandoned = true;
        responseKeepAlive = false;
        connection.abandonBody(response == Response.FINISHED);
    }

    /** A slice of the body from the parser (valid until the connection's read call returns). */
    void onBody(ByteBuffer body) {
        received += body.remaining();
        if (received > maxBodySize) {
            connection.protocolError(ERR_BODY_TOO_LARGE);
            return;
        }
        if (decompressor != null) {
            decompressor.feed(body);
        } else {
            pendingBody = body;
        }
    }

    /** Whether body bytes wait to be delivered. */
    boolean hasPendingBody() {
        return pendingBody != null || decompressor != null && decompressor.hasPending();
    }

    /** Whether the delegate asked to wait (reading is paused). */
    boolean paused() {
        return paused;
    }

    /** Body bytes handed out but not yet delivered must survive the stream's buffer: copy them. */
    void retainBody() {
        if (pendingBody != null) {
            ByteBuffer copy = ByteBuffer.allocate(pendingBody.remaining());
            copy.put(pendingBody).flip();
            pendingBody = copy;
        }
        if (decompressor != null) {
            decompressor.retainInput();
        }
    }

    /**
     * Hands the pending body (or decompressed output) to the delegate in pieces of at most
     * chunkSize. Returns false when paused or failed.
     */
    boolean deliverBody() {
        int max = options.chunkSize();
        while (!paused && connection.readingRequest()) {
            ByteBuffer piece;
            if (decompressor != null) {
                piece = decompressor.next();
                if (piece == null) {
                    if (decompressor.error() != null) {
                        connection.protocolError(gzipError(decompressor));
                        return false;
                    }
                    return true;
                }
            } else {
                ByteBuffer b = pendingBody;
                if (b.remaining() <= max) {
                    pendingBody = null;
                    piece = b;
                } else {
                    piece = b.slice(b.position(), max);
                    b.position(b.position() + max);
                }
            }
            if (message == null) {
                // let go (a failed delegate, answered already): the rest of the body is discarded
                if (pendingBody == null && decompressor == null) {
                    return true;
                }
                continue;
            }
            CompletionStage<?> stage;
            try {
                stage = message.dataReceived(piece);
            } catch (Throwable t) {
                delegateFailed(t);
                return false;
            }
            if (stage != null) {
                pause(stage, Resume.AFTER_DATA);
                return false;
            }
            if (pendingBody == null && decompressor == null) {
                return true;
            }
        }
        return false;
    }

    private static HttpParseError gzipError(GzipDecoder d) {
        return d.tooLarge() ? ERR_BODY_TOO_LARGE : new HttpParseError(400, "malformed gzip request body: " + d.error());
    }

    /** The parser reached the end of the request. */
    void onMessageComplete() {
        if (decompressor != null) {
            String bad = decompressor.finish();
            decompressor.close();
            if (bad != null) {
                connection.protocolError(gzipError(decompressor));
                decompressor = null;
                return;
            }
            decompressor = null;
        }
        requestComplete = true;
        connection.requestReceived();
        if (message != null) {
            try {
                message.finish();
            } catch (Throwable t) {
                delegateFailed(t);
                return;
            }
        }
        endIfDone();
    }

    private void pause(CompletionStage<?> stage, Resume then) {
        paused = true;
        IOLoop loop = connection.loop();
        stage.whenComplete((v, e) -> loop.runOrSubmit(() -> resume(then, e)));
    }

    private void resume(Resume then, Throwable error) {
        paused = false;
        if (connection.isClosed()) {
            return;
        }
        if (error != null) {
            delegateFailed(error);
            return;
        }
        if (then == Resume.AFTER_HEAD) {
            afterHead();
        }
        connection.process();
    }

    private void delegateFailed(Throwable t) {
        Log.LOG.error("Uncaught exception while serving {}", request, t);
        if (response == Response.NONE) {
            message = null; // it failed: do not call it again
        }
        connection.abort(500);
    }

    /** The request is received and the response finished: the connection may go on. */
    private void endIfDone() {
        if (requestComplete && response == Response.FINISHED && !ended) {
            ended = true;
            message = null;
            long now = connection.loop().time(); // one clock reading for both (the loop's clock is nanoTime)
            request.markFinished(now);
            connection.exchangeEnded(this, responseKeepAlive, now);
        }
    }

    /**
     * The connection closed (or failed) before this exchange ended: tell the delegate once, unless
     * its request and response were both complete; free the decoder.
     */
    void connectionClosed() {
        HttpMessageDelegate m = message;
        message = null;
        if (m != null && !(requestComplete && response == Response.FINISHED)) {
            try {
                m.onConnectionClose();
            } catch (Throwable t) {
                Log.LOG.error("Exception in onConnectionClose of {}", request, t);
            }
        }
        if (decompressor != null) {
            decompressor.close();
            decompressor = null;
        }
    }

    /**
     * Takes the response over for an error answer: true (and the response counts as finished) if
     * it had not started, so the connection may write its error page.
     */
    boolean claimForErrorAnswer() {
        if (response != Response.NONE) {
            return false;
        }
        response = Response.FINISHED;
        return true;
    }

    /** A graceful stop: a response under way is the connection's last. */
    void lastResponse() {
        if (response == Response.STARTED) {
            responseKeepAlive = false;
        }
    }

    // ----------------------------------------------------------------------------- response

    @Override
    public IOLoop loop() {
        return connection.loop();
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
        if (connection.isClosed()) {
            return failedClosed();
        }
        ResponseFraming f = ResponseFraming.decide(method, status, headers, contentLength); // may refuse: state unchanged
        boolean keepAlive = requestKeepAlive && !connection.draining() && !abandoned && !awaitingContinue
                && !headers.containsValue(HttpHeaderNames.CONNECTION, "close", true);
        Wire w;
        if (!f.permitsContent) {
            w = Wire.NONE;
        } else if (f.declared()) {
            w = Wire.LENGTH;
        } else if (!f.body) {
            w = Wire.NONE; // HEAD without a length: nothing to announce
        } else if (version == HttpVersion.HTTP_1_1) {
            w = Wire.CHUNKED;
        } else {
            w = Wire.CLOSE;
            keepAlive = false;
        }
        // (awaitingContinue above: answered in headersReceived, before the body was asked for)
        ByteBuffer head = encodeHead(status, reason, headers, f.writesLength ? f.length : -1, w == Wire.CHUNKED,
                keepAlive, keepAlive && version == HttpVersion.HTTP_1_0); // may reject a bad reason: state unchanged
        response = Response.STARTED;
        this.status = status;
        framing = f;
        wire = f.body ? w : Wire.NONE;
        responseKeepAlive = keepAlive;
        if (firstChunk == null || !firstChunk.hasRemaining() || wire == Wire.NONE) {
            return connection.send(head);
        }
        return switch (wire) {
            case LENGTH -> {
                checkLength(firstChunk.remaining());
                yield connection.send(head, firstChunk);
            }
            case CHUNKED -> connection.send(head, Http1ChunkedEncoder.chunkHeader(firstChunk.remaining()), firstChunk,
                    Http1ChunkedEncoder.crlf());
            default -> connection.send(head, firstChunk);
        };
    }

    /**
     * The status line and fields, plus what the exchange adds: {@code Date} unless given, the
     * typed {@code Content-Length} ({@code length} &ge; 0), {@code Transfer-Encoding: chunked},
     * and {@code Connection: close} (or {@code keep-alive} to an HTTP/1.0 client). Written straight
     * into one exact-size buffer.
     */
    static ByteBuffer encodeHead(int status, String reason, HttpHeaders headers, long length, boolean chunked,
            boolean keepAlive, boolean http10KeepAlive) {
        byte[] date = headers.contains(HttpHeaderNames.DATE) ? null : DateCache.dateLine();
        boolean te = chunked && !headers.contains(HttpHeaderNames.TRANSFER_ENCODING);
        byte[] conn = null;
        if (!keepAlive) {
            if (!headers.containsValue(HttpHeaderNames.CONNECTION, "close", true)) {
                conn = CONN_CLOSE;
            }
        } else if (http10KeepAlive && !headers.contains(HttpHeaderNames.CONNECTION)) {
            conn = CONN_KEEP_ALIVE;
        }
        int digits = length < 0 ? 0 : digits(length);
        int size = Http1Encoder.responseHeadSize(HttpVersion.HTTP_1_1, status, reason, headers)
                + (date == null ? 0 : date.length) + (te ? TE_CHUNKED.length : 0) + (conn == null ? 0 : conn.length)
                + (length < 0 ? 0 : CONTENT_LENGTH.length + digits + 2);
        ByteBuffer b = ByteBuffer.allocate(size);
        Http1Encoder.writeResponseHead(b, HttpVersion.HTTP_1_1, status, reason, headers);
        b.position(b.position() - 2); // before the empty line: append our fields
        if (date != null) {
            b.put(date);
        }
        if (length >= 0) {
            b.put(CONTENT_LENGTH);
            int end = b.position() + digits;
            for (int i = end - 1; i >= b.position(); i--) {
                b.put(i, (byte) ('0' + length % 10));
                length /= 10;
            }
            b.position(end);
            b.put((byte) '\r').put((byte) '\n');
        }
        if (te) {
            b.put(TE_CHUNKED);
        }
        if (conn != null) {
            b.put(conn);
        }
        b.put((byte) '\r').put((byte) '\n');
        return b.flip();
    }

    private static int digits(long v) {
        int n = 1;
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }

    private void checkLength(long n) {
        if (!framing.count(n)) {
            long excess = framing.excess(n);
            connection.closeNow(); // what was sent cannot be completed into a valid message
            throw new IllegalStateException("response body exceeds its Content-Length by " + excess + " bytes");
        }
    }

    private void checkStarted() {
        if (response != Response.STARTED) {
            throw new IllegalStateException(response == Response.NONE ? "headers not written" : "response finished");
        }
    }

    @Override
    public CompletableFuture<Void> write(ByteBuffer chunk) {
        checkStarted();
        if (connection.isClosed()) {
            return failedClosed();
        }
        if (!chunk.hasRemaining() || wire == Wire.NONE) {
            return DONE;
        }
        return switch (wire) {
            case LENGTH -> {
                checkLength(chunk.remaining());
                yield connection.send(chunk);
            }
            case CHUNKED -> connection.send(Http1ChunkedEncoder.chunkHeader(chunk.remaining()), chunk,
                    Http1ChunkedEncoder.crlf());
            default -> connection.send(chunk);
        };
    }

    @Override
    public CompletableFuture<Void> writeFile(FileChannel file, long position, long count) {
        checkStarted();
        if (connection.isClosed()) {
            return failedClosed();
        }
        if (count == 0 || wire == Wire.NONE) {
            return DONE;
        }
        if (wire == Wire.LENGTH) {
            checkLength(count);
        } else if (wire == Wire.CHUNKED) {
            connection.send(Http1ChunkedEncoder.chunkHeader(count));
        }
        CompletableFuture<Void> f = connection.sendFile(file, position, count);
        if (wire == Wire.CHUNKED) {
            return connection.send(Http1ChunkedEncoder.crlf());
        }
        return f;
    }

    @Override
    public CompletableFuture<Void> finish(HttpHeaders trailers) {
        checkStarted();
        ResponseFraming.checkTrailers(trailers);
        response = Response.FINISHED;
        if (wire == Wire.LENGTH && framing.missing() > 0) {
            long missing = framing.missing();
            connection.closeNow();
            throw new IllegalStateException("response finished " + missing + " bytes short of its Content-Length");
        }
        CompletableFuture<Void> f = wire == Wire.CHUNKED ? connection.send(Http1ChunkedEncoder.lastChunk(trailers))
                : connection.lastWrite();
        if (wire == Wire.CLOSE) {
            responseKeepAlive = false;
        }
        if (requestComplete) {
            endIfDone();
        } else if (!responseKeepAlive || abandoned) {
            // Answered before the request was complete, and the connection ends here: the rest
            // of the body need not be read.
            message = null;
            connection.closeAfterResponse();
        }
        // else: answered early on a reusable connection; the body is still read (and handed to
        // the delegate), and the next request starts once it is complete.
        return f;
    }

    @Override
    public boolean headersWritten() {
        return response != Response.NONE;
    }

    @Override
    public boolean isClosed() {
        return connection.isClosed();
    }

    @Override
    public void close() {
        connection.closeNow();
    }

    /**
     * Hands the stream over after a 1xx (101) response: the connection writes what it corked and
     * stops for good without closing the stream or telling the delegate.
     */
    @Override
    public IOStream detach() {
        if (!connection.loop().inLoop()) {
            throw new IllegalStateException("detach() must be called on the loop thread of " + connection.loop().name());
        }
        if (connection.isClosed()) {
            throw new IllegalStateException("detach() on a closed connection");
        }
        if (response != Response.STARTED || status >= 200) {
            throw new IllegalStateException("detach() needs a 1xx (101) response head written first");
        }
        IOStream stream = connection.detach(this);
        message = null;
        ended = true;
        return stream;
    }

    private static CompletableFuture<Void> failedClosed() {
        return CompletableFuture.failedFuture(new StreamClosedException(null));
    }

    @Override
    public String toString() {
        return "Http1Exchange[" + request + ", response " + response + "]";
    }
}
