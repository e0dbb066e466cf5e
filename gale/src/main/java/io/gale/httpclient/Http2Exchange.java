package io.gale.httpclient;

import io.gale.http.HttpStatus;
import io.gale.http.HttpVersion;
import io.gale.http2.Http2ErrorCode;
import io.gale.http2.Http2Exception;
import io.gale.http2.Http2Fields;
import io.gale.http2.Http2Stream;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One request and its response as a stream of an {@link Http2ClientConnection}: the request head
 * becomes the pseudo-header fields ({@code :method}, {@code :scheme}, {@code :authority} from
 * {@code Host}, {@code :path}) plus the fields HTTP/2 carries; the body goes out as DATA under
 * the server's flow-control windows (bytes, a {@link BodyProducer} whose writes complete as the
 * windows and the socket allow, or after {@code 100 Continue}); the response goes through the same
 * {@link ResponseReader} as HTTP/1.1 (redirects, gzip, limits, streaming). DATA is given back to
 * the server's window as the reader consumes it.
 *
 * <p>Ending: when the response is complete and our side is still sending (the server answered
 * early, or refused the body), the stream is reset with CANCEL; a request that fails or times out
 * resets it too. Neither affects the other streams of the connection.
 *
 * <p>Threading: confined to the client's loop.
 */
final class Http2Exchange implements HopExchange, Http2Stream.Listener {
    private final FetchCall call;
    private final Http2ClientConnection conn;
    private final boolean reused;
    private final HttpRequest req;
    private final RequestHead head;
    private final IOLoop loop;
    private final ResponseReader response;
    private Http2Stream stream;
    private boolean finalHead;
    private boolean receivedAny;
    private boolean bodyStarted;
    private boolean bodySkipped;
    private boolean finished;
    private Timeout continueTimer;

    Http2Exchange(FetchCall call, Http2ClientConnection conn, boolean reused, HttpRequest req, RequestHead head,
                  long maxBody) {
        this.call = call;
        this.conn = conn;
        this.reused = reused;
        this.req = req;
        this.head = head;
        this.loop = call.loop();
        this.response = new ResponseReader(call, req, maxBody);
    }

    @Override
    public void start() {
        boolean hasBody = req.body != null || req.bodyProducer != null;
        String authority = head.headers.get("Host");
        stream = conn.newStream(this);
        try {
            stream.sendRequest(req.method, conn.address().tls() ? "https" : "http", authority, head.target, head.headers,
                    !hasBody);
        } catch (IllegalArgumentException e) {
            finished = true;
            call.onExchangeFailed(this, e);
            return;
        }
        if (!hasBody) {
            return;
        }
        if (head.expectContinue) {
            continueTimer = loop.callLater(Exchange.CONTINUE_WAIT, this::sendBody);
        } else {
            sendBody();
        }
    }

    @Override
    public void abort(Throwable reason) {
        finished = true;
        cancelContinueTimer();
        response.end();
        if (stream != null) {
            stream.reset(Http2ErrorCode.CANCEL);
        }
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
        return receivedAny;
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
            stream.sendData(ByteBuffer.wrap(req.body), true); // a failure ends the stream: onError reports it
            return;
        }
        CompletionStage<?> produced;
        try {
            produced = req.bodyProducer.produce(new Writer());
        } catch (RuntimeException e) {
            produced = CompletableFuture.failedFuture(e);
        }
        produced.whenComplete((v, e) -> onLoop(() -> {
            if (finished || stream.isClosed()) {
                return;
            }
            if (e != null) {
                fail(new IOException("body producer failed: " + e, Connector.unwrap(e)));
                return;
            }
            stream.sendData(ByteBuffer.allocate(0), true);
        }));
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

    /** The producer's view of the stream: loop hand-off; each write completes as flow control and the socket allow. */
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
            if (finished || stream.isClosed()) {
                return CompletableFuture.failedFuture(new IOException("request is no longer being sent"));
            }
            if (!data.hasRemaining()) {
                return CompletableFuture.completedFuture(null);
            }
            return stream.sendData(data, false);
        }
    }

    // ------------------------------------------------------------------------ response

    @Override
    public void onHeaders(Http2Stream s, Http2Fields fields, boolean endStream) {
        if (finished) {
            return;
        }
        receivedAny = true;
        if (fields.tooLarge()) {
            fail(new IOException("response head larger than maxHeaderSize"));
            return;
        }
        if (fields.kind() == Http2Fields.Kind.TRAILERS) {
            complete(); // trailers end the stream; Tornado's API has no place for them
            return;
        }
        int status = fields.status();
        if (status < 200) {
            if (status == 100 && head.expectContinue) {
                sendBody();
            }
            return;
        }
        finalHead = true;
        if (head.expectContinue && !bodyStarted) {
            cancelContinueTimer(); // a final answer instead of 100: the body is not sent
            bodySkipped = true;
        }
        boolean hasBody = HttpStatus.responseHasBody(req.method, status);
        String reason = HttpStatus.reasonPhrase(status); // HTTP/2 carries none (RFC 9113 section 8.3.2)
        try {
            response.head(status, reason != null ? reason : "", fields.headers(), hasBody,
                    hasBody ? fields.contentLength() : 0);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        if (endStream) {
            complete();
        }
    }

    @Override
    public void onData(Http2Stream s, ByteBuffer data, boolean endStream) {
        int n = data.remaining();
        if (!finished) {
            receivedAny = true;
            try {
                response.body(data);
            } catch (IOException | RuntimeException e) {
                s.consumed(n);
                fail(e);
                return;
            }
        }
        s.consumed(n);
        if (endStream) {
            complete();
        }
    }

    @Override
    public void onError(Http2Stream s, Http2Exception error) {
        if (finished) {
            return;
        }
        if (!error.isConnectionError() || error.errorCode() != 0) {
            // the server answered this stream (a reset, a bad frame): only a connection that just
            // closed under us may be retried by the reused-connection rule
            receivedAny = true;
        }
        finished = true;
        cancelContinueTimer();
        response.end();
        call.onExchangeFailed(this, error);
    }

    /** The response is complete: our side is reset if still sending, the call hears the response. */
    private void complete() {
        if (finished) {
            return;
        }
        if (!finalHead) {
            fail(new IOException("malformed response: stream ended without a final status"));
            return;
        }
        byte[] b;
        try {
            b = response.finish();
        } catch (IOException e) {
            fail(e);
            return;
        }
        finished = true;
        cancelContinueTimer();
        if (!stream.isClosed()) {
            stream.reset(Http2ErrorCode.CANCEL); // the server answered before our body was done
        }
        call.onExchangeComplete(this, true, response.code, response.reason, response.headers, b, HttpVersion.HTTP_2);
    }

    /** Fails the exchange and resets the stream (the connection and its other streams carry on). */
    private void fail(Throwable error) {
        if (finished) {
            return;
        }
        finished = true;
        cancelContinueTimer();
        response.end();
        if (stream != null && !stream.isClosed()) {
            stream.reset(Http2ErrorCode.CANCEL);
        }
        call.onExchangeFailed(this, error);
    }
}
