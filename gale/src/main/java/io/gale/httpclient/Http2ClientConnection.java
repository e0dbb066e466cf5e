package io.gale.httpclient;

import io.gale.http.HttpVersion;
import io.gale.http2.Http2Connection;
import io.gale.http2.Http2Limits;
import io.gale.http2.Http2Stream;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import io.gale.iostream.IOStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One HTTP/2 connection of the client (ALPN {@code h2}, or h2c with prior knowledge), shared by
 * every exchange to its {@link Address}: each exchange is a stream ({@link Http2Exchange}), up to
 * the server's SETTINGS_MAX_CONCURRENT_STREAMS at once. The protocol is the side-neutral
 * {@link Http2Connection}; this class adds what the pool needs: the handshake future (complete
 * once the server's SETTINGS arrived, so a server that does not speak HTTP/2 fails the connect),
 * capacity, the idle timer (a connection without streams for {@code idleTimeout} says GOAWAY and
 * closes) and notices to the pool when a stream slot frees up or the server goes away.
 *
 * <p>Threading: confined to the client's loop.
 */
final class Http2ClientConnection implements ClientConnection, Http2Connection.Handler {
    /** What the pool hears from the connection. */
    interface Events {
        /** A stream closed or the server's limit changed: queued requests may fit now. */
        void onCapacity(Http2ClientConnection c);

        /** The server sent GOAWAY: no new streams here; the next request needs a new connection. */
        void onGoingAway(Http2ClientConnection c);
    }

    private final Address address;
    private final IOStream stream;
    private final IOLoop loop;
    private final Duration idleTimeout;
    private final Http2Connection h2;
    private final CompletableFuture<Http2ClientConnection> ready = new CompletableFuture<>();
    private Events events;
    private Runnable closeHook;
    private boolean closed;
    private Timeout idleTimer;

    Http2ClientConnection(Address address, IOStream stream, Http2Limits limits, Duration idleTimeout) {
        this.address = address;
        this.stream = stream;
        this.loop = stream.loop();
        this.idleTimeout = idleTimeout;
        this.h2 = Http2Connection.client(stream, limits, this);
    }

    /** Sends the preface and starts reading; completes when the server's SETTINGS arrived. */
    CompletableFuture<Http2ClientConnection> handshake() {
        h2.start();
        return ready;
    }

    void setEvents(Events events) {
        this.events = events;
    }

    @Override
    public Address address() {
        return address;
    }

    @Override
    public HttpVersion version() {
        return HttpVersion.HTTP_2;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close(Throwable reason) {
        if (!closed) {
            h2.close(); // onClosed follows
        }
    }

    /** GOAWAY: no new streams; closes when the active ones are done (at once when idle). */
    void shutdown() {
        if (!closed) {
            h2.shutdown();
        }
    }

    @Override
    public void setCloseHook(Runnable hook) {
        this.closeHook = hook;
        if (closed) {
            hook.run();
        }
    }

    @Override
    public void start() {
        // reading started with the handshake
        startIdleTimerIfIdle();
    }

    /** A new stream may be opened now. */
    boolean hasCapacity() {
        return h2.canOpenStream();
    }

    /** New streams may be opened now or later (not going away). */
    boolean isUsable() {
        return h2.isUsable();
    }

    /** No stream is active. */
    boolean isIdle() {
        return h2.activeStreams() == 0;
    }

    int activeStreams() {
        return h2.activeStreams();
    }

    /** Streams opened so far (an exchange on a connection that carried streams is on a reused one). */
    long streamsOpened() {
        return h2.streamsOpened();
    }

    /** A stream for a new exchange; only while {@link #hasCapacity()}. */
    Http2Stream newStream(Http2Stream.Listener listener) {
        cancelIdleTimer();
        return h2.newStream(listener);
    }

    /** Starts the idle timer when no stream is active (a connection the pool keeps with nothing to do). */
    void startIdleTimerIfIdle() {
        if (!closed && idleTimer == null && isIdle()) {
            idleTimer = loop.callLater(idleTimeout, () -> {
                idleTimer = null;
                if (isIdle()) {
                    close(null);
                }
            });
        }
    }

    private void cancelIdleTimer() {
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
    }

    // ------------------------------------------------------------------- Handler

    @Override
    public void onReady(Http2Connection c) {
        ready.complete(this);
    }

    @Override
    public void onStreamClosed(Http2Connection c, Http2Stream s) {
        if (closed) {
            return;
        }
        startIdleTimerIfIdle();
        if (events != null) {
            events.onCapacity(this);
        }
    }

    @Override
    public void onSettings(Http2Connection c) {
        if (events != null) {
            events.onCapacity(this);
        }
    }

    @Override
    public void onGoAway(Http2Connection c, int lastStreamId, long errorCode) {
        if (events != null) {
            events.onGoingAway(this);
        }
    }

    @Override
    public void onClosed(Http2Connection c, Throwable cause) {
        closed = true;
        cancelIdleTimer();
        if (!ready.isDone()) {
            ready.completeExceptionally(cause != null ? cause
                    : new IOException("server closed the connection before its HTTP/2 SETTINGS"));
        }
        if (closeHook != null) {
            closeHook.run();
        }
    }

    @Override
    public String toString() {
        return "Http2ClientConnection[" + address + ", " + h2 + "]";
    }
}
