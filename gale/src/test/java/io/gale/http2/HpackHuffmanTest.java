package io.gale.http2;

import static io.gale.http2.HpackDriver.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Huffman code of RFC 7541 Appendix B: the strings of Appendix C.4 and C.6, every symbol,
 * random strings both ways, and the decoding errors of section 5.2.
 */
@Timeout(60)
class HpackHuffmanTest {

    private static byte[] encode(String s) {
        byte[] out = new byte[HpackHuffman.encodedLength(s)];
        assertThat(HpackHuffman.encode(s, out, 0)).isEqualTo(out.length);
        return out;
    }

    private static String decode(byte[] in) {
        byte[] out = new byte[HpackHuffman.maxDecodedLength(in.length)];
        int n = HpackHuffman.decode(in, 0, in.length, out);
        return n < 0 ? null : new String(out, 0, n, StandardCharsets.ISO_8859_1);
    }

    @Test
    void appendixCStrings() {
        String[][] cases = {
            {"www.example.com", "f1e3c2e5f23a6ba0ab90f4ff"},
            {"no-cache", "a8eb10649cbf"},
            {"custom-key", "25a849e95ba97d7f"},
            {"custom-value", "25a849e95bb8e8b4bf"},
            {"302", "6402"},
            {"private", "aec3771a4b"},
            {"Mon, 21 Oct 2013 20:13:21 GMT", "d07abe941054d444a8200595040b8166e082a62d1bff"},
            {"https://www.example.com", "9d29ad171863c78f0b97c8e9ae82ae43d3"},
            {"307", "640eff"},
            {"gzip", "9bd9ab"},
            {"foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
                "94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007"},
        };
        for (String[] c : cases) {
            assertThat(hex(encode(c[0]))).as(c[0]).isEqualTo(c[1]);
            assertThat(decode(hex(c[1]))).as(c[1]).isEqualTo(c[0]);
        }
    }

    @Test
    void everySymbolAloneAndAllTogether() {
        StringBuilder all = new StringBuilder();
        for (int c = 0; c < 256; c++) {
            String s = String.valueOf((char) c);
            assertThat(decode(encode(s))).as("symbol %d", c).isEqualTo(s);
            all.append((char) c);
        }
        String s = all.toString();
        assertThat(decode(encode(s))).isEqualTo(s);
        assertThat(decode(new byte[0])).isEmpty();
    }

    @Test
    void randomStringsRoundTrip() {
        Random r = new Random(7541);
        for (int i = 0; i < 5000; i++) {
            char[] c = new char[r.nextInt(64)];
            for (int j = 0; j < c.length; j++) {
                c[j] = (char) (r.nextBoolean() ? 32 + r.nextInt(95) : r.nextInt(256));
            }
            String s = new String(c);
            assertThat(decode(encode(s))).isEqualTo(s);
        }
    }

    @Test
    void invalidEncodings() {
        assertThat(decode(hex("1fffff"))).as("padding longer than 7 bits").isNull();
        assertThat(decode(hex("ff"))).as("8 bits of padding alone").isNull();
        assertThat(decode(hex("18"))).as("padding of zeros").isNull();
        assertThat(decode(hex("fe"))).as("padding with a zero").isNull();
        assertThat(decode(hex("fffffffc"))).as("EOS").isNull();
        assertThat(decode(hex("fffffffcff"))).as("EOS then padding").isNull();
        // every 1-octet input decodes exactly when it is one 5-to-8-bit symbol plus valid padding
        for (int b = 0; b < 256; b++) {
            String s = decode(new byte[] {(byte) b});
            if (s != null) {
                assertThat(encode(s)).as("octet %02x", b).isEqualTo(new byte[] {(byte) b});
            }
        }
    }

    @Test
    void encodedLengthRejectsNonOctetChars() {
        assertThatThrownBy(() -> HpackHuffman.encodedLength("\u0100")).isInstanceOf(IllegalArgumentException.class);
        assertThat(HpackHuffman.encodedLength("")).isZero();
        byte[] a = encode("a");
        assertThat(Arrays.toString(a)).isEqualTo(Arrays.toString(new byte[] {0x1f}));
    }
}
