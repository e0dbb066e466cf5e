package io.gale.http2.conformance;

import static io.gale.http2.conformance.H2Peer.PROTOCOL_ERROR;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * h2spec's "http2" cases for sections 7 and 8 (20 cases): unknown error codes, and HTTP message
 * rules: trailers, field names, pseudo-header fields, connection-specific fields, {@code te},
 * required and duplicated request pseudo-headers, {@code content-length} against the DATA
 * received, and PUSH_PROMISE from a client. Case ids keep h2spec's RFC 7540 numbering (8.1.2.x);
 * RFC 9113 moved these rules to sections 8.1 to 8.4 (field validity 8.2, pseudo-headers 8.3,
 * malformed messages 8.1.1, push 8.4) without changing them. Every malformed request is a stream
 * error PROTOCOL_ERROR (RST_STREAM; h2spec also accepts a connection error), and the connection
 * goes on.
 */
@Timeout(120)
class Http2MessagesConformanceTest extends ConformanceServer {

    // ------------------------------------------------------------------ 7. Error Codes

    @Test
    @DisplayName("http2/7/1: Sends a GOAWAY frame with unknown error code")
    void goAwayWithUnknownCode() throws Exception {
        H2Peer p = handshaken();
        p.goAway(0, 0xff, new byte[0]);
        p.ping(false, H2Peer.opaque("h2spec"));
        p.expectPingAckOrClose(H2Peer.opaque("h2spec"));
    }

    @Test
    @DisplayName("http2/7/2: Sends a RST_STREAM frame with unknown error code")
    void rstStreamWithUnknownCode() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST"));
        p.rstStream(1, 0xff);
        p.ping(false, new byte[8]);
        p.expectPingAck(new byte[8]); // stricter than h2spec, which also passes a close
    }

    // ---------------------------------------------- 8.1. HTTP Request/Response Exchange

    @Test
    @DisplayName("http2/8.1/1: Sends a second HEADERS frame without the END_STREAM flag")
    void trailersWithoutEndStream() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST"));
        p.data(1, false, "test");
        p.headers(1, false, new FieldBlock().add("x-test", "ok"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    // ------------------------------------------------------------ 8.1.2. HTTP Header Fields

    @Test
    @DisplayName("http2/8.1.2/1: Sends a HEADERS frame that contains the header field name in uppercase letters")
    void upperCaseFieldName() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().add("X-TEST", "ok"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    // -------------------------------------------------------- 8.1.2.1. Pseudo-Header Fields

    @Test
    @DisplayName("http2/8.1.2.1/1: Sends a HEADERS frame that contains a unknown pseudo-header field")
    void unknownPseudoHeader() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().add(":test", "ok"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/8.1.2.1/2: Sends a HEADERS frame that contains the pseudo-header field defined for response")
    void responsePseudoHeaderInRequest() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().add(":status", "200"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/8.1.2.1/3: Sends a HEADERS frame that contains a pseudo-header field as trailers")
    void pseudoHeaderInTrailers() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST"));
        p.data(1, false, "test");
        p.headers(1, true, new FieldBlock().add(":method", "POST"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/8.1.2.1/4: Sends a HEADERS frame that contains a pseudo-header field that appears in a header block after a regular header field")
    void pseudoHeaderAfterRegularField() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().addFirst("x-test", "ok"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    // ------------------------------------------ 8.1.2.2. Connection-Specific Header Fields

    @Test
    @DisplayName("http2/8.1.2.2/1: Sends a HEADERS frame that contains the connection-specific header field")
    void connectionSpecificField() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().add("connection", "keep-alive"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/8.1.2.2/2: Sends a HEADERS frame that contains the TE header field with any value other than \"trailers\"")
    void teOtherThanTrailers() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().add("trailers", "test").add("te", "trailers, deflate"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    // ---------------------------------------------- 8.1.2.3. Request Pseudo-Header Fields

    @Test
    @DisplayName("http2/8.1.2.3/1: Sends a HEADERS frame with empty \":path\" pseudo-header field")
    void emptyPath() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().set(":path", ""));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/8.1.2.3/2: Sends a HEADERS frame that omits \":method\" pseudo-header field")
    void missingMethod() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().remove(":method"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/8.1.2.3/3: Sends a HEADERS frame that omits \":scheme\" pseudo-header field")
    void missingScheme() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().remove(":scheme"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/8.1.2.3/4: Sends a HEADERS frame that omits \":path\" pseudo-header field")
    void missingPath() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().remove(":path"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/8.1.2.3/5: Sends a HEADERS frame with duplicated \":method\" pseudo-header field")
    void duplicatedMethod() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().add(":method", "GET"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/8.1.2.3/6: Sends a HEADERS frame with duplicated \":scheme\" pseudo-header field")
    void duplicatedScheme() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().add(":scheme", "http"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/8.1.2.3/7: Sends a HEADERS frame with duplicated \":path\" pseudo-header field")
    void duplicatedPath() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().add(":path", "/"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    // ------------------------------------------ 8.1.2.6. Malformed Requests and Responses

    @Test
    @DisplayName("http2/8.1.2.6/1: Sends a HEADERS frame with the \"content-length\" header field which does not equal the DATA frame payload length")
    void contentLengthAboveData() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST").add("content-length", "1"));
        p.data(1, true, "test");
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/8.1.2.6/2: Sends a HEADERS frame with the \"content-length\" header field which does not equal the sum of the multiple DATA frames payload length")
    void contentLengthAboveSumOfData() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST").add("content-length", "1"));
        p.data(1, false, "test");
        p.data(1, true, "test");
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    // ------------------------------------------------------------------ 8.2. Server Push

    @Test
    @DisplayName("http2/8.2/1: Sends a PUSH_PROMISE frame")
    void pushPromiseFromClient() throws Exception {
        H2Peer p = handshaken();
        p.pushPromise(1, 3, p.get().encode());
        p.expectGoAway(PROTOCOL_ERROR);
    }
}
