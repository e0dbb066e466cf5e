package io.gale.http2.conformance;

import static io.gale.http2.conformance.H2Peer.FLOW_CONTROL_ERROR;
import static io.gale.http2.conformance.H2Peer.PROTOCOL_ERROR;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The conformance client's verdicts can fail: each is given a server answer it must reject (a
 * wrong error code, a connection error where a stream error is required, another status, another
 * PING payload, a reset where a response is expected), so a passing case means the answer was
 * checked; and the checks every frame read gets (windows, frame size, field block contiguity, no
 * push) fail against a scripted server that breaks them.
 */
@Timeout(120)
class H2PeerVerdictTest extends ConformanceServer {

    @Test
    void aGoAwayWithAnotherCodeFails() throws Exception {
        H2Peer p = handshaken();
        p.frame(H2Frame.PING, 0, 1, "0000000000000000"); // PROTOCOL_ERROR
        assertThatThrownBy(() -> p.expectGoAway(FLOW_CONTROL_ERROR)).isInstanceOf(AssertionError.class)
            .hasMessageContaining("expected GOAWAY FLOW_CONTROL_ERROR, got GOAWAY").hasMessageContaining("PROTOCOL_ERROR");
    }

    @Test
    void aConnectionErrorWhereAStreamErrorIsRequiredFails() throws Exception {
        H2Peer p = handshaken();
        p.frame(H2Frame.PING, 0, 1, "0000000000000000");
        assertThatThrownBy(() -> p.expectRstStream(1, PROTOCOL_ERROR)).isInstanceOf(AssertionError.class)
            .hasMessageContaining("got a connection error");
    }

    @Test
    void anotherStatusFails() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get());
        assertThatThrownBy(() -> p.expectStatus(1, "404")).isInstanceOf(AssertionError.class)
            .hasMessageContaining(":status 200");
    }

    @Test
    void aResetWhereAResponseIsExpectedFails() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().add("X-UPPER", "1"));
        assertThatThrownBy(() -> p.expectHeaders(1)).isInstanceOf(AssertionError.class)
            .hasMessageContaining("RST_STREAM(stream 1");
    }

    @Test
    void aPingAckWithOtherDataFails() throws Exception {
        H2Peer p = handshaken();
        p.ping(false, H2Peer.opaque("one"));
        assertThatThrownBy(() -> p.expectPingAck(H2Peer.opaque("two"))).isInstanceOf(AssertionError.class);
    }

    // --------------------------------------- the checks on every frame, against a scripted server

    /** A one-connection server that writes {@code script} after its SETTINGS and ACK, and reads what comes. */
    private static H2Peer scripted(byte[]... script) throws Exception {
        ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (listener; Socket s = listener.accept()) {
                s.getOutputStream().write(H2Peer.frame(H2Frame.SETTINGS, 0, 0, new byte[0]));
                s.getOutputStream().write(H2Peer.frame(H2Frame.SETTINGS, H2Frame.ACK, 0, new byte[0]));
                for (byte[] b : script) {
                    s.getOutputStream().write(b);
                }
                s.getInputStream().transferTo(OutputStream.nullOutputStream()); // until the peer closes
            } catch (IOException e) {
                // the peer closed
            }
        }, "scripted-h2-server");
        t.setDaemon(true);
        t.start();
        return H2Peer.handshaken(listener.getLocalPort(), null);
    }

    @Test
    void dataBeyondOurWindowsFails() throws Exception {
        byte[] data = H2Peer.frame(H2Frame.DATA, 0, 1, new byte[16384]);
        try (H2Peer p = scripted(data, data, data, data, data)) { // 81920 > 65535
            p.headers(1, true, p.get());
            assertThatThrownBy(() -> {
                for (int i = 0; i < 5; i++) {
                    p.expectData(1);
                }
            }).isInstanceOf(AssertionError.class).hasMessageContaining("beyond our windows");
        }
    }

    @Test
    void aFrameAboveOurMaxFrameSizeFails() throws Exception {
        try (H2Peer p = scripted(H2Peer.frame(H2Frame.DATA, 0, 1, new byte[16385]))) {
            p.headers(1, true, p.get());
            assertThatThrownBy(() -> p.expectData(1)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("above our SETTINGS_MAX_FRAME_SIZE");
        }
    }

    @Test
    void aFrameInsideAFieldBlockFails() throws Exception {
        try (H2Peer p = scripted(H2Peer.frame(H2Frame.HEADERS, 0, 1, FieldBlock.hex("88")),
                H2Peer.frame(H2Frame.PING, 0, 0, new byte[8]))) {
            p.headers(1, true, p.get());
            assertThatThrownBy(() -> p.expectPingAck(new byte[8])).isInstanceOf(AssertionError.class)
                .hasMessageContaining("inside a field block");
        }
    }

    @Test
    void aPushPromiseFails() throws Exception {
        try (H2Peer p = scripted(H2Peer.frame(H2Frame.PUSH_PROMISE, H2Frame.END_HEADERS, 1,
                FieldBlock.hex("00000002 82")))) {
            p.headers(1, true, p.get());
            assertThatThrownBy(() -> p.expectHeaders(1)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("pushed");
        }
    }

    @Test
    void dataOfAnotherLengthFails() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get());
        assertThatThrownBy(() -> p.expectDataOfLength(1, 1)).isInstanceOf(AssertionError.class)
            .hasMessageContaining("expected DATA of length 1");
    }
}
