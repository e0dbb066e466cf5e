package io.gale.http2.conformance;

import static io.gale.http2.conformance.H2Peer.INITIAL_WINDOW_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * h2spec's "generic" group (generic/1 to generic/5, 44 cases): what any HTTP/2 server must
 * accept, each case answered by a response, a PING ACK or a SETTINGS ACK. Written from h2spec's
 * case list (what each case sends and expects), in Java, against Gale's server over h2c. The
 * HPACK representations of generic/5 are our own (built from the same kinds of representation,
 * Huffman strings computed with an independent encoder), not h2spec's bytes.
 */
@Timeout(120)
class GenericConformanceTest extends ConformanceServer {

    // ---------------------------------------------------------------- 1. Starting HTTP/2

    @Test
    @DisplayName("generic/1/1: Sends a client connection preface")
    void clientPreface() throws Exception {
        H2Peer p = connect();
        p.send(H2Peer.PREFACE);
        p.settings(INITIAL_WINDOW_SIZE, 65535);
        H2Frame f = p.expectFrame();
        assertThat(f.type()).as("the server's first frame: %s", f).isEqualTo(H2Frame.SETTINGS);
        assertThat(f.has(H2Frame.ACK)).as("not an ACK").isFalse();
    }

    // ---------------------------------------------------------- 2. Streams and Multiplexing

    @Test
    @DisplayName("generic/2/1: Sends a PRIORITY frame on idle stream")
    void priorityOnIdleStream() throws Exception {
        H2Peer p = handshaken();
        p.priority(1, 0, false, 255);
        p.ping(false, new byte[8]);
        p.expectPingAck(new byte[8]);
    }

    @Test
    @DisplayName("generic/2/2: Sends a WINDOW_UPDATE frame on half-closed (remote) stream")
    void windowUpdateOnHalfClosedRemote() throws Exception {
        H2Peer p = handshaken();
        p.settings(INITIAL_WINDOW_SIZE, 0);
        p.headers(1, true, p.get());
        p.windowUpdate(1, 1);
        p.expectDataOfLength(1, 1);
    }

    @Test
    @DisplayName("generic/2/3: Sends a PRIORITY frame on half-closed (remote) stream")
    void priorityOnHalfClosedRemote() throws Exception {
        H2Peer p = handshaken();
        p.settings(INITIAL_WINDOW_SIZE, 0);
        p.headers(1, true, p.get());
        p.priority(1, 0, false, 255);
        p.windowUpdate(1, 1);
        p.expectDataOfLength(1, 1);
    }

