package io.gale.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The side-neutral rules in memory: stream states (RFC 9113 section 5.1), stream ids (5.1.1),
 * flow-control windows (5.2, 6.9) and field rules (8.2, 8.3) with the received-block collector.
 */
@Timeout(30)
class Http2StreamRulesTest {

    // ---------------------------------------------------------------- states (5.1)

    @Test
    void statesFollowTheDiagram() {
        Http2StreamState s = Http2StreamState.IDLE.sendHeaders(false);
        assertThat(s).isEqualTo(Http2StreamState.OPEN);
        assertThat(s.sendEndStream()).isEqualTo(Http2StreamState.HALF_CLOSED_LOCAL);
        assertThat(s.receiveData(true)).isEqualTo(Http2StreamState.HALF_CLOSED_REMOTE);
        assertThat(Http2StreamState.HALF_CLOSED_LOCAL.receiveHeaders(true)).isEqualTo(Http2StreamState.CLOSED);
        assertThat(Http2StreamState.HALF_CLOSED_REMOTE.sendEndStream()).isEqualTo(Http2StreamState.CLOSED);
        assertThat(Http2StreamState.IDLE.sendHeaders(true)).isEqualTo(Http2StreamState.HALF_CLOSED_LOCAL);
        assertThat(Http2StreamState.IDLE.receiveHeaders(true)).isEqualTo(Http2StreamState.HALF_CLOSED_REMOTE);
        assertThat(Http2StreamState.OPEN.isActive()).isTrue();
        assertThat(Http2StreamState.HALF_CLOSED_REMOTE.isActive()).isTrue();
        assertThat(Http2StreamState.IDLE.isActive()).isFalse();
        assertThat(Http2StreamState.CLOSED.isActive()).isFalse();
    }

    @Test
    void framesAStateDoesNotAcceptAreRefused() {
        // half-closed (remote) and closed accept neither DATA nor HEADERS: STREAM_CLOSED (5.1)
        assertThat(Http2StreamState.HALF_CLOSED_REMOTE.receiveData(false)).isNull();
        assertThat(Http2StreamState.HALF_CLOSED_REMOTE.receiveHeaders(true)).isNull();
        assertThat(Http2StreamState.CLOSED.receiveData(true)).isNull();
        assertThat(Http2StreamState.IDLE.receiveData(false)).isNull();
        Http2Error e = Http2StreamState.receiveError(3, Http2StreamState.HALF_CLOSED_REMOTE, Http2Frames.DATA);
        assertThat(e.code()).isEqualTo(Http2ErrorCode.STREAM_CLOSED);
        assertThat(e.streamId()).isEqualTo(3);
        // sending in the wrong state is our bug
        assertThatThrownBy(() -> Http2StreamState.HALF_CLOSED_LOCAL.sendEndStream())
            .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Http2StreamState.CLOSED.sendHeaders(false)).isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------------ ids (5.1.1)

    @Test
    void idsHaveParityAndOnlyGrow() {
        Http2StreamIds client = new Http2StreamIds(true);
        assertThat(client.nextLocal()).isEqualTo(1);
        assertThat(client.nextLocal()).isEqualTo(3);
        assertThat(client.isIdle(5)).isTrue();
        assertThat(client.isIdle(3)).isFalse();
        assertThat(client.acceptPeer(2)).isTrue();           // parity of the server
        assertThat(client.acceptPeer(2)).isFalse();          // not above the last one
        assertThat(client.acceptPeer(1)).isFalse();          // our parity
        assertThat(client.isIdle(4)).isTrue();
        Http2StreamIds server = new Http2StreamIds(false);
        assertThat(server.nextLocal()).isEqualTo(2);
        assertThat(server.acceptPeer(7)).isTrue();
        assertThat(server.acceptPeer(5)).isFalse();          // decreasing: PROTOCOL_ERROR (5.1.1)
        assertThat(server.highestPeer()).isEqualTo(7);
        assertThat(server.isIdle(5)).isFalse();              // skipped ids are closed implicitly
    }

    @Test
    void closedStreamsAreRememberedWithWhoResetThem() {
        Http2StreamIds ids = new Http2StreamIds(true);
        ids.markClosed(1, true);
        ids.markClosed(3, false);
        assertThat(ids.closed(1)).isEqualTo(Http2StreamIds.Closed.RESET_BY_US);
        assertThat(ids.closed(3)).isEqualTo(Http2StreamIds.Closed.CLOSED);
        assertThat(ids.closed(5)).isEqualTo(Http2StreamIds.Closed.UNKNOWN);
        for (int i = 0; i < Http2StreamIds.RECENT; i++) {
            ids.markClosed(1001 + 2 * i, false);
        }
        assertThat(ids.closed(1)).isEqualTo(Http2StreamIds.Closed.UNKNOWN); // the ring is bounded
    }

