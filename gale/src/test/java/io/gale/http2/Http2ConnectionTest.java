package io.gale.http2;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpHeaders;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.IOLoopOptions;
import io.gale.iostream.IOStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Http2Connection} in both roles over a real loopback socket: a client engine talks to a
 * server engine on one loop. Requests and responses with bodies and trailers, flow control with
 * small windows (a consumer that stops consuming stops the peer after one window), the peer's
 * concurrency limit, resets, refused streams and graceful GOAWAY. Synchronisation is by futures
 * and PING round trips (frames sent before a PING's ACK have arrived when it completes).
 */
@Timeout(60)
class Http2ConnectionTest {
    private final IOLoop loop = startLoop();
    private Http2Connection client;
    private Http2Connection server;
    private final List<Recorder> serverStreams = new ArrayList<>();
    private BiConsumer<Http2Stream, Recorder> responder = (s, r) -> { };
    private boolean refuseStreams;
    private final CompletableFuture<Void> clientReady = new CompletableFuture<>();
    private final CompletableFuture<Throwable> clientClosed = new CompletableFuture<>();
    private final List<String> clientEvents = new ArrayList<>();

    private static IOLoop startLoop() {
        IOLoop l = new IOLoop(IOLoopOptions.builder().name("h2-connection-test").daemon(true).build());
        l.startInBackground();
        return l;
    }

    @AfterEach
    void tearDown() {
        on(() -> {
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.close();
            }
            return null;
        });
        loop.close();
    }

    /** Receives one stream's messages; consumes at once unless told otherwise. */
    static final class Recorder implements Http2Stream.Listener {
        final List<Http2Fields> blocks = new ArrayList<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        boolean consume = true;
        int unconsumed;
        Http2Stream stream;

        @Override
        public void onHeaders(Http2Stream s, Http2Fields fields, boolean endStream) {
            stream = s;
            blocks.add(fields);
            if (endStream) {
                ended.complete(null);
            }
        }

        @Override
        public void onData(Http2Stream s, ByteBuffer data, boolean endStream) {
            int n = data.remaining();
            byte[] b = new byte[n];
            data.get(b);
            body.write(b, 0, n);
            if (consume) {
                s.consumed(n);
            } else {
                unconsumed += n;
            }
            if (endStream) {
                ended.complete(null);
            }
        }

        @Override
        public void onError(Http2Stream s, Http2Exception error) {
            ended.completeExceptionally(error);
        }
    }

    private void connect(Http2Limits clientLimits, Http2Limits serverLimits) throws Exception {
        try (ServerSocketChannel acceptor = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            SocketChannel c = SocketChannel.open(acceptor.getLocalAddress());
            SocketChannel a = acceptor.accept();
            c.configureBlocking(false);
            a.configureBlocking(false);
            on(() -> {
                server = Http2Connection.server(new IOStream(loop, a), serverLimits, new Http2Connection.Handler() {
                    @Override
                    public Http2Stream.Listener onPeerStream(Http2Connection conn, Http2Stream s) {
                        if (refuseStreams) {
                            return null;
                        }
                        Recorder r = new Recorder();
                        serverStreams.add(r);
                        r.ended.whenComplete((v, e) -> {
                            if (e == null) {
                                responder.accept(s, r);
                            }
                        });
                        return r;
                    }

                    @Override
                    public void onClosed(Http2Connection conn, Throwable cause) {
                    }
                });
                client = Http2Connection.client(new IOStream(loop, c), clientLimits, new Http2Connection.Handler() {
                    @Override
                    public void onReady(Http2Connection conn) {
                        clientReady.complete(null);
                    }

                    @Override
                    public void onGoAway(Http2Connection conn, int lastStreamId, long errorCode) {
                        clientEvents.add("goaway " + lastStreamId + " " + errorCode);
                    }

                    @Override
                    public void onClosed(Http2Connection conn, Throwable cause) {
                        clientClosed.complete(cause);
                    }
                });
                server.start();
                client.start();
                return null;
            });
        }
        await(clientReady);
    }

    private void connect() throws Exception {
        connect(Http2Limits.DEFAULTS, Http2Limits.DEFAULTS);
    }

    private Recorder request(String method, String path, byte[] body) {
        Recorder r = new Recorder();
        on(() -> {
            Http2Stream s = client.newStream(r);
            s.sendRequest(method, "http", "test.example", path, new HttpHeaders().add("X-Test", " yes "), body == null);
            if (body != null) {
                s.sendData(ByteBuffer.wrap(body), true);
            }
            r.stream = s;
            return null;
        });
        return r;
    }

    private static HttpHeaders headers(String... nv) {
        HttpHeaders h = new HttpHeaders();
        for (int i = 0; i < nv.length; i += 2) {
            h.add(nv[i], nv[i + 1]);
        }
        return h;
    }

    @Test
    void requestsAndResponsesWithBodies() throws Exception {
        responder = (s, r) -> {
            Http2Fields req = r.blocks.get(0);
            byte[] echo = (req.method() + " " + req.path() + " " + req.headers().get("x-test") + " "
                + r.body.toString(java.nio.charset.StandardCharsets.ISO_8859_1)).getBytes();
            s.sendResponse(200, headers("Content-Type", "text/plain", "Connection", "close"), false);
            s.sendData(ByteBuffer.wrap(echo, 0, 3), false);
            s.sendData(ByteBuffer.wrap(echo, 3, echo.length - 3), true);
        };
        connect();
        Recorder get = request("GET", "/a", null);
        Recorder post = request("POST", "/b", "posted body".getBytes());
        await(get.ended);
        await(post.ended);
        assertThat(get.stream.id()).isEqualTo(1);
        assertThat(post.stream.id()).isEqualTo(3);
        Http2Fields head = get.blocks.get(0);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.headers().get("content-type")).isEqualTo("text/plain");
        assertThat(head.headers().contains("connection")).isFalse();   // left out when sending (8.2.2)
        assertThat(get.body.toString()).isEqualTo("GET /a yes ");       // value trimmed when sending
        assertThat(post.body.toString()).isEqualTo("POST /b yes posted body");
        assertThat(serverStreams.get(0).blocks.get(0).authority()).isEqualTo("test.example");
        assertThat(on(() -> client.activeStreams())).isZero();
    }

    @Test
    void trailersEndTheStream() throws Exception {
        responder = (s, r) -> {
            s.sendResponse(200, new HttpHeaders(), false);
            s.sendData(ByteBuffer.wrap("data".getBytes()), false);
            s.sendTrailers(headers("grpc-status", "0"));
        };
        connect();
        Recorder r = request("GET", "/", null);
        await(r.ended);
        assertThat(r.blocks).hasSize(2);
        assertThat(r.blocks.get(1).kind()).isEqualTo(Http2Fields.Kind.TRAILERS);
        assertThat(r.blocks.get(1).headers().get("grpc-status")).isEqualTo("0");
        assertThat(r.body.toString()).isEqualTo("data");
    }

    @Test
    void largeBodyThroughSmallWindows() throws Exception {
        byte[] big = new byte[1 << 20];
        new java.util.Random(7).nextBytes(big);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        responder = (s, r) -> {
            s.sendResponse(200, headers("content-length", Integer.toString(big.length)), false);
            s.sendData(ByteBuffer.wrap(big), true).whenComplete((v, e) -> sent.complete(null));
        };
        // 16 KiB stream windows, a 64 KiB connection window: 64 rounds of WINDOW_UPDATEs
        connect(Http2Limits.builder().initialWindowSize(16384).connectionWindowSize(65535).build(), Http2Limits.DEFAULTS);
        Recorder r = request("GET", "/big", null);
        await(r.ended);
        await(sent);
        assertThat(r.body.toByteArray()).isEqualTo(big);
    }

    @Test
    void aConsumerThatStopsConsumingStopsThePeerAfterOneWindow() throws Exception {
        byte[] big = new byte[256 * 1024];
        CompletableFuture<Void> sent = new CompletableFuture<>();
        responder = (s, r) -> {
            s.sendResponse(200, new HttpHeaders(), false);
            s.sendData(ByteBuffer.wrap(big), true).whenComplete((v, e) -> sent.complete(null));
        };
        connect(Http2Limits.builder().initialWindowSize(16384).build(), Http2Limits.DEFAULTS);
        Recorder r = new Recorder();
        r.consume = false;
        on(() -> {
            Http2Stream s = client.newStream(r);
            s.sendRequest("GET", "http", "h", "/", new HttpHeaders(), true);
            r.stream = s;
            return null;
        });
        // the server sends one window, then waits; a PING round trip shows nothing more is under way
        for (int i = 0; i < 3; i++) {
            await(on(() -> client.ping()));
        }
        assertThat(on(() -> r.unconsumed)).isEqualTo(16384);
        assertThat(sent).isNotDone();
        on(() -> {
            r.consume = true;
            r.stream.consumed(r.unconsumed);
            return null;
        });
        await(r.ended);
        await(sent);
        assertThat(r.body.size()).isEqualTo(big.length);
    }

    @Test
    void thePeersConcurrencyLimitIsKept() throws Exception {
        List<Http2Stream> held = new ArrayList<>();
        responder = (s, r) -> held.add(s);
        connect(Http2Limits.DEFAULTS, Http2Limits.builder().maxConcurrentStreams(2).build());
        assertThat(on(() -> client.peerMaxConcurrentStreams())).isEqualTo(2);
        Recorder a = request("GET", "/1", null);
        Recorder b = request("GET", "/2", null);
        assertThat(on(() -> client.canOpenStream())).isFalse();
        await(on(() -> client.ping()));
        on(() -> {
            held.get(0).sendResponse(204, new HttpHeaders(), true);
            return null;
        });
        await(a.ended);
        assertThat(on(() -> client.canOpenStream())).isTrue();
        on(() -> {
            held.get(1).sendResponse(204, new HttpHeaders(), true);
            return null;
        });
        await(b.ended);
    }

    @Test
    void resetsReachTheOtherSide() throws Exception {
        connect();
        Recorder r = new Recorder();
        on(() -> {
            r.stream = client.newStream(r);
            r.stream.sendRequest("POST", "http", "h", "/upload", new HttpHeaders(), false);
            r.stream.sendData(ByteBuffer.wrap("part".getBytes()), false);
            return null;
        });
        await(on(() -> client.ping()));
        Recorder atServer = on(() -> serverStreams.get(0));
        on(() -> {
            r.stream.reset(Http2ErrorCode.CANCEL);
            return null;
        });
        Http2Exception e = failure(atServer.ended);
        assertThat(e.errorName()).isEqualTo("CANCEL");
        assertThat(e.unprocessed()).isFalse();
        assertThat(on(() -> client.activeStreams())).isZero();
    }

    @Test
    void refusedStreamsAreUnprocessed() throws Exception {
        refuseStreams = true;
        connect();
        Recorder r = request("GET", "/", null);
        Http2Exception e = failure(r.ended);
        assertThat(e.errorName()).isEqualTo("REFUSED_STREAM");
        assertThat(e.unprocessed()).isTrue();
    }

    @Test
    void gracefulShutdownLetsStreamsFinish() throws Exception {
        List<Http2Stream> held = new ArrayList<>();
        responder = (s, r) -> held.add(s);
        connect();
        Recorder r = request("GET", "/", null);
        await(on(() -> client.ping()));
        on(() -> {
            server.shutdown();
            return null;
        });
        await(on(() -> client.ping()));
        assertThat(on(() -> new ArrayList<>(clientEvents))).containsExactly("goaway 1 0");
        assertThat(on(() -> client.canOpenStream())).isFalse();
        on(() -> {
            held.get(0).sendResponse(200, new HttpHeaders(), false);
            held.get(0).sendData(ByteBuffer.wrap("last".getBytes()), true);
            return null;
        });
        await(r.ended);
        assertThat(r.body.toString()).isEqualTo("last");
        assertThat(clientClosed.get(30, TimeUnit.SECONDS)).isNull();   // an orderly end
    }

    // ------------------------------------------------------------------- helpers

    private <T> T on(Supplier<T> s) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.addCallback(() -> {
            try {
                f.complete(s.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return await(f);
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("did not complete in time", e);
        }
    }

    private static Http2Exception failure(CompletableFuture<?> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(Http2Exception.class);
            return (Http2Exception) e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("did not complete in time", e);
        }
    }
}
