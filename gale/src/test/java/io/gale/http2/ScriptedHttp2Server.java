package io.gale.http2;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A raw-socket HTTP/2 server that runs a script per accepted connection, built on Gale's codec
 * (frame writer, HPACK encoder and decoder) but with no connection logic of its own: it sends
 * exactly the frames a script asks for, including the ones no real server sends (GOAWAY with a
 * last stream id mid-flight, refused streams, windows never opened, floods, HPACK bombs, oversized
 * frames, malformed heads). Plain (h2c with prior knowledge) or TLS with ALPN {@code h2}. Blocking
 * I/O on virtual threads; test-only. Public so that the client's tests in other packages can use it.
 */
public final class ScriptedHttp2Server implements AutoCloseable {

    /** What to do with one accepted connection ({@code index} counts from 0). */
    public interface Script {
        void run(Peer peer, int index) throws Exception;
    }

    /** Frame type numbers (RFC 9113 section 6), for scripts. */
    public static final int DATA = 0x0;
    public static final int HEADERS = 0x1;
    public static final int RST_STREAM = 0x3;
    public static final int SETTINGS = 0x4;
    public static final int PUSH_PROMISE = 0x5;
    public static final int PING = 0x6;
    public static final int GOAWAY = 0x7;
    public static final int WINDOW_UPDATE = 0x8;
    public static final int CONTINUATION = 0x9;
    /** Error codes (RFC 9113 section 7). */
    public static final long NO_ERROR = 0x0;
    public static final long PROTOCOL_ERROR = 0x1;
    public static final long FLOW_CONTROL_ERROR = 0x3;
    public static final long SETTINGS_TIMEOUT = 0x4;
    public static final long FRAME_SIZE_ERROR = 0x6;
    public static final long REFUSED_STREAM = 0x7;
    public static final long CANCEL = 0x8;
    public static final long ENHANCE_YOUR_CALM = 0xb;
    /** SETTINGS parameters. */
    public static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
    public static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;

    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    /** A server; {@code tls} null for h2c. */
    public ScriptedHttp2Server(SSLContext tls, Script script) throws IOException {
        ServerSocketFactory f = tls == null ? ServerSocketFactory.getDefault() : tls.getServerSocketFactory();
        server = f.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        if (server instanceof SSLServerSocket ss) {
            javax.net.ssl.SSLParameters p = ss.getSSLParameters();
            p.setApplicationProtocols(new String[] {"h2"});
            ss.setSSLParameters(p);
        }
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                int index = accepted.getAndIncrement();
                sockets.add(s);
                Thread.ofVirtual().start(() -> {
                    try (s) {
                        script.run(new Peer(s), index);
                    } catch (EOFException | java.net.SocketException e) {
                        // the client closing on us is part of most scripts
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                });
            }
        });
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code http://127.0.0.1:port/path} (or https). */
    public String url(String path) {
        return (server instanceof SSLServerSocket ? "https" : "http") + "://127.0.0.1:" + port() + path;
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Exceptions scripts threw (other than the client closing): a test asserts this is empty. */
    public List<Throwable> failures() {
        return failures;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }

    /** A received frame; HEADERS come with their CONTINUATIONs joined and decoded. */
    public record Frame(int type, int flags, int streamId, byte[] payload, List<String[]> fields) {
        public boolean endStream() {
            return (type == DATA || type == HEADERS) && (flags & 0x1) != 0;
        }

        public boolean ack() {
            return (type == SETTINGS || type == PING) && (flags & 0x1) != 0;
        }

        /** RST_STREAM, GOAWAY: the error code. */
        public long errorCode() {
            ByteBuffer b = ByteBuffer.wrap(payload);
            return Integer.toUnsignedLong(type == GOAWAY ? b.getInt(4) : b.getInt(0));
        }

        /** GOAWAY: the last stream id. */
        public int lastStreamId() {
            return ByteBuffer.wrap(payload).getInt(0) & 0x7fffffff;
        }

        /** WINDOW_UPDATE: the increment. */
        public int increment() {
            return ByteBuffer.wrap(payload).getInt(0) & 0x7fffffff;
        }

        /** HEADERS: the first value of a field, or null. */
        public String field(String name) {
            for (String[] f : fields) {
                if (f[0].equals(name)) {
                    return f[1];
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return Http2Frames.typeName(type) + "[stream " + streamId + ", flags " + flags + ", " + payload.length
                + " bytes" + (type == RST_STREAM || type == GOAWAY ? ", " + Http2ErrorCode.describe(errorCode()) : "")
                + "]";
        }
    }

    /** One connection as the script sees it: reads frames, writes frames. */
    public static final class Peer {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;
        private final HpackDecoder decoder = new HpackDecoder(4096,
            Http2Limits.builder().maxHeaderListSize(1 << 20).maxHeaderBlockSize(1 << 22).build());
        private final HpackEncoder encoder = new HpackEncoder(4096);

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        public Socket socket() {
            return socket;
        }

        /** The protocol ALPN chose on a TLS connection (after the handshake), else null. */
        public String alpn() {
            return socket instanceof SSLSocket s ? s.getApplicationProtocol() : null;
        }

        /**
         * Reads the client preface and its SETTINGS, sends ours ({@code settings}: id, value pairs)
         * and the ACK of the client's.
         */
        public void handshake(long... settings) throws IOException {
            readPreface();
            settings(settings);
            settingsAck();
        }

        /** Reads the client preface and the SETTINGS frame after it (returned), answering nothing. */
        public Frame readPreface() throws IOException {
            byte[] preface = in.readNBytes(Http2Preface.LENGTH);
            if (!Arrays.equals(preface, Http2Preface.bytes())) {
                throw new IOException("not an HTTP/2 client preface: " + new String(preface, StandardCharsets.ISO_8859_1));
            }
            Frame first = read();
            if (first == null || first.type() != SETTINGS) {
                throw new IOException("expected SETTINGS, got " + first);
            }
            return first;
        }

        /** The next frame, or null at EOF. */
        public Frame read() throws IOException {
            byte[] h = new byte[9];
            int n = in.readNBytes(h, 0, 9);
            if (n == 0) {
                return null;
            }
            if (n < 9) {
                throw new EOFException("EOF inside a frame header");
            }
            int len = (h[0] & 0xff) << 16 | (h[1] & 0xff) << 8 | (h[2] & 0xff);
            int type = h[3] & 0xff;
            int flags = h[4] & 0xff;
            int id = ((h[5] & 0x7f) << 24) | (h[6] & 0xff) << 16 | (h[7] & 0xff) << 8 | (h[8] & 0xff);
            byte[] payload = in.readNBytes(len);
            if (payload.length < len) {
                throw new EOFException("EOF inside a frame");
            }
            if (type != HEADERS) {
                return new Frame(type, flags, id, payload, List.of());
            }
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            block.write(payload);
            int f = flags;
            while ((f & 0x4) == 0) { // CONTINUATION until END_HEADERS
                Frame c = read();
                if (c == null || c.type() != CONTINUATION) {
                    throw new IOException("expected CONTINUATION, got " + c);
                }
                block.write(c.payload());
                f = c.flags();
            }
            List<String[]> fields = new ArrayList<>();
            Http2Error e = decoder.decode(ByteBuffer.wrap(block.toByteArray()), true,
                (name, value, sensitive) -> fields.add(new String[] {name, value}));
            if (e != null) {
                throw new IOException("client sent a bad field block: " + e);
            }
            return new Frame(type, flags | 0x4, id, block.toByteArray(), fields);
        }

        /** Reads until a frame matches (others are dropped); null at EOF. */
        public Frame readUntil(Predicate<Frame> p) throws IOException {
            Frame f;
            while ((f = read()) != null && !p.test(f)) {
                // skip
            }
            return f;
        }

        /** Reads until a frame of {@code type}; null at EOF. */
        public Frame readUntil(int type) throws IOException {
            return readUntil(f -> f.type() == type);
        }

        /** Frames until EOF (the client closed). */
        public List<Frame> readToEnd() throws IOException {
            List<Frame> all = new ArrayList<>();
            try {
                Frame f;
                while ((f = read()) != null) {
                    all.add(f);
                }
            } catch (java.net.SocketException e) {
                // reset by the client: what was read is the answer
            }
            return all;
        }

        /** A SETTINGS frame with the given id, value pairs. */
        public void settings(long... idValues) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(idValues.length / 2 * 6);
            for (int i = 0; i < idValues.length; i += 2) {
                b.putShort((short) idValues[i]).putInt((int) idValues[i + 1]);
            }
            frame(SETTINGS, 0, 0, b.array());
        }

        public void settingsAck() throws IOException {
            frame(SETTINGS, 0x1, 0, new byte[0]);
        }

        /** A response (or any) head: fields as name, value pairs, HPACK-encoded by Gale's encoder. */
        public void headers(int streamId, boolean endStream, String... nameValues) throws IOException {
            ByteOut block = new ByteOut(256);
            encoder.beginBlock(block);
            for (int i = 0; i < nameValues.length; i += 2) {
                encoder.encode(nameValues[i], nameValues[i + 1], false, block);
            }
            frame(HEADERS, 0x4 | (endStream ? 0x1 : 0), streamId, block.toByteArray());
        }

        public void data(int streamId, byte[] data, boolean endStream) throws IOException {
            frame(DATA, endStream ? 0x1 : 0, streamId, data);
        }

        /** {@code 200} with a text body in one DATA frame. */
        public void respond(int streamId, String body) throws IOException {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            headers(streamId, false, ":status", "200", "content-length", Integer.toString(b.length));
            data(streamId, b, true);
        }

        public void rst(int streamId, long code) throws IOException {
            frame(RST_STREAM, 0, streamId, ByteBuffer.allocate(4).putInt((int) code).array());
        }

        public void goAway(int lastStreamId, long code, String debug) throws IOException {
            byte[] d = debug.getBytes(StandardCharsets.ISO_8859_1);
            frame(GOAWAY, 0, 0, ByteBuffer.allocate(8 + d.length).putInt(lastStreamId).putInt((int) code).put(d).array());
        }

        public void windowUpdate(int streamId, int increment) throws IOException {
            frame(WINDOW_UPDATE, 0, streamId, ByteBuffer.allocate(4).putInt(increment).array());
        }

        /** Any frame, as given. */
        public void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(9 + payload.length);
            b.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
            b.put((byte) type).put((byte) flags).putInt(streamId).put(payload);
            out.write(b.array());
            out.flush();
        }

        /** Raw bytes. */
        public void raw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }
    }
}
