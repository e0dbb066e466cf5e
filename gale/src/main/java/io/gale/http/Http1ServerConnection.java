package io.gale.http;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import io.gale.iostream.IOStream;
import io.gale.iostream.SslIOStream;
import io.gale.iostream.StreamReceiver;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 server connection (Tornado's {@code HTTP1ServerConnection} and
 * {@code HTTP1Connection} together): drives an {@link Http1Parser} over the bytes its stream
 * reads, hands each request to a {@link HttpMessageDelegate} from the server's
 * {@link HttpServerConnectionDelegate}, and is itself the {@link HttpConnection} through which the
 * current request is answered (one reusable responder per connection).
 *
 * <p><b>Reading.</b> Through {@link IOStream#readStreaming}: the parser runs in place on the
 * loop's shared heap read buffer, so a request costs no read allocation and no copy beyond the
 * kernel's; only bytes that must outlive the call (a pipelined request while a response is
 * pending, body bytes the delegate is not ready for) are copied, by the stream or here. An idle
 * connection holds no buffer.
 *
 * <p><b>Requests in order.</b> The next request is not parsed until the current one is complete
 * and its response finished; pipelined bytes wait, unparsed, in the read buffer. While a read
 * batch is processed, responses are corked and leave in one gathering write at the end of it, so
 * pipelined requests answered synchronously cost one system call together.
 *
 * <p><b>File bodies.</b> {@link #writeFile} queues the region on the stream
 * ({@link IOStream#writeFile}): sendfile on plain TCP, a bounded buffer on TLS; responses corked
 * before it are written first, so the order on the wire is the order of the calls.
 *
 * <p><b>Flow control.</b> A stage returned by the delegate pauses parsing (and hence reading)
 * until it completes. {@code Expect: 100-continue} is answered when the body is actually about to
 * be read, and not at all when the response has already started (the connection then closes after
 * the response, RFC 9110 section 10.1.1).
 *
 * <p><b>Timeouts.</b> One timer per connection whose deadline field moves without rescheduling;
 * when it fires early it re-arms itself for the current deadline. The deadline's kind (idle,
 * head, body) is checked against the connection's phase when it fires.
 *
 * <p><b>Errors.</b> A protocol error is answered with its status and {@code Connection: close},
 * logged in one DEBUG line, and the connection closes. An exception from the delegate is logged
 * once with its stack; a 500 is sent if the response had not started; the connection closes.
 * Nothing is thrown out of the loop.
 *
 * <p>Threading: confined to the stream's loop. A {@link HttpMessageDelegate} that keeps this
 * object must not use it after its response finished: it then answers the next request.
 */
final class Http1ServerConnection implements HttpConnection {
    /**
     * The logger, created on first use: SLF4J binds its provider on the first getLogger
     * (tens of ms), which a server that has logged nothing yet should not pay before its first
     * response.
     */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(Http1ServerConnection.class);
    }

    private static final byte[] CONTINUE_100 = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] TE_CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CONN_CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CONN_KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final ByteBuffer[] NO_BUFFERS = new ByteBuffer[0];

    /** Where the connection is between requests (and what a firing timer may cut). */
    private enum Phase {
        /** Between requests, no byte of the next one seen yet. */
        IDLE,
        /** Part of a request head received. */
        HEAD,
        /** Head delivered, body being read. */
        BODY,
        /** Request complete, waiting for its response to finish. */
        DONE,
        /** Request answered without reading its body (100-continue refused): close after the response. */
        ABANDONED,
        /** Closing: nothing more is parsed. */
        CLOSING
    }

    private enum Framing { NONE, LENGTH, CHUNKED, CLOSE }

    private enum Response { NONE, STARTED, FINISHED }

    private enum Resume { AFTER_HEAD, AFTER_DATA }

    private final IOStream stream;
    private final IOLoop loop;
    private final HttpServerOptions options;
    private final HttpServerConnectionDelegate delegate;
    private final Consumer<Http1ServerConnection> onClosed;
    private final Http1Parser parser;
    private final String peerIp;
    private final String baseProtocol;
    private final StreamReceiver receiver = this::onData;

    private Phase phase = Phase.IDLE;
    /** The stream's bytes during {@link #onData}, else null: never kept beyond the call. */
    private ByteBuffer in;
    /** The parser returned NEED_MORE: nothing more happens without new bytes. */
    private boolean needMore = true;
    /** A streaming read is active on the stream. */
    private boolean streaming;
    private boolean processing;
    private boolean paused;
    private boolean closed;
    private boolean draining;

    // the current request
    private HttpMessageDelegate message;
    private HttpServerRequest request;
    private boolean headRequest;
    private HttpVersion requestVersion;
    private boolean requestKeepAlive;
    private boolean awaitingContinue;
    private ByteBuffer pendingBody;
    private RequestDecompressor decompressor;

    // the current response
    private Response response = Response.NONE;
    private Framing framing;
    private long remaining;
    private boolean responseKeepAlive;

    // corked output
    private ByteBuffer[] corked = new ByteBuffer[4];
    private int corkedCount;
    private CompletableFuture<Void> corkedFuture;
    private CompletableFuture<Void> lastWrite = DONE;
    private boolean closeAfterWrite;

    // lingering close after an error answer
    private static final java.time.Duration LINGER_TIME = java.time.Duration.ofSeconds(2);
    private static final long LINGER_MAX_BYTES = 1 << 20;
    private boolean lingerAfterWrite;
    private boolean lingering;
    private long lingered;
    private Timeout lingerTimer;

    // the one timer
    private Timeout timer;
    private long deadline;
    private Phase deadlineKind;

    Http1ServerConnection(IOStream stream, String peerIp, HttpServerOptions options,
                          HttpServerConnectionDelegate delegate, Consumer<Http1ServerConnection> onClosed) {
        this.stream = stream;
        this.loop = stream.loop();
        this.options = options;
        this.delegate = delegate;
        this.onClosed = onClosed;
        this.parser = Http1Parser.forRequests(options.limits());
        this.peerIp = peerIp;
        this.baseProtocol = options.protocol() != null ? options.protocol()
                : stream instanceof SslIOStream ? "https" : "http";
    }

    /** Starts serving; loop thread. */
    void start() {
        stream.setCloseCallback(this::onStreamClosed);
        arm(Phase.IDLE, options.idleConnectionTimeout().toNanos());
        process();
    }

    // ------------------------------------------------------------------------------ reading

    /**
     * The stream's receiver: parses and dispatches what arrived, in place. Returns whether more
     * bytes are wanted now; if not, what was not consumed stays in the stream (a pipelined request,
     * a body the delegate is not ready for) and body bytes already taken from it are copied out.
     */
    private boolean onData(ByteBuffer data) {
        if (lingering) {
            return discard(data);
        }
        in = data;
        needMore = false;
        process();
        in = null;
        if (lingering) {
            return !closed; // go on reading, to discard
        }
        boolean more = wantsData();
        if (!more) {
            streaming = false;
            retainBody();
        }
        return more;
    }

    /** Whether parsing is blocked on new bytes only. */
    private boolean wantsData() {
        return !closed && !paused && needMore && pendingBody == null
                && (decompressor == null || !decompressor.hasPending())
                && (phase == Phase.IDLE || phase == Phase.HEAD || phase == Phase.BODY);
    }

    /** Body bytes handed out but not yet delivered must survive the stream's buffer: copy them. */
    private void retainBody() {
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
     * Parses and dispatches until the input runs out, the delegate pauses, or a response must
     * finish first; then sends what was corked and, if bytes are needed, starts a streaming read
     * (which may deliver buffered bytes at once). Re-entrant calls (a delegate answering inline)
     * return at once: the running loop sees their effect.
     */
    private void process() {
        if (processing || closed) {
            return;
        }
        processing = true;
        try {
            while (!closed && !paused) {
                if (phase == Phase.CLOSING || phase == Phase.ABANDONED) {
                    break;
                }
                if (pendingBody != null || decompressor != null && decompressor.hasPending()) {
                    if (!deliverBody()) {
                        break;
                    }
                    continue;
                }
                if (phase == Phase.DONE || needMore) {
                    break; // the response must finish first, or bytes must arrive
                }
                step();
            }
        } catch (RuntimeException e) {
            // A bug of ours, not of the client or the delegate: keep the loop alive anyway.
            Log.LOG.error("Internal error serving {}", this, e);
            abort(500);
        } finally {
            processing = false;
            uncork();
            if (!streaming && wantsData()) {
                streaming = true;
                stream.readStreaming(receiver);
            }
        }
    }

    /** One parser event. */
    private void step() {
        boolean hadBytes = in != null && in.hasRemaining();
        // Outside onData the parser may still have events that need no bytes (MESSAGE_COMPLETE
        // after a head without body): ask with an empty buffer.
        Http1Parser.Event event = parser.next(in != null ? in : ByteBuffer.allocate(0));
        switch (event) {
            case NEED_MORE -> {
                needMore = true;
                if (phase == Phase.IDLE && hadBytes) {
                    phase = Phase.HEAD;
                    arm(Phase.HEAD, options.headerTimeout().toNanos());
                } else if (phase == Phase.BODY) {
                    arm(Phase.BODY, options.bodyTimeout().toNanos());
                }
            }
            case HEAD -> onHead();
            case BODY -> {
                ByteBuffer body = parser.body();
                if (decompressor != null) {
                    decompressor.feed(body);
                } else {
                    pendingBody = body;
                }
            }
            case MESSAGE_COMPLETE -> onMessageComplete();
            case UPGRADE -> {
                // Protocol switches are not supported at this layer: a CONNECT client would now
                // send tunnel bytes, anything else falls back to HTTP/1.1 (RFC 9110 7.8).
                if ("CONNECT".equals(parser.method())) {
                    phase = Phase.CLOSING;
                    closeWhenWritten();
                } else {
                    parser.declineUpgrade();
                }
            }
            case ERROR -> protocolError(parser.error());
            case END -> {
                phase = Phase.CLOSING;
                closeWhenWritten();
            }
        }
    }

    private void onHead() {
        deadline = 0;
        phase = Phase.BODY;
        HttpHeaders headers = parser.headers();
        requestVersion = parser.version();
        String method = parser.method();
        headRequest = "HEAD".equals(method);
        requestKeepAlive = parser.isKeepAlive() && !options.noKeepAlive() && !draining;
        response = Response.NONE;
        framing = null;
        String ip = peerIp;
        String protocol = baseProtocol;
        if (options.xheaders()) {
            ip = XHeaders.remoteIp(headers, peerIp, options.trustedDownstream());
            if (options.protocol() == null) {
                protocol = XHeaders.protocol(headers, protocol);
            }
        }
        if (requestVersion == HttpVersion.HTTP_1_1 && !parser.expectsContinue() && headers.contains(HttpHeaderNames.EXPECT)) {
            Log.LOG.debug("Unsupported expectation from {}: {}", peerIp, headers.get(HttpHeaderNames.EXPECT));
            answerAndClose(417);
            return;
        }
        boolean hasBody = parser.bodyFraming() != BodyFraming.NONE;
        if (options.decompressRequest() && hasBody) {
            String ce = headers.get(HttpHeaderNames.CONTENT_ENCODING);
            if (ce != null && ce.strip().equalsIgnoreCase("gzip")) {
                headers.remove(HttpHeaderNames.CONTENT_ENCODING);
                headers.set("X-Consumed-Content-Encoding", "gzip");
                decompressor = new RequestDecompressor(options.chunkSize(), options.limits().maxBodySize());
            }
        }
        awaitingContinue = parser.expectsContinue() && hasBody;
        request = new HttpServerRequest(this, method, parser.target(), requestVersion, headers, ip, protocol);
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

    /** The head was handled: the body is going to be read now (unless the response already began). */
    private void afterHead() {
        if (!awaitingContinue) {
            return;
        }
        awaitingContinue = false;
        if (response == Response.NONE) {
            send(ByteBuffer.wrap(CONTINUE_100));
        } else {
            // Answered without wanting the body: the client may or may not send it, so the
            // connection cannot be reused (RFC 9110 section 10.1.1).
            phase = Phase.ABANDONED;
            responseKeepAlive = false;
            if (response == Response.FINISHED) {
                closeWhenWritten();
            }
        }
    }

    /**
     * Hands the pending body (or decompressed output) to the delegate in pieces of at most
     * chunkSize. Returns false when paused or failed.
     */
    private boolean deliverBody() {
        int max = options.chunkSize();
        while (!paused && !closed && phase != Phase.CLOSING) {
            ByteBuffer piece;
            if (decompressor != null) {
                piece = decompressor.next();
                if (piece == null) {
                    HttpParseError e = decompressor.error();
                    if (e != null) {
                        protocolError(e);
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

    private void onMessageComplete() {
        if (decompressor != null) {
            HttpParseError e = decompressor.finish();
            decompressor.close();
            decompressor = null;
            if (e != null) {
                protocolError(e);
                return;
            }
        }
        phase = Phase.DONE;
        try {
            message.finish();
        } catch (Throwable t) {
            delegateFailed(t);
            return;
        }
        if (response == Response.FINISHED) {
            endRequest();
        }
    }

    /** Request complete and response finished: get ready for the next request. */
    private void endRequest() {
        // The idle deadline counts from now. When this call finishes the request, its finish time
        // is that reading (no second clock read); when the response was finished earlier (answered
        // before the body was read, or by a RequestHandler's finish()), that time may be long past.
        boolean finishesNow = request.finishNanos() == 0;
        request.markFinished();
        long now = finishesNow ? request.finishNanos() : loop.time();
        message = null;
        request = null;
        response = Response.NONE;
        if (!responseKeepAlive || draining) {
            phase = Phase.CLOSING;
            closeWhenWritten();
            return;
        }
        phase = Phase.IDLE;
        arm(Phase.IDLE, options.idleConnectionTimeout().toNanos(), now);
        if (!processing) {
            process();
        }
    }

    private void pause(CompletionStage<?> stage, Resume then) {
        paused = true;
        stage.whenComplete((v, e) -> {
            if (loop.inLoop()) {
                resume(then, e);
            } else {
                loop.addCallback(() -> resume(then, e));
            }
        });
    }

    private void resume(Resume then, Throwable error) {
        paused = false;
        if (closed) {
            return;
        }
        if (error != null) {
            delegateFailed(error);
            return;
        }
        if (then == Resume.AFTER_HEAD) {
            afterHead();
        }
        process();
    }

    // ----------------------------------------------------------------------------- errors

    private void protocolError(HttpParseError error) {
        Log.LOG.debug("Bad HTTP request from {}: {} {}", peerIp, error.status(), error.reason());
        answerAndClose(error.status());
    }

    /** Answers with {@code status} (if the response has not started) and closes. */
    private void answerAndClose(int status) {
        if (response == Response.NONE) {
            response = Response.FINISHED;
            String reason = HttpStatus.reasonPhrase(status);
            ErrorBody error;
            try {
                error = delegate.errorBody(status, reason);
            } catch (RuntimeException e) {
                Log.LOG.error("errorBody of {} failed", delegate, e);
                error = ErrorBody.plainText(status, reason);
            }
            byte[] body = error.body();
            HttpHeaders h = new HttpHeaders()
                    .set(HttpHeaderNames.CONTENT_TYPE, error.contentType())
                    .set(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
            send(encodeHead(status, null, h, Framing.LENGTH, false), ByteBuffer.wrap(body));
        }
        notifyConnectionClose();
        phase = Phase.CLOSING;
        lingerAfterWrite = true;
        closeWhenWritten();
    }

    private void delegateFailed(Throwable t) {
        Log.LOG.error("Uncaught exception while serving {}", request != null ? request : peerIp, t);
        abort(500);
    }

    private void abort(int status) {
        if (response == Response.NONE) {
            message = null; // it failed: do not call it again
            answerAndClose(status);
        } else {
            // Out with what was already handed over (a client sees a short body), then close.
            notifyConnectionClose();
            phase = Phase.CLOSING;
            closeWhenWritten();
        }
    }

    // --------------------------------------------------------------------------- response

    @Override
    public IOLoop loop() {
        return loop;
    }

    @Override
    public CompletableFuture<Void> writeHeaders(int status, String reason, HttpHeaders headers, ByteBuffer firstChunk) {
        if (response != Response.NONE) {
            throw new IllegalStateException("headers already written");
        }
        if (closed) {
            return failedClosed();
        }
        boolean noBody = headRequest || status < 200 || status == 204 || status == 304;
        boolean keepAlive = requestKeepAlive && !draining && phase != Phase.ABANDONED
                && !headers.containsValue(HttpHeaderNames.CONNECTION, "close", true);
        String cl = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        Framing f;
        if (status < 200 || status == 204 || status == 304) {
            f = Framing.NONE;
        } else if (cl != null) {
            f = Framing.LENGTH;
            remaining = parseLength(cl);
        } else if (headRequest) {
            f = Framing.NONE;
        } else if (requestVersion == HttpVersion.HTTP_1_1) {
            f = Framing.CHUNKED;
        } else {
            f = Framing.CLOSE;
            keepAlive = false;
        }
        if (awaitingContinue) {
            // The body was never asked for (answered in headersReceived before the 100 went out).
            keepAlive = false;
        }
        ByteBuffer head = encodeHead(status, reason, headers, f, keepAlive); // may reject a bad reason: state unchanged
        response = Response.STARTED;
        framing = noBody ? Framing.NONE : f;
        responseKeepAlive = keepAlive;
        if (firstChunk == null || !firstChunk.hasRemaining() || framing == Framing.NONE) {
            return send(head);
        }
        return switch (framing) {
            case LENGTH -> {
                checkLength(firstChunk.remaining());
                yield send(head, firstChunk);
            }
            case CHUNKED -> send(head, Http1ChunkedEncoder.chunkHeader(firstChunk.remaining()), firstChunk,
                    Http1ChunkedEncoder.crlf());
            default -> send(head, firstChunk);
        };
    }

    private static long parseLength(String cl) {
        try {
            long v = Long.parseLong(cl.strip());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("invalid Content-Length: " + cl);
    }

    /** The status line and fields, plus Date, framing and Connection fields the caller left out. */
    private ByteBuffer encodeHead(int status, String reason, HttpHeaders headers, Framing f, boolean keepAlive) {
        byte[] date = headers.contains(HttpHeaderNames.DATE) ? null : DateCache.dateLine();
        boolean te = f == Framing.CHUNKED && !headers.contains(HttpHeaderNames.TRANSFER_ENCODING);
        byte[] conn = null;
        if (!keepAlive) {
            if (!headers.containsValue(HttpHeaderNames.CONNECTION, "close", true)) {
                conn = CONN_CLOSE;
            }
        } else if (requestVersion == HttpVersion.HTTP_1_0 && !headers.contains(HttpHeaderNames.CONNECTION)) {
            conn = CONN_KEEP_ALIVE;
        }
        int size = Http1Encoder.responseHeadSize(HttpVersion.HTTP_1_1, status, reason, headers)
                + (date == null ? 0 : date.length) + (te ? TE_CHUNKED.length : 0) + (conn == null ? 0 : conn.length);
        ByteBuffer b = ByteBuffer.allocate(size);
        Http1Encoder.writeResponseHead(b, HttpVersion.HTTP_1_1, status, reason, headers);
        b.position(b.position() - 2); // before the empty line: append our fields
        if (date != null) {
            b.put(date);
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

    private void checkLength(int n) {
        if (n > remaining) {
            closeNow(); // what was sent cannot be completed into a valid message
            throw new IllegalStateException("response body exceeds its Content-Length by " + (n - remaining) + " bytes");
        }
        remaining -= n;
    }

    @Override
    public CompletableFuture<Void> write(ByteBuffer chunk) {
        if (response != Response.STARTED) {
            throw new IllegalStateException(response == Response.NONE ? "headers not written" : "response finished");
        }
        if (closed) {
            return failedClosed();
        }
        if (!chunk.hasRemaining() || framing == Framing.NONE) {
            return DONE;
        }
        return switch (framing) {
            case LENGTH -> {
                checkLength(chunk.remaining());
                yield send(chunk);
            }
            case CHUNKED -> send(Http1ChunkedEncoder.chunkHeader(chunk.remaining()), chunk, Http1ChunkedEncoder.crlf());
            default -> send(chunk);
        };
    }

    @Override
    public CompletableFuture<Void> writeFile(FileChannel file, long position, long count) {
        if (response != Response.STARTED) {
            throw new IllegalStateException(response == Response.NONE ? "headers not written" : "response finished");
        }
        if (closed) {
            return failedClosed();
        }
        if (count == 0 || framing == Framing.NONE) {
            return DONE;
        }
        if (framing == Framing.LENGTH) {
            if (count > remaining) {
                closeNow();
                throw new IllegalStateException("response body exceeds its Content-Length by " + (count - remaining) + " bytes");
            }
            remaining -= count;
        } else if (framing == Framing.CHUNKED) {
            send(Http1ChunkedEncoder.chunkHeader(count));
        }
        // What is corked (the head, a chunk header) goes first, in the same write when small.
        ByteBuffer[] head = NO_BUFFERS;
        CompletableFuture<Void> headFuture = corkedFuture;
        if (corkedCount > 0) {
            head = Arrays.copyOf(corked, corkedCount);
            Arrays.fill(corked, 0, corkedCount, null);
            corkedCount = 0;
        }
        corkedFuture = null;
        lastWrite = stream.writeFile(head, file, position, count);
        if (headFuture != null) {
            completeWith(headFuture, lastWrite);
        }
        if (framing == Framing.CHUNKED) {
            return send(Http1ChunkedEncoder.crlf());
        }
        return lastWrite;
    }

    @Override
    public CompletableFuture<Void> finish() {
        if (response != Response.STARTED) {
            throw new IllegalStateException(response == Response.NONE ? "headers not written" : "response finished");
        }
        response = Response.FINISHED;
        if (framing == Framing.LENGTH && remaining > 0) {
            long missing = remaining;
            closeNow();
            throw new IllegalStateException("response finished " + missing + " bytes short of its Content-Length");
        }
        CompletableFuture<Void> f = framing == Framing.CHUNKED ? send(Http1ChunkedEncoder.lastChunk(null)) : lastWrite();
        if (framing == Framing.CLOSE) {
            responseKeepAlive = false;
        }
        if (phase == Phase.DONE) {
            endRequest();
        } else if (!responseKeepAlive || phase == Phase.ABANDONED) {
            // Answered before the request was complete, and the connection ends here: the rest
            // of the body need not be read.
            message = null;
            phase = Phase.CLOSING;
            closeWhenWritten();
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
        return closed;
    }

    @Override
    public void close() {
        closeNow();
    }

    private static CompletableFuture<Void> failedClosed() {
        return CompletableFuture.failedFuture(new io.gale.iostream.StreamClosedException(null));
    }

    // ------------------------------------------------------------------------------ output

    private CompletableFuture<Void> send(ByteBuffer... bufs) {
        if (processing) {
            if (corkedCount + bufs.length > corked.length) {
                corked = Arrays.copyOf(corked, Math.max(corked.length * 2, corkedCount + bufs.length));
            }
            System.arraycopy(bufs, 0, corked, corkedCount, bufs.length);
            corkedCount += bufs.length;
            if (corkedFuture == null) {
                corkedFuture = new CompletableFuture<>();
            }
            return corkedFuture;
        }
        return lastWrite = stream.write(bufs);
    }

    /** The future of the last write (the corked one, if any is pending). */
    private CompletableFuture<Void> lastWrite() {
        return corkedFuture != null ? corkedFuture : lastWrite;
    }

    /** Sends what was corked while processing a batch, in one gathering write. */
    private void uncork() {
        if (corkedCount > 0) {
            ByteBuffer[] out = Arrays.copyOf(corked, corkedCount);
            Arrays.fill(corked, 0, corkedCount, null);
            corkedCount = 0;
            CompletableFuture<Void> f = corkedFuture;
            corkedFuture = null;
            CompletableFuture<Void> w = stream.write(out);
            lastWrite = w;
            if (f != null) {
                completeWith(f, w);
            }
        }
        if (corked.length > 16) {
            corked = new ByteBuffer[4]; // a burst of pipelined responses: do not keep its array
        }
        if (closeAfterWrite && !closed) {
            closeWhenWritten();
        }
    }

    /** Completes {@code f} as {@code w} completes: at once in the usual case, the kernel having taken it all. */
    private static void completeWith(CompletableFuture<Void> f, CompletableFuture<Void> w) {
        if (w.isDone() && !w.isCompletedExceptionally()) {
            f.complete(null);
        } else {
            w.whenComplete((v, e) -> {
                if (e == null) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(e);
                }
            });
        }
    }

    /** Closes once everything written so far is handed to the kernel. */
    private void closeWhenWritten() {
        if (closed) {
            return;
        }
        if (processing) {
            closeAfterWrite = true; // after uncork
            return;
        }
        closeAfterWrite = false;
        CompletableFuture<Void> w = lastWrite;
        Runnable close = lingerAfterWrite ? this::lingerThenClose : this::closeNow;
        if (w.isDone()) {
            close.run();
        } else {
            w.whenComplete((v, e) -> close.run());
        }
    }

    private void closeNow() {
        phase = Phase.CLOSING;
        stream.close();
    }

    /**
     * Lingering close after an answer that ends the connection while the client may still be
     * sending (an error, an abandoned body): half-close, then read and discard for a bounded time
     * and amount, so the client reads our answer instead of losing it to a reset caused by
     * unread data (RFC 9112 9.6). The stream closes on the client's EOF, or at the bound.
     */
    private void lingerThenClose() {
        if (closed || lingering) {
            return;
        }
        phase = Phase.CLOSING;
        lingering = true;
        stream.shutdownOutput();
        if (stream.isClosed()) {
            return;
        }
        deadline = 0; // the connection's timer no longer applies
        lingerTimer = loop.callLater(LINGER_TIME, stream::close);
        if (!streaming) {
            streaming = true;
            stream.readStreaming(receiver);
        }
    }

    /** Discards what a client sends during a lingering close; false (stop) past the bound. */
    private boolean discard(ByteBuffer data) {
        lingered += data.remaining();
        data.position(data.limit());
        if (lingered > LINGER_MAX_BYTES) {
            streaming = false;
            stream.close();
            return false;
        }
        return true;
    }

    // ----------------------------------------------------------------------------- closing

    private void onStreamClosed() {
        if (closed) {
            return;
        }
        closed = true;
        deadline = 0;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (lingerTimer != null) {
            lingerTimer.cancel();
            lingerTimer = null;
        }
        if (corkedFuture != null) {
            corkedFuture.completeExceptionally(new io.gale.iostream.StreamClosedException(stream.error()));
            corkedFuture = null;
        }
        notifyConnectionClose();
        if (decompressor != null) {
            decompressor.close();
            decompressor = null;
        }
        onClosed.accept(this);
    }

    /**
     * Hands the stream over after a 101 response (WebSocket): what is corked is written first,
     * then this connection stops for good without closing the stream or telling the delegate.
     * Bytes the client sent behind the request stay in the stream (the parser consumes only the
     * bytes of the events it returns), so they are the new owner's first read.
     */
    @Override
    public IOStream detach() {
        if (!loop.inLoop()) {
            throw new IllegalStateException("detach() must be called on the loop thread of " + loop.name());
        }
        if (closed) {
            throw new IllegalStateException("detach() on a closed connection");
        }
        if (response != Response.STARTED || framing != Framing.NONE) {
            throw new IllegalStateException("detach() needs a 1xx (101) response head written first");
        }
        if (streaming) {
            throw new IllegalStateException("detach() while the connection is still delivering the request: "
                    + "call it from a later loop callback (loop().addCallback), after the 101 was flushed");
        }
        uncork();
        closed = true;
        phase = Phase.CLOSING;
        deadline = 0;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        message = null;
        parser.release(); // the request (kept by the new owner) still reaches this connection
        stream.setCloseCallback(null);
        onClosed.accept(this); // no longer an HTTP connection: graceful shutdown does not wait for it
        return stream;
    }

    /** Tells the current delegate its request or response was cut short (once). */
    private void notifyConnectionClose() {
        HttpMessageDelegate m = message;
        message = null;
        if (m != null && !(phase == Phase.DONE && response == Response.FINISHED)) {
            try {
                m.onConnectionClose();
            } catch (Throwable t) {
                Log.LOG.error("Exception in onConnectionClose of {}", request, t);
            }
        }
    }

    /**
     * Graceful stop (loop thread): an idle connection closes now; a busy one closes after its
     * current response.
     */
    void drain() {
        draining = true;
        if (closed) {
            return;
        }
        if (phase == Phase.IDLE && message == null) {
            closeNow();
        } else if (response == Response.STARTED) {
            responseKeepAlive = false;
        }
    }

    /** Closes at once (loop thread). */
    void forceClose() {
        closeNow();
    }

    // ------------------------------------------------------------------------------ timers

    /**
     * Sets the deadline for {@code kind}. The timer is only rescheduled when the new deadline is
     * earlier than the pending one; a later deadline is picked up when the timer fires.
     */
    private void arm(Phase kind, long nanos) {
        arm(kind, nanos, loop.time());
    }

    /** {@link #arm(Phase, long)} from {@code now}, a reading of the loop's clock just taken. */
    private void arm(Phase kind, long nanos, long now) {
        deadline = now + nanos;
        deadlineKind = kind;
        if (timer != null && timer.deadline() > deadline) {
            timer.cancel();
            timer = null;
        }
        if (timer == null) {
            timer = loop.callAt(deadline, this::onTimer);
        }
    }

    private void onTimer() {
        timer = null;
        if (closed || deadline == 0) {
            return;
        }
        long now = loop.time();
        if (now < deadline) {
            timer = loop.callAt(deadline, this::onTimer);
            return;
        }
        Phase kind = deadlineKind;
        deadline = 0;
        if (kind != phase || paused) {
            return; // the connection moved on; a later arm() schedules again
        }
        switch (kind) {
            case IDLE -> {
                Log.LOG.debug("Closing idle connection from {}", peerIp);
                closeNow();
            }
            case HEAD -> {
                Log.LOG.debug("Request head from {} not received within {}", peerIp, options.headerTimeout());
                answerAndClose(408);
            }
            case BODY -> {
                if (streaming) {
                    Log.LOG.debug("Request body from {} stalled for {}", peerIp, options.bodyTimeout());
                    answerAndClose(408);
                }
            }
            default -> {
            }
        }
    }

    @Override
    public String toString() {
        return "Http1ServerConnection[" + peerIp + ", " + phase + "]";
    }
}