    @Test
    void idsRunOut() {
        Http2StreamIds ids = new Http2StreamIds(true, Http2Frames.MAX_STREAM_ID - 2);
        assertThat(ids.nextLocal()).isEqualTo(Http2Frames.MAX_STREAM_ID - 2);
        assertThat(ids.nextLocal()).isEqualTo(Http2Frames.MAX_STREAM_ID);   // 2^31-1 is the last one
        assertThat(ids.hasLocalIds()).isFalse();
        assertThat(ids.isIdle(Http2Frames.MAX_STREAM_ID)).isFalse();
        assertThatThrownBy(ids::nextLocal).isInstanceOf(IllegalStateException.class);
    }

    // ------------------------------------------------------------ windows (5.2, 6.9)

    @Test
    void inboundWindowReturnsBytesAsTheyAreConsumedInHalves() {
        Http2InboundWindow w = new Http2InboundWindow(1000, 1000);
        assertThat(w.receive(600)).isTrue();
        assertThat(w.receive(500)).isFalse();                 // beyond the window: FLOW_CONTROL_ERROR
        assertThat(w.window()).isEqualTo(400);
        assertThat(w.consume(300)).isZero();                  // less than half owed: nothing yet
        assertThat(w.consume(300)).isEqualTo(600);            // half or more: one update for all
        assertThat(w.window()).isEqualTo(1000);
        assertThat(w.unreturned()).isZero();
    }

    @Test
    void connectionWindowOpensToItsTarget() {
        Http2InboundWindow w = new Http2InboundWindow(Http2InboundWindow.DEFAULT_SIZE, 1 << 20);
        assertThat(w.openToTarget()).isEqualTo((1 << 20) - 65535);
        assertThat(w.openToTarget()).isZero();
        assertThat(w.window()).isEqualTo(1 << 20);
    }

    @Test
    void outboundWindowGoesNegativeAndRefusesOverflow() {
        Http2OutboundWindow w = new Http2OutboundWindow(65535);
        w.consume(65535);
        assertThat(w.available()).isZero();
        assertThat(w.adjust(-1000)).isTrue();                 // SETTINGS lowered the initial window (6.9.2)
        assertThat(w.window()).isEqualTo(-1000);
        assertThat(w.available()).isZero();
        assertThat(w.increment(1500)).isTrue();
        assertThat(w.available()).isEqualTo(500);
        assertThat(w.increment(Integer.MAX_VALUE)).isFalse(); // above 2^31-1: FLOW_CONTROL_ERROR (6.9.1)
        assertThat(w.window()).isEqualTo(500);
    }

    // ---------------------------------------------------------- fields (8.2, 8.3)

    private static Http2Fields fields(Http2Fields.Kind kind, String... nameValues) {
        Http2Fields f = new Http2Fields(kind);
        for (int i = 0; i < nameValues.length; i += 2) {
            f.field(nameValues[i], nameValues[i + 1]);
        }
        f.finish(false);
        return f;
    }

