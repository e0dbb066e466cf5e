package io.gale.http2.conformance;

import static io.gale.http2.conformance.H2Peer.ENABLE_PUSH;
import static io.gale.http2.conformance.H2Peer.FLOW_CONTROL_ERROR;
import static io.gale.http2.conformance.H2Peer.FRAME_SIZE_ERROR;
import static io.gale.http2.conformance.H2Peer.INITIAL_WINDOW_SIZE;
import static io.gale.http2.conformance.H2Peer.MAX_FRAME_SIZE;
import static io.gale.http2.conformance.H2Peer.PROTOCOL_ERROR;
import static io.gale.http2.conformance.H2Peer.STREAM_CLOSED;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * h2spec's "http2" cases for section 6, one group per frame type (42 cases): DATA, HEADERS,
 * PRIORITY, RST_STREAM, SETTINGS (parameters and synchronisation), PING, GOAWAY, WINDOW_UPDATE
 * (flow-control window, initial window size, negative windows) and CONTINUATION, each with the
 * error code and scope RFC 9113 names. Where h2spec accepts a stream error for a rule that RFC
 * 9113 makes a connection error (a padding length beyond the payload, a RST_STREAM or SETTINGS of
 * the wrong length), the case requires the connection error.
 */
@Timeout(120)
class Http2FramesConformanceTest extends ConformanceServer {

    // -------------------------------------------------------------------------- 6.1. DATA

