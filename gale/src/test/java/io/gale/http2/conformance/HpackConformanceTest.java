package io.gale.http2.conformance;

import static io.gale.http2.conformance.H2Peer.COMPRESSION_ERROR;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * h2spec's "hpack" group (RFC 7541, 8 cases): decoding errors in a request's field block, each a
 * connection error COMPRESSION_ERROR (RFC 9113 section 4.3): indexes beyond both tables, index 0,
 * a table size update after a field or above SETTINGS_HEADER_TABLE_SIZE, Huffman padding longer
 * than 7 bits or not made of ones, the EOS symbol. The malformed representations are our own,
 * built to the same descriptions. Each follows a valid request head in the same block.
 */
@Timeout(120)
class HpackConformanceTest extends ConformanceServer {

    /** A request whose block ends with {@code representation}: COMPRESSION_ERROR. */
    private void refusesBlockEndingWith(String representation) throws Exception {
        H2Peer p = handshaken();
        p.headers(1, true, p.get().rawAfter(representation));
        p.expectGoAway(COMPRESSION_ERROR);
    }

    // ------------------------------------------------------- 2.3.3. Index Address Space

    @Test
    @DisplayName("hpack/2.3.3/1: Sends a indexed header field representation with invalid index")
    void indexedBeyondTables() throws Exception {
        refusesBlockEndingWith("c0"); // index 64: the dynamic table is empty (our literals are not indexed)
    }

    @Test
    @DisplayName("hpack/2.3.3/2: Sends a literal header field representation with invalid index")
    void literalNameIndexBeyondTables() throws Exception {
        refusesBlockEndingWith("7f02 00"); // incremental indexing, name index 63 + 2 = 65, empty value
    }

    // -------------------------------------------------------- 4.2. Maximum Table Size

    @Test
    @DisplayName("hpack/4.2/1: Sends a dynamic table size update at the end of header block")
    void sizeUpdateAfterFields() throws Exception {
        refusesBlockEndingWith("20"); // size update to 0 after the fields (section 4.2: only at a block's start)
    }

    // ----------------------------------------------- 5.2. String Literal Representation

    @Test
    @DisplayName("hpack/5.2/1: Sends a Huffman-encoded string literal representation with padding longer than 7 bits")
    void huffmanPaddingLongerThan7Bits() throws Exception {
        // "a" is 00011; then 11 bits of ones
        refusesBlockEndingWith("00 06782d74657374 82 1fff");
    }

    @Test
    @DisplayName("hpack/5.2/2: Sends a Huffman-encoded string literal representation padded by zero")
    void huffmanPaddedWithZeros() throws Exception {
        // "a" is 00011; then 000 (padding must be the most significant bits of EOS, ones)
        refusesBlockEndingWith("00 06782d74657374 81 18");
    }

    @Test
    @DisplayName("hpack/5.2/3: Sends a Huffman-encoded string literal representation containing the EOS symbol")
    void huffmanWithEos() throws Exception {
        // "a" (00011), then EOS (thirty ones), then five ones of padding
        refusesBlockEndingWith("00 06782d74657374 85 1fffffffff");
    }

    // ------------------------------------------- 6.1. Indexed Header Field Representation

    @Test
    @DisplayName("hpack/6.1/1: Sends a indexed header field representation with index 0")
    void indexZero() throws Exception {
        refusesBlockEndingWith("80");
    }

    // ------------------------------------------------------ 6.3. Dynamic Table Size Update

    @Test
    @DisplayName("hpack/6.3/1: Sends a dynamic table size update larger than the value of SETTINGS_HEADER_TABLE_SIZE")
    void sizeUpdateAboveSetting() throws Exception {
        H2Peer p = handshaken();
        Long setting = p.serverSetting(H2Peer.HEADER_TABLE_SIZE);
        long max = setting == null ? 4096 : setting;
        ByteArrayOutputStream update = new ByteArrayOutputStream();
        FieldBlock.writeInt(update, 0x20, 5, max + 1);
        p.headers(1, true, p.get().rawBefore(HexFormat.of().formatHex(update.toByteArray())));
        p.expectGoAway(COMPRESSION_ERROR);
    }
}
