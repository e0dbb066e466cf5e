package io.gale.http2.conformance;

import io.gale.http2.ResponseHeadDecoder;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A raw HTTP/2 client for the conformance suite, in the manner of h2spec's: it writes whatever a
 * case asks for on a plain socket (h2c with prior knowledge) or over TLS (h2 by ALPN), well-formed frames through small
 * writers and malformed bytes through {@link #send}, and reads the server's frames with a socket
 * timeout bounded by one deadline per case ({@link #CASE_DEADLINE}); nothing sleeps.
 *
 * <p>The {@code expect...} methods are the verdicts: each reads frames until the one it is about
 * (frames in between are kept in a transcript) and fails with what it expected and everything the
 * server sent when that frame does not come, comes with another error code, or the connection
 * ends first. Unlike h2spec, a connection error must be a GOAWAY with the code (h2spec also passes
 * a bare close), and a stream error must be a RST_STREAM on the stream unless the case allows a
 * connection error too ({@link #expectStreamOrConnectionError}).
 *
 * <p>Every frame read is also checked against what RFC 9113 asks of any server, whatever the case:
 * no DATA beyond our connection and stream windows as the server applies our SETTINGS (at their
 * ACK) and WINDOW_UPDATEs (section 6.9), no frame above our SETTINGS_MAX_FRAME_SIZE (4.2), nothing
 * between a HEADERS frame and the CONTINUATION that ends its block (6.10), no PUSH_PROMISE (Gale
 * never pushes, 8.4).
 *
 * <p>Field blocks the server sends are decoded (one HPACK context per connection, fed every
 * block in order) so a verdict can look at {@code :status}. Writes to a server that already
 * closed are recorded, not thrown: the verdict that follows decides.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
final class H2Peer implements AutoCloseable {
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** How long one case may wait for the server in total (the machine may be loaded). */
    static final Duration CASE_DEADLINE = Duration.ofSeconds(15);

    static final int HEADER_TABLE_SIZE = 0x1;
    static final int ENABLE_PUSH = 0x2;
    static final int MAX_CONCURRENT_STREAMS = 0x3;
    static final int INITIAL_WINDOW_SIZE = 0x4;
    static final int MAX_FRAME_SIZE = 0x5;
    static final int MAX_HEADER_LIST_SIZE = 0x6;

    static final long NO_ERROR = 0x0;
    static final long PROTOCOL_ERROR = 0x1;
    static final long FLOW_CONTROL_ERROR = 0x3;
    static final long STREAM_CLOSED = 0x5;
    static final long FRAME_SIZE_ERROR = 0x6;
    static final long REFUSED_STREAM = 0x7;
    static final long CANCEL = 0x8;
    static final long COMPRESSION_ERROR = 0x9;

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final long deadline;
    private final String authority;
    private final List<String> transcript = new ArrayList<>();
    private final ResponseHeadDecoder decoder = new ResponseHeadDecoder();
    private final Map<Integer, Long> serverSettings = new HashMap<>();
    private boolean closed;
    private String closedHow;
    private boolean serverSettingsSeen;
    // what the server may send us: our windows and frame size as it applies them (RFC 9113 6.9, 4.2)
    private long connectionWindow = 65535;
    private long initialWindow = 65535;
    private final Map<Integer, Long> streamWindows = new HashMap<>();
    private final ArrayDeque<long[]> unacknowledged = new ArrayDeque<>();
    private long maxFrameSize = 16384;
    // a field block the server is sending in several frames
    private int blockStream;
    private int blockFlags;

    private H2Peer(int port, SSLContext tls) throws IOException {
        deadline = System.nanoTime() + CASE_DEADLINE.toNanos();
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), (int) CASE_DEADLINE.toMillis());
        plain.setTcpNoDelay(true);
        if (tls == null) {
            socket = plain;
        } else {
            // h2 by ALPN (RFC 9113 section 3.2), as h2spec's --tls runs
            SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, "localhost", port, true);
            SSLParameters params = s.getSSLParameters();
            params.setApplicationProtocols(new String[] {"h2"});
            s.setSSLParameters(params);
            s.setSoTimeout((int) CASE_DEADLINE.toMillis());
            s.startHandshake();
            if (!"h2".equals(s.getApplicationProtocol())) {
                s.close();
                throw new AssertionError("the server did not select h2 by ALPN: " + s.getApplicationProtocol());
            }
            socket = s;
        }
        out = socket.getOutputStream();
        InputStream raw = socket.getInputStream();
        in = new DataInputStream(raw);
        authority = "127.0.0.1:" + port;
    }

    /** A connected peer that has sent nothing yet: h2c on a plain socket, or h2 over TLS when {@code tls} is given. */
    static H2Peer connect(int port, SSLContext tls) throws IOException {
        return new H2Peer(port, tls);
    }

    /**
     * A connected peer after the connection preface both ways, as h2spec's handshake: our preface
     * and SETTINGS (INITIAL_WINDOW_SIZE 65535), the server's SETTINGS acknowledged, ours
     * acknowledged by the server.
     */
    static H2Peer handshaken(int port, SSLContext tls) throws IOException {
        H2Peer p = new H2Peer(port, tls);
        p.handshake();
        return p;
    }

    void handshake() throws IOException {
        send(PREFACE);
        settings(INITIAL_WINDOW_SIZE, 65535);
        boolean acked = false;
        while (!acked || !serverSettingsSeen) {
            H2Frame f = next("the server's SETTINGS and the ACK of ours");
            if (f.type() == H2Frame.SETTINGS && f.has(H2Frame.ACK)) {
                acked = true;
            }
        }
    }

    // ------------------------------------------------------------------------ sending

    /** The authority of the server (host:port), as a request's :authority. */
    String authority() {
        return authority;
    }

    /** h2spec's common request head: GET (or {@code method}) http://authority/. */
    FieldBlock request(String method) {
        return FieldBlock.request(method, "/", authority);
    }

    FieldBlock get() {
        return request("GET");
    }

    /** A value of the server's SETTINGS, or null when it did not send it. */
    Long serverSetting(int id) {
        return serverSettings.get(id);
    }

    int serverMaxFrameSize() {
        return serverSettings.getOrDefault(MAX_FRAME_SIZE, 16384L).intValue();
    }

    /** Writes raw bytes; a failure (the server closed) is recorded, not thrown. */
    void send(byte[] bytes) {
        if (closed) {
            transcript.add("(not sent, connection closed: " + bytes.length + " bytes)");
            return;
        }
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            transcript.add("(send failed: " + e + ")");
        }
    }

    void send(String hex) {
        send(FieldBlock.hex(hex));
    }

    static byte[] frame(int type, int flags, int stream, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(9 + payload.length);
        b.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
        b.put((byte) type).put((byte) flags).putInt(stream).put(payload);
        return b.array();
    }

    void frame(int type, int flags, int stream, String hexPayload) {
        send(frame(type, flags, stream, FieldBlock.hex(hexPayload)));
    }

    void headers(int stream, boolean endStream, boolean endHeaders, byte[] block) {
        opening(stream);
        send(frame(H2Frame.HEADERS, (endStream ? H2Frame.END_STREAM : 0) | (endHeaders ? H2Frame.END_HEADERS : 0),
            stream, block));
    }

    /** A complete request head in one HEADERS frame. */
    void headers(int stream, boolean endStream, FieldBlock block) {
        headers(stream, endStream, true, block.encode());
    }

    /** HEADERS with PADDED: {@code padLength} zero octets after the block. */
    void headersPadded(int stream, boolean endStream, byte[] block, int padLength) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(padLength);
        p.writeBytes(block);
        p.writeBytes(new byte[padLength]);
        opening(stream);
        send(frame(H2Frame.HEADERS, H2Frame.PADDED | H2Frame.END_HEADERS | (endStream ? H2Frame.END_STREAM : 0), stream,
            p.toByteArray()));
    }

    /** HEADERS with the PRIORITY flag (RFC 7540's priority fields, deprecated by RFC 9113 but still parsed). */
    void headersWithPriority(int stream, boolean endStream, byte[] block, int dependency, boolean exclusive,
                             int weight) {
        ByteBuffer p = ByteBuffer.allocate(5 + block.length);
        p.putInt(dependency | (exclusive ? 0x80000000 : 0)).put((byte) weight).put(block);
        opening(stream);
        send(frame(H2Frame.HEADERS, H2Frame.PRIORITY_FLAG | H2Frame.END_HEADERS | (endStream ? H2Frame.END_STREAM : 0),
            stream, p.array()));
    }

    /** A request on {@code stream}: the server's send window for it starts at our initial window. */
    private void opening(int stream) {
        if (stream != 0) {
            streamWindows.putIfAbsent(stream, initialWindow);
        }
    }

    void continuation(int stream, boolean endHeaders, byte[] fragment) {
        send(frame(H2Frame.CONTINUATION, endHeaders ? H2Frame.END_HEADERS : 0, stream, fragment));
    }

    void data(int stream, boolean endStream, byte[] payload) {
        send(frame(H2Frame.DATA, endStream ? H2Frame.END_STREAM : 0, stream, payload));
    }

    void data(int stream, boolean endStream, String ascii) {
        data(stream, endStream, ascii.getBytes(StandardCharsets.US_ASCII));
    }

    void dataPadded(int stream, boolean endStream, byte[] payload, int padLength) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(padLength);
        p.writeBytes(payload);
        p.writeBytes(new byte[padLength]);
        send(frame(H2Frame.DATA, H2Frame.PADDED | (endStream ? H2Frame.END_STREAM : 0), stream, p.toByteArray()));
    }

    void priority(int stream, int dependency, boolean exclusive, int weight) {
        ByteBuffer p = ByteBuffer.allocate(5);
        p.putInt(dependency | (exclusive ? 0x80000000 : 0)).put((byte) weight);
        send(frame(H2Frame.PRIORITY, 0, stream, p.array()));
    }

    void rstStream(int stream, long code) {
        send(frame(H2Frame.RST_STREAM, 0, stream, u32(code)));
    }

    /** SETTINGS with the given (id, value) pairs, in order. */
    void settings(long... idValuePairs) {
        ByteBuffer p = ByteBuffer.allocate(idValuePairs.length * 3);
        for (int i = 0; i < idValuePairs.length; i += 2) {
            p.putShort((short) idValuePairs[i]).putInt((int) idValuePairs[i + 1]);
        }
        send(frame(H2Frame.SETTINGS, 0, 0, Arrays.copyOf(p.array(), p.position())));
        unacknowledged.add(idValuePairs.clone());
        // the server may use a larger window or frame size as soon as it applied it, before its ACK
        long window = last(idValuePairs, INITIAL_WINDOW_SIZE);
        if (window > initialWindow) {
            applyInitialWindow(window);
        }
        maxFrameSize = Math.max(maxFrameSize, last(idValuePairs, MAX_FRAME_SIZE));
    }

    /** The last value of setting {@code id} in {@code pairs} (the one in force after the frame), or -1. */
    private static long last(long[] pairs, int id) {
        long v = -1;
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i] == id) {
                v = pairs[i + 1];
            }
        }
        return v;
    }

    private void applyInitialWindow(long value) {
        long delta = value - initialWindow;
        initialWindow = value;
        streamWindows.replaceAll((id, w) -> w + delta);
    }

    void settingsAck() {
        send(frame(H2Frame.SETTINGS, H2Frame.ACK, 0, new byte[0]));
    }

    void ping(boolean ack, byte[] opaque) {
        send(frame(H2Frame.PING, ack ? H2Frame.ACK : 0, 0, opaque));
    }

    void goAway(int lastStream, long code, byte[] debug) {
        ByteBuffer p = ByteBuffer.allocate(8 + debug.length);
        p.putInt(lastStream).putInt((int) code).put(debug);
        send(frame(H2Frame.GOAWAY, 0, 0, p.array()));
    }

    void windowUpdate(int stream, long increment) {
        if (stream == 0) {
            connectionWindow += increment;
        } else {
            streamWindows.merge(stream, increment + initialWindow, (w, x) -> w + increment);
        }
        send(frame(H2Frame.WINDOW_UPDATE, 0, stream, u32(increment)));
    }

    void pushPromise(int stream, int promised, byte[] block) {
        ByteBuffer p = ByteBuffer.allocate(4 + block.length);
        p.putInt(promised).put(block);
        send(frame(H2Frame.PUSH_PROMISE, H2Frame.END_HEADERS, stream, p.array()));
    }

    static byte[] u32(long v) {
        return ByteBuffer.allocate(4).putInt((int) v).array();
    }

    /** h2spec's PING payloads: "h2spec" padded with zeros, or eight zeros. */
    static byte[] opaque(String s) {
        return Arrays.copyOf(s.getBytes(StandardCharsets.US_ASCII), 8);
    }

    // ------------------------------------------------------------------------ reading

    /**
     * The next frame, or null when the server closed the connection (EOF or reset). Fails when the
     * case's deadline passes first.
     */
    H2Frame read(String waitingFor) throws IOException {
        if (closed) {
            return null;
        }
        try {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw failure("timed out waiting for " + waitingFor);
            }
            socket.setSoTimeout((int) left);
            int len = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7FFFFFFF;
            byte[] payload = new byte[len];
            in.readFully(payload);
            int openBlock = blockStream; // a field block of the server's still open before this frame
            List<String[]> fields = decodeBlock(type, flags, stream, payload);
            H2Frame f = new H2Frame(type, flags, stream, payload, fields);
            transcript.add(f.toString());
            checkServerFrame(f, openBlock);
            if (type == H2Frame.SETTINGS && !f.has(H2Frame.ACK)) {
                for (int i = 0; i + 6 <= len; i += 6) {
                    int id = ((payload[i] & 0xFF) << 8) | (payload[i + 1] & 0xFF);
                    serverSettings.put(id, f.u32(i + 2));
                }
                serverSettingsSeen = true;
                settingsAck(); // as any client: the server's SETTINGS are acknowledged at once
            }
            return f;
        } catch (SocketTimeoutException e) {
            throw failure("timed out waiting for " + waitingFor);
        } catch (EOFException e) {
            closed("EOF");
            return null;
        } catch (SocketException | javax.net.ssl.SSLException e) {
            closed("reset (" + e.getMessage() + ")");
            return null;
        }
    }

    /** What any server must respect, whatever the case sent (see the class comment). */
    private void checkServerFrame(H2Frame f, int openBlock) {
        if (openBlock != 0 && (f.type() != H2Frame.CONTINUATION || f.stream() != openBlock)) {
            throw failure("the server sent " + f + " inside a field block of stream " + openBlock
                + " (RFC 9113 section 6.10)");
        }
        if (f.payload().length > maxFrameSize) {
            throw failure("the server sent " + f + " above our SETTINGS_MAX_FRAME_SIZE " + maxFrameSize
                + " (RFC 9113 section 4.2)");
        }
        switch (f.type()) {
            case H2Frame.PUSH_PROMISE -> throw failure("the server pushed: " + f);
            case H2Frame.DATA -> {
                long len = f.payload().length;
                long streamWindow = streamWindows.getOrDefault(f.stream(), initialWindow);
                if (len > connectionWindow || len > streamWindow) {
                    throw failure("the server sent " + f + " beyond our windows (connection " + connectionWindow
                        + ", stream " + streamWindow + "; RFC 9113 section 6.9.1)");
                }
                connectionWindow -= len;
                streamWindows.put(f.stream(), streamWindow - len);
            }
            case H2Frame.SETTINGS -> {
                if (f.has(H2Frame.ACK) && !unacknowledged.isEmpty()) {
                    long[] applied = unacknowledged.poll(); // in force now, smaller values included
                    long window = last(applied, INITIAL_WINDOW_SIZE);
                    if (window >= 0) {
                        applyInitialWindow(window);
                    }
                    long size = last(applied, MAX_FRAME_SIZE);
                    if (size >= 0) {
                        maxFrameSize = size;
                    }
                }
            }
            default -> {
            }
        }
    }

    private void closed(String how) {
        closed = true;
        closedHow = how;
        transcript.add("connection closed: " + how);
    }

    /** Like {@link #read} but a close is a failure. */
    private H2Frame next(String waitingFor) throws IOException {
        H2Frame f = read(waitingFor);
        if (f == null) {
            throw failure("the connection closed while waiting for " + waitingFor);
        }
        return f;
    }

    private List<String[]> decodeBlock(int type, int flags, int stream, byte[] payload) {
        byte[] fragment;
        if (type == H2Frame.HEADERS || type == H2Frame.PUSH_PROMISE) {
            int from = 0;
            int pad = 0;
            if ((flags & H2Frame.PADDED) != 0) {
                pad = payload[0] & 0xFF;
                from = 1;
            }
            if (type == H2Frame.HEADERS && (flags & H2Frame.PRIORITY_FLAG) != 0) {
                from += 5;
            }
            if (type == H2Frame.PUSH_PROMISE) {
                from += 4;
            }
            fragment = Arrays.copyOfRange(payload, from, payload.length - pad);
            blockStream = stream;
            blockFlags = flags;
        } else if (type == H2Frame.CONTINUATION && blockStream == stream) {
            fragment = payload;
        } else {
            return null;
        }
        boolean end = (flags & H2Frame.END_HEADERS) != 0;
        List<String[]> fields = decoder.decode(fragment, end);
        if (end) {
            blockStream = 0;
        }
        return fields;
    }

    // ------------------------------------------------------------------------ verdicts

    /**
     * A connection error: GOAWAY with one of {@code codes}, then the connection closes. Frames
     * before the GOAWAY are allowed (answers to what came before the error).
     */
    H2Frame expectGoAway(long... codes) throws IOException {
        String what = "GOAWAY " + names(codes);
        while (true) {
            H2Frame f = next(what);
            if (f.type() == H2Frame.GOAWAY) {
                if (!contains(codes, f.errorCode())) {
                    throw failure("expected " + what + ", got " + f);
                }
                expectClosed();
                return f;
            }
        }
    }

    /** A stream error on {@code stream}: RST_STREAM with one of {@code codes}; the connection stays open. */
    H2Frame expectRstStream(int stream, long... codes) throws IOException {
        String what = "RST_STREAM " + names(codes) + " on stream " + stream;
        while (true) {
            H2Frame f = next(what);
            if (f.type() == H2Frame.GOAWAY) {
                throw failure("expected " + what + ", got a connection error " + f);
            }
            if (f.type() == H2Frame.RST_STREAM && f.stream() == stream) {
                if (!contains(codes, f.errorCode())) {
                    throw failure("expected " + what + ", got " + f);
                }
                return f;
            }
        }
    }

    /**
     * Where the RFC allows either (or h2spec accepts either): RST_STREAM on {@code stream} or GOAWAY,
     * with one of {@code codes}.
     */
    H2Frame expectStreamOrConnectionError(int stream, long... codes) throws IOException {
        String what = "RST_STREAM on stream " + stream + " or GOAWAY, " + names(codes);
        while (true) {
            H2Frame f = next(what);
            boolean rst = f.type() == H2Frame.RST_STREAM && f.stream() == stream;
            if (rst || f.type() == H2Frame.GOAWAY) {
                if (!contains(codes, f.errorCode())) {
                    throw failure("expected " + what + ", got " + f);
                }
                return f;
            }
        }
    }

    /** The server closes the connection (EOF or reset); frames before that are allowed. */
    void expectClosed() throws IOException {
        while (read("the connection to close") != null) {
            // frames before the close are recorded in the transcript
        }
    }

    /**
     * The response head on {@code stream}: the first HEADERS frame there, fully decoded (a
     * RST_STREAM on the stream or a GOAWAY first fails).
     */
    H2Frame expectHeaders(int stream) throws IOException {
        String what = "a response HEADERS frame on stream " + stream;
        while (true) {
            H2Frame f = next(what);
            if (f.type() == H2Frame.GOAWAY || f.type() == H2Frame.RST_STREAM && f.stream() == stream) {
                throw failure("expected " + what + ", got " + f);
            }
            if (f.type() == H2Frame.HEADERS && f.stream() == stream) {
                while (f.fields() == null) { // the block goes on in CONTINUATION frames
                    H2Frame c = next("the rest of the response head");
                    if (c.type() == H2Frame.CONTINUATION && c.fields() != null) {
                        f = new H2Frame(f.type(), f.flags(), f.stream(), f.payload(), c.fields());
                    }
                }
                return f;
            }
        }
    }

    /** The response head on {@code stream} with {@code :status}. */
    H2Frame expectStatus(int stream, String status) throws IOException {
        H2Frame f = expectHeaders(stream);
        if (!status.equals(f.field(":status"))) {
            throw failure("expected :status " + status + " on stream " + stream + ", got " + f);
        }
        return f;
    }

    /** The next DATA frame on {@code stream} (a RST_STREAM on it or a GOAWAY first fails). */
    H2Frame expectData(int stream) throws IOException {
        String what = "a DATA frame on stream " + stream;
        while (true) {
            H2Frame f = next(what);
            if (f.type() == H2Frame.GOAWAY || f.type() == H2Frame.RST_STREAM && f.stream() == stream) {
                throw failure("expected " + what + ", got " + f);
            }
            if (f.type() == H2Frame.DATA && f.stream() == stream) {
                return f;
            }
        }
    }

    /** A DATA frame on {@code stream} whose payload is exactly {@code length} octets. */
    H2Frame expectDataOfLength(int stream, int length) throws IOException {
        H2Frame f = expectData(stream);
        if (f.payload().length != length) {
            throw failure("expected DATA of length " + length + " on stream " + stream + ", got " + f);
        }
        return f;
    }

    /**
     * The stream ends from the server's side: END_STREAM on a HEADERS or DATA frame, or
     * RST_STREAM NO_ERROR (h2spec's "stream closed").
     */
    void expectStreamEnd(int stream) throws IOException {
        String what = "the end of stream " + stream;
        while (true) {
            H2Frame f = next(what);
            if (f.type() == H2Frame.GOAWAY) {
                throw failure("expected " + what + ", got " + f);
            }
            if (f.stream() != stream) {
                continue;
            }
            if ((f.type() == H2Frame.DATA || f.type() == H2Frame.HEADERS) && f.has(H2Frame.END_STREAM)) {
                return;
            }
            if (f.type() == H2Frame.RST_STREAM) {
                if (f.errorCode() != NO_ERROR) {
                    throw failure("expected " + what + ", got " + f);
                }
                return;
            }
        }
    }

    /** A PING ACK with {@code opaque} (a GOAWAY first fails). */
    void expectPingAck(byte[] opaque) throws IOException {
        String what = "PING ACK " + Arrays.toString(opaque);
        while (true) {
            H2Frame f = next(what);
            if (f.type() == H2Frame.GOAWAY) {
                throw failure("expected " + what + ", got " + f);
            }
            if (f.type() == H2Frame.PING) {
                if (!f.has(H2Frame.ACK) || !Arrays.equals(f.payload(), opaque)) {
                    throw failure("expected " + what + ", got " + f + " " + Arrays.toString(f.payload()));
                }
                return;
            }
        }
    }

    /**
     * A PING ACK with {@code opaque} before any DATA on {@code stream}: what the server had to send
     * before our PING is out, so no DATA was held back merely by the socket.
     */
    void expectPingAckWithoutDataOn(int stream, byte[] opaque) throws IOException {
        String what = "PING ACK " + Arrays.toString(opaque) + " and no DATA on stream " + stream + " before it";
        while (true) {
            H2Frame f = next(what);
            if (f.type() == H2Frame.GOAWAY || f.type() == H2Frame.DATA && f.stream() == stream) {
                throw failure("expected " + what + ", got " + f);
            }
            if (f.type() == H2Frame.PING && f.has(H2Frame.ACK) && Arrays.equals(f.payload(), opaque)) {
                return;
            }
        }
    }

    /** A PING ACK with {@code opaque}, or the connection closed (h2spec's rule after a GOAWAY of ours). */
    void expectPingAckOrClose(byte[] opaque) throws IOException {
        while (true) {
            H2Frame f = read("PING ACK or the connection to close");
            if (f == null) {
                return;
            }
            if (f.type() == H2Frame.PING && f.has(H2Frame.ACK)) {
                if (!Arrays.equals(f.payload(), opaque)) {
                    throw failure("PING ACK with other data: " + Arrays.toString(f.payload()));
                }
                return;
            }
        }
    }

    /** A SETTINGS frame with ACK (a GOAWAY first fails). */
    void expectSettingsAck() throws IOException {
        while (true) {
            H2Frame f = next("SETTINGS ACK");
            if (f.type() == H2Frame.GOAWAY) {
                throw failure("expected SETTINGS ACK, got " + f);
            }
            if (f.type() == H2Frame.SETTINGS && f.has(H2Frame.ACK)) {
                return;
            }
        }
    }

    /** The first frame the server sends; a close fails. */
    H2Frame expectFrame() throws IOException {
        return next("a frame");
    }

    /** Raw bytes the server sends until it closes (an HTTP/1.1 answer, say); fails at the deadline. */
    String readUntilClosed() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw failure("timed out waiting for the connection to close");
                }
                socket.setSoTimeout((int) left);
                int c = in.read();
                if (c < 0) {
                    break;
                }
                b.write(c);
            }
        } catch (SocketTimeoutException e) {
            throw failure("timed out waiting for the connection to close; read: " + b.toString(StandardCharsets.ISO_8859_1));
        } catch (SocketException | javax.net.ssl.SSLException e) {
            // reset: closed
        }
        closed("EOF after " + b.size() + " bytes");
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    boolean isClosed() {
        return closed;
    }

    private AssertionError failure(String message) {
        return new AssertionError(message + "\n  server sent: " + (transcript.isEmpty() ? "nothing"
            : String.join("\n               ", transcript)) + (closed ? "" : "\n  (connection still open)"));
    }

    private static boolean contains(long[] codes, long code) {
        return LongStream.of(codes).anyMatch(c -> c == code);
    }

    private static String names(long[] codes) {
        return LongStream.of(codes).mapToObj(H2Frame::codeName).collect(Collectors.joining(" or "));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public String toString() {
        return "H2Peer[" + authority + (closed ? ", closed: " + closedHow : "") + "]";
    }
}
