package io.gale.httpclient;

import io.gale.http.HttpStatus;
import io.gale.http.HttpVersion;
import io.gale.http2.Http2ErrorCode;
import io.gale.http2.Http2Exception;
import io.gale.http2.Http2Fields;
import io.gale.http2.Http2Stream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One request and its response as a stream of an {@link Http2ClientConnection}: the HTTP/2
 * framing of a {@link HopExchange} (which holds the body, 100-continue, head and outcome rules
 * both protocols share). The request head becomes the pseudo-header fields ({@code :method},
 * {@code :scheme}, {@code :authority} from {@code Host}, {@code :path}) plus the fields HTTP/2
 * carries; the body goes out as DATA under the server's flow-control windows (a producer's writes
 * complete as the windows and the socket allow). DATA is given back to the server's window as the
 * reader consumes it.
 *
 * <p>Ending: when the response is complete and our side is still sending (the server answered
 * early, or refused the body), the stream is reset with CANCEL; a request that fails or times out
 * resets it too. Neither affects the other streams of the connection.
 *
 * <p>Threading: confined to the client's loop.
 */
final class Http2Exchange extends HopExchange implements Http2Stream.Listener {
    private final Http2ClientConnection conn;
    private Http2Stream stream;
    private boolean receivedAny;

    Http2Exchange(FetchCall call, Http2ClientConnection conn, boolean reused, HttpRequest req, RequestHead head,
                  long maxBody) {
        super(call, call.loop(), reused, req, head, maxBody);
        this.conn = conn;
    }

    @Override
    void start() {
        boolean hasBody = req.body != null || req.bodyProducer != null;
        String authority = head.headers.get("Host");
        stream = conn.newStream(this);
        try {
            stream.sendRequest(req.method, conn.address().tls() ? "https" : "http", authority, head.target, head.headers,
                    !hasBody);
        } catch (IllegalArgumentException e) {
            failed(e); // nothing was sent: the stream has no id, so there is nothing to reset
            return;
        }
        if (!hasBody) {
            return;
        }
        if (head.expectContinue) {
            awaitContinue();
        } else {
            sendBody();
        }
    }

    @Override
    ClientConnection connection() {
        return conn;
    }

    @Override
    boolean receivedAny() {
        return receivedAny;
    }

    // ------------------------------------------------------------------------- request

    @Override
    boolean requestClosed() {
        return stream.isClosed();
    }

    @Override
    void sendBytes(byte[] body) {
        stream.sendData(ByteBuffer.wrap(body), true); // a failure ends the stream: onError reports it
    }

    @Override
    CompletableFuture<Void> sendPiece(ByteBuffer data) {
        return stream.sendData(data, false);
    }

    @Override
    void endBody() {
        stream.sendData(ByteBuffer.allocate(0), true);
    }

    /** Resets the stream (no effect on a closed one); the connection and its other streams carry on. */
    @Override
    void release(Throwable reason) {
        if (stream != null) {
            stream.reset(Http2ErrorCode.CANCEL);
        }
    }

    /** The server answered before our body was done: our side is reset. */
    @Override
    void responseComplete() {
        stream.reset(Http2ErrorCode.CANCEL); // no effect when both sides ended
    }

    // ------------------------------------------------------------------------ response

    @Override
    public void onHeaders(Http2Stream s, Http2Fields fields, boolean endStream) {
        if (finished()) {
            return;
        }
        receivedAny = true;
        if (fields.tooLarge()) {
            failed(new IOException("response head larger than maxHeaderSize"));
            return;
        }
        if (fields.kind() == Http2Fields.Kind.TRAILERS) {
            end(); // trailers end the stream; Tornado's API has no place for them
            return;
        }
        int status = fields.status();
        if (status < 200) {
            informational(status);
            return;
        }
        boolean hasBody = HttpStatus.responseHasBody(req.method, status);
        String reason = HttpStatus.reasonPhrase(status); // HTTP/2 carries none (RFC 9113 section 8.3.2)
        if (finalHead(status, reason != null ? reason : "", fields.headers(), hasBody,
                hasBody ? fields.contentLength() : 0) && endStream) {
            end();
        }
    }

    @Override
    public void onData(Http2Stream s, ByteBuffer data, boolean endStream) {
        int n = data.remaining();
        if (!finished()) {
            receivedAny = true;
        }
        Throwable error = body(data);
        s.consumed(n);
        if (error != null) {
            failed(error);
        } else if (endStream) {
            end();
        }
    }

    @Override
    public void onError(Http2Stream s, Http2Exception error) {
        if (finished()) {
            return;
        }
        if (!error.isConnectionError() || error.errorCode() != 0) {
            // the server answered this stream (a reset, a bad frame): only a connection that just
            // closed under us may be retried by the reused-connection rule
            receivedAny = true;
        }
        failed(error); // the stream is closed already: nothing to reset
    }

    /** The stream ended: the response is complete, unless no final head came. */
    private void end() {
        if (!finished() && !headReceived()) {
            failed(new IOException("malformed response: stream ended without a final status"));
            return;
        }
        complete(true, HttpVersion.HTTP_2);
    }
}
