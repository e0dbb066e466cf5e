package io.gale.http;

import io.gale.internal.http.Http1Parser;
import io.gale.internal.http.HttpParseError;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import io.gale.iostream.IOStream;
import io.gale.iostream.SslIOStream;
import io.gale.iostream.StreamClosedException;
import io.gale.iostream.StreamReceiver;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 server connection (Tornado's {@code HTTP1ServerConnection}): drives an
 * {@link Http1Parser} over the bytes its stream reads and makes an {@link Http1Exchange} for each
 * request, which carries the request to a {@link HttpMessageDelegate} from the server's
 * {@link HttpServerConnectionDelegate} and its response back. What is the connection's stays
 * here: framing of the byte stream into requests, keep-alive, the timers, corking, the order of
 * pipelined requests, protocol-error answers and the lingering close.
 *
 * <p><b>Reading.</b> Through {@link IOStream#readStreaming}: the parser runs in place on the
 * loop's shared heap read buffer, so a request costs no read allocation and no copy beyond the
 * kernel's; only bytes that must outlive the call (a pipelined request while a response is
 * pending, body bytes the delegate is not ready for) are copied, by the stream or the exchange.
 * An idle connection holds no buffer and no exchange.
 *
 * <p><b>Requests in order.</b> The next request is not parsed until the current exchange ended
 * (request received and response finished); pipelined bytes wait, unparsed, in the read buffer.
 * While a read batch is processed, what the exchanges write is corked and leaves in one gathering
 * write at the end of it, so pipelined requests answered synchronously cost one system call
 * together.
 *
 * <p><b>File bodies.</b> {@link #sendFile} queues the region on the stream
 * ({@link IOStream#writeFile}): sendfile on plain TCP, a bounded buffer on TLS; bytes corked
 * before it are written first, so the order on the wire is the order of the calls.
 *
 * <p><b>Flow control</b> is the exchange's: while it is {@link Http1Exchange#paused()}, nothing
 * is parsed, hence nothing read.
 *
 * <p><b>Timeouts.</b> One timer per connection whose deadline field moves without rescheduling;
 * when it fires early it re-arms itself for the current deadline. The deadline's kind (idle,
 * head, body) is checked against the connection's phase when it fires. The idle deadline counts
 * from the end of the previous exchange, read from the loop's clock here.
 *
 * <p><b>Errors.</b> A protocol error is answered with its status and {@code Connection: close}
 * ({@link #answerAndClose}, the one writer of such answers, with {@link ProtocolErrorPage}),
 * logged in one DEBUG line, and the connection closes lingering. An exception from the delegate
 * is logged once with its stack by the exchange; a 500 is sent if the response had not started;
 * the connection closes. Nothing is thrown out of the loop.
 *
 * <p>Threading: confined to the stream's loop.
 */
final class Http1ServerConnection implements ServerConnection {
    /**
     * The logger, created on first use: SLF4J binds its provider on the first getLogger
     * (tens of ms), which a server that has logged nothing yet should not pay before its first
     * response.
     */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(Http1ServerConnection.class);
    }

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final ByteBuffer[] NO_BUFFERS = new ByteBuffer[0];
    private static final Duration LINGER_TIME = Duration.ofSeconds(2);
    private static final long LINGER_MAX_BYTES = 1 << 20;

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

    private final IOStream stream;
    private final IOLoop loop;
    private final HttpServerOptions options;
    private final HttpServerConnectionDelegate delegate;
    private final Consumer<Http1ServerConnection> onClosed;
    private final IdleConnections idle;
    /** Takes an {@code Upgrade: h2c} request's connection over; null when the upgrade is not offered. */
    private final Http2Upgrader upgrader;
    private final Http1Parser parser;
    private final String peerIp;
    private final String baseProtocol;
    private final StreamReceiver receiver = this::onData;

    private Phase phase = Phase.IDLE;
    /** The current request's exchange; null between requests. */
    private Http1Exchange exchange;
    /** The stream's bytes during {@link #onData}, else null: never kept beyond the call. */
    private ByteBuffer in;
    /** The parser returned NEED_MORE: nothing more happens without new bytes. */
    private boolean needMore = true;
    /** A streaming read is active on the stream. */
    private boolean streaming;
    private boolean processing;
    private boolean closed;
    private boolean draining;
    /** See {@link ServerConnection#idleSince()}: set when a keep-alive wait begins, 0 otherwise. */
    private volatile long idleSince;

    // corked output
    private ByteBuffer[] corked = new ByteBuffer[4];
    private int corkedCount;
    private CompletableFuture<Void> corkedFuture;
    private CompletableFuture<Void> lastWrite = DONE;
    private boolean closeAfterWrite;

    // lingering close after an error answer
    private boolean lingerAfterWrite;
    private boolean lingering;
    private long lingered;
    private Timeout lingerTimer;

    // the one timer
    private Timeout timer;
    private long deadline;
    private Phase deadlineKind;

    /** Starts HTTP/2 on a stream an {@code Upgrade: h2c} request switched (see {@link H2cUpgrade}). */
    @FunctionalInterface
    interface Http2Upgrader {
        void start(IOStream stream, String peerIp, H2cUpgrade upgrade);
    }

    Http1ServerConnection(IOStream stream, String peerIp, HttpServerOptions options,
                          HttpServerConnectionDelegate delegate, IdleConnections idle,
                          Consumer<Http1ServerConnection> onClosed, Http2Upgrader upgrader) {
        this.upgrader = upgrader;
        this.stream = stream;
        this.loop = stream.loop();
        this.options = options;
        this.delegate = delegate;
        this.idle = idle;
        this.onClosed = onClosed;
        // The body limit is each exchange's (a delegate may change it per request): the parser frames only.
        this.parser = Http1Parser.forRequests(withoutBodyLimit(options.limits()));
        this.peerIp = peerIp;
        this.baseProtocol = options.protocol() != null ? options.protocol()
                : stream instanceof SslIOStream ? "https" : "http";
    }

    private static Http1ParserLimits withoutBodyLimit(Http1ParserLimits l) {
        return new Http1ParserLimits(l.maxStartLineLength(), l.maxHeaderSize(), l.maxHeaderCount(), Long.MAX_VALUE,
                l.maxChunkExtensionSize(), l.maxTrailerSize());
    }

    /** Starts serving; loop thread. */
    void start() {
        stream.setCloseCallback(this::onStreamClosed);
        // A new connection gets no more time for its first byte than a head gets to arrive: one
        // that never sends anything (a port scan, a client that crashed after connecting, a
        // flood of idle sockets) is closed, without an answer, at the header timeout rather
        // than holding a descriptor for the keep-alive timeout.
        arm(Phase.IDLE, Math.min(options.idleConnectionTimeout().toNanos(), options.headerTimeout().toNanos()));
        process();
    }

    @Override
    public IOLoop loop() {
        return loop;
    }

    HttpServerOptions options() {
        return options;
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
            if (exchange != null) {
                exchange.retainBody();
            }
        }
        return more;
    }

    private boolean paused() {
        return exchange != null && exchange.paused();
    }

    /** Whether parsing is blocked on new bytes only. */
    private boolean wantsData() {
        return !closed && !paused() && needMore && (exchange == null || !exchange.hasPendingBody())
                && (phase == Phase.IDLE || phase == Phase.HEAD || phase == Phase.BODY);
    }

    /** Whether the current request is still being read and delivered (not closing). */
    boolean readingRequest() {
        return !closed && phase != Phase.CLOSING;
    }

    /**
     * Parses and dispatches until the input runs out, the exchange pauses, or a response must
     * finish first; then sends what was corked and, if bytes are needed, starts a streaming read
     * (which may deliver buffered bytes at once). Re-entrant calls (a delegate answering inline)
     * return at once: the running loop sees their effect.
     */
    void process() {
        if (processing || closed) {
            return;
        }
        processing = true;
        try {
            while (!closed && !paused()) {
                if (phase == Phase.CLOSING || phase == Phase.ABANDONED) {
                    break;
                }
                if (exchange != null && exchange.hasPendingBody()) {
                    if (!exchange.deliverBody()) {
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
                    idleSince = 0;
                    phase = Phase.HEAD;
                    arm(Phase.HEAD, options.headerTimeout().toNanos());
                } else if (phase == Phase.BODY) {
                    arm(Phase.BODY, options.bodyTimeout().toNanos());
                }
            }
            case HEAD -> onHead();
            case BODY -> exchange.onBody(parser.body());
            case MESSAGE_COMPLETE -> exchange.onMessageComplete();
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

    /** A request head arrived: its exchange begins. */
    private void onHead() {
        idleSince = 0;
        deadline = 0;
        if (upgrader != null && !draining && exchange == null) {
            H2cUpgrade up = H2cUpgrade.offered(parser.method(), parser.target(), parser.version(), parser.headers(),
                    parser.bodyFraming(), parser.contentLength());
            if (up != null) {
                switchToHttp2(up);
                return;
            }
        }
        phase = Phase.BODY;
        String ip = peerIp;
        String protocol = baseProtocol;
        if (options.xheaders()) {
            HttpHeaders headers = parser.headers();
            ip = XHeaders.remoteIp(headers, peerIp, options.trustedDownstream());
            if (options.protocol() == null) {
                protocol = XHeaders.protocol(headers, protocol);
            }
        }
        boolean keepAlive = parser.isKeepAlive() && !options.noKeepAlive() && !draining;
        exchange = new Http1Exchange(this, parser, keepAlive, ip, protocol);
        exchange.start(delegate);
    }

    /** The exchange received its whole request. */
    void requestReceived() {
        phase = Phase.DONE;
    }

    /**
     * The exchange will not read its body (answered first, refusing 100-continue or a too large
     * one): nothing more is parsed, and the connection closes after the response.
     */
    void abandonBody(boolean responseFinished) {
        if (phase != Phase.CLOSING) {
            phase = Phase.ABANDONED;
        }
        if (responseFinished) {
            closeWhenWritten();
        }
    }

    /** The exchange answered before its request was complete, and the connection ends with it. */
    void closeAfterResponse() {
        phase = Phase.CLOSING;
        closeWhenWritten();
    }

    /** Request received and response finished at {@code now} (the loop's clock): get ready for the next request. */
    void exchangeEnded(Http1Exchange x, boolean keepAlive, long now) {
        if (x != exchange) {
            return;
        }
        exchange = null;
        if (!keepAlive || draining || idle.shedOnIdle()) {
            // Under low resources a connection does not wait for a next request (see TcpServer).
            phase = Phase.CLOSING;
            closeWhenWritten();
            return;
        }
        phase = Phase.IDLE;
        idleSince = now;
        arm(Phase.IDLE, options.idleConnectionTimeout().toNanos(), now);
        if (!processing) {
            process();
        }
    }

    // ----------------------------------------------------------------------------- errors

    void protocolError(HttpParseError error) {
        Log.LOG.debug("Bad HTTP request from {}: {} {}", peerIp, error.status(), error.reason());
        answerAndClose(error.status());
    }

    /**
     * Answers {@code status} with the {@link ProtocolErrorPage} (if the response has not started),
     * tells the exchange its connection is closing, and closes lingering: the one place protocol
     * errors are answered.
     */
    void answerAndClose(int status) {
        Http1Exchange x = exchange;
        if (x == null || x.claimForErrorAnswer()) {
            ErrorBody page = ProtocolErrorPage.of(delegate, status);
            send(Http1Exchange.encodeHead(status, null, ProtocolErrorPage.headers(page), page.body().length, false,
                    false, false), ByteBuffer.wrap(page.body()));
        }
        if (x != null) {
            x.connectionClosed();
        }
        phase = Phase.CLOSING;
        lingerAfterWrite = true;
        closeWhenWritten();
    }

    /** Ends the exchange with {@code status} if its response has not started, else cuts it short. */
    void abort(int status) {
        Http1Exchange x = exchange;
        if (x == null || !x.headersWritten()) {
            answerAndClose(status);
        } else {
            // Out with what was already handed over (a client sees a short body), then close.
            x.connectionClosed();
            phase = Phase.CLOSING;
            closeWhenWritten();
        }
    }

    // ------------------------------------------------------------------------------ output

    /** Writes {@code bufs} in order, corked while a read batch is processed. */
    CompletableFuture<Void> send(ByteBuffer... bufs) {
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

    /**
     * Queues a file region after what was written so far; what is corked (a response head, a
     * chunk header) goes with it, in the same write when small.
     */
    CompletableFuture<Void> sendFile(FileChannel file, long position, long count) {
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
        return lastWrite;
    }

    /** The future of the last write (the corked one, if any is pending). */
    CompletableFuture<Void> lastWrite() {
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

    /** Closes at once (an aborted response, a graceful stop's deadline). */
    void closeNow() {
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

    /** Whether the connection closed (or was detached): its exchange can do nothing more. */
    boolean isClosed() {
        return closed;
    }

    /** Whether a graceful stop asked this connection to end after its current response. */
    boolean draining() {
        return draining;
    }

    private void onStreamClosed() {
        if (closed) {
            return;
        }
        closed = true;
        idleSince = 0;
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
            corkedFuture.completeExceptionally(new StreamClosedException(stream.error()));
            corkedFuture = null;
        }
        if (exchange != null) {
            exchange.connectionClosed();
        }
        onClosed.accept(this);
    }

    /**
     * Hands the stream over after a 101 response ({@link Http1Exchange#detach()}): what is corked
     * is written first, then this connection stops for good without closing the stream or telling
     * the delegate. Bytes the client sent behind the request stay in the stream (the parser
     * consumes only the bytes of the events it returns), so they are the new owner's first read.
     */
    IOStream detach(Http1Exchange x) {
        if (x != exchange) {
            throw new IllegalStateException("detach() of an exchange that is no longer the connection's");
        }
        if (streaming) {
            throw new IllegalStateException("detach() while the connection is still delivering the request: "
                    + "call it from a later loop callback (loop().addCallback), after the 101 was flushed");
        }
        exchange = null;
        release();
        return stream;
    }

    /** This connection stops for good without closing the stream, which another owner takes. */
    private void release() {
        uncork();
        closed = true;
        idleSince = 0;
        phase = Phase.CLOSING;
        deadline = 0;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        parser.release(); // the request (kept by the new owner) still reaches this connection
        stream.setCloseCallback(null);
        onClosed.accept(this); // no longer an HTTP/1.1 connection: graceful shutdown does not wait for it
    }

    /**
     * {@code Upgrade: h2c} taken up: the 101 goes out (corked with this batch), nothing more is
     * parsed, and from a later loop callback (this read must end first, leaving what the client
     * sent behind the request in the stream) the stream goes to the HTTP/2 connection, which
     * answers the request on stream 1.
     */
    private void switchToHttp2(H2cUpgrade up) {
        phase = Phase.CLOSING;
        send(H2cUpgrade.switchingProtocols());
        loop.addCallback(() -> {
            if (closed || stream.isClosed()) {
                return; // the client left before the switch; onStreamClosed told the server
            }
            release();
            upgrader.start(stream, peerIp, up);
        });
    }

    /**
     * Graceful stop (loop thread): an idle connection closes now; a busy one closes after its
     * current response.
     */
    @Override
    public void drain() {
        draining = true;
        if (closed) {
            return;
        }
        if (phase == Phase.IDLE && exchange == null) {
            closeNow();
        } else if (exchange != null) {
            exchange.lastResponse();
        }
    }

    /** Closes at once (loop thread). */
    @Override
    public void forceClose() {
        closeNow();
    }

    @Override
    public long idleSince() {
        return idleSince;
    }

    @Override
    public boolean closeIfIdle() {
        if (closed || idleSince == 0 || phase != Phase.IDLE || exchange != null) {
            return false;
        }
        Log.LOG.debug("Closing idle connection from {}: resources low", peerIp);
        closeNow();
        return true;
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
        if (kind != phase || paused()) {
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
