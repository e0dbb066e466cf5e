package io.gale.http2.conformance;

import static io.gale.http2.conformance.H2Peer.CANCEL;
import static io.gale.http2.conformance.H2Peer.COMPRESSION_ERROR;
import static io.gale.http2.conformance.H2Peer.FRAME_SIZE_ERROR;
import static io.gale.http2.conformance.H2Peer.INITIAL_WINDOW_SIZE;
import static io.gale.http2.conformance.H2Peer.PROTOCOL_ERROR;
import static io.gale.http2.conformance.H2Peer.REFUSED_STREAM;
import static io.gale.http2.conformance.H2Peer.STREAM_CLOSED;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * h2spec's "http2" cases for sections 3 to 5 (33 cases): the connection preface, frame format and
 * size, header compression state, stream states and identifiers, concurrency, priority
 * self-dependency, connection error handling and extensions. Case ids keep h2spec's RFC 7540
 * section numbers; where RFC 9113 changed the rule the case says so. Raw frames over h2c with
 * prior knowledge against Gale's server.
 */
@Timeout(120)
class Http2StreamsConformanceTest extends ConformanceServer {

    // ----------------------------------------------------- 3.5. HTTP/2 Connection Preface

    @Test
    @DisplayName("http2/3.5/1: Sends client connection preface")
    void clientPreface() throws Exception {
        H2Peer p = connect();
        p.send(H2Peer.PREFACE);
        p.settings(INITIAL_WINDOW_SIZE, 65535);
        H2Frame f = p.expectFrame();
        assertThat(f.type()).as("the server preface is a SETTINGS frame: %s", f).isEqualTo(H2Frame.SETTINGS);
        assertThat(f.has(H2Frame.ACK)).isFalse();
    }

    @Test
    @DisplayName("http2/3.5/2: Sends invalid connection preface")
    void invalidPreface() throws Exception {
        // On a plain port serving both protocols, bytes that are not the preface are HTTP/1.1
        // (h2c with prior knowledge is recognised by the preface alone): the server answers this
        // malformed request line with an HTTP/1.1 error and terminates the connection. It never
        // answers with HTTP/2 frames. Over TLS, ALPN chose h2 before: a GOAWAY PROTOCOL_ERROR.
        H2Peer p = connect();
        p.send("INVALID CONNECTION PREFACE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (tls()) { // ALPN chose h2: the bytes are an HTTP/2 connection's, and not its preface
            p.expectGoAway(PROTOCOL_ERROR);
            return;
        }
        String answer = p.readUntilClosed();
        assertThat(answer).as("an HTTP/1.1 client error, then the close").startsWith("HTTP/1.1 4");
    }

    // --------------------------------------------------------------- 4.1. Frame Format

    @Test
    @DisplayName("http2/4.1/1: Sends a frame with unknown type")
    void unknownFrameType() throws Exception {
        H2Peer p = handshaken();
        p.frame(0x16, 0, 0, "0000000000000000");
        p.ping(false, new byte[8]);
        p.expectPingAck(new byte[8]);
    }

    @Test
    @DisplayName("http2/4.1/2: Sends a frame with undefined flag")
    void undefinedFlag() throws Exception {
        H2Peer p = handshaken();
        p.frame(H2Frame.PING, 0x16, 0, "0000000000000000"); // 0x16: no ACK bit, only undefined ones
        p.expectPingAck(new byte[8]);
    }

    @Test
    @DisplayName("http2/4.1/3: Sends a frame with reserved field bit")
    void reservedBit() throws Exception {
        H2Peer p = handshaken();
        p.frame(H2Frame.PING, 0x16, 0x80000000, "0000000000000000"); // stream 0 with the R bit set
        p.expectPingAck(new byte[8]);
    }

    // ----------------------------------------------------------------- 4.2. Frame Size

