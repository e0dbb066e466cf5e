package io.gale.http2.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * An HPACK field block (RFC 7541) written by hand for the conformance client: this encoder is
 * deliberately simple and independent of Gale's, so it writes what a case asks for, malformed
 * included (upper-case names, pseudo-headers in any order, raw representations appended). Fields
 * equal to one of a few static table entries are indexed (section 6.1); every other field is a
 * literal without indexing with a literal name (section 6.2.2), never Huffman-coded, so the
 * server's dynamic table stays empty unless a case adds raw representations itself.
 */
final class FieldBlock {
    /** The static entries requests use (RFC 7541 Appendix A). */
    private static final Map<String, Integer> STATIC = Map.of(
        ":method\0GET", 2, ":method\0POST", 3, ":path\0/", 4, ":scheme\0http", 6);

    private final List<String[]> fields = new ArrayList<>();
    private final ByteArrayOutputStream prefix = new ByteArrayOutputStream();
    private final ByteArrayOutputStream suffix = new ByteArrayOutputStream();

    /** A request head for {@code authority}: :method, :scheme http, :path, :authority, in that order. */
    static FieldBlock request(String method, String path, String authority) {
        return new FieldBlock().add(":method", method).add(":scheme", "http").add(":path", path)
            .add(":authority", authority);
    }

    FieldBlock add(String name, String value) {
        fields.add(new String[] {name, value});
        return this;
    }

    /** Replaces the value of the first field called {@code name}. */
    FieldBlock set(String name, String value) {
        for (String[] f : fields) {
            if (f[0].equals(name)) {
                f[1] = value;
                return this;
            }
        }
        throw new IllegalArgumentException("no field " + name);
    }

    /** Removes every field called {@code name}. */
    FieldBlock remove(String name) {
        fields.removeIf(f -> f[0].equals(name));
        return this;
    }

    /** Puts {@code name: value} before the other fields. */
    FieldBlock addFirst(String name, String value) {
        fields.add(0, new String[] {name, value});
        return this;
    }

    /** Raw representations written before the fields (hex, spaces allowed). */
    FieldBlock rawBefore(String hex) {
        prefix.writeBytes(hex(hex));
        return this;
    }

    /** Raw representations written after the fields (hex, spaces allowed). */
    FieldBlock rawAfter(String hex) {
        suffix.writeBytes(hex(hex));
        return this;
    }

    /** {@code count} fields x-dummyN, each with a value of {@code length} 'x's (h2spec's filler). */
    FieldBlock dummies(int count, int length) {
        for (int i = 0; i < count; i++) {
            add("x-dummy" + i, "x".repeat(length));
        }
        return this;
    }

    byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix.toByteArray());
        for (String[] f : fields) {
            Integer index = STATIC.get(f[0] + "\0" + f[1]);
            if (index != null) {
                writeInt(out, 0x80, 7, index);
            } else {
                out.write(0x00);
                writeString(out, f[0]);
                writeString(out, f[1]);
            }
        }
        out.writeBytes(suffix.toByteArray());
        return out.toByteArray();
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
    }

    /** An integer with an N-bit prefix (RFC 7541 section 5.1). */
    static void writeInt(ByteArrayOutputStream out, int pattern, int prefixBits, long value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            out.write(pattern | (int) value);
            return;
        }
        out.write(pattern | max);
        value -= max;
        while (value >= 128) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    /** A string literal without Huffman coding (section 5.2). */
    static void writeString(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        writeInt(out, 0x00, 7, b.length);
        out.writeBytes(b);
    }
}
