package io.gale.httpclient;

import io.gale.internal.http.BodyFraming;
import io.gale.internal.http.Http1ChunkedEncoder;
import io.gale.internal.http.Http1Encoder;
import io.gale.internal.http.Http1Parser;
import io.gale.http.HttpVersion;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One request and its response on one HTTP/1.1 connection: the HTTP/1.1 framing of a
 * {@link HopExchange} (which holds the body, 100-continue, head and outcome rules both protocols
 * share). The head goes out with a byte[] body in one write, or alone before a producer's body
 * (chunked unless the length is known) or a body that waits for {@code 100 Continue}; the
 * {@link Connection}'s parser events come in as {@link Connection.Listener} calls. On completion
 * the connection goes back to the pool only if the response was read completely, the request was
 * fully sent and both sides allow keep-alive; a failure closes the connection.
 *
 * <p>Threading: confined to the client's loop.
 */
final class Exchange extends HopExchange implements Connection.Listener {
    final Connection conn;

    private HttpVersion version = HttpVersion.HTTP_1_1;
    private boolean requestWritten;

    Exchange(FetchCall call, Connection conn, boolean reused, HttpRequest req, RequestHead head, long maxBody) {
        super(call, conn.stream.loop(), reused, req, head, maxBody);
        this.conn = conn;
    }

    @Override
    void start() {
        conn.attach(this, req.method);
        ByteBuffer h = Http1Encoder.encodeRequestHead(req.method, head.target, HttpVersion.HTTP_1_1, head.headers);
        if (req.body != null && !head.expectContinue) {
            conn.stream.write(h, ByteBuffer.wrap(req.body)).whenComplete((v, e) -> onWritten(e));
            return;
        }
        CompletableFuture<Void> w = conn.stream.write(h);
        if (head.expectContinue) {
            awaitContinue();
        } else if (req.bodyProducer != null) {
            sendBody();
        } else {
            w.whenComplete((v, e) -> onWritten(e));
        }
    }

    @Override
    ClientConnection connection() {
        return conn;
    }

    @Override
    boolean receivedAny() {
        return conn.receivedAny();
    }

    // ------------------------------------------------------------------------- request

    @Override
    boolean requestClosed() {
        return conn.isClosed();
    }

    @Override
    void sendBytes(byte[] body) {
        conn.stream.write(ByteBuffer.wrap(body)).whenComplete((v, e) -> onWritten(e));
    }

    @Override
    CompletableFuture<Void> sendPiece(ByteBuffer data) {
        return head.chunked ? conn.stream.write(Http1ChunkedEncoder.frame(data)) : conn.stream.write(data);
    }

    @Override
    void endBody() {
        ByteBuffer end = head.chunked ? Http1ChunkedEncoder.lastChunk(null) : ByteBuffer.allocate(0);
        conn.stream.write(end).whenComplete((x, we) -> onWritten(we));
    }

    private void onWritten(Throwable error) {
        // a write error closes the stream; the read side then reports it (or the response that came first)
        if (error == null) {
            requestWritten = true;
        }
    }

    /** Closes the connection (idempotent: after the connection's own failure it is closed already). */
    @Override
    void release(Throwable reason) {
        conn.close(reason);
    }

    // ------------------------------------------------------------------------ response

    @Override
    public void onInformational(int status) {
        informational(status);
    }

    @Override
    public void onHead(Http1Parser p) {
        version = p.version();
        finalHead(p.status(), p.reason(), p.headers(), p.bodyFraming() != BodyFraming.NONE, p.contentLength());
    }

    @Override
    public void onBody(ByteBuffer data) {
        Throwable error = body(data);
        if (error != null) {
            failed(error);
        }
    }

    @Override
    public void onComplete(boolean keepAlive) {
        // a final answer that skipped the body leaves the server's view of the connection uncertain
        complete(keepAlive && requestWritten && !bodySkipped(), version);
    }

    @Override
    public void onError(Throwable error) {
        failed(error);
    }
}
