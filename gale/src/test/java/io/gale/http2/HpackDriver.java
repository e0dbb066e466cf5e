package io.gale.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * Test harness for {@link HpackDecoder}: decodes a sequence of field blocks on one decoder, each
 * block cut into fragments at given positions, and records a split-independent outcome (the fields
 * of each block, the dynamic table after it, the first error). {@link #check} requires the same
 * outcome for every way of cutting: whole, at every single position of every block, byte by byte
 * with empty fragments between, and from direct buffers.
 */
final class HpackDriver {
    private HpackDriver() {
    }

    /** One decoded field. */
    record Field(String name, String value, boolean sensitive) {
        @Override
        public String toString() {
            return name + ": " + value + (sensitive ? " (never indexed)" : "");
        }
    }

    /** The fields of each block, the table after each, and the terminal error (null if none). */
    record Outcome(List<List<Field>> blocks, List<String> tables, List<Boolean> tooLarge, Http2Error error) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < blocks.size(); i++) {
                sb.append("block ").append(i).append(": ").append(blocks.get(i)).append(tooLarge.get(i) ? " TOO LARGE" : "")
                    .append('\n').append(tables.get(i)).append('\n');
            }
            return sb.append("error: ").append(error).toString();
        }
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /**
     * The table as RFC 7541 Appendix C prints it: {@code [  1] (s =  55) custom-key: custom-header}
     * lines, newest first, then {@code Table size: N}.
     */
    static String table(HpackDynamicTable t) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= t.length(); i++) {
            sb.append(String.format("[%3d] (s = %3d) %s: %s%n", i, HpackDynamicTable.entrySize(t.name(i), t.value(i)),
                t.name(i), t.value(i)));
        }
        return sb.append(String.format("      Table size: %3d", t.size())).toString();
    }

    /** Decodes {@code blocks} in order; block {@code k} is cut at {@code cuts[k]} (ascending; null = whole). */
    static Outcome run(HpackDecoder d, List<byte[]> blocks, int[][] cuts, boolean direct, boolean emptyFragments) {
        List<List<Field>> out = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        List<Boolean> tooLarge = new ArrayList<>();
        for (int k = 0; k < blocks.size(); k++) {
            byte[] block = blocks.get(k);
            int[] c = cuts == null || cuts[k] == null ? new int[0] : cuts[k];
            List<Field> fields = new ArrayList<>();
            int start = 0;
            for (int i = 0; i <= c.length; i++) {
                int end = i < c.length ? c[i] : block.length;
                boolean last = i == c.length;
                ByteBuffer frag = direct ? ByteBuffer.allocateDirect(end - start) : ByteBuffer.allocate(end - start + 8);
                if (!direct) {
                    // an offset array, as a slice of a read buffer would be
                    frag.position(3);
                    frag = frag.slice();
                }
                frag.put(block, start, end - start).flip();
                Http2Error e = d.decode(frag, last && !emptyFragments, (n, v, s) -> fields.add(new Field(n, v, s)));
                assertThat(frag.hasRemaining()).as("decode consumes the fragment").isFalse();
                if (e == null && emptyFragments) {
                    e = d.decode(ByteBuffer.allocate(0), last, (n, v, s) -> fields.add(new Field(n, v, s)));
                }
                if (e != null) {
                    out.add(fields);
                    tables.add(table(d.table()));
                    tooLarge.add(d.headerListTooLarge());
                    assertThat(d.decode(ByteBuffer.wrap(new byte[] {(byte) 0x82}), true, (n, v, s) -> { }))
                        .as("errors are sticky").isSameAs(e);
                    return new Outcome(out, tables, tooLarge, e);
                }
                start = end;
            }
            out.add(fields);
            tables.add(table(d.table()));
            tooLarge.add(d.headerListTooLarge());
        }
        return new Outcome(out, tables, tooLarge, null);
    }

    /** Decodes in every way of cutting; all outcomes must agree. Returns the outcome. */
    static Outcome check(Supplier<HpackDecoder> decoders, List<byte[]> blocks) {
        Outcome reference = run(decoders.get(), blocks, null, false, false);
        String expected = reference.toString();
        assertThat(run(decoders.get(), blocks, null, true, false).toString()).as("direct").isEqualTo(expected);
        for (int k = 0; k < blocks.size(); k++) {
            for (int i = 1; i < blocks.get(k).length; i++) {
                int[][] cuts = new int[blocks.size()][];
                cuts[k] = new int[] {i};
                assertThat(run(decoders.get(), blocks, cuts, false, false).toString())
                    .as("block %d cut at %d", k, i).isEqualTo(expected);
            }
        }
        int[][] every = new int[blocks.size()][];
        for (int k = 0; k < blocks.size(); k++) {
            every[k] = new int[Math.max(0, blocks.get(k).length - 1)];
            for (int i = 0; i < every[k].length; i++) {
                every[k][i] = i + 1;
            }
        }
        assertThat(run(decoders.get(), blocks, every, false, true).toString()).as("byte at a time, empty fragments")
            .isEqualTo(expected);
        assertThat(run(decoders.get(), blocks, every, true, false).toString()).as("byte at a time, direct")
            .isEqualTo(expected);
        return reference;
    }

    static Outcome check(Supplier<HpackDecoder> decoders, String... hexBlocks) {
        List<byte[]> blocks = new ArrayList<>();
        for (String h : hexBlocks) {
            blocks.add(hex(h));
        }
        return check(decoders, blocks);
    }
}
