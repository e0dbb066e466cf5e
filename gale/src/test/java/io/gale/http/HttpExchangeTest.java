package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServerTesting.RawClient;
import io.gale.http.HttpServerTesting.Response;
import io.gale.http.HttpServerTesting.Running;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The exchange's own contract over real sockets: framing decided from typed lengths (and from a
 * caller's Content-Length field), no body for HEAD and 204, trailers after a chunked body and
 * their rule, the per-request body limit (raised, lowered, before 100 Continue, chunked,
 * decompressed, fixed once the body is read), and the HTTP/1.1 capability.
 */
@Timeout(30)
class HttpExchangeTest {
    /** Shared by every response of /shared: the exchange must not modify it. */
    private static final HttpHeaders SHARED = new HttpHeaders().set("Content-Type", "text/plain");

    private Running server;

    /**
     * Paths: /typed (length as a number), /field (a Content-Length field), /twice (both: refused),
     * /nocontent (204 with a typed length), /trailers, /trailers-length, /bad-trailer,
     * /limit/N (sets the request's limit to N, then echoes the body size), /late-limit (sets the
     * limit from dataReceived), /capability.
     */
    private final HttpServerConnectionDelegate app = exchange -> new HttpMessageDelegate() {
        HttpServerRequest request;
        long size;
        final List<String> notes = new ArrayList<>();

        @Override
        public CompletionStage<?> headersReceived(HttpServerRequest r) {
            request = r;
            if (r.path().startsWith("/limit/")) {
                exchange.setMaxBodySize(Long.parseLong(r.path().substring(7)));
            }
            return null;
        }

        @Override
        public CompletionStage<?> dataReceived(ByteBuffer chunk) {
            size += chunk.remaining();
            if (request.path().equals("/late-limit")) {
                try {
                    exchange.setMaxBodySize(1);
                } catch (IllegalStateException expected) {
                    notes.add("late limit refused");
                }
            }
            return null;
        }

        @Override
        public void finish() {
            byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
            switch (request.path()) {
                case "/typed", "/shared" -> {
                    exchange.writeHeaders(200, null, SHARED, hello.length, ByteBuffer.wrap(hello));
                    exchange.finish();
                }
                case "/field" -> {
                    exchange.writeHeaders(200, null, new HttpHeaders().set("Content-Length", "5"), ByteBuffer.wrap(hello));
                    exchange.finish();
                }
                case "/twice" -> {
                    try {
                        exchange.writeHeaders(200, null, new HttpHeaders().set("Content-Length", "5"), 5, null);
                    } catch (IllegalArgumentException expected) {
                        notes.add("refused: headers written " + exchange.headersWritten());
                    }
                    answer(String.join(",", notes));
                }
                case "/nocontent" -> {
                    exchange.writeHeaders(204, null, new HttpHeaders(), 10, null);
                    exchange.finish();
                }
                case "/trailers" -> {
                    exchange.writeHeaders(200, null, new HttpHeaders(), ByteBuffer.wrap(hello));
                    exchange.finish(new HttpHeaders().set("X-Checksum", "5d41402a"));
                }
                case "/trailers-length" -> {
                    exchange.writeHeaders(200, null, new HttpHeaders(), hello.length, ByteBuffer.wrap(hello));
                    exchange.finish(new HttpHeaders().set("X-Checksum", "5d41402a"));
                }
                case "/bad-trailer" -> {
                    exchange.writeHeaders(200, null, new HttpHeaders(), null);
                    try {
                        exchange.finish(new HttpHeaders().set("Content-Length", "3"));
                    } catch (IllegalArgumentException expected) {
                        exchange.write(ByteBuffer.wrap("refused".getBytes(StandardCharsets.US_ASCII)));
                        exchange.finish();
                    }
                }
                case "/capability" -> answer(String.valueOf(exchange instanceof DetachableExchange));
                default -> answer(size + (notes.isEmpty() ? "" : " " + String.join(",", notes)));
            }
        }

        private void answer(String text) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            exchange.writeHeaders(200, null, new HttpHeaders(), b.length, ByteBuffer.wrap(b));
            exchange.finish();
        }

