package io.gale.httpclient;

import static io.gale.http2.ScriptedHttp2Server.CANCEL;
import static io.gale.http2.ScriptedHttp2Server.DATA;
import static io.gale.http2.ScriptedHttp2Server.ENHANCE_YOUR_CALM;
import static io.gale.http2.ScriptedHttp2Server.FRAME_SIZE_ERROR;
import static io.gale.http2.ScriptedHttp2Server.GOAWAY;
import static io.gale.http2.ScriptedHttp2Server.HEADERS;
import static io.gale.http2.ScriptedHttp2Server.NO_ERROR;
import static io.gale.http2.ScriptedHttp2Server.PROTOCOL_ERROR;
import static io.gale.http2.ScriptedHttp2Server.PUSH_PROMISE;
import static io.gale.http2.ScriptedHttp2Server.REFUSED_STREAM;
import static io.gale.http2.ScriptedHttp2Server.RST_STREAM;
import static io.gale.http2.ScriptedHttp2Server.SETTINGS;
import static io.gale.http2.ScriptedHttp2Server.SETTINGS_INITIAL_WINDOW_SIZE;
import static io.gale.http2.ScriptedHttp2Server.SETTINGS_MAX_CONCURRENT_STREAMS;
import static io.gale.http2.ScriptedHttp2Server.SETTINGS_TIMEOUT;
import static io.gale.httpclient.ClientTesting.await;
import static io.gale.httpclient.ClientTesting.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpVersion;
import io.gale.http2.Http2Exception;
import io.gale.http2.Http2Limits;
import io.gale.http2.ScriptedHttp2Server;
import io.gale.http2.ScriptedHttp2Server.Frame;
import io.gale.http2.ScriptedHttp2Server.Peer;
import io.gale.ioloop.IOLoop;
import io.gale.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP/2 client against servers that do what nghttpd never does, scripted frame by frame on
 * Gale's codec ({@link ScriptedHttp2Server}): GOAWAY mid-flight with a last stream id (the
 * unprocessed requests go to a new connection), RST_STREAM REFUSED_STREAM (retried), a server
 * that never opens its window (the request times out, the connection stays usable), its stream
 * limit (never exceeded), SETTINGS and PING floods, empty DATA floods, an HPACK bomb, oversized
 * frames, malformed heads, server push and a SETTINGS ACK that never comes, each answered with the
 * error code RFC 9113 names and nothing thrown out of the loop: after each, the same client on the
 * same loop completes a request to a well-behaved server. Also the ALPN offer itself.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http2ScriptedServerTest {
    private static final TestCertificates CA = TestCertificates.create();
    private static final SSLContext TRUST = CA.trustingContext();

    private IOLoop loop;
    private AsyncHttpClient client;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<ScriptedHttp2Server> servers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        loop = ClientTesting.startLoop("h2-scripted-test");
        client = new AsyncHttpClient(loop);
    }

    @AfterEach
    void tearDown() throws Exception {
        // nothing thrown out of the loop: the same client still works against a good server
        ScriptedHttp2Server good = server((p, i) -> {
            p.handshake();
            Frame h = p.readUntil(HEADERS);
            p.respond(h.streamId(), "fine");
            p.readToEnd();
        });
        HttpResponse r = await(client.fetch(h2c(good, "/after")));
        assertThat(r.text()).isEqualTo("fine");
        client.close();
        for (ScriptedHttp2Server s : servers) {
            assertThat(s.failures()).as("script failures").isEmpty();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
        loop.close();
    }

    private ScriptedHttp2Server server(ScriptedHttp2Server.Script script) throws IOException {
        ScriptedHttp2Server s = new ScriptedHttp2Server(null, script);
        closeables.add(s);
        servers.add(s);
        return s;
    }

    private static HttpRequest h2c(ScriptedHttp2Server s, String path) {
        return HttpRequest.newBuilder(s.url(path)).http2PriorKnowledge(true).build();
    }

    private static HttpRequest.Builder h2cBuilder(ScriptedHttp2Server s, String path) {
        return HttpRequest.newBuilder(s.url(path)).http2PriorKnowledge(true);
    }

    private AsyncHttpClient clientWith(Http2Limits limits) {
        AsyncHttpClient c = new AsyncHttpClient(loop, ClientOptions.defaults(), limits);
        closeables.add(0, c);
        return c;
    }

    /** The cause of a failed fetch (code 599). */
    private static Throwable cause(CompletableFuture<HttpResponse> f) {
        Throwable t = failure(f);
        assertThat(t).isInstanceOf(HttpClientException.class);
        assertThat(((HttpClientException) t).code()).isEqualTo(599);
        return t.getCause();
    }

    // --------------------------------------------------------------- retries

    @Test
    void goAwayMidFlightSendsTheUnprocessedRequestsToANewConnection() throws Exception {
        List<String> served = new CopyOnWriteArrayList<>();
        ScriptedHttp2Server s = server((p, i) -> {
            p.handshake();
            if (i == 0) {
                List<Frame> heads = new ArrayList<>();
                while (heads.size() < 4) {
                    heads.add(p.readUntil(HEADERS));
                }
                p.goAway(heads.get(1).streamId(), NO_ERROR, "shutting down");
                for (Frame h : heads.subList(0, 2)) {
                    served.add("conn0 " + h.field(":path"));
                    p.respond(h.streamId(), "conn0 " + h.field(":path"));
                }
                p.readToEnd();
            } else {
                Frame h;
                while ((h = p.readUntil(HEADERS)) != null) {
                    served.add("conn" + i + " " + h.field(":path"));
                    p.respond(h.streamId(), "conn" + i + " " + h.field(":path"));
                }
            }
        });
        List<CompletableFuture<HttpResponse>> all = new ArrayList<>();
        for (String path : new String[] {"/a", "/b", "/c", "/d"}) {
            all.add(client.fetch(h2cBuilder(s, path).method(path.equals("/d") ? "POST" : "GET")
                    .body(path.equals("/d") ? "posted" : null).build()));
        }
        List<String> bodies = new ArrayList<>();
        for (CompletableFuture<HttpResponse> f : all) {
            bodies.add(await(f).text());
        }
        // streams 1 and 3 were processed on the first connection; 5 and 7 (a POST too: RFC 9113
        // section 8.7 guarantees the server did nothing with them) were retried on a second one
        assertThat(bodies).containsExactly("conn0 /a", "conn0 /b", "conn1 /c", "conn1 /d");
        assertThat(s.accepted()).isEqualTo(2);
        assertThat(served).hasSize(4);
    }

    @Test
    void refusedStreamsAreRetriedButStreamedBodiesAreNot() throws Exception {
        AtomicInteger refused = new AtomicInteger();
        ScriptedHttp2Server s = server((p, i) -> {
            p.handshake();
            Frame h;
            while ((h = p.readUntil(HEADERS)) != null) {
                if (h.field(":path").startsWith("/refuse") && refused.getAndIncrement() % 2 == 0) {
                    p.rst(h.streamId(), REFUSED_STREAM);
                } else if (h.field(":path").equals("/always")) {
                    p.rst(h.streamId(), REFUSED_STREAM);
                } else {
                    if (!h.endStream()) {
                        p.readUntil(f -> f.type() == DATA && f.endStream());
                    }
                    p.respond(h.streamId(), "ok " + h.field(":path"));
                }
            }
        });
        assertThat(await(client.fetch(h2c(s, "/refuse-get"))).text()).isEqualTo("ok /refuse-get");
        assertThat(await(client.fetch(h2cBuilder(s, "/refuse-post").method("POST").body("x").build())).text())
                .isEqualTo("ok /refuse-post");
        assertThat(s.accepted()).isEqualTo(1); // retried on the same connection
        // a streamed body cannot be produced again: the refusal is the answer
        Throwable t = cause(client.fetch(h2cBuilder(s, "/refuse-streamed").method("POST")
                .bodyProducer(w -> w.write("x".getBytes())).build()));
        assertThat(t).isInstanceOf(Http2Exception.class);
        assertThat(((Http2Exception) t).errorName()).isEqualTo("REFUSED_STREAM");
        assertThat(((Http2Exception) t).unprocessed()).isTrue();
        // a server that refuses forever: the retries are bounded
        Throwable always = cause(client.fetch(h2c(s, "/always")));
        assertThat(always.getMessage()).contains("REFUSED_STREAM");
    }

    // ---------------------------------------------------------- flow control

    @Test
    void aServerThatNeverOpensItsWindowTimesTheRequestOutAndKeepsTheConnection() throws Exception {
        AtomicInteger dataBytes = new AtomicInteger();
        CompletableFuture<Frame> reset = new CompletableFuture<>();
        ScriptedHttp2Server s = server((p, i) -> {
            p.handshake(); // default windows: 65535 bytes, never replenished
            Frame h = p.readUntil(HEADERS);
            Frame f;
            while ((f = p.read()) != null) {
                if (f.type() == DATA) {
                    dataBytes.addAndGet(f.payload().length);
                } else if (f.type() == RST_STREAM) {
                    reset.complete(f);
                    break;
                }
            }
            Frame next = p.readUntil(HEADERS);
            p.respond(next.streamId(), "still here");
            p.readToEnd();
        });
        byte[] body = new byte[1024 * 1024];
        Throwable t = failure(client.fetch(h2cBuilder(s, "/upload").method("PUT").body(body)
                .requestTimeout(Duration.ofMillis(500)).build()));
        assertThat(((HttpClientException) t).isTimeout()).isTrue();
        Frame rst = reset.get(30, TimeUnit.SECONDS);
        assertThat(rst.streamId()).isEqualTo(1);
        assertThat(rst.errorCode()).isEqualTo(CANCEL);
        assertThat(dataBytes.get()).isEqualTo(65535); // one window, not a byte more
        assertThat(await(client.fetch(h2c(s, "/next"))).text()).isEqualTo("still here");
        assertThat(s.accepted()).isEqualTo(1);
    }

    @Test
    void aZeroWindowHoldsTheProducerBack() throws Exception {
        CountDownLatch headersSeen = new CountDownLatch(1);
        ScriptedHttp2Server s = server((p, i) -> {
            p.handshake(SETTINGS_INITIAL_WINDOW_SIZE, 0);
            p.readUntil(HEADERS);
            headersSeen.countDown();
            p.readToEnd();
        });
        AtomicInteger completedWrites = new AtomicInteger();
        CompletableFuture<HttpResponse> f = client.fetch(h2cBuilder(s, "/upload").method("POST")
                .requestTimeout(Duration.ofMillis(500))
                .bodyProducer(w -> w.write(new byte[1000]).thenRun(completedWrites::incrementAndGet)
                        .thenCompose(v -> w.write(new byte[1000])).thenRun(completedWrites::incrementAndGet))
                .build());
        assertThat(headersSeen.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(((HttpClientException) failure(f)).isTimeout()).isTrue();
        assertThat(completedWrites.get()).isZero(); // the first write never completed: nothing piled up
    }

    @Test
    void theServersStreamLimitIsNeverExceeded() throws Exception {
        AtomicInteger maxOpen = new AtomicInteger();
        ScriptedHttp2Server s = server((p, i) -> {
            p.handshake(SETTINGS_MAX_CONCURRENT_STREAMS, 2);
            List<Frame> open = new ArrayList<>();
            int answered = 0;
            while (answered < 7) {
                if (open.size() == 2 || (answered == 6 && open.size() == 1)) {
                    Frame h = open.remove(0); // answer the oldest once the limit is reached
                    p.respond(h.streamId(), h.field(":path"));
                    answered++;
                    continue;
                }
                Frame f = p.read();
                if (f.type() == HEADERS) {
                    open.add(f);
                    maxOpen.accumulateAndGet(open.size(), Math::max);
                }
            }
            p.readToEnd();
        });
        List<CompletableFuture<HttpResponse>> all = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            all.add(client.fetch(h2c(s, "/" + i)));
        }
        for (int i = 0; i < 7; i++) {
            assertThat(await(all.get(i)).text()).isEqualTo("/" + i);
        }
        assertThat(maxOpen.get()).isEqualTo(2);
        assertThat(s.accepted()).isEqualTo(1);
    }

    // --------------------------------------------------------------- floods

    /** A server that sends {@code frame} forever without reading; the client must give up with ENHANCE_YOUR_CALM. */
    private void floodOf(int type, int length) throws Exception {
        ScriptedHttp2Server s = server((p, i) -> {
            p.socket().setReceiveBufferSize(4096);
            p.handshake();
            p.readUntil(HEADERS);
            byte[] payload = new byte[length];
            byte[] one = new byte[9 + length];
            one[2] = (byte) length;
            one[3] = (byte) type;
            System.arraycopy(payload, 0, one, 9, length);
            byte[] many = new byte[one.length * 1000];
            for (int k = 0; k < 1000; k++) {
                System.arraycopy(one, 0, many, k * one.length, one.length);
            }
            for (int k = 0; k < 10_000; k++) { // at most 10 million frames; the client leaves long before
                p.raw(many);
            }
        });
        AsyncHttpClient c = clientWith(Http2Limits.builder().maxQueuedControlFrames(1000).build());
        Throwable t = cause(c.fetch(h2c(s, "/")));
        assertThat(t).isInstanceOf(Http2Exception.class);
        assertThat(t.getMessage()).contains("ENHANCE_YOUR_CALM").contains("flood");
    }

    @Test
    void settingsFloodEndsTheConnection() throws Exception {
        floodOf(SETTINGS, 0);
    }

    @Test
    void pingFloodEndsTheConnection() throws Exception {
        floodOf(ScriptedHttp2Server.PING, 8);
    }

    @Test
    void emptyDataFloodEndsTheConnection() throws Exception {
        CompletableFuture<Frame> goAway = new CompletableFuture<>();
        ScriptedHttp2Server s = server((p, i) -> {
            p.handshake();
            Frame h = p.readUntil(HEADERS);
            p.headers(h.streamId(), false, ":status", "200");
            for (int k = 0; k < 50; k++) {
                p.data(h.streamId(), new byte[0], false);
            }
            goAway.complete(p.readUntil(GOAWAY));
        });
        Throwable t = cause(client.fetch(h2c(s, "/")));
        assertThat(t.getMessage()).contains("ENHANCE_YOUR_CALM");
        assertThat(goAway.get(30, TimeUnit.SECONDS).errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
    }

    @Test
    void hpackBombInResponseHeadersEndsTheConnection() throws Exception {
        CompletableFuture<Frame> goAway = new CompletableFuture<>();
        ScriptedHttp2Server s = server((p, i) -> {
            p.handshake();
            Frame h = p.readUntil(HEADERS);
            // one 4000-octet literal added to the dynamic table (index 62), then referenced 200 times:
            // ~4.2 KB on the wire, 800 KB decoded
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            block.write(0x88); // :status 200
            block.write(0x40); // literal with incremental indexing, new name
            block.write(6);
            block.writeBytes("x-bomb".getBytes());
            block.write(0x7f); // value length 4000: 127 + 3873 as continuation octets
            int rest = 4000 - 127;
            block.write(0x80 | (rest & 0x7f));
            block.write(rest >>> 7);
            block.writeBytes("a".repeat(4000).getBytes());
            for (int k = 0; k < 200; k++) {
                block.write(0x80 | 62);
            }
            p.frame(HEADERS, 0x4 | 0x1, h.streamId(), block.toByteArray());
            goAway.complete(p.readUntil(GOAWAY));
        });
        Throwable t = cause(client.fetch(h2c(s, "/")));
        assertThat(t.getMessage()).contains("ENHANCE_YOUR_CALM");
        assertThat(goAway.get(30, TimeUnit.SECONDS).errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
    }

    // ------------------------------------------------------------ bad frames

    @Test
    void anOversizedDataFrameResetsItsStreamOnly() throws Exception {
        CompletableFuture<Frame> reset = new CompletableFuture<>();
        ScriptedHttp2Server s = server((p, i) -> {
            p.handshake();
            Frame h = p.readUntil(HEADERS);
            p.headers(h.streamId(), false, ":status", "200");
            p.data(h.streamId(), new byte[20_000], true); // above SETTINGS_MAX_FRAME_SIZE 16384
            reset.complete(p.readUntil(RST_STREAM));
            Frame next = p.readUntil(HEADERS);
            p.respond(next.streamId(), "next");
            p.readToEnd();
        });
        Throwable t = cause(client.fetch(h2c(s, "/big-frame")));
        assertThat(t.getMessage()).contains("FRAME_SIZE_ERROR");
        assertThat(reset.get(30, TimeUnit.SECONDS).errorCode()).isEqualTo(FRAME_SIZE_ERROR);
        assertThat(await(client.fetch(h2c(s, "/next"))).text()).isEqualTo("next");
        assertThat(s.accepted()).isEqualTo(1);
    }

    @Test
    void anOversizedHeadersFrameEndsTheConnection() throws Exception {
        CompletableFuture<Frame> goAway = new CompletableFuture<>();
        ScriptedHttp2Server s = server((p, i) -> {
            p.handshake();
            Frame h = p.readUntil(HEADERS);
            p.frame(HEADERS, 0x4, h.streamId(), new byte[17_000]);
            goAway.complete(p.readUntil(GOAWAY));
        });
        Throwable t = cause(client.fetch(h2c(s, "/")));
        assertThat(t.getMessage()).contains("FRAME_SIZE_ERROR");
        assertThat(goAway.get(30, TimeUnit.SECONDS).errorCode()).isEqualTo(FRAME_SIZE_ERROR);
    }

    @Test
    void malformedResponseHeadsResetTheStream() throws Exception {
        java.util.concurrent.BlockingQueue<Long> resets = new java.util.concurrent.LinkedBlockingQueue<>();
        ScriptedHttp2Server s = server((p, i) -> {
            p.handshake();
            Frame h;
            while ((h = p.readUntil(HEADERS)) != null) {
                switch (h.field(":path")) {
                    case "/upper" -> p.frame(HEADERS, 0x5, h.streamId(), // :status 200, then X-Upper: 1 as a literal
                            new byte[] {(byte) 0x88, 0x00, 7, 'X', '-', 'U', 'p', 'p', 'e', 'r', 1, '1'});
                    case "/connection" -> p.headers(h.streamId(), true, ":status", "200", "connection", "close");
                    case "/no-status" -> p.headers(h.streamId(), true, "x", "1");
                    case "/length" -> {
                        p.headers(h.streamId(), false, ":status", "200", "content-length", "10");
                        p.data(h.streamId(), "short".getBytes(), true);
                    }
                    default -> p.respond(h.streamId(), "ok");
                }
                if (!h.field(":path").equals("/ok")) {
                    resets.add(p.readUntil(RST_STREAM).errorCode());
                }
            }
        });
        for (String path : new String[] {"/upper", "/connection", "/no-status", "/length"}) {
            Throwable t = cause(client.fetch(h2c(s, path)));
            assertThat(t.getMessage()).as(path).contains("PROTOCOL_ERROR").contains("malformed");
            assertThat(resets.poll(30, TimeUnit.SECONDS)).as(path).isEqualTo(PROTOCOL_ERROR);
        }
        assertThat(await(client.fetch(h2c(s, "/ok"))).text()).isEqualTo("ok");
        assertThat(s.accepted()).isEqualTo(1);
    }

    @Test
    void serverPushIsAConnectionError() throws Exception {
        CompletableFuture<Frame> goAway = new CompletableFuture<>();
        ScriptedHttp2Server s = server((p, i) -> {
            p.handshake();
            Frame h = p.readUntil(HEADERS);
            p.frame(PUSH_PROMISE, 0x4, h.streamId(), new byte[] {0, 0, 0, 2, (byte) 0x82});
            goAway.complete(p.readUntil(GOAWAY));
        });
        Throwable t = cause(client.fetch(h2c(s, "/")));
        assertThat(t.getMessage()).contains("PROTOCOL_ERROR");
        assertThat(goAway.get(30, TimeUnit.SECONDS).errorCode()).isEqualTo(PROTOCOL_ERROR);
    }

    @Test
    void unacknowledgedSettingsTimeOut() throws Exception {
        CompletableFuture<Frame> goAway = new CompletableFuture<>();
        ScriptedHttp2Server s = server((p, i) -> {
            p.readPreface(); // the client's SETTINGS are never acknowledged
            p.settings();
            goAway.complete(p.readUntil(GOAWAY));
        });
        AsyncHttpClient c = clientWith(Http2Limits.builder().settingsTimeout(Duration.ofMillis(200)).build());
        Throwable t = cause(c.fetch(h2c(s, "/")));
        assertThat(t.getMessage()).contains("SETTINGS_TIMEOUT");
        assertThat(goAway.get(30, TimeUnit.SECONDS).errorCode()).isEqualTo(SETTINGS_TIMEOUT);
    }

    @Test
    void aTimedOutRequestResetsOnlyItsStream() throws Exception {
        CompletableFuture<Frame> reset = new CompletableFuture<>();
        ScriptedHttp2Server s = server((p, i) -> {
            p.handshake();
            p.readUntil(HEADERS); // never answered
            reset.complete(p.readUntil(RST_STREAM));
            Frame next = p.readUntil(HEADERS);
            p.respond(next.streamId(), "second");
            p.readToEnd();
        });
        Throwable t = failure(client.fetch(h2cBuilder(s, "/slow").requestTimeout(Duration.ofMillis(300)).build()));
        assertThat(((HttpClientException) t).isTimeout()).isTrue();
        assertThat(reset.get(30, TimeUnit.SECONDS).errorCode()).isEqualTo(CANCEL);
        HttpResponse r = await(client.fetch(h2c(s, "/next")));
        assertThat(r.text()).isEqualTo("second");
        assertThat(r.version()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(s.accepted()).isEqualTo(1);
    }

    @Test
    void priorKnowledgeAgainstAnHttp1ServerFailsClearly() throws Exception {
        ScriptedServer h1 = new ScriptedServer((sock, i) -> {
            ScriptedServer.readHead(sock.getInputStream());
            ScriptedServer.write(sock, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        });
        closeables.add(h1);
        Throwable t = cause(client.fetch(HttpRequest.newBuilder(h1.url("/")).http2PriorKnowledge(true).build()));
        assertThat(t.getMessage()).contains("h2c with prior knowledge failed");
    }

    // ------------------------------------------------------- message shapes

    @Test
    void expectContinueWaitsForTheServersHundred() throws Exception {
        CompletableFuture<String> order = new CompletableFuture<>();
        ScriptedHttp2Server s = server((p, i) -> {
            p.handshake();
            Frame h = p.readUntil(HEADERS);
            StringBuilder seen = new StringBuilder("head end=" + h.endStream() + " expect=" + h.field("expect"));
            p.headers(h.streamId(), false, ":status", "100");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            Frame d;
            do {
                d = p.readUntil(DATA);
                body.writeBytes(d.payload());
            } while (!d.endStream());
            seen.append(", body ").append(body);
            order.complete(seen.toString());
            p.respond(h.streamId(), "got " + body);
            p.readToEnd();
        });
        HttpResponse r = await(client.fetch(h2cBuilder(s, "/upload").method("POST").body("payload")
                .expect100Continue(true).build()));
        assertThat(r.text()).isEqualTo("got payload");
        assertThat(order.get(30, TimeUnit.SECONDS)).isEqualTo("head end=false expect=100-continue, body payload");
    }

    @Test
    void anEarlyFinalAnswerEndsOurSideWithCancel() throws Exception {
        CompletableFuture<Frame> reset = new CompletableFuture<>();
        ScriptedHttp2Server s = server((p, i) -> {
            p.handshake();
            Frame h = p.readUntil(HEADERS);
            p.headers(h.streamId(), true, ":status", "413"); // refuses the body without reading it
            reset.complete(p.readUntil(RST_STREAM));
            p.readToEnd();
        });
        CompletableFuture<Void> never = new CompletableFuture<>();
        HttpResponse r = await(client.fetch(h2cBuilder(s, "/upload").method("POST").raiseError(false)
                .bodyProducer(w -> w.write("start".getBytes()).thenCompose(v -> never)).build()));
        assertThat(r.code()).isEqualTo(413);
        assertThat(r.reason()).isEqualTo("Content Too Large");
        Frame rst = reset.get(30, TimeUnit.SECONDS);
        assertThat(rst.errorCode()).isEqualTo(CANCEL);
    }

    @Test
    void trailersRedirectsAndInformationalHeads() throws Exception {
        ScriptedHttp2Server s = server((p, i) -> {
            p.handshake();
            Frame h;
            while ((h = p.readUntil(HEADERS)) != null) {
                int id = h.streamId();
                switch (h.field(":path")) {
                    case "/moved" -> p.headers(id, true, ":status", "302", "location", "/trailers");
                    case "/trailers" -> {
                        p.headers(id, false, ":status", "103", "link", "</style.css>; rel=preload");
                        p.headers(id, false, ":status", "200");
                        p.data(id, "body".getBytes(), false);
                        p.headers(id, true, "grpc-status", "0");
                    }
                    default -> p.respond(id, "?");
                }
            }
        });
        HttpResponse r = await(client.fetch(h2c(s, "/moved")));
        assertThat(r.effectiveUrl()).endsWith("/trailers");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("body");
        assertThat(s.accepted()).isEqualTo(1);
    }

    @Test
    void aServerClosingWithoutGoAwayFailsTheStreamsInFlight() throws Exception {
        ScriptedHttp2Server s = server((p, i) -> {
            p.handshake();
            Frame h = p.readUntil(HEADERS);
            p.headers(h.streamId(), false, ":status", "200", "content-length", "100");
            p.data(h.streamId(), new byte[10], false);
            p.socket().close();
        });
        Throwable t = cause(client.fetch(h2c(s, "/")));
        assertThat(t.getMessage()).contains("connection closed by the peer");
    }

    @Test
    void anIdleConnectionTheServerLeavesIsReplaced() throws Exception {
        CountDownLatch goneAway = new CountDownLatch(1);
        ScriptedHttp2Server s = server((p, i) -> {
            p.handshake();
            Frame h = p.readUntil(HEADERS);
            p.respond(h.streamId(), "conn" + i);
            if (i == 0) {
                p.goAway(h.streamId(), NO_ERROR, "idle");
                goneAway.countDown();
            }
            p.readToEnd();
        });
        assertThat(await(client.fetch(h2c(s, "/"))).text()).isEqualTo("conn0");
        assertThat(goneAway.await(30, TimeUnit.SECONDS)).isTrue();
        ClientTesting.awaitOnLoop(loop, () -> client.pool().openConnections() == 0, "the connection closed after GOAWAY");
        assertThat(await(client.fetch(h2c(s, "/"))).text()).isEqualTo("conn1");
    }

    // ------------------------------------------------------------------- ALPN

    @Test
    void alpnOffersH2FirstUnlessTurnedOff() throws Exception {
        List<List<String>> offers = new CopyOnWriteArrayList<>();
        ScriptedServer tls = new ScriptedServer(CA.issue("127.0.0.1", "127.0.0.1").sslContext(), (sock, i) -> {
            ((SSLSocket) sock).setHandshakeApplicationProtocolSelector((engine, offered) -> {
                offers.add(List.copyOf(offered));
                return offered.isEmpty() ? null : "http/1.1";
            });
            ScriptedServer.serveKeepAlive(sock, "h1");
        });
        closeables.add(tls);
        HttpRequest req = HttpRequest.newBuilder("https://127.0.0.1:" + tls.port() + "/").sslContext(TRUST).build();
        HttpResponse r = await(client.fetch(req));
        assertThat(r.version()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(r.text()).isEqualTo("h1");
        AsyncHttpClient off = new AsyncHttpClient(loop, ClientOptions.builder().http2(false).build());
        closeables.add(0, off);
        assertThat(await(off.fetch(req)).version()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(offers.get(0)).containsExactly("h2", "http/1.1");
        assertThat(offers.subList(1, offers.size())).allMatch(List::isEmpty); // nothing offered when off
    }

    @Test
    void h2OverTlsWithAScriptedServer() throws Exception {
        ScriptedHttp2Server s = new ScriptedHttp2Server(CA.issue("127.0.0.1", "127.0.0.1").sslContext(), (p, i) -> {
            p.handshake();
            Frame h = p.readUntil(HEADERS);
            p.headers(h.streamId(), false, ":status", "201", "x-alpn", p.alpn(), "x-scheme", h.field(":scheme"),
                    "x-authority", h.field(":authority"));
            p.data(h.streamId(), "created".getBytes(), true);
            p.readToEnd();
        });
        closeables.add(s);
        servers.add(s);
        HttpResponse r = await(client.fetch(HttpRequest.newBuilder(s.url("/x")).sslContext(TRUST).build()));
        assertThat(r.code()).isEqualTo(201);
        assertThat(r.reason()).isEqualTo("Created");
        assertThat(r.headers().get("x-alpn")).isEqualTo("h2");
        assertThat(r.headers().get("x-scheme")).isEqualTo("https");
        assertThat(r.headers().get("x-authority")).isEqualTo("127.0.0.1:" + s.port());
        assertThat(r.text()).isEqualTo("created");
    }
}
