package io.gale.http;

import io.gale.http2.Http2Connection;
import io.gale.http2.Http2Limits;
import io.gale.http2.Http2Stream;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import io.gale.iostream.IOStream;
import io.gale.iostream.SslIOStream;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server end of one HTTP/2 connection (RFC 9113): the side-neutral
 * {@link Http2Connection} does the protocol (preface, SETTINGS, streams, flow control, floods,
 * GOAWAY); this class adds what a server decides: every stream the client opens becomes an
 * {@link Http2ServerExchange}, handed to the same {@link HttpServerConnectionDelegate} as an
 * HTTP/1.1 request, so the web layer serves both protocols unchanged. Reached by ALPN {@code h2}
 * on TLS, by h2c with prior knowledge (see {@link HttpServer}), or by an HTTP/1.1
 * {@code Upgrade: h2c} request ({@link H2cUpgrade}), which then is stream 1.
 *
 * <p><b>Limits.</b> {@link Http2Limits#DEFAULTS}, with the head limit taken from the server's
 * {@link Http1ParserLimits#maxHeaderSize()} (advertised as SETTINGS_MAX_HEADER_LIST_SIZE; a larger
 * head is answered 431), so a request accepted over one protocol is accepted over the other. The
 * body limit is each exchange's, as in HTTP/1.1.
 *
 * <p><b>Timers.</b> One: a connection without streams for
 * {@link HttpServerOptions#idleConnectionTimeout()} ends with GOAWAY. Slow request bodies are
 * bounded by flow control (a stream holds at most one window), not by a timer.
 *
 * <p><b>Stopping.</b> {@link #drain()} sends GOAWAY with the last stream processed: streams in
 * flight finish, newer ones are refused, and the connection closes when none is left;
 * {@link #forceClose()} sends GOAWAY and closes at once.
 *
 * <p>Threading: confined to the stream's loop, like the exchanges it makes.
 */
final class Http2ServerConnection implements ServerConnection, Http2Connection.Handler {
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(Http2ServerConnection.class);
    }

    private final IOStream stream;
    private final IOLoop loop;
    private final HttpServerOptions options;
    private final HttpServerConnectionDelegate delegate;
    private final Consumer<? super Http2ServerConnection> onClosed;
    private final IdleConnections idle;
    private final String peerIp;
    private final String baseProtocol;
    private final Http2Connection connection;
    /** Streams handed to an exchange and not closed yet. */
    private final java.util.Set<Http2Stream> active = new java.util.HashSet<>();
    private Timeout idleTimer;
    private boolean draining;
    private boolean closed;
    /** See {@link ServerConnection#idleSince()}: set when the last stream closed, 0 while any is open. */
    private volatile long idleSince;

    Http2ServerConnection(IOStream stream, String peerIp, HttpServerOptions options,
            HttpServerConnectionDelegate delegate, Http2Limits limits, IdleConnections idle,
            Consumer<? super Http2ServerConnection> onClosed, H2cUpgrade upgrade) {
        this.stream = stream;
        this.loop = stream.loop();
        this.options = options;
        this.delegate = delegate;
        this.idle = idle;
        this.onClosed = onClosed;
        this.peerIp = peerIp;
        this.baseProtocol = options.protocol() != null ? options.protocol()
                : stream instanceof SslIOStream ? "https" : "http";
        this.connection = upgrade == null ? Http2Connection.server(stream, limits, this)
                : Http2Connection.serverUpgrade(stream, limits, this, upgrade.settings, upgrade.head);
    }

    /** The HTTP/2 limits a server with {@code options} uses (see the class comment). */
    static Http2Limits limits(HttpServerOptions options) {
        int head = (int) Math.min(Integer.MAX_VALUE / 4, Math.max(32, options.limits().maxHeaderSize()));
        Http2Limits d = Http2Limits.DEFAULTS;
        return d.toBuilder().maxHeaderListSize(head).maxHeaderBlockSize(Math.max(d.maxHeaderBlockSize(), 4 * head))
                .build();
    }

    /**
     * Sends our SETTINGS and starts reading (the client's preface is still in the stream); after
     * an upgrade, stream 1 is the upgrading request.
     */
    void start() {
        connection.start();
        armIdle();
    }

    @Override
    public IOLoop loop() {
        return loop;
    }

    HttpServerOptions options() {
        return options;
    }

    HttpServerConnectionDelegate delegate() {
        return delegate;
    }

    String peerIp() {
        return peerIp;
    }

    String baseProtocol() {
        return baseProtocol;
    }

    // ------------------------------------------------------------------ Http2Connection.Handler

    @Override
    public Http2Stream.Listener onPeerStream(Http2Connection c, Http2Stream s) {
        if (draining) {
            return null; // REFUSED_STREAM: the client may retry elsewhere
        }
        active.add(s);
        idleSince = 0;
        cancelIdle();
        return new Http2ServerExchange(this, s);
    }

    @Override
    public void onStreamClosed(Http2Connection c, Http2Stream s) {
        if (active.remove(s) && active.isEmpty()) {
            if (idle.shedOnIdle()) {
                drain(); // under low resources: GOAWAY and close rather than wait (see TcpServer)
                return;
            }
            idleSince = loop.time();
            armIdle();
        }
    }

    @Override
    public void onGoAway(Http2Connection c, int lastStreamId, long errorCode) {
        Log.LOG.debug("GOAWAY from {} (last stream {}, code {})", peerIp, lastStreamId, errorCode);
    }

    @Override
    public void onClosed(Http2Connection c, Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        idleSince = 0;
        cancelIdle();
        if (cause != null) {
            Log.LOG.debug("HTTP/2 connection from {} ended: {}", peerIp, cause.toString());
        }
        // The socket is the Http2Connection's to close: after a connection error or close() it
        // waits until its GOAWAY is written (at most CLOSE_LINGER), and closing it here would drop
        // a GOAWAY still queued behind DATA (conformance: every connection error case over TLS).
        onClosed.accept(this);
    }

    // ---------------------------------------------------------------------------- stopping

    @Override
    public void drain() {
        if (closed || draining) {
            return;
        }
        draining = true;
        connection.shutdown();
    }

    @Override
    public void forceClose() {
        if (!closed) {
            connection.close();
        }
    }

    boolean isClosed() {
        return closed || connection.isClosed();
    }

    @Override
    public long idleSince() {
        return idleSince;
    }

    @Override
    public boolean closeIfIdle() {
        if (closed || draining || idleSince == 0 || !active.isEmpty()) {
            return false;
        }
        Log.LOG.debug("Closing idle HTTP/2 connection from {}: resources low", peerIp);
        drain(); // GOAWAY; with no stream open the connection closes at once
        return true;
    }

    private void armIdle() {
        if (closed || idleTimer != null) {
            return;
        }
        idleTimer = loop.callLater(options.idleConnectionTimeout(), () -> {
            idleTimer = null;
            if (active.isEmpty() && !closed) {
                Log.LOG.debug("Closing idle HTTP/2 connection from {}", peerIp);
                connection.shutdown();
            }
        });
    }

    private void cancelIdle() {
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
    }

    @Override
    public String toString() {
        return "Http2ServerConnection[" + peerIp + ", " + active.size() + " streams]";
    }
}
