package io.gale.httpclient;

import io.gale.internal.http.BodyFraming;
import io.gale.internal.http.Http1ChunkedEncoder;
import io.gale.internal.http.Http1Encoder;
import io.gale.internal.http.Http1Parser;
import io.gale.http.HttpVersion;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One request and its response on one HTTP/1.1 connection: writes the head and body (bytes, a
 * {@link BodyProducer} with backpressure, or after {@code 100 Continue}), then receives the
 * response events from the {@link Connection} and hands the head and body to its
 * {@link ResponseReader} (redirects, gzip, limits, buffering or streaming), and reports the
 * outcome to its {@link FetchCall}. On completion the connection goes back to the pool only if the
 * response was read completely, the request was fully sent and both sides allow keep-alive.
 *
 * <p>Threading: confined to the client's loop.
 */
final class Exchange implements Connection.Listener, HopExchange {
    /** How long to wait for {@code 100 Continue} before sending the body anyway (RFC 9110 section 10.1.1). */
    static final Duration CONTINUE_WAIT = Duration.ofSeconds(1);

    private final FetchCall call;
    final Connection conn;
    final boolean reused;
    private final HttpRequest req;
    private final RequestHead head;
    private final IOLoop loop;
    private final ResponseReader response;

    private HttpVersion version = HttpVersion.HTTP_1_1;
    private boolean requestWritten;
    private boolean bodyStarted;
    private boolean bodySkipped;
    private boolean finished;
    private Timeout continueTimer;

    Exchange(FetchCall call, Connection conn, boolean reused, HttpRequest req, RequestHead head, long maxBody) {
        this.call = call;
        this.conn = conn;
        this.reused = reused;
        this.req = req;
        this.head = head;
        this.loop = conn.stream.loop();
        this.response = new ResponseReader(call, req, maxBody);
    }

    @Override
    public void start() {
        conn.attach(this, req.method);
        ByteBuffer h = Http1Encoder.encodeRequestHead(req.method, head.target, HttpVersion.HTTP_1_1, head.headers);
        if (req.body != null && !head.expectContinue) {
            conn.stream.write(h, ByteBuffer.wrap(req.body)).whenComplete((v, e) -> onWritten(e));
            return;
        }
        CompletableFuture<Void> w = conn.stream.write(h);
        if (head.expectContinue) {
            continueTimer = loop.callLater(CONTINUE_WAIT, this::sendBody);
        } else if (req.bodyProducer != null) {
            sendBody();
        } else {
            w.whenComplete((v, e) -> onWritten(e));
        }
    }

    /** Closes the connection because the call gave up (timeout); no events follow. */
    @Override
    public void abort(Throwable reason) {
        finished = true;
        cancelContinueTimer();
        response.end();
        conn.close(reason);
    }

    @Override
    public ClientConnection connection() {
        return conn;
    }

    @Override
    public boolean reused() {
        return reused;
    }

    @Override
    public boolean receivedAny() {
        return conn.receivedAny();
    }

    @Override
    public String redirectLocation() {
        return response.redirectLocation;
    }

    @Override
    public long firstByteNanos() {
        return response.firstByteNanos;
    }

    // ------------------------------------------------------------------------- request

    private void sendBody() {
        cancelContinueTimer();
        if (bodyStarted || finished || bodySkipped) {
            return;
        }
        bodyStarted = true;
        if (req.body != null) {
            conn.stream.write(ByteBuffer.wrap(req.body)).whenComplete((v, e) -> onWritten(e));
            return;
        }
        CompletionStage<?> produced;
        try {
            produced = req.bodyProducer.produce(new Writer());
        } catch (RuntimeException e) {
            produced = CompletableFuture.failedFuture(e);
        }
        produced.whenComplete((v, e) -> onLoop(() -> {
            if (finished || conn.isClosed()) {
                return;
            }
            if (e != null) {
                conn.fail(new IOException("body producer failed: " + e, Connector.unwrap(e)));
                return;
            }
            ByteBuffer end = head.chunked ? Http1ChunkedEncoder.lastChunk(null) : ByteBuffer.allocate(0);
            conn.stream.write(end).whenComplete((x, we) -> onWritten(we));
        }));
    }

    private void onWritten(Throwable error) {
        // a write error closes the stream; the read side then reports it (or the response that came first)
        if (error == null) {
            requestWritten = true;
        }
    }

    private void cancelContinueTimer() {
        if (continueTimer != null) {
            continueTimer.cancel();
            continueTimer = null;
        }
    }

    private void onLoop(Runnable r) {
        if (loop.inLoop()) {
            r.run();
        } else {
            loop.addCallback(r);
        }
    }

    /** The producer's view of the connection: chunk framing and loop hand-off. */
    private final class Writer implements BodyWriter {
        @Override
        public CompletableFuture<Void> write(ByteBuffer data) {
            if (!loop.inLoop()) {
                CompletableFuture<Void> f = new CompletableFuture<>();
                loop.addCallback(() -> write(data).whenComplete((v, e) -> {
                    if (e != null) {
                        f.completeExceptionally(e);
                    } else {
                        f.complete(null);
                    }
                }));
                return f;
            }
            if (finished || conn.isClosed()) {
                return CompletableFuture.failedFuture(new IOException("request is no longer being sent"));
            }
            if (!data.hasRemaining()) {
                return CompletableFuture.completedFuture(null);
            }
            return head.chunked ? conn.stream.write(Http1ChunkedEncoder.frame(data)) : conn.stream.write(data);
        }
    }

    // ------------------------------------------------------------------------ response

    @Override
    public void onInformational(int status) {
        if (status == 100 && head.expectContinue) {
            sendBody();
        }
    }

    @Override
    public void onHead(Http1Parser p) {
        if (head.expectContinue && !bodyStarted) {
            // a final answer instead of 100: the body is never sent, so the server's view of the
            // connection is uncertain; it is not reused
            cancelContinueTimer();
            bodySkipped = true;
        }
        version = p.version();
        try {
            response.head(p.status(), p.reason(), p.headers(), p.bodyFraming() != io.gale.internal.http.BodyFraming.NONE,
                    p.contentLength());
        } catch (RuntimeException e) {
            conn.fail(e);
        }
    }

    @Override
    public void onBody(ByteBuffer data) {
        if (finished) {
            return;
        }
        try {
            response.body(data);
        } catch (IOException | RuntimeException e) {
            conn.fail(e);
        }
    }

    @Override
    public void onComplete(boolean keepAlive) {
        if (finished) {
            return;
        }
        byte[] b;
        try {
            b = response.finish();
        } catch (IOException e) {
            conn.fail(e); // no listener any more: close, then report ourselves
            finish(e);
            return;
        }
        finished = true;
        cancelContinueTimer();
        boolean reusable = keepAlive && requestWritten && !bodySkipped;
        call.onExchangeComplete(this, reusable, response.code, response.reason, response.headers, b, version);
    }

    @Override
    public void onError(Throwable error) {
        finish(error);
    }

    private void finish(Throwable error) {
        if (finished) {
            return;
        }
        finished = true;
        cancelContinueTimer();
        response.end();
        call.onExchangeFailed(this, error);
    }
}