        @Override
        public void onConnectionClose() {
        }
    };

    @BeforeEach
    void start() throws Exception {
        server = HttpServerTesting.start(app, HttpServerOptions.builder().maxBodySize(100).decompressRequest(true).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aTypedLengthIsWrittenByTheExchangeAndSharedHeadersStayUntouched() throws Exception {
        try (RawClient c = server.client()) {
            for (String path : List.of("/typed", "/shared", "/field")) {
                c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                Response r = c.readResponse();
                assertThat(r.header("Content-Length")).as(path).isEqualTo("5");
                assertThat(r.header("Transfer-Encoding")).isNull();
                assertThat(r.text()).isEqualTo("hello");
            }
        }
        assertThat(SHARED.contains("Content-Length")).isFalse();
        assertThat(SHARED.size()).isEqualTo(1);
    }

    @Test
    void aLengthGivenTwiceIsRefusedBeforeAnythingIsSent() throws Exception {
        try (RawClient c = server.client()) {
            c.send("GET /twice HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readResponse().text()).isEqualTo("refused: headers written false");
        }
    }

    @Test
    void headGetsTheLengthButNoBodyAnd204GetsNeither() throws Exception {
        try (RawClient c = server.client()) {
            c.send("HEAD /typed HTTP/1.1\r\nHost: x\r\n\r\n");
            Response head = c.readResponse(true);
            assertThat(head.header("Content-Length")).isEqualTo("5");
            c.send("GET /nocontent HTTP/1.1\r\nHost: x\r\n\r\n");
            Response none = c.readResponse();
            assertThat(none.status()).isEqualTo(204);
            assertThat(none.header("Content-Length")).isNull();
            assertThat(none.header("Transfer-Encoding")).isNull();
            // nothing stray on the wire: the next response follows at once on the same connection
            c.send("GET /typed HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readResponse().text()).isEqualTo("hello");
        }
    }

    @Test
    void trailersFollowAChunkedBodyAndAreDroppedWhereTheyHaveNoPlace() throws Exception {
        try (RawClient c = server.client()) {
            c.send("GET /trailers HTTP/1.1\r\nHost: x\r\nTE: trailers\r\n\r\n");
            String head;
            List<String> headLines = new ArrayList<>();
            while (!(head = c.line()).isEmpty()) {
                headLines.add(head);
            }
            assertThat(headLines).contains("Transfer-Encoding: chunked");
            assertThat(c.line()).isEqualTo("5");
            assertThat(c.line()).isEqualTo("hello");
            assertThat(c.line()).isEqualTo("0");
            assertThat(c.line()).isEqualTo("X-Checksum: 5d41402a");
            assertThat(c.line()).isEmpty();
            c.send("GET /trailers-length HTTP/1.1\r\nHost: x\r\n\r\n");
            Response r = c.readResponse();
            assertThat(r.text()).isEqualTo("hello");
            c.send("GET /bad-trailer HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readResponse().text()).isEqualTo("refused");
            c.send("GET /typed HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readResponse().text()).as("the connection is still in step").isEqualTo("hello");
        }
    }

    @Test
    void aDelegateRaisesItsRequestsLimitAboveTheServersDefault() throws Exception {
        try (RawClient c = server.client()) {
            c.send("POST /limit/1000 HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n" + "a".repeat(500));
            assertThat(c.readResponse().text()).isEqualTo("500");
            c.send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n");
            assertThat(c.readResponse().status()).as("the next request has the default again").isEqualTo(413);
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void aLoweredLimitIsAnswered413BeforeTheContinue() throws Exception {
        try (RawClient c = server.client()) {
            c.send("POST /limit/10 HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n");
            Response r = c.readResponse();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.text()).isEqualTo("413 Content Too Large\n");
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.isClosedByServer()).isTrue();
        }
        try (RawClient c = server.client()) {
            c.send("POST /limit/10 HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n");
            assertThat(c.line()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(c.line()).isEmpty();
            c.send("0123456789");
            assertThat(c.readResponse().text()).isEqualTo("10");
        }
    }

    @Test
    void aChunkedOrDecompressedBodyIsCountedAgainstTheRequestsLimit() throws Exception {
        try (RawClient c = server.client()) {
            c.send("POST /limit/10 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\naaaaa\r\n6\r\nbbbbbb\r\n0\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(413);
            assertThat(c.isClosedByServer()).isTrue();
        }
        byte[] gz = gzip(new byte[2000]); // a few dozen bytes on the wire, 2,000 decompressed
        assertThat(gz.length).isLessThan(100);
        try (RawClient c = server.client()) {
            c.send("POST /limit/1000 HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: " + gz.length
                    + "\r\n\r\n");
            c.send(gz);
            assertThat(c.readResponse().status()).isEqualTo(413);
        }
        try (RawClient c = server.client()) {
            c.send("POST /limit/2000 HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: " + gz.length
                    + "\r\n\r\n");
            c.send(gz);
            assertThat(c.readResponse().text()).isEqualTo("2000");
        }
    }

    @Test
    void theLimitIsFixedOnceTheBodyIsRead() throws Exception {
        try (RawClient c = server.client()) {
            c.send("POST /late-limit HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nabcde");
            assertThat(c.readResponse().text()).isEqualTo("5 late limit refused");
        }
    }

    @Test
    void anHttp11ExchangeCanBeDetached() throws Exception {
        try (RawClient c = server.client()) {
            c.send("GET /capability HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.readResponse().text()).isEqualTo("true");
        }
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }
}
