package io.gale.httpclient;

import io.gale.http.HttpHeaders;
import io.gale.http.HttpVersion;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One hop's request and response on one connection, as {@link FetchCall} sees it, and the rules
 * both protocols share: HTTP/1.1 ({@link Exchange}) and an HTTP/2 stream ({@link Http2Exchange})
 * extend it with their framing only.
 *
 * <p>What lives here, once:
 * <ul>
 * <li>The request body: sent at once, or after {@code 100 Continue} (or {@link #CONTINUE_WAIT}
 *     without it), or not at all when a final answer comes first; a {@link BodyProducer}'s writes
 *     handed to the loop, its failure failing the exchange.</li>
 * <li>The response head: informational heads (100 releases a waiting body), the final head given
 *     to the {@link ResponseReader} (redirects, header callback, gzip, the body limit, buffering
 *     or the streaming callback).</li>
 * <li>The outcome, reported to the call exactly once: {@link #complete} with the body, or
 *     {@link #failed} with the error; {@link #abort} (the call gave up) reports nothing. After
 *     any of them, events that still arrive are ignored.</li>
 * </ul>
 *
 * <p>States. Request side: not started, waiting for {@code 100} (a timer runs), started, or
 * skipped (a final answer came before {@code 100}: the body is never sent). Response side:
 * waiting for the final head, reading the body, done. The subclass answers the transport's
 * questions (is our side still open, how a body piece is framed, how the transport is released
 * after a failure).
 *
 * <p>Threading: confined to the client's loop; only a producer's {@link BodyWriter#write} may be
 * called from elsewhere (it hands over to the loop).
 */
abstract class HopExchange {
    /** How long to wait for {@code 100 Continue} before sending the body anyway (RFC 9110 section 10.1.1). */
    static final Duration CONTINUE_WAIT = Duration.ofSeconds(1);

    /** The response side's states. */
    private enum Phase { AWAITING_HEAD, BODY, DONE }

    final HttpRequest req;
    final RequestHead head;
    private final FetchCall call;
    private final IOLoop loop;
    private final boolean reused;
    private final ResponseReader response;

    private Phase phase = Phase.AWAITING_HEAD;
    private boolean bodyStarted;
    private boolean bodySkipped;
    private Timeout continueTimer;

    HopExchange(FetchCall call, IOLoop loop, boolean reused, HttpRequest req, RequestHead head, long maxBody) {
        this.call = call;
        this.loop = loop;
        this.reused = reused;
        this.req = req;
        this.head = head;
        this.response = new ResponseReader(call, req, maxBody);
    }

    // ------------------------------------------------------------------- the call's view

    /** Sends the request; the outcome goes to the call. */
    abstract void start();

    abstract ClientConnection connection();

    /** Whether any response byte arrived for this exchange (a retry is unsafe then). */
    abstract boolean receivedAny();

    /** The connection carried exchanges before this one. */
    final boolean reused() {
        return reused;
    }

    /** The Location the call follows (its body was discarded), or null for the final response. */
    final String redirectLocation() {
        return response.redirectLocation;
    }

    /** When the response head arrived ({@link System#nanoTime()}). */
    final long firstByteNanos() {
        return response.firstByteNanos;
    }

    /** The call gave up (timeout): ends the exchange and releases the transport without telling the call. */
    final void abort(Throwable reason) {
        phase = Phase.DONE;
        cancelContinueTimer();
        response.end();
        release(reason);
    }

    // ------------------------------------------------------------- the transport's part

    /** Whether our side can no longer send (connection or stream closed): a producer's writes fail then. */
    abstract boolean requestClosed();

    /** Sends the whole byte[] body (after the head, or after {@code 100}); a failure reaches the read side. */
    abstract void sendBytes(byte[] body);

    /** Sends one piece of a producer's body (framed as the protocol wants); not empty. */
    abstract CompletableFuture<Void> sendPiece(ByteBuffer data);

    /** Ends a producer's body (last chunk, or an empty DATA frame with END_STREAM). */
    abstract void endBody();

    /**
     * The exchange failed or was aborted: stops using the transport (HTTP/1.1 closes the
     * connection, HTTP/2 resets the stream). Must be idempotent and quiet: no event follows.
     */
    abstract void release(Throwable reason);

    /** The response completed: what the transport does before the call hears of it. */
    void responseComplete() {
    }

    // ------------------------------------------------------------------------- request

    /** Whether the outcome was reported or the call gave up: later events are ignored. */
    final boolean finished() {
        return phase == Phase.DONE;
    }

    /** The request asks for {@code 100 Continue}: the body waits for it, at most {@link #CONTINUE_WAIT}. */
    final void awaitContinue() {
        continueTimer = loop.callLater(CONTINUE_WAIT, this::sendBody);
    }

    /** A final answer came instead of {@code 100} (its body is never sent), so reuse is uncertain. */
    final boolean bodySkipped() {
        return bodySkipped;
    }

    /** Sends the body now: the byte[] one, or the producer's. At most once; never after a final answer skipped it. */
    final void sendBody() {
        cancelContinueTimer();
        if (bodyStarted || finished() || bodySkipped) {
            return;
        }
        bodyStarted = true;
        if (req.body != null) {
            sendBytes(req.body);
            return;
        }
        CompletionStage<?> produced;
        try {
            produced = req.bodyProducer.produce(new Writer());
        } catch (RuntimeException e) {
            produced = CompletableFuture.failedFuture(e);
        }
        produced.whenComplete((v, e) -> loop.runOrSubmit(() -> {
            if (finished() || requestClosed()) {
                return;
            }
            if (e != null) {
                failed(new IOException("body producer failed: " + e, Connector.unwrap(e)));
                return;
            }
            endBody();
        }));
    }

    private void cancelContinueTimer() {
        if (continueTimer != null) {
            continueTimer.cancel();
            continueTimer = null;
        }
    }

    /** The producer's view of the transport: loop hand-off; each write completes as the transport allows. */
    private final class Writer implements BodyWriter {
        @Override
        public CompletableFuture<Void> write(ByteBuffer data) {
            return loop.supplyOrSubmit(() -> {
                if (finished() || requestClosed()) {
                    return CompletableFuture.failedFuture(new IOException("request is no longer being sent"));
                }
                if (!data.hasRemaining()) {
                    return CompletableFuture.completedFuture(null);
                }
                return sendPiece(data);
            });
        }
    }

    // ------------------------------------------------------------------------ response

    /** An informational head (1xx): {@code 100} releases a body that waits for it; the rest are skipped. */
    final void informational(int status) {
        if (status == 100 && head.expectContinue) {
            sendBody();
        }
    }

    /** Whether the final head arrived (a stream that ends before it is malformed). */
    final boolean headReceived() {
        return phase != Phase.AWAITING_HEAD;
    }

    /**
     * The final head: a body still waiting for {@code 100} is skipped; the reader takes the head.
     * {@code hasBody}: the response may carry content; {@code contentLength} -1 when unknown.
     *
     * @return false if the exchange failed (the reader refused the head, e.g. the body limit)
     */
    final boolean finalHead(int status, String reason, HttpHeaders headers, boolean hasBody, long contentLength) {
        if (finished()) {
            return false;
        }
        phase = Phase.BODY;
        if (head.expectContinue && !bodyStarted) {
            cancelContinueTimer();
            bodySkipped = true;
        }
        try {
            response.head(status, reason, headers, hasBody, contentLength);
            return true;
        } catch (RuntimeException e) {
            failed(e);
            return false;
        }
    }

    /**
     * A piece of the body, given to the reader (ignored once finished).
     *
     * @return the error the exchange must fail with (the body limit, bad gzip, a callback's
     *     exception), or null; the caller fails it after its own bookkeeping
     */
    final Throwable body(ByteBuffer data) {
        if (finished()) {
            return null;
        }
        try {
            response.body(data);
            return null;
        } catch (IOException | RuntimeException e) {
            return e;
        }
    }

    /**
     * The response is complete: the call hears it once, with the body ({@code reusable}: the
     * connection may carry another exchange). A body that fails at its end (gzip trailer) fails
     * the exchange instead.
     */
    final void complete(boolean reusable, HttpVersion version) {
        if (finished()) {
            return;
        }
        byte[] b;
        try {
            b = response.finish();
        } catch (IOException e) {
            failed(e);
            return;
        }
        phase = Phase.DONE;
        cancelContinueTimer();
        responseComplete();
        call.onExchangeComplete(this, reusable, response.code, response.reason, response.headers, b, version);
    }

    /** Fails the exchange: the transport is released, the call hears {@code error} once. */
    final void failed(Throwable error) {
        if (finished()) {
            return;
        }
        phase = Phase.DONE;
        cancelContinueTimer();
        response.end();
        release(error);
        call.onExchangeFailed(this, error);
    }
}
