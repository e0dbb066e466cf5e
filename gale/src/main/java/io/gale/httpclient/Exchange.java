package io.gale.httpclient;

import io.gale.http.GzipDecoder;
import io.gale.http.Http1ChunkedEncoder;
import io.gale.http.Http1Encoder;
import io.gale.http.Http1Parser;
import io.gale.http.HttpHeaders;
import io.gale.http.HttpVersion;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One request and its response on one connection: writes the head and body (bytes, a
 * {@link BodyProducer} with backpressure, or after {@code 100 Continue}), then receives the
 * response events from the {@link Connection}: decompresses gzip, enforces the body limit on the
 * decoded size, buffers the body or hands it to the streaming callback, and reports the outcome to
 * its {@link FetchCall}. On completion the connection goes back to the pool only if the response
 * was read completely, the request was fully sent and both sides allow keep-alive.
 *
 * <p>Threading: confined to the client's loop.
 */
final class Exchange implements Connection.Listener {
    /** How long to wait for {@code 100 Continue} before sending the body anyway (RFC 9110 section 10.1.1). */
    private static final Duration CONTINUE_WAIT = Duration.ofSeconds(1);
    private static final byte[] EMPTY = new byte[0];
    /** The largest body that fits a Java array. */
    private static final int MAX_BUFFERED = Integer.MAX_VALUE - 16;
    /** Largest decompressed piece handed on at a time (the decoder reuses one buffer of this size). */
    private static final int GZIP_PIECE = 32 * 1024;

    private final FetchCall call;
    final Connection conn;
    final boolean reused;
    private final HttpRequest req;
    private final RequestHead head;
    private final long maxBody;
    private final IOLoop loop;

    private boolean requestWritten;
    private boolean bodyStarted;
    private boolean bodySkipped;
    private boolean finished;
    private Timeout continueTimer;

    private int code;
    private String reason;
    private HttpHeaders headers;
    /** Non-null when this response is a redirect the call will follow: its body is discarded. */
    String redirectLocation;
    private GzipDecoder gzip;
    private boolean streaming;
    private byte[] body = EMPTY;
    private int size;
    private long decodedSize;
    long firstByteNanos;

    Exchange(FetchCall call, Connection conn, boolean reused, HttpRequest req, RequestHead head, long maxBody) {
        this.call = call;
        this.conn = conn;
        this.reused = reused;
        this.req = req;
        this.head = head;
        this.maxBody = maxBody;
        this.loop = conn.stream.loop();
    }

    void start() {
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
    void abort(Throwable reason) {
        finished = true;
        cancelContinueTimer();
        if (gzip != null) {
            gzip.close();
        }
        conn.close(reason);
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
        produced.whenComplete((v, e) -> loop.runOrSubmit(() -> {
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

    /** The producer's view of the connection: chunk framing and loop hand-off. */
    private final class Writer implements BodyWriter {
        @Override
        public CompletableFuture<Void> write(ByteBuffer data) {
            if (!loop.inLoop()) {
                return loop.supplyOrSubmit(() -> write(data));
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
        firstByteNanos = System.nanoTime();
        if (head.expectContinue && !bodyStarted) {
            // a final answer instead of 100: the body is never sent, so the server's view of the
            // connection is uncertain; it is not reused
            cancelContinueTimer();
            bodySkipped = true;
        }
        code = p.status();
        reason = p.reason();
        headers = p.headers();
        redirectLocation = call.redirectLocation(code, headers);
        if (redirectLocation != null) {
            return;
        }
        if (req.headerCallback != null) {
            try {
                req.headerCallback.onHead(code, reason, headers);
            } catch (RuntimeException e) {
                conn.fail(e);
                return;
            }
        }
        String encoding = headers.get("Content-Encoding");
        if (req.decompressResponse && encoding != null && encoding.trim().equalsIgnoreCase("gzip")
                && p.bodyFraming() != io.gale.http.BodyFraming.NONE) {
            headers.remove("Content-Encoding");
            headers.add("X-Consumed-Content-Encoding", encoding);
            gzip = new GzipDecoder(GZIP_PIECE, Long.MAX_VALUE); // maxBodySize is checked in deliver
        } else if (p.contentLength() > maxBody) {
            conn.fail(new BodyTooLargeException("response body of " + p.contentLength() + " bytes exceeds maxBodySize "
                    + maxBody));
            return;
        }
        streaming = req.streamingCallback != null;
        if (!streaming && gzip == null && p.contentLength() > MAX_BUFFERED) {
            conn.fail(new BodyTooLargeException("response body of " + p.contentLength()
                    + " bytes is too large to buffer in an array; use a streamingCallback"));
            return;
        }
        if (!streaming && gzip == null && p.contentLength() > 0) {
            body = new byte[(int) p.contentLength()];
        }
    }

    @Override
    public void onBody(ByteBuffer data) {
        if (redirectLocation != null || finished) {
            return; // discarded: the body of a redirect that is followed
        }
        try {
            if (gzip != null) {
                gzip.feed(data);
                for (ByteBuffer piece = gzip.next(); piece != null; piece = gzip.next()) {
                    deliver(piece);
                }
                if (gzip.error() != null) {
                    throw new IOException("gzip body: " + gzip.error());
                }
            } else {
                deliver(data);
            }
        } catch (IOException | RuntimeException e) {
            conn.fail(e);
        }
    }

    private void deliver(ByteBuffer data) {
        int n = data.remaining();
        decodedSize += n;
        if (decodedSize > maxBody) {
            throw new BodyTooLargeException("response body exceeds maxBodySize " + maxBody
                    + (gzip != null ? " (after decompression)" : ""));
        }
        if (streaming) {
            req.streamingCallback.accept(data);
            return;
        }
        if ((long) size + n > MAX_BUFFERED) {
            throw new BodyTooLargeException("response body too large to buffer in an array; use a streamingCallback");
        }
        if (size + n > body.length) {
            body = Arrays.copyOf(body, (int) Math.min(MAX_BUFFERED,
                    Math.max((long) size + n, Math.max(8192, (long) body.length * 2))));
        }
        data.get(body, size, n);
        size += n;
    }

    @Override
    public void onComplete(boolean keepAlive) {
        if (finished) {
            return;
        }
        if (gzip != null) {
            String bad = gzip.finish();
            gzip.close();
            if (bad != null) {
                IOException e = new IOException("gzip body: " + bad);
                conn.fail(e); // no listener any more: close, then report ourselves
                finish(e);
                return;
            }
        }
        finished = true;
        cancelContinueTimer();
        boolean reusable = keepAlive && requestWritten && !bodySkipped;
        byte[] b = size == body.length ? body : Arrays.copyOf(body, size);
        call.onExchangeComplete(this, reusable, code, reason, headers, b);
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
        if (gzip != null) {
            gzip.close();
        }
        call.onExchangeFailed(this, error);
    }
}