    @Test
    @DisplayName("http2/4.2/1: Sends a DATA frame with 2^14 octets in length")
    void dataOfMaxFrameSize() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST"));
        p.data(1, true, new byte[p.serverMaxFrameSize()]);
        p.expectStatus(1, "200");
    }

    @Test
    @DisplayName("http2/4.2/2: Sends a large size DATA frame that exceeds the SETTINGS_MAX_FRAME_SIZE")
    void dataAboveMaxFrameSize() throws Exception {
        // a stream error: RFC 9113 section 4.2 reserves connection errors for frames that change
        // connection state (h2spec accepts either)
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST"));
        p.data(1, true, new byte[p.serverMaxFrameSize() + 1]);
        p.expectRstStream(1, FRAME_SIZE_ERROR);
    }

    @Test
    @DisplayName("http2/4.2/3: Sends a large size HEADERS frame that exceeds the SETTINGS_MAX_FRAME_SIZE")
    void headersAboveMaxFrameSize() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().dummies(5, 4000));
        p.expectGoAway(FRAME_SIZE_ERROR);
    }

    // ----------------------------------------- 4.3. Header Compression and Decompression

    @Test
    @DisplayName("http2/4.3/1: Sends invalid header block fragment")
    void invalidBlockFragment() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, true, FieldBlock.hex("00 05 61")); // a literal whose name ends after one of five octets
        p.expectGoAway(COMPRESSION_ERROR);
    }

    @Test
    @DisplayName("http2/4.3/2: Sends a PRIORITY frame while sending the header blocks")
    void priorityInsideBlock() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, false, p.get().encode());
        p.priority(1, 0, false, 255);
        p.continuation(1, true, new FieldBlock().dummies(1, 4000).encode());
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/4.3/3: Sends a HEADERS frame to another stream while sending the header blocks")
    void headersOfAnotherStreamInsideBlock() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, false, p.get().encode());
        p.headers(3, true, true, p.get().encode());
        p.continuation(1, true, new FieldBlock().dummies(1, 4000).encode());
        p.expectGoAway(PROTOCOL_ERROR);
    }

    // -------------------------------------------------------------- 5.1. Stream States

    @Test
    @DisplayName("http2/5.1/1: idle: Sends a DATA frame")
    void idleData() throws Exception {
        // RFC 9113 section 5.1: any frame but HEADERS or PRIORITY on an idle stream is a connection
        // error PROTOCOL_ERROR (h2spec also accepts a stream error or STREAM_CLOSED)
        H2Peer p = handshaken();
        p.data(1, true, "test");
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/5.1/2: idle: Sends a RST_STREAM frame")
    void idleRstStream() throws Exception {
        H2Peer p = handshaken();
        p.rstStream(1, CANCEL);
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/5.1/3: idle: Sends a WINDOW_UPDATE frame")
    void idleWindowUpdate() throws Exception {
        H2Peer p = handshaken();
        p.windowUpdate(1, 100);
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/5.1/4: idle: Sends a CONTINUATION frame")
    void idleContinuation() throws Exception {
        H2Peer p = handshaken();
        p.continuation(1, true, p.get().encode());
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/5.1/5: half closed (remote): Sends a DATA frame")
    void halfClosedRemoteData() throws Exception {
        // the stream is half-closed (remote) or already closed when the DATA arrives: a stream error
        // STREAM_CLOSED either way (section 5.1), which a server may make a connection error
        H2Peer p = handshaken();
        p.headers(1, true, p.get());
        p.data(1, true, "test");
        p.expectStreamOrConnectionError(1, STREAM_CLOSED);
    }

    @Test
    @DisplayName("http2/5.1/6: half closed (remote): Sends a HEADERS frame")
    void halfClosedRemoteHeaders() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get());
        p.headers(1, true, p.get());
        p.expectStreamOrConnectionError(1, STREAM_CLOSED);
    }

    @Test
    @DisplayName("http2/5.1/7: half closed (remote): Sends a CONTINUATION frame")
    void halfClosedRemoteContinuation() throws Exception {
        // a CONTINUATION after a complete block is a connection error PROTOCOL_ERROR (section 6.10)
        H2Peer p = handshaken();
        p.headers(1, true, p.get());
        p.continuation(1, true, p.get().encode());
        p.expectStreamOrConnectionError(1, STREAM_CLOSED, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/5.1/8: closed: Sends a DATA frame after sending RST_STREAM frame")
    void closedByResetData() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.get());
        p.rstStream(1, CANCEL);
        p.data(1, true, "test");
        p.expectStreamOrConnectionError(1, STREAM_CLOSED);
    }

    @Test
    @DisplayName("http2/5.1/9: closed: Sends a HEADERS frame after sending RST_STREAM frame")
    void closedByResetHeaders() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.get());
        p.rstStream(1, CANCEL);
        p.headers(1, true, p.get());
        p.expectStreamOrConnectionError(1, STREAM_CLOSED);
    }

    @Test
    @DisplayName("http2/5.1/10: closed: Sends a CONTINUATION frame after sending RST_STREAM frame")
    void closedByResetContinuation() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.get());
        p.rstStream(1, CANCEL);
        p.continuation(1, true, new FieldBlock().dummies(1, 4000).encode());
        p.expectStreamOrConnectionError(1, STREAM_CLOSED, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/5.1/11: closed: Sends a DATA frame")
    void closedData() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get());
        p.expectStreamEnd(1);
        p.data(1, true, "test");
        p.expectStreamOrConnectionError(1, STREAM_CLOSED);
    }

    @Test
    @DisplayName("http2/5.1/12: closed: Sends a HEADERS frame")
    void closedHeaders() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get());
        p.expectStreamEnd(1);
        p.headers(1, true, p.get());
        p.expectGoAway(STREAM_CLOSED);
    }

    @Test
    @DisplayName("http2/5.1/13: closed: Sends a CONTINUATION frame")
    void closedContinuation() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get());
        p.expectStreamEnd(1);
        p.continuation(1, true, new FieldBlock().dummies(1, 4000).encode());
        p.expectGoAway(STREAM_CLOSED, PROTOCOL_ERROR);
    }

    // ------------------------------------------------------- 5.1.1. Stream Identifiers

    @Test
    @DisplayName("http2/5.1.1/1: Sends even-numbered stream identifier")
    void evenStreamId() throws Exception {
        H2Peer p = handshaken();
        p.headers(2, true, p.get());
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/5.1.1/2: Sends stream identifier that is numerically smaller than previous")
    void decreasingStreamId() throws Exception {
        H2Peer p = handshaken();
        p.headers(5, true, p.get());
        p.headers(3, true, p.get());
        p.expectGoAway(PROTOCOL_ERROR);
    }

    // ------------------------------------------------------ 5.1.2. Stream Concurrency

    @Test
    @DisplayName("http2/5.1.2/1: Sends HEADERS frames that causes their advertised concurrent stream limit to be exceeded")
    void concurrencyLimit() throws Exception {
        H2Peer p = handshaken();
        Long max = p.serverSetting(H2Peer.MAX_CONCURRENT_STREAMS);
        assertThat(max).as("the server advertises SETTINGS_MAX_CONCURRENT_STREAMS").isNotNull();
        p.settings(INITIAL_WINDOW_SIZE, 0); // no response can finish: every stream stays open
        byte[] block = p.get().encode();
        int id = 1;
        for (int i = 0; i <= max; i++, id += 2) {
            p.headers(id, true, true, block);
        }
        p.expectRstStream(id - 2, REFUSED_STREAM, PROTOCOL_ERROR);
    }

    // ----------------------------------------------------- 5.3.1. Stream Dependencies

    @Test
    @DisplayName("http2/5.3.1/1: Sends HEADERS frame that depends on itself")
    void headersDependingOnItself() throws Exception {
        // RFC 9113 deprecates the priority scheme (section 5.3.2) but keeps this rule (section 5.3.1)
        H2Peer p = handshaken();
        p.headersWithPriority(1, true, p.get().encode(), 1, false, 255);
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/5.3.1/2: Sends PRIORITY frame that depend on itself")
    void priorityDependingOnItself() throws Exception {
        H2Peer p = handshaken();
        p.priority(1, 1, false, 255);
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    // ------------------------------------------------ 5.4.1. Connection Error Handling

    @Test
    @DisplayName("http2/5.4.1/1: Sends an invalid PING frame for connection close")
    void invalidPingCloses() throws Exception {
        H2Peer p = handshaken();
        p.frame(H2Frame.PING, 0, 3, "0000000000000000");
        p.expectClosed();
    }

    @Test
    @DisplayName("http2/5.4.1/2: Sends an invalid PING frame to receive GOAWAY frame")
    void invalidPingGoAway() throws Exception {
        H2Peer p = handshaken();
        p.frame(H2Frame.PING, 0, 3, "0000000000000000");
        p.expectGoAway(PROTOCOL_ERROR);
    }

    // -------------------------------------------------------- 5.5. Extending HTTP/2

    @Test
    @DisplayName("http2/5.5/1: Sends an unknown extension frame")
    void unknownExtensionFrame() throws Exception {
        H2Peer p = handshaken();
        p.frame(0x16, 0, 0, "0000000000000000");
        p.ping(false, new byte[8]);
        p.expectPingAck(new byte[8]);
    }

    @Test
    @DisplayName("http2/5.5/2: Sends an unknown extension frame in the middle of a header block")
    void unknownExtensionFrameInsideBlock() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, false, p.get().encode());
        p.frame(0x16, 0, 0, "0000000000000000");
        p.expectGoAway(PROTOCOL_ERROR);
    }
}
