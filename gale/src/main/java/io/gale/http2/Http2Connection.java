package io.gale.http2;

import io.gale.http.HttpHeaders;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import io.gale.iostream.IOStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/2 connection machinery both sides share (RFC 9113), over one {@link IOStream}: the
 * preface and SETTINGS exchange (with ACK and a timeout), stream states and id rules, flow
 * control at connection and stream level, PING, RST_STREAM, GOAWAY, the message rules of section 8
 * and the flood defences. What differs between client and server is small and decided by
 * {@link #client}/{@link #server}: id parity, who sends the preface, which heads are valid, who
 * may open streams. Side-specific behaviour (what a new stream means, what to do when the peer
 * goes away) is the {@link Handler}'s; each stream's messages go to its
 * {@link Http2Stream.Listener}.
 *
 * <h2>Driving it</h2>
 * <pre>{@code
 * Http2Connection c = Http2Connection.client(stream, Http2Limits.DEFAULTS, handler);
 * c.start();                                      // preface, SETTINGS, connection WINDOW_UPDATE; reading
 * Http2Stream s = c.newStream(listener);          // once handler.onReady ran, while c.canOpenStream()
 * s.sendRequest("GET", "https", "example.com", "/", headers, true);
 * }</pre>
 * {@link #start} reads the socket with {@link IOStream#readStreaming} (the loop's scratch buffer,
 * parsed in place: a connection holds no read buffer of its own) and hands every read to
 * {@link #receive}, which consumes every byte, dispatches the frames, and writes what they call
 * for (ACKs, WINDOW_UPDATEs, resets) in one gathering write at the end; calls from the
 * application outside {@code receive} write at once. DATA payloads and field block fragments are
 * never copied on the way in (they are slices of the read buffer) nor on the way out. A server
 * that peeked at the preface ({@link Http2Preface#match}) leaves it in the stream: the parser
 * reads it from there.
 *
 * <h2>Errors</h2>
 * Nothing the peer sends makes it throw: every violation is answered as section 5.4 says, with
 * the code the RFC names, in one place here. A stream error resets that stream (RST_STREAM) and
 * tells its listener; a connection error sends GOAWAY with the last stream id we processed, fails
 * every stream and closes the socket once the GOAWAY is written (at most {@link #CLOSE_LINGER}
 * later). Stream state rules: frames on idle streams (PROTOCOL_ERROR, connection), DATA or HEADERS
 * on half-closed (remote) or closed streams (STREAM_CLOSED; ignored on a stream we reset
 * ourselves), decreasing or wrong-parity stream ids (PROTOCOL_ERROR), windows above 2^31-1
 * (FLOW_CONTROL_ERROR), DATA beyond a window (FLOW_CONTROL_ERROR), PUSH_PROMISE to a client that
 * disabled push (PROTOCOL_ERROR), malformed messages (PROTOCOL_ERROR, stream). Floods end the
 * connection with ENHANCE_YOUR_CALM (see {@link Http2Limits}). A listener that throws is a bug;
 * its stream is reset with INTERNAL_ERROR and the exception logged.
 *
 * <h2>Closing</h2>
 * {@link #close()} sends GOAWAY (NO_ERROR) and ends every stream; {@link #shutdown()} sends it but
 * lets the active streams finish. A peer's GOAWAY fails our streams above its last stream id as
 * unprocessed ({@link Http2Exception#unprocessed()}) and lets the others finish; the connection
 * closes when none are left. {@link Handler#onClosed} is called exactly once.
 *
 * <p>Threading: confined to the stream's loop; every method must be called there
 * ({@link IllegalStateException} otherwise).
 */
public final class Http2Connection {

    /** Side-specific reactions of the connection's owner, called on the loop. */
    public interface Handler {
        /** The peer's first SETTINGS arrived: its limits are known and streams may be opened. */
        default void onReady(Http2Connection connection) {
        }

        /**
         * A server's view: the peer opened a stream with a valid request head (delivered next to
         * the returned listener's {@link Http2Stream.Listener#onHeaders}). Return null to refuse it
         * (RST_STREAM REFUSED_STREAM: the client may retry). Never called on a client, which
         * refuses server-initiated streams.
         */
        default Http2Stream.Listener onPeerStream(Http2Connection connection, Http2Stream stream) {
            return null;
        }

        /** A stream closed: it counts no more against the concurrency limit. */
        default void onStreamClosed(Http2Connection connection, Http2Stream stream) {
        }

        /** The peer's SETTINGS changed (after the first): the concurrency limit may have moved. */
        default void onSettings(Http2Connection connection) {
        }

        /**
         * The peer sent GOAWAY: no new streams; ours above {@code lastStreamId} were already failed
         * as unprocessed.
         */
        default void onGoAway(Http2Connection connection, int lastStreamId, long errorCode) {
        }

        /** The connection closed; {@code cause} is null for an orderly end. Called once. */
        void onClosed(Http2Connection connection, Throwable cause);
    }

    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(Http2Connection.class);
    }

    /** How long a GOAWAY may take to be written before the socket is closed anyway. */
    static final java.time.Duration CLOSE_LINGER = java.time.Duration.ofSeconds(1);
    private static final int MAX_DEBUG = 256;

    private final boolean client;
    private final IOStream io;
    private final IOLoop loop;
    private final Http2Limits limits;
    private final Handler handler;
    private final Http2FrameParser parser;
    private final HpackDecoder decoder;
    private final Http2FieldEncoder encoder;
    private final Http2Outbound out;
    /**
     * DATA payloads up to this size are copied after their frame header instead of written from the
     * caller's buffer: below it a copy costs less than another segment of the gathering write (and
     * the socket write copies a heap buffer anyway).
     */
    private static final int COPIED_PAYLOAD = 1024;
    private final Http2StreamIds ids;
    private final Map<Integer, Http2Stream> streams = new HashMap<>();
    private final Http2InboundWindow inbound;
    private final Http2OutboundWindow outbound = new Http2OutboundWindow(Http2InboundWindow.DEFAULT_SIZE);
    private final ArrayDeque<Http2Stream> blocked = new ArrayDeque<>();

    // the peer's settings
    private long peerMaxConcurrentStreams = Long.MAX_VALUE;
    private int peerInitialWindow = Http2InboundWindow.DEFAULT_SIZE;
    private int peerMaxFrameSize = Http2Frames.DEFAULT_MAX_FRAME_SIZE;
    private boolean peerConnectProtocol;
    private boolean ready;
    private Timeout settingsTimer;
    private boolean settingsAcked;

    private int activeLocal;
    private int activePeer;
    private boolean goAwayReceived;
    private int peerLastStreamId = Integer.MAX_VALUE;
    private boolean goAwaySent;
    private int lastProcessedPeer;
    private boolean closed;
    private boolean receiving;
    private int emptyFrames;
    private long streamsOpened;
    private int peerResets;
    private long peerResetWindowStart;

    // the field block being received
    private Http2Stream blockStream;
    private Http2Fields blockFields;
    private boolean blockEndStream;
    private Http2Error blockError;
    private boolean blockNewStream;
    private final HpackDecoder.FieldSink sink = (name, value, sensitive) -> {
        if (blockFields != null) {
            blockFields.field(name, value);
        }
    };

    // the DATA frame being received
    private Http2Stream dataStream;
    private int dataLength;
    private int dataDelivered;

    private CompletableFuture<Void> pingFuture;
    private long pingData;

    /** An {@code Upgrade: h2c} connection: the client's HTTP2-Settings and stream 1's head; null otherwise. */
    private Http2SettingsHeader upgradeSettings;
    private Http2Fields upgradeHead;

    private Http2Connection(boolean client, IOStream io, Http2Limits limits, Handler handler) {
        this.client = client;
        this.io = io;
        this.loop = io.loop();
        this.limits = limits;
        this.handler = handler;
        this.parser = client ? Http2FrameParser.forClient(limits) : Http2FrameParser.forServer(limits);
        this.decoder = new HpackDecoder(HpackDecoder.DEFAULT_TABLE_SIZE, limits);
        this.encoder = new Http2FieldEncoder(limits.encoderTableSize());
        this.out = new Http2Outbound(io);
        this.ids = new Http2StreamIds(client);
        this.inbound = new Http2InboundWindow(Http2InboundWindow.DEFAULT_SIZE, limits.connectionWindowSize());
    }

    /** The client end of a connection on {@code io} (TLS with ALPN h2, or h2c with prior knowledge). */
    public static Http2Connection client(IOStream io, Http2Limits limits, Handler handler) {
        return new Http2Connection(true, io, limits, handler);
    }

    /** The server end of a connection on {@code io}; the client's preface is expected first. */
    public static Http2Connection server(IOStream io, Http2Limits limits, Handler handler) {
        return new Http2Connection(false, io, limits, handler);
    }

    /**
     * The server end of a connection that an HTTP/1.1 request upgraded ({@code Upgrade: h2c},
     * RFC 7540 section 3.2), after the 101 response was written. {@link #start} sends our
     * SETTINGS, applies the client's {@code settings} (from its HTTP2-Settings field; no ACK is
     * owed for them) and opens stream 1 for the upgrading request: half-closed (remote), its
     * {@code head} delivered to the stream handed to {@link Handler#onPeerStream} as if a HEADERS
     * frame with END_STREAM had brought it, so its response goes out on stream 1. The client's
     * preface and SETTINGS are still expected next.
     *
     * @throws IllegalArgumentException if {@code settings} or {@code head} is malformed (the
     *     caller answers over HTTP/1.1 instead)
     */
    public static Http2Connection serverUpgrade(IOStream io, Http2Limits limits, Handler handler,
                                                Http2SettingsHeader settings, Http2Fields head) {
        if (settings.malformed() != null || head.malformed() != null || head.kind() != Http2Fields.Kind.REQUEST) {
            throw new IllegalArgumentException("not an upgradable request: " + settings + ", " + head);
        }
        Http2Connection c = new Http2Connection(false, io, limits, handler);
        c.upgradeSettings = settings;
        c.upgradeHead = head;
        return c;
    }

    // ------------------------------------------------------------------------- lifecycle

    /**
     * Sends our side of the connection preface (a client's 24 octets, then SETTINGS either way)
     * and a WINDOW_UPDATE raising the connection window to {@link Http2Limits#connectionWindowSize()};
     * starts the SETTINGS acknowledgement timer and the reading.
     */
    public void start() {
        checkLoop();
        if (client) {
            out.bytes(Http2Preface.bytes());
        }
        Http2Settings s = localSettings();
        Http2FrameWriter.writeSettings(out.frame(Http2FrameWriter.settingsSize(s)), s);
        int inc = inbound.openToTarget();
        if (inc > 0) {
            Http2FrameWriter.writeWindowUpdate(out.frame(Http2FrameWriter.WINDOW_UPDATE_SIZE), 0, inc);
        }
        settingsTimer = loop.callLater(limits.settingsTimeout(), () -> {
            settingsTimer = null;
            if (!settingsAcked) {
                connectionError(Http2ErrorCode.SETTINGS_TIMEOUT, "SETTINGS not acknowledged within "
                    + limits.settingsTimeout().toMillis() + " ms");
            }
        });
        flush();
        if (upgradeHead != null) {
            openUpgradeStream();
        }
        io.readStreaming(data -> {
            receive(data);
            return !closed;
        }).whenComplete((v, e) -> {
            if (e != null) {
                Throwable cause = e;
                while ((cause instanceof java.util.concurrent.CompletionException
                    || cause instanceof io.gale.iostream.StreamClosedException) && cause.getCause() != null) {
                    cause = cause.getCause();
                }
                inputClosed(cause);
            }
        });
    }

    /** Stream 1 of an upgraded connection (see {@link #serverUpgrade}), answered like any other. */
    private void openUpgradeStream() {
        Http2Fields head = upgradeHead;
        upgradeHead = null;
        receiving = true;
        try {
            applyPeerSettings(upgradeSettings.settings());
            upgradeSettings = null;
            int id = 1;
            ids.acceptPeer(id);
            lastProcessedPeer = id;
            Http2Stream s = new Http2Stream(this, null, limits.initialWindowSize(), peerInitialWindow);
            s.id = id;
            streams.put(id, s);
            activePeer++;
            s.state = s.state.receiveHeaders(true);                                   // half-closed (remote)
            s.recordBlock(head);
            Http2Stream.Listener l;
            try {
                l = handler.onPeerStream(this, s);
            } catch (RuntimeException ex) {
                Log.LOG.error("HTTP/2 handler failed for the upgraded stream on {}", io, ex);
                l = null;
            }
            if (l == null) {
                streamError(id, Http2ErrorCode.REFUSED_STREAM, "refused");
            } else {
                s.listener = l;
                deliverHeaders(s, head, true);
                closeIfClosed(s);
            }
        } catch (RuntimeException ex) {
            Log.LOG.error("HTTP/2 connection {}: internal error opening the upgraded stream", io, ex);
            connectionError(Http2ErrorCode.INTERNAL_ERROR, "internal error");
        } finally {
            receiving = false;
        }
        flush();
    }

    private Http2Settings localSettings() {
        Http2Settings s = new Http2Settings();
        if (limits.headerTableSize() != Http2Settings.initialValue(Http2Settings.HEADER_TABLE_SIZE)) {
            s.set(Http2Settings.HEADER_TABLE_SIZE, limits.headerTableSize());
        }
        if (client) {
            s.set(Http2Settings.ENABLE_PUSH, 0);
        }
        s.set(Http2Settings.MAX_CONCURRENT_STREAMS, limits.maxConcurrentStreams());
        if (limits.initialWindowSize() != Http2InboundWindow.DEFAULT_SIZE) {
            s.set(Http2Settings.INITIAL_WINDOW_SIZE, limits.initialWindowSize());
        }
        if (limits.maxFrameSize() != Http2Frames.DEFAULT_MAX_FRAME_SIZE) {
            s.set(Http2Settings.MAX_FRAME_SIZE, limits.maxFrameSize());
        }
        s.set(Http2Settings.MAX_HEADER_LIST_SIZE, limits.maxHeaderListSize());
        if (!client) {
            s.set(Http2Settings.ENABLE_CONNECT_PROTOCOL, 1); // RFC 8441: WebSocket over extended CONNECT
        }
        return s;
    }

    /**
     * Processes bytes read from the socket (position to limit; all are consumed) and writes what
     * they call for. Never throws for anything the peer sent. {@link #start} calls it for every
     * read; it is public for owners that read the socket themselves.
     */
    public void receive(ByteBuffer in) {
        checkLoop();
        receiving = true;
        try {
            while (!closed) {
                Http2FrameParser.Event e = parser.next(in);
                if (e == Http2FrameParser.Event.NEED_MORE) {
                    break;
                }
                dispatch(e);
            }
        } catch (RuntimeException ex) {
            Log.LOG.error("HTTP/2 connection {}: internal error while receiving", io, ex);
            connectionError(Http2ErrorCode.INTERNAL_ERROR, "internal error");
        } finally {
            receiving = false;
        }
        if (closed) {
            in.position(in.limit());
        }
        flush();
    }

    /**
     * The read side ended: {@code cause} is an {@link EOFException} when the peer closed, else the
     * read error. Fails the streams left and closes. Called by the reading {@link #start} began.
     */
    public void inputClosed(Throwable cause) {
        checkLoop();
        if (closed) {
            return;
        }
        boolean orderly = cause instanceof EOFException && streams.isEmpty();
        String what = goAwayReceived ? "connection closed by the peer after GOAWAY"
            : "connection closed by the peer" + (cause instanceof EOFException ? "" : ": " + cause);
        Http2Exception e = new Http2Exception(what, Http2ErrorCode.NO_ERROR.code, true, cause);
        finish(e, orderly ? null : e);
        io.close();
    }

    /** Whether the connection is closed (or closing after a GOAWAY). */
    public boolean isClosed() {
        return closed;
    }

    /** Whether the peer's first SETTINGS arrived. */
    public boolean isReady() {
        return ready;
    }

    /**
     * Whether {@link #newStream} may be used now: open, neither side going away, stream ids left,
     * and fewer active streams of ours than the peer's SETTINGS_MAX_CONCURRENT_STREAMS.
     */
    public boolean canOpenStream() {
        return !closed && !goAwayReceived && !goAwaySent && ids.hasLocalIds() && activeLocal < peerMaxConcurrentStreams;
    }

    /** Whether new streams can still be opened later (no GOAWAY either way, ids left): a pool keeps it. */
    public boolean isUsable() {
        return !closed && !goAwayReceived && !goAwaySent && ids.hasLocalIds();
    }

    /** Streams of ours that count against the peer's limit. */
    public int activeStreams() {
        return activeLocal;
    }

    /** The peer's SETTINGS_MAX_CONCURRENT_STREAMS ({@link Long#MAX_VALUE} until it sets one). */
    public long peerMaxConcurrentStreams() {
        return peerMaxConcurrentStreams;
    }

    /** The peer allows extended CONNECT (RFC 8441 SETTINGS_ENABLE_CONNECT_PROTOCOL). */
    public boolean peerAllowsConnectProtocol() {
        return peerConnectProtocol;
    }

    /** Streams opened by this endpoint so far. */
    public long streamsOpened() {
        return streamsOpened;
    }

    /** A new local stream, not on the wire until its head is sent ({@link Http2Stream#sendRequest}). */
    public Http2Stream newStream(Http2Stream.Listener listener) {
        checkLoop();
        return new Http2Stream(this, listener, limits.initialWindowSize(), peerInitialWindow);
    }

    /**
     * Sends PING; completes when the peer's ACK arrives, fails if the connection closes first.
     * One at a time: a second call while one is outstanding returns the same future.
     */
    public CompletableFuture<Void> ping() {
        checkLoop();
        if (closed) {
            return CompletableFuture.failedFuture(new Http2Exception("connection closed", 0, false, true));
        }
        if (pingFuture == null) {
            pingFuture = new CompletableFuture<>();
            pingData = System.nanoTime();
            Http2FrameWriter.writePing(out.frame(Http2FrameWriter.PING_SIZE), pingData, false);
            flushSoon();
        }
        return pingFuture;
    }

    /**
     * Graceful end: GOAWAY (NO_ERROR, the last peer stream we processed); no new streams either
     * way; the connection closes when the active streams are done.
     */
    public void shutdown() {
        checkLoop();
        if (closed || goAwaySent) {
            return;
        }
        sendGoAway(Http2ErrorCode.NO_ERROR, "");
        flushSoon();
        closeIfDone();
    }

    /** Ends the connection now: GOAWAY (NO_ERROR), every stream failed, the socket closed. */
    public void close() {
        checkLoop();
        if (closed) {
            return;
        }
        if (!goAwaySent) {
            sendGoAway(Http2ErrorCode.NO_ERROR, "");
        }
        Http2Exception e = new Http2Exception("connection closed by this endpoint", Http2ErrorCode.CANCEL.code, false,
            true);
        lingerAndFinish(e, null);
    }

    // ---------------------------------------------------------------------- dispatching

    private void dispatch(Http2FrameParser.Event e) {
        switch (e) {
            case DATA -> onData();
            case HEADERS -> onBlockFragment(true);
            case CONTINUATION -> onBlockFragment(false);
            case PUSH_PROMISE -> connectionError(Http2ErrorCode.PROTOCOL_ERROR,
                "PUSH_PROMISE although SETTINGS_ENABLE_PUSH is 0");                              // 8.4
            case RST_STREAM -> onRstStream();
            case SETTINGS -> onSettings();
            case PING -> onPing();
            case GOAWAY -> onGoAway();
            case WINDOW_UPDATE -> onWindowUpdate();
            case PRIORITY, UNKNOWN -> {
                // accepted and ignored (sections 5.3.2, 5.5)
            }
            case ERROR -> onParserError(parser.error());
            case NEED_MORE -> throw new AssertionError();
        }
    }

    private void onParserError(Http2Error err) {
        if (err.isConnectionError()) {
            connectionError(err.code(), err.reason());
            return;
        }
        int id = err.streamId();
        if (parser.type() == Http2Frames.DATA) {
            // the frame still counts against the connection window (section 6.9)
            if (!inbound.receive(parser.length())) {
                connectionError(Http2ErrorCode.FLOW_CONTROL_ERROR, "DATA beyond the connection window");
                return;
            }
            returnConnectionBytes(parser.length());
        }
        if (!ids.isLocal(id) && ids.isIdle(id)) {
            ids.acceptPeer(id); // the id is used now: its block is decoded and discarded
        }
        streamError(id, err.code(), err.reason());
    }

    // -------------------------------------------------------------------------- DATA

    private void onData() {
        int id = parser.streamId();
        if (parser.isFirstSlice() && !beginData(id)) {
            return;
        }
        Http2Stream s = dataStream;
        ByteBuffer p = parser.payload();
        int n = p.remaining();
        boolean last = parser.isLastSlice();
        if (s == null || s.id != id || s.isClosed()) {
            if (last) {
                returnUndelivered(null);
            }
            return;
        }
        boolean end = last && parser.endStream();
        String bad = s.checkData(n, end);
        if (bad != null) {
            returnUndelivered(null);
            streamError(id, Http2ErrorCode.PROTOCOL_ERROR, "malformed message: " + bad);              // 8.1.1
            return;
        }
        dataDelivered += n;
        if (last) {
            returnUndelivered(s); // padding
        }
        if (end) {
            s.state = s.state.receiveData(true);
        }
        if (n > 0 || end) {
            deliverData(s, p, end);
        }
        if (end) {
            closeIfClosed(s);
        }
    }

    /** The first slice of a DATA frame: window accounting and stream checks; false if the frame is dropped. */
    private boolean beginData(int id) {
        int len = parser.length();
        dataStream = null;
        dataLength = len;
        dataDelivered = 0;
        if (len == 0 && !parser.endStream()) {
            if (++emptyFrames > limits.maxConsecutiveEmptyFrames()) {
                connectionError(Http2ErrorCode.ENHANCE_YOUR_CALM, "flood of empty DATA frames");
                return false;
            }
        } else {
            emptyFrames = 0;
        }
        if (!inbound.receive(len)) {
            connectionError(Http2ErrorCode.FLOW_CONTROL_ERROR, "DATA beyond the connection window");    // 6.9.1
            return false;
        }
        Http2Stream s = streams.get(id);
        if (s == null) {
            if (ids.isIdle(id)) {
                connectionError(Http2ErrorCode.PROTOCOL_ERROR, "DATA on an idle stream");               // 5.1
                return false;
            }
            if (ids.closed(id) != Http2StreamIds.Closed.RESET_BY_US) {
                streamError(id, Http2ErrorCode.STREAM_CLOSED, "DATA on a closed stream");               // 5.1
            }
            return true; // bytes returned at the last slice
        }
        if (s.state.receiveData(parser.endStream()) == null) {
            streamError(Http2StreamState.receiveError(id, s.state, Http2Frames.DATA));             // 5.1
            return true;
        }
        if (!s.headReceived) {
            streamError(id, Http2ErrorCode.PROTOCOL_ERROR, "malformed message: DATA before the head"); // 8.1
            return true;
        }
        if (!s.in.receive(len)) {
            streamError(id, Http2ErrorCode.FLOW_CONTROL_ERROR, "DATA beyond the stream window");       // 6.9.1
            return true;
        }
        dataStream = s;
        return true;
    }

    /** At a DATA frame's end: gives back at once what was not delivered (padding, dropped bytes). */
    private void returnUndelivered(Http2Stream s) {
        int n = dataLength - dataDelivered;
        dataDelivered = dataLength;
        if (n <= 0) {
            return;
        }
        returnConnectionBytes(n);
        if (s != null) {
            returnStreamBytes(s, n);
        }
    }

    /** Gives {@code n} bytes back to a stream's window, while the peer may still send on it. */
    private void returnStreamBytes(Http2Stream s, int n) {
        if (s.state.canReceive() && streams.get(s.id) == s) {
            int inc = s.in.consume(n);
            if (inc > 0) {
                Http2FrameWriter.writeWindowUpdate(out.frame(Http2FrameWriter.WINDOW_UPDATE_SIZE), s.id, inc);
            }
        }
    }

    private void returnConnectionBytes(int n) {
        int inc = inbound.consume(n);
        if (inc > 0) {
            Http2FrameWriter.writeWindowUpdate(out.frame(Http2FrameWriter.WINDOW_UPDATE_SIZE), 0, inc);
        }
    }

    void consumed(Http2Stream s, int n) {
        checkLoop();
        if (closed || n <= 0) {
            return;
        }
        returnConnectionBytes(n);
        returnStreamBytes(s, n);
        flushSoon();
    }

    // ------------------------------------------------------------------ field blocks

    private void onBlockFragment(boolean headersFrame) {
        if (headersFrame && parser.isFirstSlice()) {
            beginBlock(parser.streamId(), parser.endStream());
            if (closed) {
                return;
            }
        }
        Http2Error e = decoder.decode(parser.payload(), parser.isEndOfBlock(), sink);
        if (e != null) {
            connectionError(e.code(), e.reason());
            return;
        }
        if (parser.isEndOfBlock()) {
            endBlock(parser.streamId());
        }
    }

    private void beginBlock(int id, boolean endStream) {
        emptyFrames = 0;
        blockStream = null;
        blockFields = null;
        blockError = null;
        blockNewStream = false;
        blockEndStream = endStream;
        Http2Stream s = streams.get(id);
        if (s != null) {
            if (s.state.receiveHeaders(endStream) == null) {
                blockError = Http2StreamState.receiveError(id, s.state, Http2Frames.HEADERS);         // 5.1
                return;
            }
            blockStream = s;
            blockFields = new Http2Fields(s.headReceived ? Http2Fields.Kind.TRAILERS
                : client ? Http2Fields.Kind.RESPONSE : Http2Fields.Kind.REQUEST);
            return;
        }
        if (ids.isLocal(id)) {
            if (ids.isIdle(id)) {
                connectionError(Http2ErrorCode.PROTOCOL_ERROR, "HEADERS on an idle stream");           // 5.1
            } else {
                onHeadersOnClosed(id);
            }
            return;
        }
        if (client) {
            connectionError(Http2ErrorCode.PROTOCOL_ERROR, "server-initiated stream");             // 5.1.1, 8.4
            return;
        }
        if (!ids.isIdle(id)) {
            onHeadersOnClosed(id);
            return;
        }
        ids.acceptPeer(id);
        if (goAwaySent) {
            return; // above the last stream id we announced: ignored (section 6.8), block decoded only
        }
        if (activePeer >= limits.maxConcurrentStreams()) {
            blockError = Http2Error.stream(id, Http2ErrorCode.REFUSED_STREAM, "too many concurrent streams"); // 5.1.2
            return;
        }
        Http2Stream ns = new Http2Stream(this, null, limits.initialWindowSize(), peerInitialWindow);
        ns.id = id;
        blockStream = ns;
        blockNewStream = true;
        blockFields = new Http2Fields(Http2Fields.Kind.REQUEST);
    }

    private void onHeadersOnClosed(int id) {
        switch (ids.closed(id)) {
            case RESET_BY_US -> {
                // late frames of a stream we reset are ignored (section 5.1); the block is decoded only
            }
            case CLOSED -> connectionError(Http2ErrorCode.STREAM_CLOSED, "HEADERS on a closed stream"); // 5.1
            case UNKNOWN -> connectionError(Http2ErrorCode.PROTOCOL_ERROR,
                "HEADERS on a closed or skipped stream id");                                          // 5.1.1
        }
    }

    private void endBlock(int id) {
        Http2Stream s = blockStream;
        Http2Fields f = blockFields;
        boolean end = blockEndStream;
        blockStream = null;
        blockFields = null;
        if (blockError != null) {
            Http2Error e = blockError;
            blockError = null;
            streamError(e);
            return;
        }
        if (s == null) {
            return;
        }
        f.finish(decoder.headerListTooLarge());
        String bad = f.malformed();
        if (bad == null && !f.tooLarge()) {
            bad = s.checkBlock(f, end);
        }
        if (blockNewStream && id > lastProcessedPeer) {
            lastProcessedPeer = id;
        }
        if (bad != null && !f.tooLarge()) {
            streamError(id, Http2ErrorCode.PROTOCOL_ERROR, "malformed message: " + bad);           // 8.1.1
            return;
        }
        if (blockNewStream) {
            streams.put(id, s);
            activePeer++;
        }
        s.state = s.state.receiveHeaders(end);
        s.recordBlock(f);
        if (blockNewStream) {
            Http2Stream.Listener l;
            try {
                l = handler.onPeerStream(this, s);
            } catch (RuntimeException ex) {
                Log.LOG.error("HTTP/2 handler failed for a new stream on {}", io, ex);
                l = null;
            }
            if (l == null) {
                streamError(id, Http2ErrorCode.REFUSED_STREAM, "refused");
                return;
            }
            s.listener = l;
        }
        deliverHeaders(s, f, end);
        if (end) {
            closeIfClosed(s);
        }
    }

    // -------------------------------------------------------------- control frames

    private void onRstStream() {
        int id = parser.streamId();
        if (!client && rapidResets()) {
            return;
        }
        Http2Stream s = streams.get(id);
        if (s == null) {
            if (ids.isIdle(id)) {
                connectionError(Http2ErrorCode.PROTOCOL_ERROR, "RST_STREAM on an idle stream");       // 6.4
            }
            return;
        }
        long code = parser.errorCode();
        boolean refused = code == Http2ErrorCode.REFUSED_STREAM.code;
        s.state = Http2StreamState.CLOSED;
        Http2Exception e = new Http2Exception("stream " + id + " reset by the peer: " + Http2ErrorCode.describe(code),
            code, refused, false);
        closeStream(s, e);
        deliverError(s, e);
    }

    /**
     * Counts a peer's RST_STREAM against {@link Http2Limits#maxPeerResets()} per
     * {@link Http2Limits#peerResetWindow()}; true (and the connection ended with
     * ENHANCE_YOUR_CALM) when it is one too many: the rapid reset attack, CVE-2023-44487.
     */
    private boolean rapidResets() {
        long now = loop.time();
        if (peerResets == 0 || now - peerResetWindowStart > limits.peerResetWindow().toNanos()) {
            peerResetWindowStart = now;
            peerResets = 0;
        }
        if (++peerResets > limits.maxPeerResets()) {
            connectionError(Http2ErrorCode.ENHANCE_YOUR_CALM, "more than " + limits.maxPeerResets()
                + " streams reset by the peer within " + limits.peerResetWindow().toSeconds() + " s (rapid reset)");
            return true;
        }
        return false;
    }

    private void onSettings() {
        if (parser.isAck()) {
            if (!settingsAcked) {
                settingsAcked = true;
                if (settingsTimer != null) {
                    settingsTimer.cancel();
                    settingsTimer = null;
                }
                decoder.setMaxTableSize(limits.headerTableSize());
            }
            return;
        }
        if (!applyPeerSettings(parser.settings())) {
            return;
        }
        Http2FrameWriter.writeSettingsAck(out.reply(Http2FrameWriter.SETTINGS_ACK_SIZE));                // 6.5.3
        boolean first = !ready;
        ready = true;
        try {
            if (first) {
                handler.onReady(this);
            } else {
                handler.onSettings(this);
            }
        } catch (RuntimeException ex) {
            Log.LOG.error("HTTP/2 handler failed on SETTINGS on {}", io, ex);
        }
    }

    /**
     * Applies the peer's parameters (a SETTINGS frame, or an upgrade's HTTP2-Settings); false if
     * that ended the connection (a stream window pushed above 2^31-1).
     */
    private boolean applyPeerSettings(Http2Settings st) {
        long delta = 0;
        if (st.has(Http2Settings.HEADER_TABLE_SIZE)) {
            encoder.setPeerMaxTableSize(st.valueOr(Http2Settings.HEADER_TABLE_SIZE, 4096));
        }
        if (st.has(Http2Settings.MAX_CONCURRENT_STREAMS)) {
            peerMaxConcurrentStreams = st.valueOr(Http2Settings.MAX_CONCURRENT_STREAMS, Long.MAX_VALUE);
        }
        if (st.has(Http2Settings.INITIAL_WINDOW_SIZE)) {
            int v = (int) st.valueOr(Http2Settings.INITIAL_WINDOW_SIZE, Http2InboundWindow.DEFAULT_SIZE);
            delta = (long) v - peerInitialWindow;
            peerInitialWindow = v;
            for (Http2Stream s : streams.values()) {
                if (!s.out.adjust(delta)) {
                    connectionError(Http2ErrorCode.FLOW_CONTROL_ERROR, "stream window above 2^31-1");   // 6.9.2
                    return false;
                }
            }
        }
        if (st.has(Http2Settings.MAX_FRAME_SIZE)) {
            peerMaxFrameSize = (int) st.valueOr(Http2Settings.MAX_FRAME_SIZE, Http2Frames.DEFAULT_MAX_FRAME_SIZE);
        }
        if (st.has(Http2Settings.ENABLE_CONNECT_PROTOCOL)) {
            peerConnectProtocol = st.valueOr(Http2Settings.ENABLE_CONNECT_PROTOCOL, 0) == 1;
        }
        if (delta > 0) {
            for (Http2Stream s : new ArrayList<>(streams.values())) {
                pump(s);
            }
        }
        return true;
    }

    private void onPing() {
        if (parser.isAck()) {
            if (pingFuture != null && parser.pingData() == pingData) {
                CompletableFuture<Void> f = pingFuture;
                pingFuture = null;
                f.complete(null);
            }
            return;
        }
        Http2FrameWriter.writePing(out.reply(Http2FrameWriter.PING_SIZE), parser.pingData(), true);     // 6.7
    }

    private void onGoAway() {
        int last = parser.lastStreamId();
        long code = parser.errorCode();
        goAwayReceived = true;
        peerLastStreamId = Math.min(peerLastStreamId, last);
        String debug = printable(parser.debugData());
        String why = Http2ErrorCode.describe(code) + (debug.isEmpty() ? "" : ", \"" + debug + "\"");
        List<Http2Stream> unprocessed = new ArrayList<>();
        for (Http2Stream s : streams.values()) {
            if (ids.isLocal(s.id) && s.id > last) {
                unprocessed.add(s);
            }
        }
        unprocessed.sort((a, b) -> Integer.compare(a.id, b.id));
        for (Http2Stream s : unprocessed) {
            s.state = Http2StreamState.CLOSED;
            Http2Exception e = new Http2Exception("stream " + s.id + " not processed: the peer sent GOAWAY (last stream "
                + last + ", " + why + ")", code, true, true);
            closeStream(s, e);
            deliverError(s, e);
        }
        try {
            handler.onGoAway(this, last, code);
        } catch (RuntimeException ex) {
            Log.LOG.error("HTTP/2 handler failed on GOAWAY on {}", io, ex);
        }
        closeIfDone();
    }

    /** The peer's GOAWAY debug data for a message: at most {@link #MAX_DEBUG} printable ASCII characters. */
    private static String printable(byte[] debug) {
        StringBuilder sb = new StringBuilder(Math.min(debug.length, MAX_DEBUG));
        for (int i = 0; i < debug.length && i < MAX_DEBUG; i++) {
            int c = debug[i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
        }
        return sb.toString();
    }

    private void onWindowUpdate() {
        int id = parser.streamId();
        int inc = parser.windowIncrement();
        if (id == 0) {
            if (!outbound.increment(inc)) {
                connectionError(Http2ErrorCode.FLOW_CONTROL_ERROR, "connection window above 2^31-1");  // 6.9.1
                return;
            }
            resumeBlocked();
            return;
        }
        Http2Stream s = streams.get(id);
        if (s == null) {
            if (ids.isIdle(id)) {
                connectionError(Http2ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE on an idle stream");    // 5.1
            }
            return; // closed: a late update is allowed (section 5.1)
        }
        if (!s.out.increment(inc)) {
            streamError(id, Http2ErrorCode.FLOW_CONTROL_ERROR, "stream window above 2^31-1");        // 6.9.1
            return;
        }
        pump(s);
    }

    // ---------------------------------------------------------------------- sending

    void sendRequest(Http2Stream s, String method, String scheme, String authority, String path, HttpHeaders headers,
                     boolean endStream) {
        checkLoop();
        if (!client) {
            throw new IllegalStateException("a server does not send requests");
        }
        if (s.state != Http2StreamState.IDLE || s.id != 0) {
            throw new IllegalStateException("stream already opened: " + s);
        }
        if (!canOpenStream()) {
            throw new IllegalStateException("cannot open a stream now (closed, going away, or at the peer's limit of "
                + peerMaxConcurrentStreams + ")");
        }
        ByteOut block = encoder.request(method, scheme, authority, path, headers);
        s.id = ids.nextLocal();
        s.headRequest = method.equals("HEAD");
        s.out.adjust((long) peerInitialWindow - s.out.window()); // SETTINGS may have changed since newStream
        streams.put(s.id, s);
        activeLocal++;
        streamsOpened++;
        writeHeadersBlock(s, block, endStream);
        flushSoon();
    }

    void sendResponse(Http2Stream s, int status, HttpHeaders headers, HttpHeaders extra, boolean endStream) {
        checkLoop();
        if (client || !s.state.canSend() || s.endQueued) {
            throw new IllegalStateException("cannot send a response head on " + s);
        }
        writeHeadersBlock(s, encoder.response(status, headers, extra), endStream && status >= 200);
        flushSoon();
    }

    CompletableFuture<Void> sendData(Http2Stream s, ByteBuffer data, boolean endStream) {
        checkLoop();
        if (closed || s.endQueued || !s.state.canSend()) {
            return CompletableFuture.failedFuture(new Http2Exception("stream " + s.id + " can no longer send",
                Http2ErrorCode.STREAM_CLOSED.code, false, false));
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        s.addData(data, endStream, f);
        pump(s);
        flushSoon();
        return f;
    }

    CompletableFuture<Void> sendTrailers(Http2Stream s, HttpHeaders trailers) {
        checkLoop();
        if (closed || s.endQueued || !s.state.canSend()) {
            return CompletableFuture.failedFuture(new Http2Exception("stream " + s.id + " can no longer send",
                Http2ErrorCode.STREAM_CLOSED.code, false, false));
        }
        Http2FieldEncoder.sendable(trailers); // refuse now, not when the window opens
        CompletableFuture<Void> f = new CompletableFuture<>();
        s.addTrailers(trailers, f);
        pump(s);
        flushSoon();
        return f;
    }

    void resetByApplication(Http2Stream s, Http2ErrorCode code) {
        checkLoop();
        if (closed || s.id == 0 || s.isClosed() || streams.get(s.id) != s) {
            return;
        }
        writeRst(s.id, code, false);
        s.state = Http2StreamState.CLOSED;
        s.resetByUs = true;
        closeStream(s, new Http2Exception("stream " + s.id + " reset by this endpoint: " + code, code.code, false,
            false));
        flushSoon();
    }

    /** Sends what the windows allow of the stream's queued body and trailers. */
    private void pump(Http2Stream s) {
        while (!closed && s.hasPending() && !s.isClosed()) {
            Http2Stream.Pending p = s.peekPending();
            if (p.trailers() != null) {
                ByteOut block = encoder.trailers(p.trailers());
                s.pending.poll();
                out.onWritten(p.done());
                writeHeadersBlock(s, block, true);
                continue;
            }
            ByteBuffer d = p.data();
            int len = d.remaining();
            int n = Math.min(len, Math.min(Math.min(s.out.available(), outbound.available()), peerMaxFrameSize));
            if (len > 0 && n == 0) {
                if (outbound.available() == 0 && !s.blockedOnConnection) {
                    s.blockedOnConnection = true;
                    blocked.add(s);
                }
                return; // a WINDOW_UPDATE resumes it
            }
            int from = d.position();
            d.position(from + n);
            boolean done = !d.hasRemaining();
            boolean end = done && p.end();
            if (n <= COPIED_PAYLOAD) {
                // a small payload goes into the frame array: one segment less in the gathering write
                ByteBuffer f = out.frame(Http2Frames.HEADER_LENGTH + n);
                Http2FrameWriter.writeDataHeader(f, s.id, n, end);
                f.put(f.position(), d, from, n);
            } else {
                Http2FrameWriter.writeDataHeader(out.frame(Http2Frames.HEADER_LENGTH), s.id, n, end);
                out.payload(d.slice(from, n));
            }
            s.out.consume(n);
            outbound.consume(n);
            if (done) {
                s.pending.poll();
                out.onWritten(p.done());
                if (end) {
                    s.state = s.state.sendEndStream();
                    closeIfClosed(s);
                }
            }
        }
    }

    private void resumeBlocked() {
        while (outbound.available() > 0 && !blocked.isEmpty()) {
            Http2Stream s = blocked.poll();
            s.blockedOnConnection = false;
            pump(s);
        }
    }

    /** Frames an encoded block as HEADERS + CONTINUATION and moves the stream's state. */
    private void writeHeadersBlock(Http2Stream s, ByteOut block, boolean endStream) {
        int len = block.length();
        ByteBuffer f = out.frame(Http2FrameWriter.headersSize(len, peerMaxFrameSize));
        Http2FrameWriter.writeHeaders(f, s.id, block.array(), 0, len, endStream, peerMaxFrameSize);
        s.state = s.state.sendHeaders(endStream);
        if (endStream) {
            s.endQueued = true;
            closeIfClosed(s);
        }
    }

    // ------------------------------------------------------------ errors and closing

    private void streamError(Http2Error e) {
        streamError(e.streamId(), e.code(), e.reason());
    }

    /** A stream error (section 5.4.2): RST_STREAM, and the stream (if active) ends with its listener told. */
    private void streamError(int id, Http2ErrorCode code, String reason) {
        Http2Stream s = streams.get(id);
        writeRst(id, code, true);
        if (s == null) {
            ids.markClosed(id, true);
            return;
        }
        s.state = Http2StreamState.CLOSED;
        s.resetByUs = true;
        Http2Exception e = new Http2Exception("stream " + id + " error " + code + ": " + reason, code.code, false, false);
        closeStream(s, e);
        deliverError(s, e);
    }

    private void writeRst(int id, Http2ErrorCode code, boolean reply) {
        ByteBuffer f = reply ? out.reply(Http2FrameWriter.RST_STREAM_SIZE) : out.frame(Http2FrameWriter.RST_STREAM_SIZE);
        Http2FrameWriter.writeRstStream(f, id, code.code);
    }

    /** A connection error (section 5.4.1): GOAWAY with {@code code}, every stream failed, then close. */
    private void connectionError(Http2ErrorCode code, String reason) {
        if (closed) {
            return;
        }
        Log.LOG.debug("HTTP/2 connection error on {}: {} {}", io, code, reason);
        sendGoAway(code, reason);
        Http2Exception e = new Http2Exception("connection error " + code + ": " + reason + " (sent GOAWAY)", code.code,
            false, true);
        lingerAndFinish(e, e);
    }

    private void sendGoAway(Http2ErrorCode code, String reason) {
        goAwaySent = true;
        byte[] debug = reason.getBytes(StandardCharsets.ISO_8859_1);
        if (debug.length > MAX_DEBUG) {
            debug = java.util.Arrays.copyOf(debug, MAX_DEBUG);
        }
        Http2FrameWriter.writeGoAway(out.frame(Http2FrameWriter.goAwaySize(debug)), lastProcessedPeer, code.code, debug);
    }

    /** Writes what is pending (the GOAWAY), then closes the socket when written or after {@link #CLOSE_LINGER}. */
    private void lingerAndFinish(Http2Exception forStreams, Throwable cause) {
        CompletableFuture<Void> written = out.flushed();
        finish(forStreams, cause);
        if (!io.isClosed()) {
            Timeout t = loop.callLater(CLOSE_LINGER, io::close);
            written.whenComplete((v, e) -> {
                t.cancel();
                io.close();
            });
        }
    }

    /** Marks the connection closed, fails every stream, tells the handler; the caller closes the socket. */
    private void finish(Http2Exception forStreams, Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        if (settingsTimer != null) {
            settingsTimer.cancel();
            settingsTimer = null;
        }
        List<Http2Stream> left = new ArrayList<>(streams.values());
        left.sort((a, b) -> Integer.compare(a.id, b.id));
        streams.clear();
        blocked.clear();
        activeLocal = 0;
        activePeer = 0;
        for (Http2Stream s : left) {
            s.state = Http2StreamState.CLOSED;
            s.failPending(forStreams);
            deliverError(s, forStreams);
        }
        if (pingFuture != null) {
            pingFuture.completeExceptionally(forStreams);
            pingFuture = null;
        }
        try {
            handler.onClosed(this, cause);
        } catch (RuntimeException ex) {
            Log.LOG.error("HTTP/2 handler failed on close of {}", io, ex);
        }
    }

    /** Removes a stream that just became closed from the active ones (listener not told). */
    private void closeStream(Http2Stream s, Http2Exception pendingError) {
        if (streams.remove(s.id) != s) {
            return;
        }
        if (ids.isLocal(s.id)) {
            activeLocal--;
        } else {
            activePeer--;
        }
        ids.markClosed(s.id, s.resetByUs);
        if (s.blockedOnConnection) {
            blocked.remove(s);
            s.blockedOnConnection = false;
        }
        if (pendingError != null) {
            s.failPending(pendingError);
        }
        try {
            handler.onStreamClosed(this, s);
        } catch (RuntimeException ex) {
            Log.LOG.error("HTTP/2 handler failed on stream close on {}", io, ex);
        }
        closeIfDone();
    }

    private void closeIfClosed(Http2Stream s) {
        if (s.state == Http2StreamState.CLOSED) {
            closeStream(s, null);
        }
    }

    /** After GOAWAY either way: closes once no stream is left. */
    private void closeIfDone() {
        if (!closed && (goAwayReceived || goAwaySent) && streams.isEmpty()) {
            lingerAndFinish(new Http2Exception("connection closed after GOAWAY", 0, false, true), null);
        }
    }

    // ------------------------------------------------------------------- listeners

    private void deliverHeaders(Http2Stream s, Http2Fields f, boolean end) {
        try {
            s.listener.onHeaders(s, f, end);
        } catch (RuntimeException ex) {
            listenerFailed(s, ex);
        }
    }

    private void deliverData(Http2Stream s, ByteBuffer data, boolean end) {
        try {
            s.listener.onData(s, data, end);
        } catch (RuntimeException ex) {
            listenerFailed(s, ex);
        }
    }

    private void deliverError(Http2Stream s, Http2Exception e) {
        Http2Stream.Listener l = s.listener;
        if (l == null) {
            return;
        }
        try {
            l.onError(s, e);
        } catch (RuntimeException ex) {
            Log.LOG.error("HTTP/2 stream listener failed on {} of {}", s, io, ex);
        }
    }

    private void listenerFailed(Http2Stream s, RuntimeException ex) {
        Log.LOG.error("HTTP/2 stream listener failed on {} of {}", s, io, ex);
        if (!s.isClosed() && streams.get(s.id) == s) {
            writeRst(s.id, Http2ErrorCode.INTERNAL_ERROR, false);
            s.state = Http2StreamState.CLOSED;
            s.resetByUs = true;
            closeStream(s, new Http2Exception("stream " + s.id + " listener failed", Http2ErrorCode.INTERNAL_ERROR.code,
                false, false));
        }
    }

    // ------------------------------------------------------------------------ output

    private void flushSoon() {
        if (!receiving) {
            flush();
        }
    }

    private void flush() {
        out.flush();
        if (!closed && out.queuedReplies() > limits.maxQueuedControlFrames()) {
            connectionError(Http2ErrorCode.ENHANCE_YOUR_CALM,
                "flood of frames that need an answer while the answers are not read");
        }
    }

    private void checkLoop() {
        if (!loop.inLoop()) {
            throw new IllegalStateException("HTTP/2 connection used off its loop thread");
        }
    }

    @Override
    public String toString() {
        return "Http2Connection[" + (client ? "client" : "server") + ", " + io + ", " + streams.size() + " streams"
            + (closed ? ", closed" : goAwayReceived || goAwaySent ? ", going away" : "") + "]";
    }
}
