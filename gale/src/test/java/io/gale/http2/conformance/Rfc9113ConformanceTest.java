package io.gale.http2.conformance;

import static io.gale.http2.conformance.H2Peer.COMPRESSION_ERROR;
import static io.gale.http2.conformance.H2Peer.FLOW_CONTROL_ERROR;
import static io.gale.http2.conformance.H2Peer.INITIAL_WINDOW_SIZE;
import static io.gale.http2.conformance.H2Peer.PROTOCOL_ERROR;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cases beyond h2spec's list, in the same style (ids "rfc9113/section/n" and "rfc7541/section/n"):
 * rules of RFC 9113 and RFC 7541 h2spec does not send, mostly about what the server sends back
 * (flow control of responses, HPACK table size signalling), the field rules RFC 9113 section 8.2
 * tightened, request pseudo-header rules of section 8.3.1, and HPACK state across blocks.
 */
@Timeout(120)
class Rfc9113ConformanceTest extends ConformanceServer {

    // ------------------------------------------------------------------ 5.1. Stream States

    @Test
    @DisplayName("rfc9113/5.1/1: Sends a RST_STREAM frame on a closed stream")
    void rstStreamOnClosedStreamIsIgnored() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get());
        p.expectStreamEnd(1);
        p.rstStream(1, H2Peer.CANCEL);
        p.ping(false, new byte[8]);
        p.expectPingAck(new byte[8]);
    }

    @Test
    @DisplayName("rfc9113/5.1/2: Sends a WINDOW_UPDATE frame on a closed stream")
    void windowUpdateOnClosedStreamIsIgnored() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get());
        p.expectStreamEnd(1);
        p.windowUpdate(1, 100);
        p.ping(false, new byte[8]);
        p.expectPingAck(new byte[8]);
    }

    @Test
    @DisplayName("rfc9113/5.1/3: Sends DATA frames on a stream the server reset")
    void dataAfterTheServersResetIsIgnored() throws Exception {
        // the server's RST_STREAM and our DATA cross: frames already in flight are ignored (section 5.1)
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST").add("X-UPPER", "1"));
        for (int i = 0; i < 4; i++) {
            p.data(1, false, new byte[16384]);
        }
        p.expectRstStream(1, PROTOCOL_ERROR);
        p.data(1, true, "late");
        p.ping(false, new byte[8]);
        p.expectPingAck(new byte[8]);
        p.headers(3, true, p.get());
        p.expectStatus(3, "200");
    }

    // ------------------------------------------------------- 6.1, 6.2. Padding and flags

    @Test
    @DisplayName("rfc9113/6.1/1: Sends a DATA frame whose pad length leaves no room for data")
    void dataPaddingAsLongAsThePayload() throws Exception {
        // section 6.1: padding as long as the payload (the pad length octet counts) is a connection
        // error PROTOCOL_ERROR; a payload of one octet has no room for one octet of padding
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST"));
        p.frame(H2Frame.DATA, H2Frame.PADDED | H2Frame.END_STREAM, 1, "01");
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("rfc9113/6.2/1: Sends a HEADERS frame with both PADDED and PRIORITY")
    void headersPaddedWithPriority() throws Exception {
        H2Peer p = handshaken();
        byte[] block = p.get().encode();
        java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
        payload.write(3);
        payload.writeBytes(FieldBlock.hex("00000000 10"));
        payload.writeBytes(block);
        payload.writeBytes(new byte[3]);
        p.send(H2Peer.frame(H2Frame.HEADERS, H2Frame.PADDED | H2Frame.PRIORITY_FLAG | H2Frame.END_HEADERS
            | H2Frame.END_STREAM, 1, payload.toByteArray()));
        p.expectStatus(1, "200");
    }

    @Test
    @DisplayName("rfc9113/6.10/1: A response head larger than SETTINGS_MAX_FRAME_SIZE comes as HEADERS and CONTINUATION frames")
    void largeResponseHeadIsSplit() throws Exception {
        // H2Peer checks every frame against our SETTINGS_MAX_FRAME_SIZE and that nothing comes
        // between the HEADERS frame and the CONTINUATION frame that ends the block
        H2Peer p = handshaken();
        p.headers(1, true, FieldBlock.request("GET", "/bighead", p.authority()));
        p.headers(3, true, p.get()); // another response that could interleave
        H2Frame first = null;
        java.util.List<String[]> big = null;
        boolean other = false;
        while (big == null || !other) { // the two heads, in whichever order they come
            H2Frame f = p.expectFrame();
            if (f.type() == H2Frame.HEADERS && f.stream() == 1) {
                first = f;
            }
            if (f.stream() == 1 && f.fields() != null) {
                big = f.fields();
            }
            other |= f.type() == H2Frame.HEADERS && f.stream() == 3;
        }
        assertThat(first.has(H2Frame.END_HEADERS)).as("the HEADERS frame does not hold the whole block").isFalse();
        assertThat(new H2Frame(first.type(), first.flags(), 1, first.payload(), big).field("x-big"))
            .hasSize(BIG_HEAD_VALUE);
    }

    // ------------------------------------------------------------- 6.5.2. SETTINGS limits

    @Test
    @DisplayName("rfc9113/6.5.2/2: Sends the largest allowed SETTINGS_INITIAL_WINDOW_SIZE and SETTINGS_MAX_FRAME_SIZE")
    void largestAllowedSettings() throws Exception {
        H2Peer p = handshaken();
        p.settings(INITIAL_WINDOW_SIZE, 0x7FFFFFFFL, H2Peer.MAX_FRAME_SIZE, 0xFFFFFF);
        p.expectSettingsAck();
        p.headers(1, true, p.get());
        p.expectStatus(1, "200");
    }

    @Test
    @DisplayName("rfc9113/6.5.2/3: Sends SETTINGS_NO_RFC7540_PRIORITIES (RFC 9218) other than 0 or 1")
    void noRfc7540PrioritiesOutOfRange() throws Exception {
        H2Peer p = handshaken();
        p.settings(0x9, 2);
        p.expectGoAway(PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("rfc9113/6.9.1/3: Sends WINDOW_UPDATE frames raising the connection window to exactly 2^31-1")
    void connectionWindowUpToTheMaximum() throws Exception {
        H2Peer p = handshaken();
        p.windowUpdate(0, 0x7FFFFFFFL - 65535);
        p.ping(false, new byte[8]);
        p.expectPingAck(new byte[8]);
    }

    // ---------------------------------------------------------------- 6.9. Flow Control

    @Test
    @DisplayName("rfc9113/6.9.1/1: The server sends no more DATA than the connection window allows")
    void responseBoundedByConnectionWindow() throws Exception {
        H2Peer p = handshaken();
        p.settings(INITIAL_WINDOW_SIZE, 1 << 20); // streams may take 1 MiB; the connection window stays 65535
        p.expectSettingsAck();
        p.headers(1, true, FieldBlock.request("GET", "/big", p.authority()));
        p.expectStatus(1, "200");
        int got = 0;
        while (got < 65535) {
            H2Frame d = p.expectData(1);
            assertThat(d.payload().length).as("at most SETTINGS_MAX_FRAME_SIZE").isLessThanOrEqualTo(16384);
            got += d.payload().length;
        }
        assertThat(got).as("exactly the connection window").isEqualTo(65535);
        p.ping(false, H2Peer.opaque("window"));
        p.expectPingAckWithoutDataOn(1, H2Peer.opaque("window"));
        p.windowUpdate(0, BIG_LENGTH);
        H2Frame d;
        do {
            d = p.expectData(1);
            got += d.payload().length;
        } while (!d.has(H2Frame.END_STREAM));
        assertThat(got).isEqualTo(BIG_LENGTH);
    }

    @Test
    @DisplayName("rfc9113/6.9.1/2: The server sends no more DATA than the stream window allows")
    void responseBoundedByStreamWindow() throws Exception {
        H2Peer p = handshaken();
        p.settings(INITIAL_WINDOW_SIZE, 1000);
        p.expectSettingsAck();
        p.headers(1, true, FieldBlock.request("GET", "/big", p.authority()));
        p.expectStatus(1, "200");
        int got = 0;
        while (got < 1000) {
            got += p.expectData(1).payload().length;
        }
        assertThat(got).isEqualTo(1000);
        p.ping(false, H2Peer.opaque("stream"));
        p.expectPingAckWithoutDataOn(1, H2Peer.opaque("stream"));
        p.windowUpdate(1, 500);
        while (got < 1500) {
            got += p.expectData(1).payload().length;
        }
        assertThat(got).isEqualTo(1500);
        p.ping(false, H2Peer.opaque("again"));
        p.expectPingAckWithoutDataOn(1, H2Peer.opaque("again"));
    }

    @Test
    @DisplayName("rfc9113/6.9.2/1: Sends SETTINGS_INITIAL_WINDOW_SIZE that makes an open stream's window exceed 2^31-1")
    void initialWindowChangeOverflowsAStreamWindow() throws Exception {
        // section 6.9.2: a connection error FLOW_CONTROL_ERROR
        H2Peer p = handshaken();
        p.settings(INITIAL_WINDOW_SIZE, 0);
        p.expectSettingsAck();
        p.headers(1, true, FieldBlock.request("GET", "/big", p.authority()));
        p.expectStatus(1, "200");
        p.windowUpdate(1, 0x7FFFFFFFL); // the stream's window: 2^31-1; the connection's 65535 holds the body
        p.settings(INITIAL_WINDOW_SIZE, 70_000); // +70000: above 2^31-1 even after the 65535 octets sent
        p.expectGoAway(FLOW_CONTROL_ERROR);
    }

    // --------------------------------------------------------- 6.5.2 / RFC 7541 4.2

    @Test
    @DisplayName("rfc9113/6.5.2/1: Sends SETTINGS_HEADER_TABLE_SIZE 0: the next response block starts with a size update")
    void headerTableSizeZeroIsSignalled() throws Exception {
        // RFC 7541 section 4.2: a smaller maximum is signalled at the start of the next block
        H2Peer p = handshaken();
        p.headers(1, true, p.get());
        p.expectStatus(1, "200"); // the server's table holds some of its fields now
        p.expectStreamEnd(1);
        p.settings(H2Peer.HEADER_TABLE_SIZE, 0);
        p.expectSettingsAck();
        p.headers(3, true, p.get());
        H2Frame h = p.expectStatus(3, "200");
        assertThat(h.payload()[0] & 0xFF).as("a dynamic table size update to 0 first").isEqualTo(0x20);
    }

    // --------------------------------------------------------- 8.1. HTTP Message Framing

    @Test
    @DisplayName("rfc9113/8.1/1: Sends a POST request with expect: 100-continue")
    void expectContinue() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST").add("content-length", "4").add("expect", "100-continue"));
        H2Frame interim = p.expectStatus(1, "100");
        assertThat(interim.has(H2Frame.END_STREAM)).isFalse();
        p.data(1, true, "test");
        p.expectStatus(1, "200");
    }

    @Test
    @DisplayName("rfc9113/8.1.1/1: Sends content-length with padded DATA: padding is not content")
    void paddingIsNotContent() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST").add("content-length", "4"));
        p.dataPadded(1, true, "test".getBytes(StandardCharsets.US_ASCII), 10);
        p.expectStatus(1, "200");
        assertThat(p.expectData(1).payload()).asString(StandardCharsets.US_ASCII).isEqualTo("received 4 octets\n");
    }

    @Test
    @DisplayName("rfc9113/8.1.1/2: Sends content-length 4 with END_STREAM on the HEADERS frame")
    void contentLengthWithoutData() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.request("POST").add("content-length", "4"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("rfc9113/8.1.1/3: Sends a content-length that is not a number")
    void contentLengthNotANumber() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST").add("content-length", "four"));
        p.data(1, true, "test");
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("rfc9113/8.1.1/4: Sends DATA beyond content-length before END_STREAM")
    void dataBeyondContentLength() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST").add("content-length", "2"));
        p.data(1, false, "test");
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("rfc9113/8.1.1/5: Sends trailers after fewer DATA octets than content-length")
    void trailersBeforeContentLengthReached() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST").add("content-length", "10"));
        p.data(1, false, "test");
        p.headers(1, true, new FieldBlock().add("x-test", "ok"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("rfc9113/8.2.1/9: Sends trailers with an upper-case field name")
    void upperCaseNameInTrailers() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST"));
        p.data(1, false, "test");
        p.headers(1, true, new FieldBlock().add("X-Test", "ok"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    // ---------------------------------------------------------- 8.2. HTTP Fields

    /** A GET with one more field: a stream error PROTOCOL_ERROR. */
    private void refusesField(String name, String value) throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().add(name, value));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("rfc9113/8.2.1/1: Sends a field value containing NUL")
    void valueWithNul() throws Exception {
        refusesField("x-test", "a\0b");
    }

    @Test
    @DisplayName("rfc9113/8.2.1/2: Sends a field value containing CR")
    void valueWithCr() throws Exception {
        refusesField("x-test", "a\rb");
    }

    @Test
    @DisplayName("rfc9113/8.2.1/3: Sends a field value containing LF")
    void valueWithLf() throws Exception {
        refusesField("x-test", "a\nb");
    }

    @Test
    @DisplayName("rfc9113/8.2.1/4: Sends a field value with leading whitespace")
    void valueWithLeadingSpace() throws Exception {
        refusesField("x-test", " ok"); // section 8.2.1 allows treating it as malformed; Gale does
    }

    @Test
    @DisplayName("rfc9113/8.2.1/5: Sends a field name containing a space")
    void nameWithSpace() throws Exception {
        refusesField("x test", "ok");
    }

    @Test
    @DisplayName("rfc9113/8.2.1/6: Sends a regular field name containing a colon")
    void nameWithColon() throws Exception {
        refusesField("x:test", "ok");
    }

    @Test
    @DisplayName("rfc9113/8.2.1/7: Sends an empty field name")
    void emptyName() throws Exception {
        refusesField("", "ok");
    }

    @Test
    @DisplayName("rfc9113/8.2.1/8: Sends a field name containing a non-ASCII octet")
    void nameWithNonAscii() throws Exception {
        refusesField("x-t\u00e9st", "ok");
    }

    @Test
    @DisplayName("rfc9113/8.2.2/1: Sends a keep-alive field")
    void keepAlive() throws Exception {
        refusesField("keep-alive", "timeout=5");
    }

    @Test
    @DisplayName("rfc9113/8.2.2/2: Sends a proxy-connection field")
    void proxyConnection() throws Exception {
        refusesField("proxy-connection", "keep-alive");
    }

    @Test
    @DisplayName("rfc9113/8.2.2/3: Sends a transfer-encoding field")
    void transferEncoding() throws Exception {
        refusesField("transfer-encoding", "chunked");
    }

    @Test
    @DisplayName("rfc9113/8.2.2/4: Sends an upgrade field")
    void upgrade() throws Exception {
        refusesField("upgrade", "websocket");
    }

    @Test
    @DisplayName("rfc9113/8.2.2/5: Sends te: trailers")
    void teTrailersIsAllowed() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().add("te", "trailers"));
        p.expectStatus(1, "200");
    }

    @Test
    @DisplayName("rfc9113/8.2.3/1: Sends the cookie field in crumbs")
    void cookieCrumbsAreJoined() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, FieldBlock.request("GET", "/cookie", p.authority()).add("cookie", "a=1").add("cookie", "b=2"));
        p.expectStatus(1, "200");
        assertThat(p.expectData(1).payload()).asString(StandardCharsets.US_ASCII).isEqualTo("a=1; b=2");
    }

    // ------------------------------------------------- 8.3.1. Request Pseudo-Header Fields

    @Test
    @DisplayName("rfc9113/8.3.1/1: Sends a :path that is neither origin-form nor '*'")
    void pathNotStartingWithSlash() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().set(":path", "index.html"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("rfc9113/8.3.1/2: Sends :path '*' with a method other than OPTIONS")
    void asteriskPathWithGet() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().set(":path", "*"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("rfc9113/8.3.1/3: Sends OPTIONS with :path '*'")
    void optionsAsterisk() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.request("OPTIONS").set(":path", "*"));
        H2Frame h = p.expectHeaders(1);
        assertThat(h.field(":status")).as("a response, not a reset").isNotNull();
    }

    @Test
    @DisplayName("rfc9113/8.3.1/4: Sends :authority with userinfo")
    void authorityWithUserinfo() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().set(":authority", "user@" + p.authority()));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("rfc9113/8.3.1/5: Sends a host field that differs from :authority")
    void hostDiffersFromAuthority() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().add("host", "example.com"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("rfc9113/8.3.1/6: Sends host instead of :authority")
    void hostWithoutAuthority() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().remove(":authority").add("host", p.authority()));
        p.expectStatus(1, "200");
    }

    @Test
    @DisplayName("rfc9113/8.3.1/7: Sends an empty :method")
    void emptyMethod() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().set(":method", ""));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    @Test
    @DisplayName("rfc9113/8.5/1: Sends CONNECT without :authority")
    void connectWithoutAuthority() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, new FieldBlock().add(":method", "CONNECT"));
        p.expectRstStream(1, PROTOCOL_ERROR);
    }

    // ------------------------------------------------------------ RFC 7541: HPACK state

    @Test
    @DisplayName("rfc7541/2.3.2/1: Indexes a field in one request and refers to it in the next")
    void dynamicTableAcrossBlocks() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().rawAfter("40 0d782d636f6e666f726d616e6365 06706173736564")); // x-conformance: passed
        p.expectStatus(1, "200");
        p.headers(3, true, p.get().rawAfter("be")); // index 62: the entry just added
        p.expectStatus(3, "200");
    }

    @Test
    @DisplayName("rfc7541/4.3/1: A size update to 0 evicts every entry: referring to one is a decoding error")
    void sizeUpdateEvicts() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().rawAfter("40 0d782d636f6e666f726d616e6365 06706173736564"));
        p.expectStatus(1, "200");
        p.headers(3, true, p.get().rawBefore("20 3fe11f").rawAfter("be")); // 0, then 4096 again; index 62
        p.expectGoAway(COMPRESSION_ERROR);
    }

    @Test
    @DisplayName("rfc7541/4.4/1: An entry larger than the table empties it and is not an error")
    void entryLargerThanTheTable() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().rawAfter("40 0d782d636f6e666f726d616e6365 7f821f" + "78".repeat(4097)));
        p.expectStatus(1, "200");
        p.headers(3, true, p.get().rawAfter("be")); // nothing was added
        p.expectGoAway(COMPRESSION_ERROR);
    }

    @Test
    @DisplayName("rfc7541/5.1/1: Sends an integer above 2^31-1")
    void integerOverflow() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().rawAfter("ff ffffffffff0f")); // an index of 127 + 2^35-1
        p.expectGoAway(COMPRESSION_ERROR);
    }
}