    @Test
    @DisplayName("http2/6.1/1: Sends a DATA frame with 0x0 stream identifier")
    void dataOnStreamZero() throws Exception {
        H2Peer p = handshaken();
        p.data(0, true, "test");
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/6.1/2: Sends a DATA frame on the stream that is not in \"open\" or \"half-closed (local)\" state")
    void dataOnHalfClosedRemote() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.request("POST"));
        p.data(1, true, "test");
        p.expectStreamOrConnectionError(1, STREAM_CLOSED);
    }

    @Test
    @DisplayName("http2/6.1/3: Sends a DATA frame with invalid pad length")
    void dataWithInvalidPadLength() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST").add("content-length", "4"));
        p.frame(H2Frame.DATA, H2Frame.PADDED | H2Frame.END_STREAM, 1, "06 54657374"); // pad length 6 > 4 octets left
        p.expectGoAway(PROTOCOL_ERROR);
    }

    // ----------------------------------------------------------------------- 6.2. HEADERS

    @Test
    @DisplayName("http2/6.2/1: Sends a HEADERS frame without the END_HEADERS flag, and a PRIORITY frame")
    void headersThenPriority() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, false, p.get().encode());
        p.priority(1, 0, false, 255);
        p.continuation(1, true, new FieldBlock().dummies(1, 4000).encode());
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/6.2/2: Sends a HEADERS frame to another stream while sending a HEADERS frame")
    void headersThenHeadersOfAnotherStream() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, false, p.get().encode());
        p.headers(3, true, true, p.get().encode());
        p.continuation(1, true, new FieldBlock().dummies(1, 4000).encode());
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/6.2/3: Sends a HEADERS frame with 0x0 stream identifier")
    void headersOnStreamZero() throws Exception {
        H2Peer p = handshaken();
        p.headers(0, true, p.get());
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/6.2/4: Sends a HEADERS frame with invalid pad length")
    void headersWithInvalidPadLength() throws Exception {
        // RFC 9113 section 6.2: padding as long as the payload or longer is a connection error
        // PROTOCOL_ERROR (h2spec also accepts a stream error)
        H2Peer p = handshaken();
        byte[] block = p.get().encode();
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.write(block.length + 2);
        payload.writeBytes(block);
        p.send(H2Peer.frame(H2Frame.HEADERS, H2Frame.PADDED | H2Frame.END_HEADERS | H2Frame.END_STREAM, 1,
            payload.toByteArray()));
        p.expectGoAway(PROTOCOL_ERROR);
    }

    // ---------------------------------------------------------------------- 6.3. PRIORITY

    @Test
    @DisplayName("http2/6.3/1: Sends a PRIORITY frame with 0x0 stream identifier")
    void priorityOnStreamZero() throws Exception {
        H2Peer p = handshaken();
        p.priority(0, 0, false, 255);
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/6.3/2: Sends a PRIORITY frame with a length other than 5 octets")
    void priorityOfWrongLength() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get());
        p.frame(H2Frame.PRIORITY, 0, 1, "80000001");
        p.expectRstStream(1, FRAME_SIZE_ERROR);
    }

    // -------------------------------------------------------------------- 6.4. RST_STREAM

    @Test
    @DisplayName("http2/6.4/1: Sends a RST_STREAM frame with 0x0 stream identifier")
    void rstStreamOnStreamZero() throws Exception {
        H2Peer p = handshaken();
        p.rstStream(0, H2Peer.CANCEL);
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/6.4/2: Sends a RST_STREAM frame on a idle stream")
    void rstStreamOnIdleStream() throws Exception {
        H2Peer p = handshaken();
        p.rstStream(1, H2Peer.CANCEL);
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/6.4/3: Sends a RST_STREAM frame with a length other than 4 octets")
    void rstStreamOfWrongLength() throws Exception {
        // RFC 9113 section 6.4: a connection error FRAME_SIZE_ERROR (h2spec also accepts a stream error)
        H2Peer p = handshaken();
        p.headers(1, true, p.get());
        p.frame(H2Frame.RST_STREAM, 0, 1, "000000");
        p.expectGoAway(FRAME_SIZE_ERROR);
    }

    // ---------------------------------------------------------------------- 6.5. SETTINGS

    @Test
    @DisplayName("http2/6.5/1: Sends a SETTINGS frame with ACK flag and payload")
    void settingsAckWithPayload() throws Exception {
        H2Peer p = handshaken();
        p.frame(H2Frame.SETTINGS, H2Frame.ACK, 0, "00");
        p.expectGoAway(FRAME_SIZE_ERROR);
    }

    @Test
    @DisplayName("http2/6.5/2: Sends a SETTINGS frame with a stream identifier other than 0x0")
    void settingsOnAStream() throws Exception {
        H2Peer p = handshaken();
        p.frame(H2Frame.SETTINGS, 0, 1, "0003 00000064");
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/6.5/3: Sends a SETTINGS frame with a length other than a multiple of 6 octets")
    void settingsOfWrongLength() throws Exception {
        // RFC 9113 section 6.5: a connection error FRAME_SIZE_ERROR (h2spec also accepts PROTOCOL_ERROR
        // and a stream error)
        H2Peer p = handshaken();
        p.frame(H2Frame.SETTINGS, 0, 0, "000300");
        p.expectGoAway(FRAME_SIZE_ERROR);
    }

    // ---------------------------------------------------- 6.5.2. Defined SETTINGS Parameters

    @Test
    @DisplayName("http2/6.5.2/1: SETTINGS_ENABLE_PUSH (0x2): Sends the value other than 0 or 1")
    void enablePushOutOfRange() throws Exception {
        H2Peer p = handshaken();
        p.settings(ENABLE_PUSH, 2);
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/6.5.2/2: SETTINGS_INITIAL_WINDOW_SIZE (0x4): Sends the value above the maximum flow control window size")
    void initialWindowAboveMaximum() throws Exception {
        H2Peer p = handshaken();
        p.settings(INITIAL_WINDOW_SIZE, 1L << 31);
        p.expectGoAway(FLOW_CONTROL_ERROR);
    }

    @Test
    @DisplayName("http2/6.5.2/3: SETTINGS_MAX_FRAME_SIZE (0x5): Sends the value below the initial value")
    void maxFrameSizeBelowInitial() throws Exception {
        H2Peer p = handshaken();
        p.settings(MAX_FRAME_SIZE, 16383);
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/6.5.2/4: SETTINGS_MAX_FRAME_SIZE (0x5): Sends the value above the maximum allowed frame size")
    void maxFrameSizeAboveMaximum() throws Exception {
        H2Peer p = handshaken();
        p.settings(MAX_FRAME_SIZE, 1 << 24);
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/6.5.2/5: Sends a SETTINGS frame with unknown identifier")
    void unknownSetting() throws Exception {
        H2Peer p = handshaken();
        p.settings(0xFF, 1);
        p.ping(false, new byte[8]);
        p.expectPingAck(new byte[8]);
    }

    // ---------------------------------------------------- 6.5.3. Settings Synchronization

    @Test
    @DisplayName("http2/6.5.3/1: Sends multiple values of SETTINGS_INITIAL_WINDOW_SIZE")
    void settingsInOrder() throws Exception {
        H2Peer p = handshaken();
        p.settings(INITIAL_WINDOW_SIZE, 100, INITIAL_WINDOW_SIZE, 1);
        p.expectSettingsAck();
        p.headers(1, true, p.get());
        p.expectDataOfLength(1, 1);
    }

    @Test
    @DisplayName("http2/6.5.3/2: Sends a SETTINGS frame without ACK flag")
    void settingsAcknowledged() throws Exception {
        H2Peer p = handshaken();
        p.settings(ENABLE_PUSH, 0);
        p.expectSettingsAck();
    }

    // -------------------------------------------------------------------------- 6.7. PING

    @Test
    @DisplayName("http2/6.7/1: Sends a PING frame")
    void ping() throws Exception {
        H2Peer p = handshaken();
        p.ping(false, H2Peer.opaque("h2spec"));
        p.expectPingAck(H2Peer.opaque("h2spec"));
    }

    @Test
    @DisplayName("http2/6.7/2: Sends a PING frame with ACK")
    void pingAckIsNotAnswered() throws Exception {
        H2Peer p = handshaken();
        p.ping(true, H2Peer.opaque("invalid"));
        p.ping(false, H2Peer.opaque("h2spec"));
        p.expectPingAck(H2Peer.opaque("h2spec")); // the first PING the server sends must be this one
    }

    @Test
    @DisplayName("http2/6.7/3: Sends a PING frame with a stream identifier field value other than 0x0")
    void pingOnAStream() throws Exception {
        H2Peer p = handshaken();
        p.frame(H2Frame.PING, 0, 1, "0000000000000000");
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/6.7/4: Sends a PING frame with a length field value other than 8")
    void pingOfWrongLength() throws Exception {
        H2Peer p = handshaken();
        p.frame(H2Frame.PING, 0, 0, "000000000000");
        p.expectGoAway(FRAME_SIZE_ERROR);
    }

    // ------------------------------------------------------------------------ 6.8. GOAWAY

    @Test
    @DisplayName("http2/6.8/1: Sends a GOAWAY frame with a stream identifier other than 0x0")
    void goAwayOnAStream() throws Exception {
        H2Peer p = handshaken();
        p.frame(H2Frame.GOAWAY, 0, 1, "0000000000000000");
        p.expectGoAway(PROTOCOL_ERROR);
    }

    // ----------------------------------------------------------------- 6.9. WINDOW_UPDATE

    @Test
    @DisplayName("http2/6.9/1: Sends a WINDOW_UPDATE frame with a flow control window increment of 0")
    void windowUpdateZeroOnConnection() throws Exception {
        H2Peer p = handshaken();
        p.windowUpdate(0, 0);
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/6.9/2: Sends a WINDOW_UPDATE frame with a flow control window increment of 0 on a stream")
    void windowUpdateZeroOnStream() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.get());
        p.windowUpdate(1, 0);
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/6.9/3: Sends a WINDOW_UPDATE frame with a length other than 4 octets")
    void windowUpdateOfWrongLength() throws Exception {
        H2Peer p = handshaken();
        p.frame(H2Frame.WINDOW_UPDATE, 0, 0, "000001");
        p.expectGoAway(FRAME_SIZE_ERROR);
    }

    // ------------------------------------------------------- 6.9.1. The Flow-Control Window

    @Test
    @DisplayName("http2/6.9.1/1: Sends SETTINGS frame to set the initial window size to 1 and sends HEADERS frame")
    void windowOfOneOctet() throws Exception {
        H2Peer p = handshaken();
        p.settings(INITIAL_WINDOW_SIZE, 1);
        p.expectSettingsAck();
        p.headers(1, true, p.get());
        p.expectDataOfLength(1, 1);
    }

    @Test
    @DisplayName("http2/6.9.1/2: Sends multiple WINDOW_UPDATE frames increasing the flow control window to above 2^31-1")
    void connectionWindowOverflow() throws Exception {
        H2Peer p = handshaken();
        p.windowUpdate(0, 0x7FFFFFFFL);
        p.windowUpdate(0, 0x7FFFFFFFL);
        p.expectGoAway(FLOW_CONTROL_ERROR);
    }

    @Test
    @DisplayName("http2/6.9.1/3: Sends multiple WINDOW_UPDATE frames increasing the flow control window to above 2^31-1 on a stream")
    void streamWindowOverflow() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.get());
        p.windowUpdate(1, 0x7FFFFFFFL);
        p.windowUpdate(1, 0x7FFFFFFFL);
        p.expectRstStream(1, FLOW_CONTROL_ERROR);
    }

    // ----------------------------------------- 6.9.2. Initial Flow-Control Window Size

    @Test
    @DisplayName("http2/6.9.2/1: Changes SETTINGS_INITIAL_WINDOW_SIZE after sending HEADERS frame")
    void initialWindowChangedWhileStreamOpen() throws Exception {
        H2Peer p = handshaken();
        p.settings(INITIAL_WINDOW_SIZE, 0);
        p.expectSettingsAck();
        p.headers(1, true, p.get());
        p.settings(INITIAL_WINDOW_SIZE, 1);
        p.expectDataOfLength(1, 1);
    }

    @Test
    @DisplayName("http2/6.9.2/2: Sends a SETTINGS frame for window size to be negative")
    void negativeWindow() throws Exception {
        H2Peer p = handshaken();
        p.settings(INITIAL_WINDOW_SIZE, 3);
        p.expectSettingsAck();
        p.headers(1, true, p.get());
        p.expectDataOfLength(1, 3);
        p.settings(INITIAL_WINDOW_SIZE, 2); // the stream's window: 2 - 3 = -1
        p.expectSettingsAck();
        p.windowUpdate(1, 2); // -1 + 2 = 1
        p.expectDataOfLength(1, 1);
    }

    @Test
    @DisplayName("http2/6.9.2/3: Sends a SETTINGS_INITIAL_WINDOW_SIZE settings with an exceeded maximum window size value")
    void initialWindowAboveMaximumRaw() throws Exception {
        H2Peer p = handshaken();
        p.frame(H2Frame.SETTINGS, 0, 0, "0004 80000000");
        p.expectGoAway(FLOW_CONTROL_ERROR);
    }

    // ------------------------------------------------------------------ 6.10. CONTINUATION

    @Test
    @DisplayName("http2/6.10/1: Sends multiple CONTINUATION frames preceded by a HEADERS frame")
    void continuationFrames() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, false, p.get().encode());
        p.continuation(1, false, new FieldBlock().add("x-dummy0", "x".repeat(4000)).encode());
        p.continuation(1, true, new FieldBlock().add("x-dummy1", "x".repeat(4000)).encode());
        p.expectStatus(1, "200");
    }

    @Test
    @DisplayName("http2/6.10/2: Sends a CONTINUATION frame followed by any frame other than CONTINUATION")
    void continuationThenData() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, false, p.request("POST").encode());
        p.continuation(1, false, new FieldBlock().dummies(1, 4000).encode());
        p.data(1, true, "test");
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/6.10/3: Sends a CONTINUATION frame with 0x0 stream identifier")
    void continuationOnStreamZero() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, false, p.get().encode());
        p.continuation(0, true, new FieldBlock().dummies(1, 4000).encode());
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/6.10/4: Sends a CONTINUATION frame preceded by a HEADERS frame with END_HEADERS flag")
    void continuationAfterEndHeaders() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, true, p.get().encode());
        p.continuation(1, true, new FieldBlock().dummies(1, 4000).encode());
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/6.10/5: Sends a CONTINUATION frame preceded by a CONTINUATION frame with END_HEADERS flag")
    void continuationAfterEndingContinuation() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, false, p.get().encode());
        p.continuation(1, true, new FieldBlock().add("x-dummy0", "x".repeat(4000)).encode());
        p.continuation(1, true, new FieldBlock().add("x-dummy1", "x".repeat(4000)).encode());
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("http2/6.10/6: Sends a CONTINUATION frame preceded by a DATA frame")
    void continuationAfterData() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, false, p.request("POST").encode());
        p.data(1, true, "test");
        p.continuation(1, false, new FieldBlock().dummies(1, 4000).encode());
        p.continuation(0, true, new FieldBlock().dummies(1, 4000).encode());
        p.expectGoAway(PROTOCOL_ERROR);
    }
}
