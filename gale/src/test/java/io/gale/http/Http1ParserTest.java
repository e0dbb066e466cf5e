package io.gale.http;

import io.gale.internal.http.Http1Parser;
import static io.gale.http.ParserDriver.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.internal.http.Http1Parser.Event;
import io.gale.http.ParserDriver.Outcome;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unit tests of {@link Http1Parser}. Every input goes through {@link #check}: parsed whole, then
 * split at every position, byte by byte, and from direct buffers; all runs must agree.
 */
@Timeout(60)
class Http1ParserTest {

    private static final Http1ParserLimits LIMITS = Http1ParserLimits.DEFAULTS;

    static Outcome check(Supplier<Http1Parser> parsers, String input, boolean finish) {
        byte[] in = bytes(input);
        Outcome reference = ParserDriver.run(parsers.get(), in, null, false, finish);
        String expected = reference.toString();
        assertThat(ParserDriver.run(parsers.get(), in, null, true, finish).toString()).as("direct").isEqualTo(expected);
        for (int i = 1; i < in.length; i++) {
            assertThat(ParserDriver.run(parsers.get(), in, new int[] {i}, false, finish).toString())
                .as("split at %d", i).isEqualTo(expected);
        }
        int[] every = new int[Math.max(0, in.length - 1)];
        for (int i = 0; i < every.length; i++) {
            every[i] = i + 1;
        }
        assertThat(ParserDriver.run(parsers.get(), in, every, false, finish).toString()).as("byte at a time")
            .isEqualTo(expected);
        assertThat(ParserDriver.run(parsers.get(), in, every, true, finish).toString()).as("byte at a time, direct")
            .isEqualTo(expected);
        return reference;
    }

    static Outcome req(String input) {
        return check(() -> Http1Parser.forRequests(LIMITS), input, false);
    }

    static Outcome req(Http1ParserLimits limits, String input) {
        return check(() -> Http1Parser.forRequests(limits), input, false);
    }

    static Outcome resp(String requestMethod, String input, boolean finish) {
        return check(() -> {
            Http1Parser p = Http1Parser.forResponses(LIMITS);
            p.expectResponseTo(requestMethod);
            return p;
        }, input, finish);
    }

    @Test
    void simpleGet() {
        Outcome o = req("GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\nX-Custom:  v a l  \r\n\r\n");
        assertThat(o.terminal()).isEqualTo("NEED_MORE");
        assertThat(o.messages()).hasSize(1);
        assertThat(o.messages().get(0).head()).isEqualTo("GET /index.html?q=1 HTTP/1.1 NONE -1 keep-alive");
        HttpHeaders h = o.messages().get(0).headers();
        assertThat(h.get("host")).isEqualTo("example.com");
        assertThat(h.get("x-custom")).as("OWS trimmed, inner spaces kept").isEqualTo("v a l");
        assertThat(h.nameAt(0)).isSameAs(HttpHeaderNames.HOST);
        assertThat(h.nameAt(2)).isEqualTo("X-Custom");
    }

    @Test
    void headerNamesAreInternedCaseInsensitively() {
        Outcome o = req("GET / HTTP/1.1\r\nhOsT: a\r\ncontent-length: 0\r\n\r\n");
        HttpHeaders h = o.messages().get(0).headers();
        assertThat(h.nameAt(0)).isSameAs(HttpHeaderNames.HOST);
        assertThat(h.nameAt(1)).isSameAs(HttpHeaderNames.CONTENT_LENGTH);
    }

    @Test
    void contentLengthBody() {
        Outcome o = req("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world");
        assertThat(o.messages().get(0).head()).isEqualTo("POST /p HTTP/1.1 CONTENT_LENGTH 11 keep-alive");
        assertThat(o.messages().get(0).body()).isEqualTo("hello world");
        assertThat(o.completed()).isEqualTo(1);
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailers() {
        Outcome o = req("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value;flag ; q=\"quo\\\"ted\"\r\nhello\r\n"
            + "000A\r\n0123456789\r\n0\r\nChecksum: abc\r\nX-T: 1\r\n\r\n");
        assertThat(o.completed()).isEqualTo(1);
        assertThat(o.messages().get(0).body()).isEqualTo("hello0123456789");
        assertThat(o.messages().get(0).trailers()).isEqualTo("HttpHeaders[Checksum: abc, X-T: 1]");
        assertThat(o.messages().get(0).head()).contains("CHUNKED");
    }

    @Test
    void pipelinedMessagesKeepTheirBytes() {
        Outcome o = req("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
            + "POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
            + "POST /3 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nxyz\r\n0\r\n\r\n"
            + "GET /4 HTTP/1.0\r\n\r\n");
        assertThat(o.completed()).isEqualTo(4);
        assertThat(o.messages()).extracting(ParserDriver.Message::body).containsExactly("", "abc", "xyz", "");
        assertThat(o.messages().get(3).head()).isEqualTo("GET /4 HTTP/1.0 NONE -1 close");
    }

    @Test
    void leadingEmptyLinesAreIgnoredUpToALimit() {
        assertThat(req("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n").completed()).isEqualTo(1);
        assertThat(req("\r\n".repeat(9) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n").terminal()).isEqualTo("ERROR 400");
    }

    @Test
    void keepAliveRules() {
        assertThat(req("GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, Close\r\n\r\n").messages().get(0).head())
            .endsWith(" close");
        assertThat(req("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").messages().get(0).head())
            .endsWith(" keep-alive");
        assertThat(req("GET / HTTP/1.0\r\n\r\n").messages().get(0).head()).endsWith(" close");
    }

    @Test
    void pausesAfterHeadUntilAskedForTheBody() {
        Http1Parser p = Http1Parser.forRequests(LIMITS);
        String head = "PUT /up HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n";
        ByteBuffer buf = ByteBuffer.wrap(bytes(head + "dataGET / HTTP/1.1\r\nHost: a\r\n\r\n"));
        assertThat(p.next(buf)).isEqualTo(Event.HEAD);
        assertThat(p.expectsContinue()).isTrue();
        assertThat(buf.position()).as("body bytes untouched while paused").isEqualTo(head.length());
        assertThat(p.next(buf)).isEqualTo(Event.BODY);
        assertThat(p.body().remaining()).isEqualTo(4);
        assertThat(p.body().hasArray() && p.body().array() == buf.array()).as("zero-copy slice").isTrue();
        assertThat(p.next(buf)).isEqualTo(Event.MESSAGE_COMPLETE);
        assertThat(p.next(buf)).isEqualTo(Event.HEAD);
        assertThat(p.target()).isEqualTo("/");
        assertThat(p.expectsContinue()).isFalse();
        assertThat(p.next(buf)).isEqualTo(Event.MESSAGE_COMPLETE);
        assertThat(p.next(buf)).isEqualTo(Event.NEED_MORE);
        assertThat(p.finish()).isEqualTo(Event.END);
    }

    @Test
    void connectSwitchesToTunnelAndLeavesBytes() {
        Http1Parser p = Http1Parser.forRequests(LIMITS);
        ByteBuffer buf = ByteBuffer.wrap(bytes("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n\u0016\u0003"));
        assertThat(p.next(buf)).isEqualTo(Event.HEAD);
        assertThat(p.isUpgrade()).isTrue();
        assertThat(p.next(buf)).isEqualTo(Event.MESSAGE_COMPLETE);
        assertThat(p.next(buf)).isEqualTo(Event.UPGRADE);
        assertThat(p.next(buf)).isEqualTo(Event.UPGRADE);
        assertThat(buf.remaining()).isEqualTo(2);
    }

    @Test
    void releasedAfterAnUpgradeTheParserReadsNothingMoreAndKeepsTheRequest() {
        Http1Parser p = Http1Parser.forRequests(LIMITS);
        ByteBuffer buf = ByteBuffer.wrap(bytes("GET /chat HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
            + "Upgrade: websocket\r\n\r\n\u0081\u0085"));
        assertThat(p.next(buf)).isEqualTo(Event.HEAD);
        HttpHeaders headers = p.headers();
        assertThat(p.next(buf)).isEqualTo(Event.MESSAGE_COMPLETE);
        assertThat(p.next(buf)).isEqualTo(Event.UPGRADE);
        p.release();
        assertThat(p.next(buf)).isEqualTo(Event.END);
        assertThat(buf.remaining()).isEqualTo(2); // the new owner's bytes stay where they were
        assertThat(p.finish()).isEqualTo(Event.END);
        assertThat(p.target()).isEqualTo("/chat");
        assertThat(p.headers()).isSameAs(headers);
        assertThat(headers.get("Upgrade")).isEqualTo("websocket");
    }

    @Test
    void declinedUpgradeContinuesWithHttp() {
        Http1Parser p = Http1Parser.forRequests(LIMITS);
        ByteBuffer buf = ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
            + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n"));
        assertThat(p.next(buf)).isEqualTo(Event.HEAD);
        assertThat(p.next(buf)).isEqualTo(Event.MESSAGE_COMPLETE);
        assertThat(p.next(buf)).isEqualTo(Event.UPGRADE);
        p.declineUpgrade();
        assertThat(p.next(buf)).isEqualTo(Event.HEAD);
        assertThat(p.target()).isEqualTo("/next");
    }

    @Test
    void upgradeHeaderWithoutConnectionUpgradeIsPlainHttp() {
        assertThat(req("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n").terminal()).isEqualTo("NEED_MORE");
    }

    @Test
    void finishDistinguishesCleanAndTruncatedEnds() {
        Supplier<Http1Parser> s = () -> Http1Parser.forRequests(LIMITS);
        assertThat(check(s, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", true).terminal()).isEqualTo("END");
        assertThat(check(s, "GET / HTTP/1.1\r\nHost: a\r\n", true).terminal()).isEqualTo("ERROR 400");
        assertThat(check(s, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab", true).terminal())
            .isEqualTo("ERROR 400");
        assertThat(check(s, "GE", true).terminal()).isEqualTo("ERROR 400");
    }

    @Test
    void errorStateIsTerminal() {
        Http1Parser p = Http1Parser.forRequests(LIMITS);
        assertThat(p.next(ByteBuffer.wrap(bytes("BAD\r\n")))).isEqualTo(Event.ERROR);
        assertThat(p.next(ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")))).isEqualTo(Event.ERROR);
        assertThat(p.finish()).isEqualTo(Event.ERROR);
        assertThat(p.error().status()).isEqualTo(400);
    }

    // ------------------------------------------------------------------ responses

    @Test
    void responseWithContentLengthAndChunked() {
        Outcome o = resp("GET", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"
            + "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nno\r\n0\r\n\r\n", false);
        assertThat(o.completed()).isEqualTo(2);
        assertThat(o.messages().get(0).head()).isEqualTo("HTTP/1.1 200 OK CONTENT_LENGTH 2 keep-alive");
        assertThat(o.messages().get(1).body()).isEqualTo("no");
    }

    @Test
    void responseUntilClose() {
        Outcome o = resp("GET", "HTTP/1.0 200 OK\r\n\r\nall of it", true);
        assertThat(o.terminal()).isEqualTo("END");
        assertThat(o.messages().get(0).body()).isEqualTo("all of it");
        assertThat(o.messages().get(0).head()).isEqualTo("HTTP/1.0 200 OK UNTIL_CLOSE -1 close");
    }

    @Test
    void responsesWithoutBody() {
        assertThat(resp("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", false).completed()).isEqualTo(1);
        assertThat(resp("GET", "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n",
            false).completed()).isEqualTo(2);
        Outcome interim = resp("GET", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx", false);
        assertThat(interim.completed()).isEqualTo(3);
        assertThat(interim.messages().get(2).body()).isEqualTo("x");
        assertThat(resp("GET", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\nframes", false).terminal())
            .isEqualTo("UPGRADE");
        assertThat(resp("CONNECT", "HTTP/1.1 200 OK\r\n\r\ntunnel", false).terminal()).isEqualTo("UPGRADE");
        assertThat(resp("CONNECT", "HTTP/1.1 407 Auth\r\nContent-Length: 0\r\n\r\n", false).terminal())
            .isEqualTo("NEED_MORE");
    }

    @Test
    void responseObsFoldIsUnfolded() {
        Outcome o = resp("GET", "HTTP/1.1 200 OK\r\nX-A: one\r\n  two\r\nContent-Length: 0\r\n\r\n", false);
        assertThat(o.messages().get(0).headers().get("X-A")).isEqualTo("one two");
    }

    @Test
    void responseTransferCodingNotEndingInChunkedIsReadUntilClose() {
        Outcome o = resp("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzzz", true);
        assertThat(o.messages().get(0).head()).contains("UNTIL_CLOSE");
        assertThat(o.messages().get(0).body()).isEqualTo("zzz");
    }

    @Test
    void responseWithEmptyReasonAndMissingSpace() {
        assertThat(resp("GET", "HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n", false).completed()).isEqualTo(1);
        assertThat(resp("GET", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", false).completed()).isEqualTo(1);
        assertThat(resp("GET", "HTTP/1.1 2000 OK\r\n\r\n", false).terminal()).isEqualTo("ERROR 400");
        assertThat(resp("GET", "HTTP/1.1 099 X\r\n\r\n", false).terminal()).isEqualTo("ERROR 400");
    }

    // ------------------------------------------------------------------ rejections

    static Stream<Arguments> rejected() {
        String h = "Host: a\r\n";
        return Stream.of(
            // framing / smuggling
            Arguments.of("CL and TE", "POST / HTTP/1.1\r\n" + h + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
            Arguments.of("duplicate CL", "POST / HTTP/1.1\r\n" + h + "Content-Length: 3\r\nContent-Length: 4\r\n\r\n", 400),
            Arguments.of("duplicate equal CL", "POST / HTTP/1.1\r\n" + h + "Content-Length: 3\r\nContent-Length: 3\r\n\r\n", 400),
            Arguments.of("CL list", "POST / HTTP/1.1\r\n" + h + "Content-Length: 3, 3\r\n\r\n", 400),
            Arguments.of("signed CL", "POST / HTTP/1.1\r\n" + h + "Content-Length: +3\r\n\r\n", 400),
            Arguments.of("negative CL", "POST / HTTP/1.1\r\n" + h + "Content-Length: -1\r\n\r\n", 400),
            Arguments.of("hex CL", "POST / HTTP/1.1\r\n" + h + "Content-Length: 0x10\r\n\r\n", 400),
            Arguments.of("empty CL", "POST / HTTP/1.1\r\n" + h + "Content-Length:\r\n\r\n", 400),
            Arguments.of("overflowing CL", "POST / HTTP/1.1\r\n" + h + "Content-Length: 99999999999999999999\r\n\r\n", 400),
            Arguments.of("TE not chunked", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: gzip\r\n\r\n", 400),
            Arguments.of("TE identity", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: identity\r\n\r\n", 400),
            Arguments.of("TE chunked not last", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked, gzip\r\n\r\n", 400),
            Arguments.of("TE chunked twice", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
            Arguments.of("TE unknown coding", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501),
            Arguments.of("TE xchunked", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: xchunked\r\n\r\n", 400),
            Arguments.of("TE empty", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: \r\n\r\n", 400),
            Arguments.of("TE on HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
            Arguments.of("chunk size not hex", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\ng\r\n", 400),
            Arguments.of("chunk size signed", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n-1\r\n", 400),
            Arguments.of("chunk size 0x", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n", 400),
            Arguments.of("chunk size overflow", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n10000000000000000\r\n", 400),
            Arguments.of("chunk size trailing space", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n", 400),
            Arguments.of("chunk ext no name", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n5;=x\r\nhello\r\n", 400),
            Arguments.of("chunk ext bad value", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n5;a=\"x\r\nhello\r\n", 400),
            Arguments.of("chunk ext CTL", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n5;a\u0001\r\nhello\r\n", 400),
            Arguments.of("chunk data no CRLF", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n", 400),
            Arguments.of("chunk data LF only", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n", 400),
            Arguments.of("chunk size bare LF", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n5\nhello\r\n", 400),
            Arguments.of("bad trailer", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n0\r\nBad Name: x\r\n\r\n", 400),
            // field syntax
            Arguments.of("obs-fold", "GET / HTTP/1.1\r\n" + h + "X-A: 1\r\n 2\r\n\r\n", 400),
            Arguments.of("whitespace before first field", "GET / HTTP/1.1\r\n " + h + "\r\n", 400),
            Arguments.of("bare CR in value", "GET / HTTP/1.1\r\n" + h + "X-A: 1\r2\r\n\r\n", 400),
            Arguments.of("bare CR in name", "GET / HTTP/1.1\r\n" + h + "X\rA: 1\r\n\r\n", 400),
            Arguments.of("bare LF header", "GET / HTTP/1.1\r\n" + h + "X-A: 1\n\r\n", 400),
            Arguments.of("bare LF request line", "GET / HTTP/1.1\n" + h + "\r\n", 400),
            Arguments.of("bare LF end of head", "GET / HTTP/1.1\r\n" + h + "\n", 400),
            Arguments.of("NUL in value", "GET / HTTP/1.1\r\n" + h + "X-A: a\u0000b\r\n\r\n", 400),
            Arguments.of("DEL in value", "GET / HTTP/1.1\r\n" + h + "X-A: a\u007fb\r\n\r\n", 400),
            Arguments.of("VT in value", "GET / HTTP/1.1\r\n" + h + "X-A: a\u000bb\r\n\r\n", 400),
            Arguments.of("space in name", "GET / HTTP/1.1\r\n" + h + "X A: 1\r\n\r\n", 400),
            Arguments.of("whitespace before colon", "GET / HTTP/1.1\r\n" + h + "X-A : 1\r\n\r\n", 400),
            Arguments.of("tab before colon", "GET / HTTP/1.1\r\n" + h + "Transfer-Encoding\t: chunked\r\n\r\n", 400),
            Arguments.of("no colon", "GET / HTTP/1.1\r\n" + h + "X-A\r\n\r\n", 400),
            Arguments.of("empty name", "GET / HTTP/1.1\r\n" + h + ": v\r\n\r\n", 400),
            Arguments.of("non-token name", "GET / HTTP/1.1\r\n" + h + "X(A): 1\r\n\r\n", 400),
            Arguments.of("missing Host", "GET / HTTP/1.1\r\n\r\n", 400),
            Arguments.of("duplicate Host", "GET / HTTP/1.1\r\n" + h + h + "\r\n", 400),
            Arguments.of("invalid Host", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
            Arguments.of("Host with userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400),
            Arguments.of("Host port not digits", "GET / HTTP/1.1\r\nHost: a:8x\r\n\r\n", 400),
            Arguments.of("Host without a name", "GET / HTTP/1.1\r\nHost: :80\r\n\r\n", 400),
            Arguments.of("IPv6 Host without brackets", "GET / HTTP/1.1\r\nHost: ::1\r\n\r\n", 400),
            Arguments.of("IPv6 Host without brackets, port", "GET / HTTP/1.1\r\nHost: fe80::1:80\r\n\r\n", 400),
            Arguments.of("Host bracket not IPv6", "GET / HTTP/1.1\r\nHost: [zz]\r\n\r\n", 400),
            Arguments.of("Host bracket unclosed", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400),
            Arguments.of("Host junk after bracket", "GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n", 400),
            Arguments.of("absolute-form bad authority", "GET http://a:b:c/ HTTP/1.1\r\n" + h + "\r\n", 400),
            Arguments.of("absolute-form port not digits", "GET http://a:8x/ HTTP/1.1\r\n" + h + "\r\n", 400),
            // request line
            Arguments.of("asterisk for GET", "GET * HTTP/1.1\r\n" + h + "\r\n", 400),
            Arguments.of("origin-form for CONNECT", "CONNECT / HTTP/1.1\r\n" + h + "\r\n", 400),
            Arguments.of("authority without port", "CONNECT example.com HTTP/1.1\r\n" + h + "\r\n", 400),
            Arguments.of("relative target", "GET foo HTTP/1.1\r\n" + h + "\r\n", 400),
            Arguments.of("fragment", "GET /a#b HTTP/1.1\r\n" + h + "\r\n", 400),
            Arguments.of("CTL in target", "GET /a\u0001 HTTP/1.1\r\n" + h + "\r\n", 400),
            Arguments.of("non-ASCII target", "GET /\u00e9 HTTP/1.1\r\n" + h + "\r\n", 400),
            Arguments.of("double space", "GET  / HTTP/1.1\r\n" + h + "\r\n", 400),
            Arguments.of("space before version", "GET /  HTTP/1.1\r\n" + h + "\r\n", 400),
            Arguments.of("trailing space", "GET / HTTP/1.1 \r\n" + h + "\r\n", 400),
            Arguments.of("tab separator", "GET\t/ HTTP/1.1\r\n" + h + "\r\n", 400),
            Arguments.of("HTTP/0.9", "GET /\r\n\r\n", 400),
            Arguments.of("bad method", "G(T / HTTP/1.1\r\n" + h + "\r\n", 400),
            Arguments.of("leading space", " GET / HTTP/1.1\r\n" + h + "\r\n", 400),
            Arguments.of("lower-case version", "GET / http/1.1\r\n" + h + "\r\n", 400),
            Arguments.of("malformed version", "GET / HTTP/1.1x\r\n" + h + "\r\n", 400),
            Arguments.of("two-digit version", "GET / HTTP/11.1\r\n" + h + "\r\n", 400),
            Arguments.of("HTTP/2.0", "GET / HTTP/2.0\r\n" + h + "\r\n", 505),
            Arguments.of("HTTP/0.9 with version", "GET / HTTP/0.9\r\n" + h + "\r\n", 505),
            Arguments.of("garbage", "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\r\n", 400),
            Arguments.of("empty line after blank lines", "\r\n\n", 400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejects(String name, String input, int status) {
        Outcome o = req(input);
        assertThat(o.terminal()).as(o.toString()).isEqualTo("ERROR " + status);
        assertThat(o.completed()).isZero();
    }

    @Test
    void acceptsValidTargetForms() {
        assertThat(req("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n").completed()).isEqualTo(1);
        assertThat(req("GET http://example.com/x?y HTTP/1.1\r\nHost: example.com\r\n\r\n").completed()).isEqualTo(1);
        assertThat(req("CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\n\r\n").terminal()).isEqualTo("UPGRADE");
        assertThat(req("PURGE /x HTTP/1.1\r\nHost: a\r\n\r\n").messages().get(0).head()).startsWith("PURGE /x");
        assertThat(req("GET http://u@example.com:8080?y HTTP/1.1\r\nHost: example.com\r\n\r\n").completed())
            .isEqualTo(1);
        for (String host : new String[] {"[::1]", "[::1]:8080", "[::ffff:127.0.0.1]:80", "127.0.0.1:80", "a:", "a.b-c"}) {
            assertThat(req("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").completed()).as(host).isEqualTo(1);
        }
        assertThat(req("GET / HTTP/1.1\r\nHost:\r\n\r\n").terminal()).as("RFC 9110 4.2.1: empty host")
            .isEqualTo("ERROR 400");
    }

    @Test
    void aHigherMinorVersionOfHttp1IsReadAsHttp11() {
        // RFC 9110 section 6.2: a recipient treats HTTP/1.x as the highest 1.x it conforms to
        Outcome o = req("GET / HTTP/1.7\r\nHost: a\r\n\r\n");
        assertThat(o.completed()).isEqualTo(1);
        assertThat(o.messages().get(0).head()).contains("HTTP/1.1");
    }

    @Test
    void acceptsObsTextAndTabsInValues() {
        Outcome o = req("GET / HTTP/1.1\r\nHost: a\r\nX-A: caf\u00e9\tau lait\r\n\r\n");
        assertThat(o.messages().get(0).headers().get("x-a")).isEqualTo("caf\u00e9\tau lait");
    }

    @Test
    void transferEncodingIsCaseInsensitiveAndMayBeSplitAcrossLines() {
        assertThat(req("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n").completed()).isEqualTo(1);
        assertThat(req("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,chunked, \r\n\r\n0\r\n\r\n").completed())
            .isEqualTo(1);
    }

    // ------------------------------------------------------------------ limits

    @Test
    void requestTargetTooLongIs414() {
        Http1ParserLimits l = Http1ParserLimits.builder().maxStartLineLength(64).build();
        assertThat(req(l, "GET /" + "a".repeat(100) + " HTTP/1.1\r\nHost: a\r\n\r\n").terminal()).isEqualTo("ERROR 414");
        assertThat(req(l, "GET /" + "a".repeat(50) + " HTTP/1.1\r\nHost: a\r\n\r\n").completed()).isEqualTo(1);
        assertThat(req(l, "X".repeat(100)).terminal()).as("no SP: not a target problem").isEqualTo("ERROR 400");
        // the default is 8 KiB
        assertThat(req("GET /" + "a".repeat(8200) + " HTTP/1.1\r\n").terminal()).isEqualTo("ERROR 414");
    }

    @Test
    void overlongMethodIs400WhetherTheLineArrivesWholeOrSplit() {
        byte[] line = ParserDriver.bytes("A".repeat(100_000) + " / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(ParserDriver.run(Http1Parser.forRequests(Http1ParserLimits.DEFAULTS), line, null, false, false)
            .terminal()).isEqualTo("ERROR 400");
        assertThat(ParserDriver.run(Http1Parser.forRequests(Http1ParserLimits.DEFAULTS), line, new int[] {65536}, false,
            false).terminal()).isEqualTo("ERROR 400");
    }

    @Test
    void headerSectionTooLargeIs431() {
        Http1ParserLimits l = Http1ParserLimits.builder().maxHeaderSize(100).build();
        assertThat(req(l, "GET / HTTP/1.1\r\nHost: a\r\nX: " + "v".repeat(100) + "\r\n\r\n").terminal())
            .isEqualTo("ERROR 431");
        assertThat(req(l, "GET / HTTP/1.1\r\nHost: a\r\n" + "X: 1234567\r\n".repeat(10) + "\r\n").terminal())
            .isEqualTo("ERROR 431");
        assertThat(req(l, "GET / HTTP/1.1\r\nHost: a\r\n" + "X: 1234567\r\n".repeat(6) + "\r\n").completed())
            .isEqualTo(1);
    }

    @Test
    void tooManyHeadersIs431() {
        Http1ParserLimits l = Http1ParserLimits.builder().maxHeaderCount(3).build();
        assertThat(req(l, "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n").terminal()).isEqualTo("ERROR 431");
        assertThat(req(l, "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n").completed()).isEqualTo(1);
    }

    @Test
    void bodyTooLargeIs413() {
        Http1ParserLimits l = Http1ParserLimits.builder().maxBodySize(10).build();
        assertThat(req(l, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n").terminal()).isEqualTo("ERROR 413");
        assertThat(req(l, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789").completed()).isEqualTo(1);
        Outcome chunked = req(l, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "6\r\nabcdef\r\n5\r\nghijk\r\n0\r\n\r\n");
        assertThat(chunked.terminal()).isEqualTo("ERROR 413");
        assertThat(chunked.messages().get(0).body()).as("rejected before the chunk that crosses the limit")
            .isEqualTo("abcdef");
    }

    @Test
    void chunkExtensionsAreBounded() {
        Http1ParserLimits l = Http1ParserLimits.builder().maxChunkExtensionSize(20).build();
        String head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
        assertThat(req(l, head + "1;a=" + "x".repeat(30) + "\r\nx\r\n0\r\n\r\n").terminal()).isEqualTo("ERROR 400");
        // cumulative over the message: many small extensions add up
        assertThat(req(l, head + "1;abcdefgh\r\nx\r\n".repeat(3) + "0\r\n\r\n").terminal()).isEqualTo("ERROR 400");
        assertThat(req(l, head + "1;abcdefgh\r\nx\r\n".repeat(2) + "0\r\n\r\n").completed()).isEqualTo(1);
    }

    @Test
    void trailerSectionTooLargeIs431() {
        Http1ParserLimits l = Http1ParserLimits.builder().maxTrailerSize(30).build();
        String head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
        assertThat(req(l, head + "X-T: " + "y".repeat(40) + "\r\n\r\n").terminal()).isEqualTo("ERROR 431");
        assertThat(req(l, head + "X-T: yy\r\n\r\n").completed()).isEqualTo(1);
    }

    @Test
    void swarLineFeedSearchFindsTheFirstLf() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        byte[] tricky = {0x0A, 0x0B, 0x09, (byte) 0x8A, 0x00, 0x01, (byte) 0xFF, 0x0D};
        for (int n = 0; n < 40; n++) {
            for (int round = 0; round < 200; round++) {
                byte[] a = new byte[n];
                for (int i = 0; i < n; i++) {
                    a[i] = tricky[rnd.nextInt(tricky.length)];
                }
                int from = n == 0 ? 0 : rnd.nextInt(n);
                int expected = -1;
                for (int i = from; i < n; i++) {
                    if (a[i] == '\n') {
                        expected = i;
                        break;
                    }
                }
                assertThat(Http1Parser.indexOfLf(a, from, n)).as("n=%d from=%d", n, from).isEqualTo(expected);
            }
        }
    }

    @Test
    void bareCrInAnIncompleteLineFailsWithoutWaitingForLf() {
        Http1Parser p = Http1Parser.forRequests(LIMITS);
        assertThat(p.next(ByteBuffer.wrap(bytes("GET / HTTP/1.1\r\nHost: a\rb")))).isEqualTo(Event.ERROR);
        assertThat(p.error().status()).isEqualTo(400);
        Http1Parser q = Http1Parser.forRequests(LIMITS);
        assertThat(q.next(ByteBuffer.wrap(bytes("GET / HTTP/1.1\r")))).isEqualTo(Event.NEED_MORE);
        assertThat(q.next(ByteBuffer.wrap(bytes("X")))).isEqualTo(Event.ERROR);
    }

    @Test
    void aBareCrInTheStartLineIs400HoweverTheBytesArrive() {
        // Whole, the line's own grammar would refuse the version first (505); split before the
        // line ends, the CR is seen first (400). check() runs every split and requires one answer.
        assertThat(req("GET / HTTP/9.1\rX\r\nHost: a\r\n\r\n").errorStatus()).isEqualTo(400);
        assertThat(req("GET / HTTP/1.1\r\r\nHost: a\r\n\r\n").errorStatus()).isEqualTo(400);
        assertThat(resp("GET", "HTTP/9.1 200 OK\rConHTTP/1.1 200 OK\r\n\r\n", false).errorStatus()).isEqualTo(400);
        assertThat(req("GET / HTTP/9.1\r\nHost: a\r\n\r\n").errorStatus()).as("no CR: the version's own status")
                .isEqualTo(505);
    }

    @Test
    void heapBufferWithArrayOffsetIsParsedInPlace() {
        byte[] msg = bytes("POST /o HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok");
        byte[] big = new byte[msg.length + 20];
        System.arraycopy(msg, 0, big, 7, msg.length);
        ByteBuffer buf = ByteBuffer.wrap(big, 7, msg.length).slice();
        assertThat(buf.arrayOffset()).isEqualTo(7);
        Http1Parser p = Http1Parser.forRequests(LIMITS);
        assertThat(p.next(buf)).isEqualTo(Event.HEAD);
        assertThat(p.target()).isEqualTo("/o");
        assertThat(p.headers().get("host")).isEqualTo("a");
        assertThat(p.next(buf)).isEqualTo(Event.BODY);
        assertThat(ParserDriver.bytes("ok")).isEqualTo(copy(p.body()));
        assertThat(p.next(buf)).isEqualTo(Event.MESSAGE_COMPLETE);
        assertThat(buf.hasRemaining()).isFalse();
    }

    private static byte[] copy(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
