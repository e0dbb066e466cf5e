package io.gale.http2.conformance;

import static io.gale.http2.conformance.H2Peer.FLOW_CONTROL_ERROR;
import static io.gale.http2.conformance.H2Peer.PROTOCOL_ERROR;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The conformance client's verdicts can fail: each is given a server answer it must reject (a
 * wrong error code, a connection error where a stream error is required, another status, another
 * PING payload, a reset where a response is expected), so a passing case means the answer was
 * checked.
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

    @Test
    void dataOfAnotherLengthFails() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get());
        assertThatThrownBy(() -> p.expectDataOfLength(1, 1)).isInstanceOf(AssertionError.class)
            .hasMessageContaining("expected DATA of length 1");
    }
}
