package io.gale.http;

import static io.gale.http.HttpServerTesting.buffering;
import static io.gale.http.HttpServerTesting.respond;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServerTesting.RawClient;
import io.gale.http.HttpServerTesting.Response;
import io.gale.http.HttpServerTesting.Running;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server over real sockets with a raw client: framing, keep-alive, pipelining, 100-continue, errors. */
@Timeout(30)
class HttpServerRawTest {
    private Running server;

    /** /echo: the body back (chunked); /info: method, uri, body size; anything else: "hello". */
    static final HttpServerConnectionDelegate APP = buffering((req, body, c) -> {
        switch (req.path()) {
            case "/echo" -> {
                c.writeHeaders(200, null, new HttpHeaders().set("Content-Type", "application/octet-stream"), null);
                c.write(ByteBuffer.wrap(body));
                c.finish();
            }
            case "/info" -> respond(c, 200, req.method() + " " + req.uri() + " " + body.length + " "
                    + req.remoteIp() + " " + req.protocol());
            case "/throw" -> throw new IllegalStateException("handler bug (expected by the test)");
            default -> respond(c, 200, "hello");
        }
    });

    @BeforeEach
    void start() throws Exception {
        server = HttpServerTesting.start(APP);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        try (RawClient c = server.client()) {
            for (int i = 0; i < 3; i++) {
                c.send("GET /info?i=" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                Response r = c.readResponse();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.text()).isEqualTo("GET /info?i=" + i + " 0 127.0.0.1 http");
                assertThat(r.header("Date")).endsWith("GMT");
                assertThat(r.header("Connection")).isNull();
            }
        }
    }