    @Test
    void wellFormedRequestAndResponse() {
        Http2Fields r = fields(Http2Fields.Kind.REQUEST, ":method", "GET", ":scheme", "https", ":authority", "a.example",
            ":path", "/x?y", "accept", "*/*", "cookie", "a=1", "cookie", "b=2", "te", "trailers");
        assertThat(r.malformed()).isNull();
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.path()).isEqualTo("/x?y");
        assertThat(r.headers().getAll("cookie")).containsExactly("a=1; b=2");  // crumbs joined (8.2.3)
        Http2Fields s = fields(Http2Fields.Kind.RESPONSE, ":status", "204", "set-cookie", "a=1", "set-cookie", "b=2",
            "content-length", "0");
        assertThat(s.malformed()).isNull();
        assertThat(s.status()).isEqualTo(204);
        assertThat(s.headers().getAll("set-cookie")).containsExactly("a=1", "b=2");
        assertThat(s.contentLength()).isZero();
        assertThat(fields(Http2Fields.Kind.REQUEST, ":method", "CONNECT", ":authority", "h:443").malformed()).isNull();
        assertThat(fields(Http2Fields.Kind.REQUEST, ":method", "CONNECT", ":protocol", "websocket", ":scheme", "https",
            ":path", "/chat", ":authority", "h").malformed()).isNull();
        assertThat(fields(Http2Fields.Kind.TRAILERS, "grpc-status", "0").malformed()).isNull();
        assertThat(fields(Http2Fields.Kind.REQUEST, ":method", "OPTIONS", ":scheme", "http", ":path", "*").malformed())
            .isNull();
    }

    @Test
    void malformedBlocksNameTheirRule() {
        String[][] cases = {
            {"RESPONSE", "upper-case field name", ":status", "200", "Content-Type", "x"},
            {"RESPONSE", "invalid field name", ":status", "200", "a b", "x"},
            {"RESPONSE", "connection-specific field connection", ":status", "200", "connection", "close"},
            {"RESPONSE", "connection-specific field transfer-encoding", ":status", "200", "transfer-encoding", "chunked"},
            {"RESPONSE", "connection-specific field keep-alive", ":status", "200", "keep-alive", "1"},
            {"RESPONSE", "connection-specific field upgrade", ":status", "200", "upgrade", "h2c"},
            {"REQUEST", "te other than trailers", ":method", "GET", ":scheme", "http", ":path", "/", "te", "gzip"},
            {"RESPONSE", "field value with characters RFC 9110 does not allow (NUL, CR, LF, controls)", ":status", "200", "x", "a\nb"},
            {"RESPONSE", "field value with leading or trailing whitespace", ":status", "200", "x", " a"},
            {"RESPONSE", "pseudo-header field :status after a regular field", "x", "1", ":status", "200"},
            {"RESPONSE", "duplicate :status", ":status", "200", ":status", "200"},
            {"RESPONSE", "invalid :status", ":status", "20x"},
            {"RESPONSE", "pseudo-header field :path in a response", ":status", "200", ":path", "/"},
            {"RESPONSE", "missing :status", "x", "1"},
            {"TRAILERS", "pseudo-header field :status in trailers", ":status", "200"},
            {"REQUEST", "missing :method", ":scheme", "http", ":path", "/"},
            {"REQUEST", "missing :scheme or :path", ":method", "GET", ":path", "/"},
            {"REQUEST", "empty :path", ":method", "GET", ":scheme", "http", ":path", ""},
            {"REQUEST", ":path neither an absolute path nor * for OPTIONS", ":method", "GET", ":scheme", "http",
                ":path", "index.html"},
            {"REQUEST", ":path neither an absolute path nor * for OPTIONS", ":method", "GET", ":scheme", "http",
                ":path", "*"},
            {"REQUEST", "unknown pseudo-header field :foo", ":method", "GET", ":foo", "x"},
            {"REQUEST", "duplicate :path", ":method", "GET", ":path", "/", ":path", "/"},
            {"REQUEST", ":protocol without CONNECT", ":method", "GET", ":protocol", "websocket", ":scheme", "http",
                ":path", "/"},
            {"REQUEST", "CONNECT needs :authority and no :scheme or :path", ":method", "CONNECT", ":path", "/"},
            {"REQUEST", ":authority with userinfo", ":method", "GET", ":scheme", "https", ":path", "/",
                ":authority", "u@h"},
            {"REQUEST", "host differs from :authority", ":method", "GET", ":scheme", "https", ":path", "/",
                ":authority", "a", "host", "b"},
            {"RESPONSE", "invalid content-length", ":status", "200", "content-length", "1", "content-length", "2"},
            {"RESPONSE", "invalid content-length", ":status", "200", "content-length", "-1"},
        };
        for (String[] c : cases) {
            String[] nv = java.util.Arrays.copyOfRange(c, 2, c.length);
            Http2Fields f = fields(Http2Fields.Kind.valueOf(c[0]), nv);
            assertThat(f.malformed()).as(String.join(" ", nv)).isEqualTo(c[1]);
        }
    }

    @Test
    void onlyTheFirstViolationIsKeptAndNothingAfterItIsCollected() {
        Http2Fields f = fields(Http2Fields.Kind.RESPONSE, ":status", "200", "Bad", "1", "good", "2");
        assertThat(f.malformed()).isEqualTo("upper-case field name");
        assertThat(f.headers().contains("good")).isFalse();
    }

    @Test
    void sendRulesLeaveOutConnectionFieldsAndTrimValues() {
        assertThat(Http2HeaderRules.omitOnSend("connection", "keep-alive")).isTrue();
        assertThat(Http2HeaderRules.omitOnSend("transfer-encoding", "chunked")).isTrue();
        assertThat(Http2HeaderRules.omitOnSend("host", "a")).isTrue();
        assertThat(Http2HeaderRules.omitOnSend("http2-settings", "AAMAAABkAAQAAP__")).isTrue();
        assertThat(Http2HeaderRules.omitOnSend("te", "gzip")).isTrue();
        assertThat(Http2HeaderRules.omitOnSend("te", " Trailers ")).isFalse();
        assertThat(Http2HeaderRules.omitOnSend("accept", "*/*")).isFalse();
        assertThat(Http2HeaderRules.sendValue("x", " a b\t")).isEqualTo("a b");
        assertThatThrownBy(() -> Http2HeaderRules.sendValue("x", "\u0100")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not a valid field value");
        assertThatThrownBy(() -> Http2HeaderRules.sendValue("x", "a\u0001b")).as("controls, as HttpHeaders refuses them")
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(HttpHeaders.isValidName("content-type")).isTrue();
        assertThat(HttpHeaders.isValidName("a:b")).isFalse();
    }
}
