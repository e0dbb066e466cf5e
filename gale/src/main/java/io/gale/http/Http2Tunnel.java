package io.gale.http;

import io.gale.http2.Http2ErrorCode;
import io.gale.http2.Http2Stream;
import io.gale.ioloop.IOLoop;
import io.gale.iostream.StreamClosedException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ByteTunnel} over one HTTP/2 stream opened by an extended CONNECT (RFC 8441): the
 * stream's DATA frames both ways. Made by {@link Http2ServerExchange} when the request arrives, so
 * that DATA sent before the handler took the tunnel over is kept, and handed out by
 * {@link TunnelExchange#openTunnel()}.
 *
 * <p><b>Flow control.</b> DATA is copied on arrival and given back to the stream's and the
 * connection's windows ({@link Http2Stream#consumed}) only when a {@link #read()} takes it: a
 * reader that stops (a WebSocket handler whose {@code onMessage} stage has not completed) stops
 * the client after one stream window, which is also what the tunnel holds at most. Writes are
 * {@link Http2Stream#sendData}: queued until the client's windows allow, the future completing
 * when the bytes reached the kernel.
 *
 * <p><b>Ending.</b> The peer's END_STREAM is the tunnel's EOF: once what came before was read,
 * reads fail and the tunnel closes (sending our END_STREAM), as a TCP stream closes on EOF.
 * {@link #close()} sends END_STREAM and, if the peer's side is still open once it is written,
 * RST_STREAM NO_ERROR (RFC 9113 section 8.1: we want nothing more). A reset either way or the
 * connection's end closes it at once. The close callback runs once.
 *
 * <p>Threading: confined to the connection's loop.
 */
final class Http2Tunnel implements ByteTunnel {
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(Http2Tunnel.class);
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Http2Stream stream;
    private final IOLoop loop;
    private final ArrayDeque<byte[]> queued = new ArrayDeque<>();
    /** Bytes written whose futures have not completed (the write's future completes on the loop). */
    private long unsent;
    private CompletableFuture<byte[]> pendingRead;
    private boolean peerEnded;
    private boolean closed;
    private Runnable closeCallback;

    Http2Tunnel(Http2Stream stream, IOLoop loop) {
        this.stream = stream;
        this.loop = loop;
    }

    // ------------------------------------------------------------------ from the exchange

    /** DATA on the stream ({@code end}: END_STREAM). */
    void onData(ByteBuffer data, boolean end) {
        int n = data.remaining();
        if (closed) {
            stream.consumed(n);
            return;
        }
        if (n > 0) {
            byte[] copy = new byte[n];
            data.get(copy);
            if (pendingRead != null) {
                CompletableFuture<byte[]> r = pendingRead;
                pendingRead = null;
                stream.consumed(n);
                r.complete(copy);
            } else {
                queued.add(copy);
            }
        }
        if (end) {
            peerEnded = true;
            if (queued.isEmpty()) {
                ended();
            }
        }
    }

    /** The stream is gone (reset either way, the connection ended). */
    void onGone() {
        if (closed) {
            return;
        }
        closed = true;
        release();
        runCallback();
    }

    // ------------------------------------------------------------------------ ByteTunnel

    @Override
    public IOLoop loop() {
        return loop;
    }

    @Override
    public CompletableFuture<byte[]> read() {
        if (pendingRead != null) {
            throw new IllegalStateException("a read is already pending on " + this);
        }
        byte[] b = queued.poll();
        if (b != null) {
            stream.consumed(b.length);
            if (peerEnded && queued.isEmpty()) {
                loop.addCallback(this::ended); // after this read's bytes were taken
            }
            return CompletableFuture.completedFuture(b);
        }
        if (closed || peerEnded) {
            return CompletableFuture.failedFuture(new StreamClosedException(null));
        }
        pendingRead = new CompletableFuture<>();
        return pendingRead;
    }

    @Override
    public CompletableFuture<Void> write(ByteBuffer data) {
        if (closed) {
            return CompletableFuture.failedFuture(new StreamClosedException(null));
        }
        int n = data.remaining();
        CompletableFuture<Void> f = stream.sendData(data, false);
        if (f.isDone() && !f.isCompletedExceptionally()) {
            return f;
        }
        unsent += n; // waiting for the client's windows or the socket
        f.whenComplete((v, e) -> unsent -= n);
        return f.exceptionallyCompose(e -> CompletableFuture.failedFuture(new StreamClosedException(e)));
    }

    @Override
    public long queuedBytes() {
        return unsent;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        release();
        if (!stream.isClosed()) {
            stream.sendData(EMPTY, true).whenComplete((v, e) -> {
                if (!stream.isClosed()) {
                    stream.reset(Http2ErrorCode.NO_ERROR);
                }
            });
        }
        runCallback();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void setCloseCallback(Runnable callback) {
        this.closeCallback = callback;
    }

    // ---------------------------------------------------------------------------- inner

    /** The peer ended its side and every byte before was read: EOF, which closes the tunnel. */
    private void ended() {
        if (closed) {
            return;
        }
        if (pendingRead != null) {
            CompletableFuture<byte[]> r = pendingRead;
            pendingRead = null;
            r.completeExceptionally(new StreamClosedException(null));
        }
        close();
    }

    /** Gives unread bytes back to the windows and fails a pending read. */
    private void release() {
        byte[] b;
        while ((b = queued.poll()) != null) {
            stream.consumed(b.length);
        }
        if (pendingRead != null) {
            CompletableFuture<byte[]> r = pendingRead;
            pendingRead = null;
            r.completeExceptionally(new StreamClosedException(null));
        }
    }

    private void runCallback() {
        Runnable c = closeCallback;
        closeCallback = null;
        if (c != null) {
            try {
                c.run();
            } catch (RuntimeException e) {
                Log.LOG.error("Close callback of {} failed", this, e);
            }
        }
    }

    @Override
    public String toString() {
        return "Http2Tunnel[" + stream + "]";
    }
}