    @Test
    void theRequestKnowsWhenItArrivedOnTheWallClock() throws Exception {
        java.util.concurrent.atomic.AtomicLong arrived = new java.util.concurrent.atomic.AtomicLong();
        Running timed = HttpServerTesting.start(buffering((req, body, c) -> {
            arrived.set(req.startTimeMillis());
            respond(c, 200, "ok");
        }));
        try (RawClient c = timed.client()) {
            long before = System.currentTimeMillis();
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
            long after = System.currentTimeMillis();
            // derived from the monotonic clock, both readings truncated to milliseconds: ±1 ms
            assertThat(arrived.get()).isBetween(before - 1, after + 1);
        } finally {
            timed.close();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawClient c = server.client()) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                all.append("POST /info?n=").append(i).append(" HTTP/1.1\r\nHost: x\r\nContent-Length: ")
                        .append(i).append("\r\n\r\n").append("x".repeat(i));
            }
            c.send(all.toString());
            for (int i = 0; i < 10; i++) {
                assertThat(c.readResponse().text()).isEqualTo("POST /info?n=" + i + " " + i + " 127.0.0.1 http");
            }
        }
    }

    @Test
    void chunkedRequestBodyWithExtensionsAndTrailers() throws Exception {
        try (RawClient c = server.client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
            Response r = c.readResponse();
            assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(r.text()).isEqualTo("hello world");
            c.send("GET /info HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void headResponseHasNoBody() throws Exception {
        try (RawClient c = server.client()) {
            c.send("HEAD /echo HTTP/1.1\r\nHost: x\r\n\r\nHEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
            Response r = c.readResponse(true);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Transfer-Encoding")).isNull();
            Response r2 = c.readResponse(true);
            assertThat(r2.header("Content-Length")).isEqualTo("5");
            assertThat(c.readResponse().text()).isEqualTo("hello");
        }
    }

    @Test
    void http10WithoutKeepAliveIsClosedAfterTheResponse() throws Exception {
        try (RawClient c = server.client()) {
            c.send("GET / HTTP/1.0\r\n\r\n");
            Response r = c.readResponse();
            assertThat(r.statusLine()).startsWith("HTTP/1.1 200");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void http10KeepAliveStaysOpenAndUnknownLengthClosesIt() throws Exception {
        try (RawClient c = server.client()) {
            c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            Response r = c.readResponse();
            assertThat(r.header("Connection")).isEqualTo("keep-alive");
            // no Content-Length and HTTP/1.0: the body is delimited by closing
            c.send("POST /echo HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\nabc");
            Response r2 = c.readResponse();
            assertThat(r2.header("Connection")).isEqualTo("close");
            assertThat(r2.text()).isEqualTo("abc");
        }
    }

    @Test
    void connectionCloseFromTheClientClosesAfterTheResponse() throws Exception {
        try (RawClient c = server.client()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
            Response r = c.readResponse();
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void halfClosedClientStillGetsItsResponse() throws Exception {
        try (RawClient c = server.client()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            c.halfClose();
            String all = c.readUntilClose();
            assertThat(all).startsWith("HTTP/1.1 200 OK\r\n").endsWith("hello");
        }
    }

    @Test
    void protocolErrorsAreAnsweredAndTheConnectionClosed() throws Exception {
        String[][] cases = {
            {"GET / HTTP/1.1\r\n\r\n", "400"},                                   // no Host
            {"GET / HTTP/2.0\r\nHost: x\r\n\r\n", "505"},
            {"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "501"},
            {"GET / HTTP/1.1\r\nHost: x\r\nExpect: something\r\n\r\n", "417"},
            {"GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n", "414"},
            {"GET / HTTP/1.1\r\nHost: x\r\nX: " + "a".repeat(70_000) + "\r\n\r\n", "431"},
        };
        for (String[] k : cases) {
            try (RawClient c = server.client()) {
                c.send(k[0]);
                Response r = c.readResponse();
                assertThat(r.status()).as(k[1]).isEqualTo(Integer.parseInt(k[1]));
                assertThat(r.header("Connection")).isEqualTo("close");
                assertThat(c.isClosedByServer()).isTrue();
            }
        }
    }

    @Test
    void bodyTooLargeIs413UpFrontAndWhenChunked() throws Exception {
        try (Running small = HttpServerTesting.start(APP, HttpServerOptions.builder().maxBodySize(100).build())) {
            try (RawClient c = small.client()) {
                c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n");
                assertThat(c.readResponse().status()).isEqualTo(413);
                assertThat(c.isClosedByServer()).isTrue();
            }
            try (RawClient c = small.client()) {
                c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n" + "a".repeat(100)
                        + "\r\n1\r\nb\r\n0\r\n\r\n");
                assertThat(c.readResponse().status()).isEqualTo(413);
                assertThat(c.isClosedByServer()).isTrue();
            }
        }
    }

    @Test
    void delegateExceptionGives500AndOtherConnectionsGoOn() throws Exception {
        try (RawClient other = server.client(); RawClient c = server.client()) {
            other.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(other.readResponse().status()).isEqualTo(200);
            c.send("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n");
            Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(500);
            assertThat(c.isClosedByServer()).isTrue();
            other.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(other.readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void continueIsSentOnlyWhenTheBodyIsRead() throws Exception {
        try (RawClient c = server.client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            assertThat(c.line()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(c.line()).isEmpty();
            c.send("body");
            assertThat(c.readResponse().text()).isEqualTo("body");
        }
    }

    @Test
    void continueIsNotSentWhenTheHandlerAnswersWithoutReading() throws Exception {
        AtomicBoolean dataSeen = new AtomicBoolean();
        HttpServerConnectionDelegate early = conn -> new HttpMessageDelegate() {
            @Override
            public CompletionStage<?> headersReceived(HttpServerRequest request) {
                respond(conn, 401, "no");
                return null;
            }

            @Override
            public CompletionStage<?> dataReceived(ByteBuffer chunk) {
                dataSeen.set(true);
                return null;
            }

            @Override
            public void finish() {
            }

            @Override
            public void onConnectionClose() {
            }
        };
        try (Running s = HttpServerTesting.start(early); RawClient c = s.client()) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.isClosedByServer()).isTrue();
            assertThat(dataSeen).isFalse();
        }
    }

    @Test
    void continueWaitsForTheStageOfHeadersReceived() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        AtomicInteger bytes = new AtomicInteger();
        CompletableFuture<HttpExchange> headSeen = new CompletableFuture<>();
        HttpServerConnectionDelegate gated = conn -> new HttpMessageDelegate() {
            @Override
            public CompletionStage<?> headersReceived(HttpServerRequest request) {
                headSeen.complete(conn);
                return gate;
            }

            @Override
            public CompletionStage<?> dataReceived(ByteBuffer chunk) {
                bytes.addAndGet(chunk.remaining());
                return null;
            }

            @Override
            public void finish() {
                respond(conn, 200, "got " + bytes.get());
            }

            @Override
            public void onConnectionClose() {
            }
        };
        try (Running s = HttpServerTesting.start(gated); RawClient c = s.client()) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
            HttpExchange conn = headSeen.get();
            // Nothing may have been sent yet: the gate is closed. Check with a ping response later:
            // the first bytes the client sees must be the 100 that follows the gate.
            conn.loop().addCallback(() -> gate.complete(null));
            assertThat(c.line()).isEqualTo("HTTP/1.1 100 Continue");
            c.line();
            c.send("abc");
            assertThat(c.readResponse().text()).isEqualTo("got 3");
        }
    }

    @Test
    void clientGoingAwayIsReportedToTheDelegate() throws Exception {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        CountDownLatch started = new CountDownLatch(1);
        HttpServerConnectionDelegate waits = conn -> new HttpMessageDelegate() {
            @Override
            public CompletionStage<?> headersReceived(HttpServerRequest request) {
                started.countDown();
                return null;
            }

            @Override
            public CompletionStage<?> dataReceived(ByteBuffer chunk) {
                return null;
            }

            @Override
            public void finish() {
                // never answers
            }

            @Override
            public void onConnectionClose() {
                closed.complete(null);
            }
        };
        try (Running s = HttpServerTesting.start(waits)) {
            RawClient c = s.client();
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            c.close();
            closed.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void largeChunkedResponseBody() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        try (RawClient c = server.client()) {
            c.send(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + big.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            c.send(big);
            assertThat(c.readResponse().body()).isEqualTo(big);
        }
    }
}