    @Test
    @DisplayName("generic/2/4: Sends a RST_STREAM frame on half-closed (remote) stream")
    void rstStreamOnHalfClosedRemote() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get());
        p.rstStream(1, H2Peer.CANCEL);
        p.ping(false, new byte[8]);
        p.expectPingAck(new byte[8]); // stricter than h2spec, which also passes a close
    }

    @Test
    @DisplayName("generic/2/5: Sends a PRIORITY frame on closed stream")
    void priorityOnClosedStream() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get());
        p.expectStreamEnd(1);
        p.priority(1, 0, false, 255);
        p.ping(false, new byte[8]);
        p.expectPingAck(new byte[8]);
    }

    // ------------------------------------------------------------- 3. Frame Definitions

    @Test
    @DisplayName("generic/3.1/1: Sends a DATA frame")
    void dataFrame() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST"));
        p.data(1, true, "test");
        p.expectStatus(1, "200");
    }

    @Test
    @DisplayName("generic/3.1/2: Sends multiple DATA frames")
    void multipleDataFrames() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST"));
        p.data(1, false, "test");
        p.data(1, true, "test");
        p.expectStatus(1, "200");
        assertThat(p.expectData(1).payload()).asString(StandardCharsets.US_ASCII).isEqualTo("received 8 octets\n");
    }

    @Test
    @DisplayName("generic/3.1/3: Sends a DATA frame with padding")
    void dataFrameWithPadding() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST"));
        p.dataPadded(1, true, "test".getBytes(StandardCharsets.US_ASCII), 5);
        p.expectStatus(1, "200");
        assertThat(p.expectData(1).payload()).asString(StandardCharsets.US_ASCII).isEqualTo("received 4 octets\n");
    }

    @Test
    @DisplayName("generic/3.2/1: Sends a HEADERS frame")
    void headersFrame() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get());
        p.expectStatus(1, "200");
    }

    @Test
    @DisplayName("generic/3.2/2: Sends a HEADERS frame with padding")
    void headersFrameWithPadding() throws Exception {
        H2Peer p = handshaken();
        p.headersPadded(1, true, p.get().encode(), 8);
        p.expectStatus(1, "200");
    }

    @Test
    @DisplayName("generic/3.2/3: Sends a HEADERS frame with priority")
    void headersFrameWithPriority() throws Exception {
        H2Peer p = handshaken();
        p.headersWithPriority(1, true, p.get().encode(), 0, false, 255);
        p.expectStatus(1, "200");
    }

    @Test
    @DisplayName("generic/3.3/1: Sends a PRIORITY frame with priority 1")
    void priorityWeight1() throws Exception {
        H2Peer p = handshaken();
        p.priority(1, 0, false, 0);
        p.headers(1, true, p.get());
        p.expectStatus(1, "200");
    }

    @Test
    @DisplayName("generic/3.3/2: Sends a PRIORITY frame with priority 256")
    void priorityWeight256() throws Exception {
        H2Peer p = handshaken();
        p.priority(1, 0, false, 255);
        p.headers(1, true, p.get());
        p.expectStatus(1, "200");
    }

    @Test
    @DisplayName("generic/3.3/3: Sends a PRIORITY frame with stream dependency")
    void priorityWithDependency() throws Exception {
        H2Peer p = handshaken();
        p.priority(3, 1, false, 0);
        p.headers(1, true, p.get());
        p.expectStatus(1, "200");
    }

    @Test
    @DisplayName("generic/3.3/4: Sends a PRIORITY frame with exclusive")
    void priorityExclusive() throws Exception {
        H2Peer p = handshaken();
        p.priority(1, 0, true, 0);
        p.headers(1, true, p.get());
        p.expectStatus(1, "200");
    }

    @Test
    @DisplayName("generic/3.3/5: Sends a PRIORITY frame for an idle stream, then send a HEADER frame for a lower stream ID")
    void priorityOnHigherIdleStreamThenHeaders() throws Exception {
        // RFC 9113 section 5.1.1: only HEADERS opens a stream; a PRIORITY frame leaves 3 idle and 1 usable
        H2Peer p = handshaken();
        p.priority(3, 0, false, 255);
        p.headers(1, true, p.get());
        p.expectStatus(1, "200");
    }

    @Test
    @DisplayName("generic/3.4/1: Sends a RST_STREAM frame")
    void rstStream() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.get());
        p.rstStream(1, H2Peer.CANCEL);
        p.ping(false, new byte[8]);
        p.expectPingAck(new byte[8]); // stricter than h2spec, which also passes a close
    }

    @Test
    @DisplayName("generic/3.5/1: Sends a SETTINGS frame")
    void settingsFrame() throws Exception {
        H2Peer p = handshaken();
        p.settings(H2Peer.HEADER_TABLE_SIZE, 4096, H2Peer.ENABLE_PUSH, 1, H2Peer.MAX_CONCURRENT_STREAMS, 100,
            INITIAL_WINDOW_SIZE, 65535, H2Peer.MAX_FRAME_SIZE, 16384, H2Peer.MAX_HEADER_LIST_SIZE, 100);
        p.expectSettingsAck();
    }

    @Test
    @DisplayName("generic/3.7/1: Sends a PING frame")
    void pingFrame() throws Exception {
        H2Peer p = handshaken();
        p.ping(false, H2Peer.opaque("h2spec"));
        p.expectPingAck(H2Peer.opaque("h2spec"));
    }

    @Test
    @DisplayName("generic/3.8/1: Sends a GOAWAY frame")
    void goAwayFrame() throws Exception {
        H2Peer p = handshaken();
        p.goAway(0, H2Peer.NO_ERROR, "h2spec".getBytes(StandardCharsets.US_ASCII));
        p.ping(false, H2Peer.opaque("h2spec"));
        p.expectPingAckOrClose(H2Peer.opaque("h2spec"));
    }

    @Test
    @DisplayName("generic/3.9/1: Sends a WINDOW_UPDATE frame with stream ID 0")
    void windowUpdateOnConnection() throws Exception {
        H2Peer p = handshaken();
        p.windowUpdate(0, 1);
        p.ping(false, new byte[8]);
        p.expectPingAck(new byte[8]);
    }

    @Test
    @DisplayName("generic/3.9/2: Sends a WINDOW_UPDATE frame with stream ID 1")
    void windowUpdateOnStream() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get());
        p.windowUpdate(1, 1);
        p.expectStatus(1, "200");
    }

    @Test
    @DisplayName("generic/3.10/1: Sends a CONTINUATION frame")
    void continuationFrame() throws Exception {
        H2Peer p = handshaken();
        byte[] block = p.get().encode();
        p.headers(1, true, false, Arrays.copyOfRange(block, 0, 5));
        p.continuation(1, true, Arrays.copyOfRange(block, 5, block.length));
        p.expectStatus(1, "200");
    }

    @Test
    @DisplayName("generic/3.10/2: Sends multiple CONTINUATION frames")
    void multipleContinuationFrames() throws Exception {
        H2Peer p = handshaken();
        byte[] block = p.get().encode();
        p.headers(1, true, false, Arrays.copyOfRange(block, 0, 5));
        p.continuation(1, false, Arrays.copyOfRange(block, 5, 10));
        p.continuation(1, true, Arrays.copyOfRange(block, 10, block.length));
        p.expectStatus(1, "200");
    }

    // ------------------------------------------------------- 4. HTTP Message Exchanges

    @Test
    @DisplayName("generic/4/1: Sends a GET request")
    void getRequest() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get());
        p.expectStatus(1, "200");
        assertThat(p.expectData(1).payload()).asString(StandardCharsets.US_ASCII).isEqualTo(BODY);
    }

    @Test
    @DisplayName("generic/4/2: Sends a HEAD request")
    void headRequest() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.request("HEAD"));
        H2Frame h = p.expectStatus(1, "200");
        assertThat(h.has(H2Frame.END_STREAM)).as("a HEAD response has no content: the head ends the stream").isTrue();
    }

    @Test
    @DisplayName("generic/4/3: Sends a POST request")
    void postRequest() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST"));
        p.data(1, true, "test");
        p.expectStatus(1, "200");
    }

    @Test
    @DisplayName("generic/4/4: Sends a POST request with trailers")
    void postRequestWithTrailers() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, false, p.request("POST").add("trailer", "x-test"));
        p.data(1, false, "test");
        p.headers(1, true, new FieldBlock().add("x-test", "ok"));
        p.expectStatus(1, "200");
        assertThat(p.expectData(1).payload()).asString(StandardCharsets.US_ASCII).isEqualTo("received 4 octets\n");
    }

    // ------------------------------------------------------------------------- 5. HPACK

    /** The user-agent entry of the static table (RFC 7541 Appendix A): a name to index. */
    private static final int USER_AGENT = 58;
    /** A field name and value outside the static table, raw and Huffman-coded (RFC 7541 Appendix B). */
    private static final String NAME = "x-conformance";
    private static final String NAME_HUFFMAN = "f2b10f54a7b291d442ff";
    private static final String VALUE = "passed";
    private static final String VALUE_HUFFMAN = "ac684164";
    private static final String AGENT = "gale-conformance";
    private static final String AGENT_HUFFMAN = "987415621ea94f6523a885";

    /** A request whose block ends with {@code representation} (hex). */
    private void acceptsRepresentation(String representation) throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().rawAfter(representation));
        p.expectStatus(1, "200");
    }

    /** A string literal (RFC 7541 section 5.2) as hex: raw, or already Huffman-coded hex. */
    private static String str(String ascii) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        FieldBlock.writeString(b, ascii);
        return HexFormat.of().formatHex(b.toByteArray());
    }

    private static String huff(String hex) {
        return HexFormat.of().toHexDigits((byte) (0x80 | hex.length() / 2)) + hex;
    }

    /** A literal's first octets with an indexed name: the pattern with an N-bit prefix index. */
    private static String indexedName(int pattern, int prefixBits, int index) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        FieldBlock.writeInt(b, pattern, prefixBits, index);
        return HexFormat.of().formatHex(b.toByteArray());
    }

    @Test
    @DisplayName("generic/5/1: Sends a indexed header field representation")
    void indexedField() throws Exception {
        acceptsRepresentation("90"); // index 16: accept-encoding: gzip, deflate
    }

    @Test
    @DisplayName("generic/5/2: Sends a literal header field with incremental indexing - indexed name")
    void incrementalIndexedName() throws Exception {
        acceptsRepresentation(indexedName(0x40, 6, USER_AGENT) + str(AGENT));
    }

    @Test
    @DisplayName("generic/5/3: Sends a literal header field with incremental indexing - indexed name (with Huffman coding)")
    void incrementalIndexedNameHuffman() throws Exception {
        acceptsRepresentation(indexedName(0x40, 6, USER_AGENT) + huff(AGENT_HUFFMAN));
    }

    @Test
    @DisplayName("generic/5/4: Sends a literal header field with incremental indexing - new name")
    void incrementalNewName() throws Exception {
        acceptsRepresentation("40" + str(NAME) + str(VALUE));
    }

    @Test
    @DisplayName("generic/5/5: Sends a literal header field with incremental indexing - new name (with Huffman coding)")
    void incrementalNewNameHuffman() throws Exception {
        acceptsRepresentation("40" + huff(NAME_HUFFMAN) + huff(VALUE_HUFFMAN));
    }

    @Test
    @DisplayName("generic/5/6: Sends a literal header field without indexing - indexed name")
    void withoutIndexingIndexedName() throws Exception {
        acceptsRepresentation(indexedName(0x00, 4, USER_AGENT) + str(AGENT));
    }

    @Test
    @DisplayName("generic/5/7: Sends a literal header field without indexing - indexed name (with Huffman coding)")
    void withoutIndexingIndexedNameHuffman() throws Exception {
        acceptsRepresentation(indexedName(0x00, 4, USER_AGENT) + huff(AGENT_HUFFMAN));
    }

    @Test
    @DisplayName("generic/5/8: Sends a literal header field without indexing - new name")
    void withoutIndexingNewName() throws Exception {
        acceptsRepresentation("00" + str(NAME) + str(VALUE));
    }

    @Test
    @DisplayName("generic/5/9: Sends a literal header field without indexing - new name (huffman encoded)")
    void withoutIndexingNewNameHuffman() throws Exception {
        acceptsRepresentation("00" + huff(NAME_HUFFMAN) + huff(VALUE_HUFFMAN));
    }

    @Test
    @DisplayName("generic/5/10: Sends a literal header field never indexed - indexed name")
    void neverIndexedIndexedName() throws Exception {
        acceptsRepresentation(indexedName(0x10, 4, USER_AGENT) + str(AGENT));
    }

    @Test
    @DisplayName("generic/5/11: Sends a literal header field never indexed - indexed name (huffman encoded)")
    void neverIndexedIndexedNameHuffman() throws Exception {
        acceptsRepresentation(indexedName(0x10, 4, USER_AGENT) + huff(AGENT_HUFFMAN));
    }

    @Test
    @DisplayName("generic/5/12: Sends a literal header field never indexed - new name")
    void neverIndexedNewName() throws Exception {
        acceptsRepresentation("10" + str(NAME) + str(VALUE));
    }

    @Test
    @DisplayName("generic/5/13: Sends a literal header field never indexed - new name (huffman encoded)")
    void neverIndexedNewNameHuffman() throws Exception {
        acceptsRepresentation("10" + huff(NAME_HUFFMAN) + huff(VALUE_HUFFMAN));
    }

    @Test
    @DisplayName("generic/5/14: Sends a dynamic table size update")
    void dynamicTableSizeUpdate() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().rawBefore(indexedName(0x20, 5, 128)));
        p.expectStatus(1, "200");
    }

    @Test
    @DisplayName("generic/5/15: Sends multiple dynamic table size update")
    void multipleDynamicTableSizeUpdates() throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().rawBefore(indexedName(0x20, 5, 0) + indexedName(0x20, 5, 4096)));
        p.expectStatus(1, "200");
    }
}
