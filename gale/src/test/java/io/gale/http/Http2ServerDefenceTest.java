package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http2.Http2Limits;
import io.gale.ioloop.IOLoop;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP/2 server's defences, over a real socket with raw frames written by hand (h2c with
 * prior knowledge): rapid reset (CVE-2023-44487), CONTINUATION flood (CVE-2024-27316), HPACK bomb,
 * PING flood from a peer that does not read, a head over the list limit (431), stream-id reuse, a
 * zero window that holds the handler without holding memory. Each is answered with the RFC's error
 * code and, after each, another connection to the same server is served. Also the exchange's wire
 * form where a raw view is needed: trailers as a last HEADERS frame, and the graceful GOAWAY of
 * {@link HttpServer#shutdown}.
 */
@Timeout(60)
class Http2ServerDefenceTest {
    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int PING = 6;
    static final int GOAWAY = 7;
    static final int WINDOW_UPDATE = 8;
    static final int CONTINUATION = 9;
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    IOLoop loop;
    HttpServer server;
    int port;
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    volatile CompletableFuture<Void> lastWrite;
    final CompletableFuture<Void> release = new CompletableFuture<>();
    boolean shutDown;

    /** GET /: "hello"; GET /stream: 64 KiB pieces forever, each after the previous one's future. */
    final HttpServerConnectionDelegate app = x -> new HttpMessageDelegate() {
        HttpServerRequest req;

        @Override
        public CompletionStage<?> headersReceived(HttpServerRequest r) {
            req = r;
            return null;
        }

        @Override
        public CompletionStage<?> dataReceived(ByteBuffer chunk) {
            return null;
        }

        @Override
        public void finish() {
            if (req.path().equals("/trailers")) {
                x.writeHeaders(200, null, new HttpHeaders(), ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)));
                x.finish(new HttpHeaders().set("X-Checksum", "42"));
                return;
            }
            if (req.path().equals("/slow")) {
                release.whenComplete((v, e) -> x.loop().runOrSubmit(() -> {
                    x.writeHeaders(200, null, new HttpHeaders(), 4, ByteBuffer.wrap("done".getBytes(StandardCharsets.US_ASCII)));
                    x.finish();
                }));
                return;
            }
            if (req.path().equals("/stream")) {
                x.writeHeaders(200, null, new HttpHeaders(), null);
                pump();
                return;
            }
            x.writeHeaders(200, null, new HttpHeaders(), 5, ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
            x.finish();
        }

        void pump() {
            writes.incrementAndGet();
            CompletableFuture<Void> f = x.write(ByteBuffer.allocate(64 * 1024));
            lastWrite = f;
            f.whenComplete((v, e) -> {
                if (e == null) {
                    pump();
                }
            });
        }

        @Override
        public void onConnectionClose() {
            closes.incrementAndGet();
        }
    };

    @BeforeEach
    void start() throws IOException {
        loop = new IOLoop();
        loop.startInBackground();
        Http2Limits limits = Http2ServerConnection.limits(HttpServerOptions.defaults()).toBuilder()
                .maxQueuedControlFrames(500).build();
        server = new HttpServer(app, HttpServerOptions.builder().http2(true).build(), limits);
        server.bind(0, "127.0.0.1");
        server.start(loop);
        port = server.boundPorts().get(0);
    }

    @AfterEach
    void stop() throws Exception {
        if (!shutDown) {
            // nothing thrown out of the loop: another connection is served as usual
            try (Peer p = new Peer()) {
                p.handshake();
                p.send(headers(1, true, get("/")));
                Frame f = p.until(DATA);
                assertThat(new String(f.payload, StandardCharsets.US_ASCII)).isEqualTo("hello");
            }
        }
        server.close();
        loop.stop();
    }

    // ------------------------------------------------------------------------------- tests

    @Test
    void rapidResetEndsTheConnectionWithEnhanceYourCalm() throws Exception {
        try (Peer p = new Peer()) {
            p.handshake();
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            int limit = Http2Limits.DEFAULTS.maxPeerResets();
            for (int i = 0; i <= limit; i++) { // one more than allowed; nothing after the last
                int id = 1 + 2 * i;
                burst.writeBytes(headers(id, false, get("/stream")));
                burst.writeBytes(frame(RST_STREAM, 0, id, new byte[] {0, 0, 0, 8})); // CANCEL
            }
            p.send(burst.toByteArray());
            Frame goAway = p.until(GOAWAY);
            assertThat(goAway.errorCode()).as("ENHANCE_YOUR_CALM").isEqualTo(0xb);
            assertThat(p.closed()).isTrue();
        }
    }

    @Test
    void continuationFloodIsBoundedByTheBlockLimit() throws Exception {
        try (Peer p = new Peer()) {
            p.handshake();
            byte[] block = get("/");
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            flood.writeBytes(frame(HEADERS, 0, 1, block)); // no END_HEADERS
            long counted = 9 + block.length;
            int limit = Http2ServerConnection.limits(HttpServerOptions.defaults()).maxHeaderBlockSize();
            while (counted <= limit) { // empty CONTINUATION frames, until the one that crosses the limit
                flood.writeBytes(frame(CONTINUATION, 0, 1, new byte[0]));
                counted += 9;
            }
            p.send(flood.toByteArray());
            assertThat(p.until(GOAWAY).errorCode()).isEqualTo(0xb);
        }
    }

    @Test
    void hpackBombEndsTheConnection() throws Exception {
        try (Peer p = new Peer()) {
            p.handshake();
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            block.writeBytes(get("/"));
            // one 4000-byte field into the dynamic table, then referenced 100 times by one byte each
            block.write(0x40);
            block.writeBytes(string("x-bomb"));
            block.writeBytes(string("b".repeat(4000)));
            for (int i = 0; i < 100; i++) {
                block.write(0x80 | 62);
            }
            p.send(headers(1, true, block.toByteArray()));
            assertThat(p.until(GOAWAY).errorCode()).as("ENHANCE_YOUR_CALM").isEqualTo(0xb);
        }
    }

    @Test
    void aHeadOverTheListLimitIsAnswered431AndTheConnectionGoesOn() throws Exception {
        try (Peer p = new Peer()) {
            p.handshake();
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            block.writeBytes(get("/"));
            for (int i = 0; i < 20; i++) { // 20 x 4 KiB: over the 64 KiB list limit, under the block cap
                block.write(0);
                block.writeBytes(string("x-big-" + i));
                block.writeBytes(string("v".repeat(4096)));
            }
            p.send(split(1, block.toByteArray()));
            Frame h = p.until(HEADERS);
            assertThat(h.stream).isEqualTo(1);
            assertThat(h.payload[0] & 0xFF).as(":status 431 is not in the static table: a literal")
                    .isNotEqualTo(0x88);
            assertThat(new String(h.payload, StandardCharsets.ISO_8859_1)).contains("431");
            p.send(headers(3, true, get("/")));
            Frame d;
            do {
                d = p.until(DATA);
            } while (d.stream != 3);
            assertThat(new String(d.payload, StandardCharsets.US_ASCII)).isEqualTo("hello");
        }
    }

    @Test
    void aDecreasingStreamIdIsAProtocolError() throws Exception {
        try (Peer p = new Peer()) {
            p.handshake();
            p.send(headers(5, true, get("/")));
            p.until(DATA);
            p.send(headers(3, true, get("/")));
            assertThat(p.until(GOAWAY).errorCode()).as("PROTOCOL_ERROR").isEqualTo(0x1);
        }
    }

    @Test
    void pingFloodFromAPeerThatDoesNotReadEndsTheConnection() throws Exception {
        try (Peer p = new Peer(4096)) {
            p.handshake();
            byte[] ping = frame(PING, 0, 0, new byte[8]);
            byte[] many = new byte[ping.length * 1000];
            for (int i = 0; i < 1000; i++) {
                System.arraycopy(ping, 0, many, i * ping.length, ping.length);
            }
            boolean cut = false;
            for (int i = 0; i < 2000 && !cut; i++) { // at most 2 million PINGs; the server leaves long before
                try {
                    p.send(many);
                } catch (SocketException e) {
                    cut = true; // reset by the server
                }
            }
            assertThat(cut || p.closedAfterDraining()).as("the server ended the connection").isTrue();
        }
        assertThat(server.connectionCount()).isZero();
    }

    @Test
    void aZeroWindowHoldsTheHandlerNotMemory() throws Exception {
        try (Peer p = new Peer()) {
            p.out.write(PREFACE);
            p.send(frame(SETTINGS, 0, 0, new byte[] {0, 4, 0, 0, 0, 0})); // INITIAL_WINDOW_SIZE 0
            p.until(SETTINGS);
            p.send(frame(SETTINGS, 1, 0, new byte[0]));
            p.send(headers(1, true, get("/stream")));
            Frame h = p.until(HEADERS);
            assertThat(h.stream).isEqualTo(1);
            // a PING round trip: everything the server would do for the request is done by now
            p.send(frame(PING, 0, 0, new byte[8]));
            p.until(PING);
            assertThat(writes.get()).as("the handler waits for its first write").isEqualTo(1);
            assertThat(lastWrite.isDone()).isFalse();
            p.send(frame(RST_STREAM, 0, 1, new byte[] {0, 0, 0, 8}));
            p.send(frame(PING, 0, 0, new byte[8]));
            p.until(PING);
            assertThat(lastWrite).as("the held write fails when the stream is reset")
                    .failsWithin(10, TimeUnit.SECONDS);
            assertThat(closes.get()).isEqualTo(1);
        }
    }

    @Test
    void trailersFollowTheBodyAsALastHeadersFrame() throws Exception {
        try (Peer p = new Peer()) {
            p.handshake();
            p.send(headers(1, true, get("/trailers")));
            Frame head = p.until(HEADERS);
            assertThat(head.flags & 0x1).as("the head does not end the stream").isZero();
            Frame data = p.until(DATA);
            assertThat(new String(data.payload, StandardCharsets.US_ASCII)).isEqualTo("abc");
            assertThat(data.flags & 0x1).isZero();
            Frame trailers = p.until(HEADERS);
            assertThat(trailers.flags & 0x5).as("END_STREAM | END_HEADERS").isEqualTo(0x5);
            assertThat(trailers.payload).as("a field block (HPACK, possibly Huffman-coded)").isNotEmpty();
            assertThat(trailers.stream).isEqualTo(1);
        }
    }

    @Test
    void shutdownSendsGoAwayAndLetsTheStreamInFlightFinish() throws Exception {
        try (Peer p = new Peer()) {
            p.handshake();
            p.send(headers(1, true, get("/slow")));
            p.send(frame(PING, 0, 0, new byte[8]));
            p.until(PING); // the request reached its handler
            shutDown = true;
            CompletableFuture<Void> drained = server.shutdown(java.time.Duration.ofSeconds(30));
            Frame goAway = p.until(GOAWAY);
            assertThat(goAway.errorCode()).as("NO_ERROR").isZero();
            assertThat(((goAway.payload[0] & 0x7F) << 24) | ((goAway.payload[1] & 0xFF) << 16)
                    | ((goAway.payload[2] & 0xFF) << 8) | (goAway.payload[3] & 0xFF)).as("last stream id").isEqualTo(1);
            assertThat(drained).isNotDone();
            release.complete(null);
            Frame data = p.until(DATA);
            assertThat(data.stream).isEqualTo(1);
            assertThat(new String(data.payload, StandardCharsets.US_ASCII)).isEqualTo("done");
            assertThat(p.closed()).isTrue();
            assertThat(drained).succeedsWithin(30, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------------------------------- raw frames

    static byte[] frame(int type, int flags, int stream, byte[] payload) {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >>> 16);
        f[1] = (byte) (payload.length >>> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        f[5] = (byte) (stream >>> 24);
        f[6] = (byte) (stream >>> 16);
        f[7] = (byte) (stream >>> 8);
        f[8] = (byte) stream;
        System.arraycopy(payload, 0, f, 9, payload.length);
        return f;
    }

    static byte[] headers(int stream, boolean endStream, byte[] block) {
        return frame(HEADERS, 0x4 | (endStream ? 0x1 : 0), stream, block);
    }

    /** A block cut into HEADERS (END_STREAM) and CONTINUATION frames of at most 16384 bytes. */
    static byte[] split(int stream, byte[] block) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int at = 0; at < block.length; at += 16384) {
            byte[] part = java.util.Arrays.copyOfRange(block, at, Math.min(block.length, at + 16384));
            boolean last = at + 16384 >= block.length;
            b.writeBytes(frame(at == 0 ? HEADERS : CONTINUATION, (last ? 0x4 : 0) | (at == 0 ? 0x1 : 0), stream, part));
        }
        return b.toByteArray();
    }

    /** A GET head: :method GET and :scheme http indexed, :path and :authority as literals. */
    static byte[] get(String path) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x82);
        b.write(0x86);
        b.write(0x04); // :path, literal without indexing, name index 4
        b.writeBytes(string(path));
        b.write(0x01); // :authority
        b.writeBytes(string("localhost"));
        return b.toByteArray();
    }

    /** An HPACK string literal without Huffman coding (RFC 7541 section 5.2). */
    static byte[] string(String s) {
        byte[] v = s.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int n = v.length;
        if (n < 127) {
            b.write(n);
        } else {
            b.write(127);
            n -= 127;
            while (n >= 128) {
                b.write((n & 0x7F) | 0x80);
                n >>>= 7;
            }
            b.write(n);
        }
        b.writeBytes(v);
        return b.toByteArray();
    }

    record Frame(int type, int flags, int stream, byte[] payload) {
        long errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xFFL) << 24) | ((payload[at + 1] & 0xFF) << 16) | ((payload[at + 2] & 0xFF) << 8)
                    | (payload[at + 3] & 0xFF);
        }
    }

    /** A raw HTTP/2 client on a blocking socket. */
    final class Peer implements AutoCloseable {
        final Socket socket = new Socket();
        final OutputStream out;
        final DataInputStream in;
        final List<Frame> seen = new ArrayList<>();
        boolean eof;

        Peer() throws IOException {
            this(0);
        }

        Peer(int receiveBuffer) throws IOException {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(20_000);
            out = socket.getOutputStream();
            in = new DataInputStream(socket.getInputStream());
        }

        void handshake() throws IOException {
            out.write(PREFACE);
            send(frame(SETTINGS, 0, 0, new byte[0]));
            Frame s = until(SETTINGS);
            assertThat(s.flags & 1).isZero();
            send(frame(SETTINGS, 1, 0, new byte[0]));
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        Frame read() throws IOException {
            int len = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7FFFFFFF;
            byte[] payload = new byte[len];
            in.readFully(payload);
            Frame f = new Frame(type, flags, stream, payload);
            seen.add(f);
            return f;
        }

        /** Reads until a frame of {@code type} (ACKs of SETTINGS count as SETTINGS). */
        Frame until(int type) throws IOException {
            while (true) {
                Frame f = read();
                if (f.type == type) {
                    return f;
                }
            }
        }

        /** Whether the server closed the connection (EOF or reset) after what it sent. */
        boolean closed() throws IOException {
            try {
                while (true) {
                    read();
                }
            } catch (EOFException | SocketException e) {
                return true;
            }
        }

        /** Reads everything (the flood's answers) to the end: true when the server closed. */
        boolean closedAfterDraining() throws IOException {
            return closed();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
