package io.gale.http2;

import static io.gale.http2.HpackDriver.check;
import static io.gale.http2.HpackDriver.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.http2.HpackDriver.Field;
import io.gale.http2.HpackDriver.Outcome;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HPACK (RFC 7541): every example of Appendix C decoded (with the dynamic table checked after each
 * block) through {@link HpackDriver#check}, which also cuts every block at every position; the
 * encoder reproducing the Huffman request examples; size updates; limits; malformed input, each
 * answered with its error code.
 */
@Timeout(60)
class HpackTest {

    private static final Http2Limits LIMITS = Http2Limits.DEFAULTS;

    private static Supplier<HpackDecoder> decoders(int tableSize) {
        return () -> new HpackDecoder(tableSize, LIMITS);
    }

    private static List<String> fields(Outcome o, int block) {
        return o.blocks().get(block).stream().map(Field::toString).toList();
    }

    // ---- C.1: integers -------------------------------------------------------------------------

    @Test
    void c1IntegerRepresentation() {
        ByteOut out = new ByteOut(16);
        HpackEncoder.writeInt(out, 0, 5, 10);
        assertThat(hex(out.toByteArray())).as("C.1.1").isEqualTo("0a");
        out.reset();
        HpackEncoder.writeInt(out, 0, 5, 1337);
        assertThat(hex(out.toByteArray())).as("C.1.2").isEqualTo("1f9a0a");
        out.reset();
        HpackEncoder.writeInt(out, 0, 8, 42);
        assertThat(hex(out.toByteArray())).as("C.1.3").isEqualTo("2a");
        // a three-octet index (127 + 57 + 10 * 128) is read whole, then found beyond the tables
        Outcome o = check(decoders(4096), "ff b9 0a");
        assertThat(o.error()).isEqualTo(Http2Error.connection(Http2ErrorCode.COMPRESSION_ERROR,
            "index beyond the static and dynamic tables"));
    }

    // ---- C.2: single representations ---------------------------------------------------------------

    @Test
    void c21LiteralWithIndexing() {
        Outcome o = check(decoders(4096), "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572");
        assertThat(fields(o, 0)).containsExactly("custom-key: custom-header");
        assertThat(o.tables().get(0)).isEqualTo("""
            [  1] (s =  55) custom-key: custom-header
                  Table size:  55""");
    }

    @Test
    void c22LiteralWithoutIndexing() {
        Outcome o = check(decoders(4096), "040c 2f73 616d 706c 652f 7061 7468");
        assertThat(fields(o, 0)).containsExactly(":path: /sample/path");
        assertThat(o.tables().get(0)).isEqualTo("      Table size:   0");
    }

    @Test
    void c23LiteralNeverIndexed() {
        Outcome o = check(decoders(4096), "1008 7061 7373 776f 7264 0673 6563 7265 74");
        assertThat(fields(o, 0)).containsExactly("password: secret (never indexed)");
        assertThat(o.tables().get(0)).isEqualTo("      Table size:   0");
    }

    @Test
    void c24Indexed() {
        Outcome o = check(decoders(4096), "82");
        assertThat(fields(o, 0)).containsExactly(":method: GET");
        assertThat(o.tables().get(0)).isEqualTo("      Table size:   0");
    }

    // ---- C.3 / C.4: requests ------------------------------------------------------------------------

    private static final String REQ1_TABLE = """
        [  1] (s =  57) :authority: www.example.com
              Table size:  57""";
    private static final String REQ2_TABLE = """
        [  1] (s =  53) cache-control: no-cache
        [  2] (s =  57) :authority: www.example.com
              Table size: 110""";
    private static final String REQ3_TABLE = """
        [  1] (s =  54) custom-key: custom-value
        [  2] (s =  53) cache-control: no-cache
        [  3] (s =  57) :authority: www.example.com
              Table size: 164""";

    private static void assertRequests(Outcome o) {
        assertThat(o.error()).isNull();
        assertThat(fields(o, 0)).containsExactly(":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com");
        assertThat(o.tables().get(0)).isEqualTo(REQ1_TABLE);
        assertThat(fields(o, 1)).containsExactly(":method: GET", ":scheme: http", ":path: /",
            ":authority: www.example.com", "cache-control: no-cache");
        assertThat(o.tables().get(1)).isEqualTo(REQ2_TABLE);
        assertThat(fields(o, 2)).containsExactly(":method: GET", ":scheme: https", ":path: /index.html",
            ":authority: www.example.com", "custom-key: custom-value");
        assertThat(o.tables().get(2)).isEqualTo(REQ3_TABLE);
    }

    private static final String[] C3 = {
        "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
        "8286 84be 5808 6e6f 2d63 6163 6865",
        "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
    };
    private static final String[] C4 = {
        "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
        "8286 84be 5886 a8eb 1064 9cbf",
        "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
    };

    @Test
    void c3RequestsWithoutHuffman() {
        assertRequests(check(decoders(4096), C3));
    }

    @Test
    void c4RequestsWithHuffman() {
        assertRequests(check(decoders(4096), C4));
    }

    @Test
    void encoderReproducesC4() {
        HpackEncoder enc = new HpackEncoder(4096);
        String[][][] requests = {
            {{":method", "GET"}, {":scheme", "http"}, {":path", "/"}, {":authority", "www.example.com"}},
            {{":method", "GET"}, {":scheme", "http"}, {":path", "/"}, {":authority", "www.example.com"},
                {"cache-control", "no-cache"}},
            {{":method", "GET"}, {":scheme", "https"}, {":path", "/index.html"}, {":authority", "www.example.com"},
                {"custom-key", "custom-value"}},
        };
        String[] tables = {REQ1_TABLE, REQ2_TABLE, REQ3_TABLE};
        ByteOut out = new ByteOut(64);
        for (int i = 0; i < requests.length; i++) {
            out.reset();
            enc.beginBlock(out);
            for (String[] f : requests[i]) {
                enc.encode(f[0], f[1], false, out);
            }
            assertThat(hex(out.toByteArray())).as("C.4.%d", i + 1).isEqualTo(hex(hex(C4[i])));
            assertThat(HpackDriver.table(enc.table())).isEqualTo(tables[i]);
        }
    }

    // ---- C.5 / C.6: responses with a 256-octet table (evictions) -------------------------------------

    private static final String RESP1_TABLE = """
        [  1] (s =  63) location: https://www.example.com
        [  2] (s =  65) date: Mon, 21 Oct 2013 20:13:21 GMT
        [  3] (s =  52) cache-control: private
        [  4] (s =  42) :status: 302
              Table size: 222""";
    private static final String RESP2_TABLE = """
        [  1] (s =  42) :status: 307
        [  2] (s =  63) location: https://www.example.com
        [  3] (s =  65) date: Mon, 21 Oct 2013 20:13:21 GMT
        [  4] (s =  52) cache-control: private
              Table size: 222""";
    private static final String RESP3_TABLE = """
        [  1] (s =  98) set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1
        [  2] (s =  52) content-encoding: gzip
        [  3] (s =  65) date: Mon, 21 Oct 2013 20:13:22 GMT
              Table size: 215""";

    private static void assertResponses(Outcome o) {
        assertThat(o.error()).isNull();
        assertThat(fields(o, 0)).containsExactly(":status: 302", "cache-control: private",
            "date: Mon, 21 Oct 2013 20:13:21 GMT", "location: https://www.example.com");
        assertThat(o.tables().get(0)).isEqualTo(RESP1_TABLE);
        assertThat(fields(o, 1)).containsExactly(":status: 307", "cache-control: private",
            "date: Mon, 21 Oct 2013 20:13:21 GMT", "location: https://www.example.com");
        assertThat(o.tables().get(1)).isEqualTo(RESP2_TABLE);
        assertThat(fields(o, 2)).containsExactly(":status: 200", "cache-control: private",
            "date: Mon, 21 Oct 2013 20:13:22 GMT", "location: https://www.example.com", "content-encoding: gzip",
            "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1");
        assertThat(o.tables().get(2)).isEqualTo(RESP3_TABLE);
    }

    @Test
    void c5ResponsesWithoutHuffman() {
        assertResponses(check(decoders(256),
            "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32"
                + "3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
            "4803 3330 37c1 c0bf",
            "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970"
                + "7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61"
                + "6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31"));
    }

    @Test
    void c6ResponsesWithHuffman() {
        assertResponses(check(decoders(256),
            "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad"
                + "1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
            "4883 640e ffc1 c0bf",
            "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2"
                + "e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07"));
    }

    // ---- dynamic table size updates (RFC 7541 sections 4.2, 6.3) -------------------------------------

    @Test
    void sizeUpdatesAtBlockStartShrinkAndEvict() {
        // C.3.1 fills the table (57 octets); then updates to 0 (evicts) and back to 4096, then a field
        Outcome o = check(decoders(4096), C3[0], "20 3fe11f 82", "3fe11f 20 3f e1 1f 82");
        assertThat(o.error()).isNull();
        assertThat(o.tables().get(1)).isEqualTo("      Table size:   0");
        assertThat(fields(o, 1)).containsExactly(":method: GET");
    }

    @Test
    void sizeUpdateAboveSettingIsCompressionError() {
        // 4097 > SETTINGS_HEADER_TABLE_SIZE 4096 (h2spec hpack 6.3)
        Outcome o = check(decoders(4096), "3fe21f 82");
        assertThat(o.error()).isEqualTo(Http2Error.connection(Http2ErrorCode.COMPRESSION_ERROR,
            "dynamic table size update above SETTINGS_HEADER_TABLE_SIZE"));
    }

    @Test
    void sizeUpdateAfterAFieldIsCompressionError() {
        // h2spec hpack 4.2: a size update at the end of a block
        Outcome o = check(decoders(4096), "8286 84 21");
        assertThat(o.error().code()).isEqualTo(Http2ErrorCode.COMPRESSION_ERROR);
        assertThat(o.error().reason()).contains("after a field");
    }

    @Test
    void loweredSettingRequiresAnUpdateInTheNextBlock() {
        Supplier<HpackDecoder> lowered = () -> {
            HpackDecoder d = new HpackDecoder(4096, LIMITS);
            d.setMaxTableSize(100);
            return d;
        };
        assertThat(check(lowered, "82").error().reason()).contains("update required");
        assertThat(check(lowered, "3f 46 82").error().reason()).as("101 > 100").contains("above");
        Outcome ok = check(lowered, "3f 45 82", C3[0]);
        assertThat(ok.error()).isNull();
        assertThat(ok.tables().get(1)).isEqualTo(REQ1_TABLE);
        // lowered twice, then raised again: the smallest must be signalled (section 4.2)
        Supplier<HpackDecoder> twice = () -> {
            HpackDecoder d = new HpackDecoder(4096, LIMITS);
            d.setMaxTableSize(0);
            d.setMaxTableSize(4096);
            return d;
        };
        assertThat(check(twice, "3fe11f 82").error().reason()).contains("update required");
        assertThat(check(twice, "20 3fe11f 82").error()).isNull();
        // raising needs no update
        Supplier<HpackDecoder> raised = () -> {
            HpackDecoder d = new HpackDecoder(4096, LIMITS);
            d.setMaxTableSize(8192);
            return d;
        };
        assertThat(check(raised, "82").error()).isNull();
        assertThat(check(raised, "3f e1 3f 82").error()).as("update to 8192 allowed").isNull();
    }

    @Test
    void encoderSignalsSizeChanges() {
        HpackEncoder enc = new HpackEncoder(4096);
        ByteOut out = new ByteOut(64);
        enc.beginBlock(out);
        assertThat(out.length()).as("nothing owed at the default size").isZero();
        enc.setPeerMaxTableSize(100);
        enc.setPeerMaxTableSize(0);
        enc.setPeerMaxTableSize(65536);   // capped at our 4096
        out.reset();
        enc.beginBlock(out);
        assertThat(hex(out.toByteArray())).as("smallest (0), then final (4096)").isEqualTo("203fe11f");
        out.reset();
        enc.beginBlock(out);
        assertThat(out.length()).as("signalled once").isZero();

        HpackEncoder small = new HpackEncoder(256);
        out.reset();
        small.beginBlock(out);
        assertThat(hex(out.toByteArray())).as("a cap below 4096 is signalled in the first block").isEqualTo("3fe101");
        HpackDecoder d = new HpackDecoder(4096, LIMITS);
        assertThat(d.decode(ByteBuffer.wrap(out.toByteArray()), true, (n, v, s) -> { })).isNull();
        assertThat(d.table().capacity()).isEqualTo(256);
    }

    // ---- representation choices of the encoder ---------------------------------------------------

    @Test
    void encoderIndexesRepeatsAndKeepsSensitiveFieldsOutOfTables() {
        HpackEncoder enc = new HpackEncoder(4096);
        HpackDecoder dec = new HpackDecoder(4096, LIMITS);
        ByteOut out = new ByteOut(64);
        List<Field> got = new ArrayList<>();
        String[][] fields = {
            {"Content-Type", "text/plain"}, {"authorization", "Bearer abc"}, {"cookie", "short=1"},
            {"cookie", "session=0123456789abcdefghijklmnop"}, {"content-length", "13"}, {"x-custom", "v"},
        };
        for (int round = 0; round < 2; round++) {
            out.reset();
            got.clear();
            enc.beginBlock(out);
            for (String[] f : fields) {
                enc.encode(f[0], f[1], false, out);
            }
            enc.encode("x-secret", "s3cr3t", true, out);
            assertThat(dec.decode(ByteBuffer.wrap(out.toByteArray()), true,
                (n, v, s) -> got.add(new Field(n, v, s)))).isNull();
            assertThat(got.stream().map(Field::toString)).containsExactly("content-type: text/plain",
                "authorization: Bearer abc (never indexed)", "cookie: short=1 (never indexed)",
                "cookie: session=0123456789abcdefghijklmnop", "content-length: 13", "x-custom: v",
                "x-secret: s3cr3t (never indexed)");
            assertThat(got.get(0).name()).as("known names are shared instances").isSameAs(HpackStaticTable.name(31));
        }
        assertThat(HpackDriver.table(enc.table())).isEqualTo("""
            [  1] (s =  41) x-custom: v
            [  2] (s =  72) cookie: session=0123456789abcdefghijklmnop
            [  3] (s =  54) content-type: text/plain
                  Table size: 167""");
        assertThat(HpackDriver.table(dec.table())).isEqualTo(HpackDriver.table(enc.table()));
        // second round: indexed fields are one octet each
        out.reset();
        enc.encode("content-type", "text/plain", false, out);
        enc.encode("x-custom", "v", false, out);
        assertThat(hex(out.toByteArray())).isEqualTo("c0be");
    }

    @Test
    void encoderStatusAndLatin1() {
        HpackEncoder enc = new HpackEncoder(4096);
        ByteOut out = new ByteOut(16);
        enc.encodeStatus(200, out);
        enc.encodeStatus(404, out);
        assertThat(hex(out.toByteArray())).isEqualTo("888d");
        out.reset();
        enc.encodeStatus(302, out);
        enc.encode("x", "caf\u00e9", false, out);
        List<Field> got = new ArrayList<>();
        assertThat(new HpackDecoder(4096, LIMITS).decode(ByteBuffer.wrap(out.toByteArray()), true,
            (n, v, s) -> got.add(new Field(n, v, s)))).isNull();
        assertThat(got.stream().map(Field::toString)).containsExactly(":status: 302", "x: caf\u00e9");
        assertThatThrownBy(() -> enc.encode("x", "\u20ac", false, out)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> enc.encodeStatus(99, out)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- limits ---------------------------------------------------------------------------------------

    @Test
    void headerListAboveSoftLimitIsFlaggedAndTheTableStaysInStep() {
        Http2Limits small = Http2Limits.builder().maxHeaderListSize(200).maxHeaderBlockSize(1000).build();
        // block 1: C.3.1 (180 octets by section 6.5.2's count), then "cache-control: no-cache" (53): 233 > 200
        Outcome o = check(() -> new HpackDecoder(4096, small), C3[0] + "5808 6e6f 2d63 6163 6865", "8286 84be");
        assertThat(o.error()).isNull();
        assertThat(o.tooLarge().get(0)).isTrue();
        assertThat(fields(o, 0)).as("fields past the limit dropped").hasSize(4);
        assertThat(o.tables().get(0)).as("but indexed").isEqualTo(REQ2_TABLE);
        assertThat(o.tooLarge().get(1)).as("flag reset per block").isFalse();
        assertThat(fields(o, 1)).as("the next block decodes against the same table")
            .containsExactly(":method: GET", ":scheme: http", ":path: /", "cache-control: no-cache");
    }

    @Test
    void hpackBombHitsTheHardLimit() {
        // one 4000-octet entry, then 100 one-octet references to it: 400 KB decoded from 100 octets
        StringBuilder value = new StringBuilder();
        while (value.length() < 3960) {
            value.append("0123456789");
        }
        ByteOut out = new ByteOut(8192);
        out.write(0x40);
        HpackEncoder.writeString(out, "bomb");
        HpackEncoder.writeString(out, value.toString());
        for (int i = 0; i < 100; i++) {
            out.write(0xbe);
        }
        Outcome o = check(decoders(4096), List.of(out.toByteArray()));
        assertThat(o.error()).isEqualTo(Http2Error.connection(Http2ErrorCode.ENHANCE_YOUR_CALM,
            "decoded field block above the hard limit"));
        assertThat(o.blocks().get(0)).as("nothing past the soft limit delivered").hasSize(16);
    }

    @Test
    void stringLongerThanTheListLimitIsRefusedBeforeItArrives() {
        Http2Limits small = Http2Limits.builder().maxHeaderListSize(100).build();
        HpackDecoder d = new HpackDecoder(4096, small);
        // literal, new name of 255 octets declared, no octets yet
        Http2Error e = d.decode(ByteBuffer.wrap(hex("40 7f 80 01")), false, (n, v, s) -> { });
        assertThat(e).isEqualTo(Http2Error.connection(Http2ErrorCode.COMPRESSION_ERROR,
            "string literal longer than the header list limit"));
        assertThat(check(() -> new HpackDecoder(4096, small), "04 7f 80 01").error()).isEqualTo(e);
    }

    // ---- malformed input (each a COMPRESSION_ERROR, RFC 9113 section 4.3) -----------------------------

    private static void assertCompressionError(String hexBlock, String reasonPart) {
        Outcome o = check(decoders(4096), hexBlock);
        assertThat(o.error()).as(hexBlock).isNotNull();
        assertThat(o.error().code()).isEqualTo(Http2ErrorCode.COMPRESSION_ERROR);
        assertThat(o.error().isConnectionError()).isTrue();
        assertThat(o.error().reason()).contains(reasonPart);
    }

    @Test
    void indexZero() {
        assertCompressionError("80", "index 0");                       // h2spec hpack 6.1
    }

    @Test
    void indexBeyondTheTables() {
        assertCompressionError("be", "beyond");                         // h2spec hpack 2.3.3: 62, empty table
        assertCompressionError("7e 01 61", "beyond");                   // literal with indexed name 62
        assertCompressionError("0f 30 01 61", "beyond");                // without indexing, name 15+48 = 63
        assertCompressionError("ff ff ff ff 07", "beyond");             // a large but valid integer
    }

    @Test
    void truncatedRepresentations() {
        assertCompressionError("ff", "ends inside");                    // integer continuation missing
        assertCompressionError("ff 80", "ends inside");
        assertCompressionError("40", "ends inside");                    // h2spec 4.3: literal without name
        assertCompressionError("40 03 61 62", "ends inside");           // name string short
        assertCompressionError("40 01 61", "ends inside");              // value missing
        assertCompressionError("04 05 61", "ends inside");              // value short
        assertCompressionError("3f", "ends inside");                    // size update cut
    }

    @Test
    void integerOverflow() {
        assertCompressionError("ff ff ff ff ff 0f", "integer");         // > 2^31-1
        assertCompressionError("ff 80 80 80 80 80 00", "integer");      // six continuation octets
        assertCompressionError("0f ff ff ff ff 7f 00", "integer");
    }

    @Test
    void badHuffman() {
        // h2spec hpack 5.2: padding longer than 7 bits ("a" = 00011, then 11111111 111)
        assertCompressionError("04 83 1f ff ff", "Huffman");
        // padded by zeros: "a" then 000
        assertCompressionError("04 81 18", "Huffman");
        // containing EOS (30 ones)
        assertCompressionError("04 84 ff ff ff fc", "Huffman");
        // a Huffman name
        assertCompressionError("40 81 18 00", "Huffman");
    }

    @Test
    void emptyBlockAndEmptyStrings() {
        Outcome o = check(decoders(4096), "", "40 00 00", "00 00 00");
        assertThat(o.error()).isNull();
        assertThat(fields(o, 0)).isEmpty();
        assertThat(fields(o, 1)).containsExactly(": ");
        assertThat(o.tables().get(1)).contains("(s =  32) : ");
    }
}
