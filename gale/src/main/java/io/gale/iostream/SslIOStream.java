package io.gale.iostream;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.Timeout;
import io.gale.net.NetUtil;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * An {@link IOStream} over TLS, on a {@link SSLEngine} (Tornado's {@code SSLIOStream}). Same
 * API and threading contract as {@link IOStream}; reads and writes wait for the handshake,
 * which starts as soon as the channel is connected. {@link #handshake()} tells when it is done.
 *
 * <pre>{@code
 * SslIOStream s = new SslIOStream(loop, acceptedChannel, serverContext, TlsOptions.server(),
 *         IOStreamOptions.defaults());
 * s.handshake().thenRun(() -> log.info("ALPN: {}", s.applicationProtocol()));
 * }</pre>
 *
 * <p>Policy: TLS 1.2 renegotiation (either side) is refused by closing the stream; TLS 1.3
 * post-handshake messages (key updates, session tickets) are handled. Closing sends
 * close_notify unless the connection already failed.
 *
 * <p>Memory: ciphertext is read and written through per-loop scratch buffers; a stream keeps
 * only a partial incoming record and output the kernel did not take, both dropped when empty.
 * File regions ({@link #writeFile}) cannot go to the socket unencrypted: they are read a step of
 * at most 64 KiB at a time into a per-loop buffer, encrypted, and sent while the socket takes
 * them; bytes the TLS layer did not take are read from the file again at the next step, so the
 * stream keeps no plaintext between calls.
 */
public class SslIOStream extends IOStream {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final TlsOptions tls;
    private final CompletableFuture<Void> handshakeFuture = new CompletableFuture<>();
    private boolean handshaking = true;
    private Timeout handshakeTimer;
    /** Ciphertext read but not yet unwrapped (a partial record), or null. */
    private byte[] savedIn;
    /** Ciphertext the kernel did not take yet (flipped, ready to write), or null. */
    private ByteBuffer savedOut;

    /**
     * Wraps a connected (or connecting) channel; the handshake starts once connected. Loop
     * thread only.
     *
     * @param loop the loop
     * @param channel the channel
     * @param context the context
     * @param tls the TLS options
     * @param options the options
     */
    public SslIOStream(IOLoop loop, SocketChannel channel, SSLContext context, TlsOptions tls, IOStreamOptions options) {
        super(loop, channel, options);
        this.tls = Objects.requireNonNull(tls, "tls");
        this.engine = createEngine(context, tls, channel);
        if (!isConnecting()) {
            afterConnect();
        }
    }

    /** STARTTLS: takes over a plain stream's channel and its buffered (ciphertext) bytes. */
    SslIOStream(IOStream plain, SSLContext context, TlsOptions tls, byte[] initialCiphertext) {
        super(plain, plain.options);
        this.tls = Objects.requireNonNull(tls, "tls");
        this.engine = createEngine(context, tls, channel);
        this.savedIn = initialCiphertext.length == 0 ? null : initialCiphertext;
        afterConnect();
    }

    /**
     * Connects to {@code remote} and completes once the TLS handshake is done. Safe from any
     * thread.
     *
     * @param loop the loop
     * @param remote the address to connect to
     * @param context the context
     * @param tls the TLS options
     * @param options the options
     * @return a future of the SSL I/O stream
     */
    public static CompletableFuture<SslIOStream> connect(
            IOLoop loop, SocketAddress remote, SSLContext context, TlsOptions tls, IOStreamOptions options) {
        CompletableFuture<SslIOStream> result = new CompletableFuture<>();
        // Compose on the loop: startTls must run there, and a future completed before thenCompose
        // is attached would run the function on the attaching thread.
        loop.runOrSubmit(() -> IOStream.connect(loop, remote, options)
                .thenCompose(s -> s.startTls(context, tls))
                .whenComplete((s, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e instanceof java.util.concurrent.CompletionException
                                && e.getCause() != null ? e.getCause() : e);
                    } else {
                        result.complete(s);
                    }
                }));
        return result;
    }

    private static SSLEngine createEngine(SSLContext context, TlsOptions tls, SocketChannel channel) {
        SSLEngine engine;
        if (tls.clientMode() && tls.serverName() != null) {
            int port = -1;
            try {
                if (channel.getRemoteAddress() instanceof java.net.InetSocketAddress a) {
                    port = a.getPort();
                }
            } catch (IOException ignored) {
                // the port only helps session resumption
            }
            engine = context.createSSLEngine(tls.serverName(), port);
        } else {
            engine = context.createSSLEngine();
        }
        engine.setUseClientMode(tls.clientMode());
        SSLParameters p = engine.getSSLParameters();
        if (tls.protocols() != null) {
            p.setProtocols(tls.protocols().toArray(String[]::new));
        }
        if (tls.clientMode()) {
            if (tls.verifyHostname()) {
                p.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (tls.serverName() != null && !NetUtil.isValidIp(tls.serverName())) {
                // RFC 6066 section 3: no IP literal in server_name
                p.setServerNames(List.of(new SNIHostName(tls.serverName())));
            }
            if (!tls.applicationProtocols().isEmpty()) {
                p.setApplicationProtocols(tls.applicationProtocols().toArray(String[]::new));
            }
        } else {
            switch (tls.clientAuth()) {
                case NEED -> p.setNeedClientAuth(true);
                case WANT -> p.setWantClientAuth(true);
                case NONE -> {}
            }
        }
        engine.setSSLParameters(p);
        if (!tls.clientMode() && tls.protocolSelector() != null) {
            engine.setHandshakeApplicationProtocolSelector((e, offered) -> tls.protocolSelector().apply(offered));
        }
        return engine;
    }

    // ------------------------------------------------------------------------ public API

    /**
     * Completes when the handshake is done; fails with {@link StreamClosedException} (cause: the
     * TLS error, e.g. an {@link SSLHandshakeException}, or a {@link TimeoutException}) if the
     * stream closes first.
     *
     * @return the handshake
     */
    public CompletableFuture<Void> handshake() {
        return handshakeFuture.copy();
    }

    /**
     * The negotiated ALPN protocol: null before the handshake, "" if none was negotiated.
     *
     * @return the negotiated ALPN protocol: null before the handshake, "" if none was negotiated
     */
    public String applicationProtocol() {
        return engine.getApplicationProtocol();
    }

    /**
     * Server side: the host name the client asked for with SNI, or null.
     *
     * @return the requested server name
     */
    public String requestedServerName() {
        SSLSession s = handshaking ? engine.getHandshakeSession() : engine.getSession();
        if (s instanceof ExtendedSSLSession ext) {
            for (SNIServerName name : ext.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return null;
    }

    /**
     * The peer's certificate chain, empty if it presented none (or before the handshake).
     *
     * @return the peer's certificate chain, empty if it presented none (or before the handshake)
     */
    public List<Certificate> peerCertificates() {
        try {
            return List.of(engine.getSession().getPeerCertificates());
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    /**
     * The TLS session (protocol version, cipher suite, ...).
     *
     * @return the TLS session (protocol version, cipher suite, ...)
     */
    public SSLSession session() {
        return engine.getSession();
    }

    /**
     * The TLS options.
     *
     * @return the TLS options
     */
    public TlsOptions tlsOptions() {
        return tls;
    }

    // ----------------------------------------------------------------------- handshake

    @Override
    void afterConnect() {
        if (tls.handshakeTimeout() != null) {
            handshakeTimer = loop.callLater(tls.handshakeTimeout(), () -> {
                if (handshaking) {
                    close(new TimeoutException("TLS handshake did not finish within " + tls.handshakeTimeout()));
                }
            });
        }
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            close(e);
            return;
        }
        driveHandshake();
    }

    @Override
    boolean ioReady() {
        return super.ioReady() && !handshaking;
    }

    @Override
    boolean canReadDirect() {
        return false; // unwrap needs room for a whole record, which a caller's buffer may not have
    }

    @Override
    void handleEvents(int readyOps) {
        if (handshaking && !isConnecting() && !isClosed()) {
            driveHandshake();
        } else {
            super.handleEvents(readyOps);
        }
    }

    @Override
    int interestOps() {
        if (!handshaking || isConnecting()) {
            return super.interestOps();
        }
        if (savedOut != null) {
            return SelectionKey.OP_WRITE;
        }
        HandshakeStatus hs = engine.getHandshakeStatus();
        return hs == HandshakeStatus.NEED_UNWRAP || hs == HandshakeStatus.NEED_UNWRAP_AGAIN ? SelectionKey.OP_READ : 0;
    }

    /** Advances the handshake as far as the socket allows; finishes it when the engine is done. */
    private void driveHandshake() {
        try {
            while (handshaking && !isClosed()) {
                if (!flushSavedOut()) {
                    break; // wait until writable
                }
                HandshakeStatus hs = engine.getHandshakeStatus();
                switch (hs) {
                    case NEED_TASK -> runDelegatedTasks();
                    case NEED_WRAP -> wrapAndSend();
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        ByteBuffer scratch = buffers.read;
                        scratch.clear();
                        int n = readFromChannel(scratch);
                        if (n > 0) {
                            scratch.flip();
                            readBuffer.append(scratch); // application data right behind the handshake
                        } else if (n < 0) {
                            throw new SSLHandshakeException("connection closed by peer during TLS handshake");
                        } else if (engine.getHandshakeStatus() == hs) {
                            updateInterest();
                            return; // wait until readable
                        }
                    }
                    case NOT_HANDSHAKING, FINISHED -> handshaking = false;
                }
            }
        } catch (IOException e) {
            close(e);
            return;
        }
        if (isClosed()) {
            return;
        }
        if (handshaking) {
            updateInterest();
            return;
        }
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
            handshakeTimer = null;
        }
        handshakeFuture.complete(null);
        // Reads and writes queued during the handshake can go now.
        flush();
        readNow();
    }

    private void runDelegatedTasks() {
        // Certificate checks and key agreement: CPU-bound, short; run inline as Tornado does.
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** Wraps handshake or control records (no application data) and sends them. */
    private void wrapAndSend() throws IOException {
        ByteBuffer out = buffers.netOut();
        out.clear();
        SSLEngineResult r = engine.wrap(EMPTY, out);
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            throw new SSLException("TLS handshake record larger than " + out.capacity() + " bytes");
        }
        out.flip();
        send(out);
    }

    // ------------------------------------------------------------------------ socket I/O

    @Override
    int readFromChannel(ByteBuffer dst) throws IOException {
        if (engine.isInboundDone()) {
            return -1; // close_notify came with the last data: report the end now
        }
        ByteBuffer in = buffers.netIn();
        in.clear();
        if (savedIn != null) {
            in.put(savedIn);
            savedIn = null;
        }
        int produced = 0;
        try {
            while (true) {
                in.flip();
                SSLEngineResult r = in.hasRemaining() ? engine.unwrap(in, dst) : null;
                in.compact();
                if (r == null || r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    if (produced > 0) {
                        return produced;
                    }
                    if (!in.hasRemaining()) {
                        throw new SSLException("TLS record larger than " + in.capacity() + " bytes");
                    }
                    int n = channel.read(in);
                    if (n < 0) {
                        closeInboundQuietly();
                        return -1;
                    }
                    if (n == 0) {
                        return 0;
                    }
                    continue;
                }
                switch (r.getStatus()) {
                    case OK -> {
                        produced += r.bytesProduced();
                        HandshakeStatus hs = r.getHandshakeStatus();
                        if (handshaking) {
                            if (hs != HandshakeStatus.NEED_UNWRAP && hs != HandshakeStatus.NEED_UNWRAP_AGAIN) {
                                return produced; // the handshake driver takes it from here
                            }
                        } else if (hs != HandshakeStatus.NOT_HANDSHAKING && hs != HandshakeStatus.FINISHED) {
                            postHandshake();
                        }
                    }
                    case BUFFER_OVERFLOW -> {
                        if (produced > 0) {
                            return produced;
                        }
                        throw new SSLException("read buffer too small for a TLS record");
                    }
                    case CLOSED -> {
                        return produced > 0 ? produced : -1; // close_notify from the peer
                    }
                    default -> throw new IllegalStateException("unexpected " + r.getStatus());
                }
            }
        } finally {
            if (in.position() > 0) {
                in.flip();
                savedIn = new byte[in.remaining()];
                in.get(savedIn);
            }
        }
    }

    /** A handshake message after the handshake: TLS 1.3 housekeeping, or a refused renegotiation. */
    private void postHandshake() throws IOException {
        if (!"TLSv1.3".equals(engine.getSession().getProtocol())) {
            throw new SSLException("TLS renegotiation is not allowed; closing the connection");
        }
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                runDelegatedTasks();
            } else if (hs == HandshakeStatus.NEED_WRAP) {
                wrapAndSend();
            } else {
                return;
            }
        }
    }

    private void closeInboundQuietly() {
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            // EOF without close_notify: reported as a plain EOF, as Tornado does
        }
    }

    @Override
    long writeToChannel(ByteBuffer[] srcs, int off, int len) throws IOException {
        if (!flushSavedOut() || len == 0) {
            return 0;
        }
        ByteBuffer out = buffers.netOut();
        out.clear();
        int packet = engine.getSession().getPacketBufferSize();
        long consumed = 0;
        // Several records per system call.
        while (out.remaining() >= packet) {
            SSLEngineResult r = engine.wrap(srcs, off, len, out);
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("TLS engine is closed");
            }
            if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesConsumed() == 0) {
                break;
            }
            consumed += r.bytesConsumed();
            if (!anyRemaining(srcs, off, len)) {
                break;
            }
        }
        out.flip();
        send(out);
        return consumed;
    }

    @Override
    boolean stagesSmallFiles() {
        return false; // the head and the region are encrypted from the queue like any data
    }

    @Override
    long transferToChannel(FileChannel file, long position, long count) throws IOException {
        ByteBuffer stage = buffers.fileStage();
        ByteBuffer[] one = {stage};
        long done = 0;
        while (done < count) {
            stage.clear().limit((int) Math.min(stage.capacity(), count - done));
            int r = file.read(stage, position + done);
            if (r < 0) {
                throw new EOFException("file ended at " + file.size() + " bytes, before the region being written");
            }
            stage.flip();
            long w = writeToChannel(one, 0, 1);
            done += w;
            if (w < r) {
                break; // the socket is full: the rest is read again when it drains
            }
        }
        return done;
    }

    private static boolean anyRemaining(ByteBuffer[] srcs, int off, int len) {
        for (int i = off + len - 1; i >= off; i--) {
            if (srcs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /** Writes ciphertext after anything already waiting; keeps what the kernel did not take. */
    private void send(ByteBuffer out) throws IOException {
        if (!out.hasRemaining()) {
            return;
        }
        if (savedOut == null) {
            channel.write(out);
            if (out.hasRemaining()) {
                savedOut = ByteBuffer.allocate(out.remaining()).put(out).flip();
            }
        } else {
            ByteBuffer b = ByteBuffer.allocate(savedOut.remaining() + out.remaining());
            savedOut = b.put(savedOut).put(out).flip();
        }
    }

    /** Writes saved ciphertext; true when none is left. */
    private boolean flushSavedOut() throws IOException {
        if (savedOut == null) {
            return true;
        }
        channel.write(savedOut);
        if (savedOut.hasRemaining()) {
            return false;
        }
        savedOut = null;
        return true;
    }

    @Override
    boolean shortReadMeansDrained() {
        return false;
    }

    @Override
    boolean hasBufferedOutput() {
        return savedOut != null;
    }

    // -------------------------------------------------------------------------- closing

    @Override
    void beforeClose(Throwable reason) {
        if (reason instanceof IOException && !(reason instanceof SSLException) && !(reason instanceof EOFException)) {
            return; // the connection is broken: nobody to say goodbye to
        }
        // Best effort, without blocking: close_notify (or the alert of a failed handshake).
        try {
            engine.closeOutbound();
            flushSavedOut();
            ByteBuffer out = buffers.netOut();
            out.clear();
            engine.wrap(EMPTY, out);
            out.flip();
            if (savedOut == null) {
                channel.write(out);
            }
        } catch (IOException | RuntimeException e) {
            // the peer may be gone already
        }
    }

    @Override
    void afterClose(Throwable reason) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
            handshakeTimer = null;
        }
        savedIn = null;
        savedOut = null;
        handshakeFuture.completeExceptionally(new StreamClosedException(reason));
    }
}
