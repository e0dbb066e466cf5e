package io.gale.testing;

import io.gale.http.ErrorBody;
import io.gale.http.Http1ParserLimits;
import io.gale.http.HttpExchange;
import io.gale.http.HttpHeaders;
import io.gale.http.HttpMessageDelegate;
import io.gale.http.HttpStatus;
import io.gale.ioloop.IOLoop;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The in-memory {@link HttpExchange} behind {@link InMemoryClient} (in the manner of Netty's
 * EmbeddedChannel): records the response the application writes and checks the exchange's
 * contract as it goes: every call on the loop, headers once and first, nothing after
 * {@code finish}, the body matching its declared length (typed, or a {@code Content-Length}
 * field), no {@code Content-Length} and no body on 204/304 (the body of HEAD and 1xx is dropped,
 * as the real exchange drops it). A typed length is recorded as the {@code Content-Length} field
 * the wire would carry. A violation is recorded (see {@link TestResponse#violations()}) where the
 * real exchange would break its framing. The request's body limit is kept here and enforced by
 * {@link InMemoryClient}, answered as the server answers it (the application's
 * {@code errorBody}).
 *
 * <p>Threading: loop-confined like the real one, except {@link #clientClosed()}, which may be
 * called from any thread.
 */
public final class TestConnection implements HttpExchange {
    private final IOLoop loop;
    private final String requestMethod;
    private final CompletableFuture<TestResponse> response;
    HttpMessageDelegate delegate;

    private int status;
    private String reason;
    private HttpHeaders headers;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final List<byte[]> pieces = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private long declaredLength = -1;
    private boolean headersWritten;
    private boolean finished;
    private boolean closed;
    private long maxBodySize = Http1ParserLimits.DEFAULTS.maxBodySize();
    /** Set by the client once it starts feeding the body: the limit is fixed then. */
    boolean bodyStarted;

    TestConnection(IOLoop loop, String requestMethod, CompletableFuture<TestResponse> response) {
        this.loop = loop;
        this.requestMethod = requestMethod;
        this.response = response;
    }

    CompletableFuture<TestResponse> response() {
        return response;
    }

    @Override
    public IOLoop loop() {
        return loop;
    }

    private void checkLoop(String what) {
        if (!loop.inLoop()) {
            violations.add(what + " called off the loop on " + Thread.currentThread());
        }
    }

    @Override
    public long maxBodySize() {
        return maxBodySize;
    }

    @Override
    public void setMaxBodySize(long bytes) {
        if (bodyStarted) {
            throw new IllegalStateException("setMaxBodySize() after the body started to be read");
        }
        maxBodySize = bytes;
    }

    @Override
    public CompletableFuture<Void> writeHeaders(int status, String reason, HttpHeaders headers, long contentLength,
            ByteBuffer firstChunk) {
        checkLoop("writeHeaders");
        if (headersWritten) {
            throw new IllegalStateException("headers already written");
        }
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("closed"));
        }
        String cl = headers.get("Content-Length");
        if (contentLength >= 0 && cl != null) {
            throw new IllegalArgumentException("Content-Length given twice");
        }
        headersWritten = true;
        this.status = status;
        this.reason = reason;
        this.headers = headers.copy();
        boolean permits = HttpStatus.permitsContent(status);
        if (contentLength >= 0 && permits) {
            this.headers.set("Content-Length", Long.toString(contentLength)); // as the exchange writes it
        }
        declaredLength = !permits ? -1 : contentLength >= 0 ? contentLength : cl == null ? -1 : Long.parseLong(cl);
        if (!permits && cl != null) {
            violations.add("Content-Length on a " + status);
        }
        if (firstChunk != null) {
            append(firstChunk);
        }
        return CompletableFuture.completedFuture(null);
    }

    private boolean bodyAllowed() {
        return HttpStatus.responseHasBody(requestMethod, status);
    }

    private void append(ByteBuffer chunk) {
        byte[] b = new byte[chunk.remaining()];
        chunk.duplicate().get(b);
        if (!bodyAllowed()) {
            if (b.length > 0 && (status == 204 || status == 304)) {
                violations.add("a body on a " + status);
            }
            return; // the real connection drops it
        }
        pieces.add(b);
        body.writeBytes(b);
        if (declaredLength >= 0 && body.size() > declaredLength) {
            violations.add("more than Content-Length written");
        }
    }

    @Override
    public CompletableFuture<Void> write(ByteBuffer chunk) {
        checkLoop("write");
        if (!headersWritten || finished) {
            throw new IllegalStateException("write before headers or after finish");
        }
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("closed"));
        }
        append(chunk);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> finish(HttpHeaders trailers) {
        checkLoop("finish");
        if (!headersWritten || finished) {
            throw new IllegalStateException("finish before headers or twice");
        }
        finished = true;
        if (bodyAllowed() && declaredLength >= 0 && body.size() != declaredLength) {
            violations.add("Content-Length " + declaredLength + " but " + body.size() + " bytes written");
        }
        if (!closed) {
            response.complete(new TestResponse(status, reason, headers, body.toByteArray(), List.copyOf(pieces),
                    List.copyOf(violations)));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean headersWritten() {
        return headersWritten;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        checkLoop("close");
        closeNow();
    }

    /**
     * What the server does on a protocol error (a body over the limit): answers {@code status}
     * with {@code page} if nothing was written, then the connection closes and the delegate hears
     * of it.
     */
    void protocolError(int status, ErrorBody page) {
        if (!headersWritten && !closed) {
            headersWritten = true;
            finished = true;
            String reason = HttpStatus.reasonPhrase(status);
            byte[] b = page.body();
            response.complete(new TestResponse(status, reason, new HttpHeaders().set("Content-Type",
                    page.contentType()).set("Content-Length", Integer.toString(b.length)), b, List.of(b),
                    List.copyOf(violations)));
        }
        closeNow();
    }

    /**
     * The client goes away (a closed browser tab): unless the response was finished, the
     * application hears of it ({@code onConnectionClose}) and the response future fails. Any
     * thread; the close happens on the loop.
     */
    public void clientClosed() {
        if (loop.inLoop()) {
            closeNow();
        } else {
            loop.addCallback(this::closeNow);
        }
    }

    private void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        if (!finished) {
            if (delegate != null) {
                delegate.onConnectionClose();
            }
            response.completeExceptionally(new IllegalStateException("connection closed before the response finished"));
        }
    }
}
