package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RangeParseTest {
    private static RangeResult parse(String h, long len) {
        return HttpUtil.parseRange(h, len);
    }

    private static List<ByteRange> ranges(String h, long len) {
        RangeResult r = parse(h, len);
        assertThat(r).as(h).isInstanceOf(RangeResult.Satisfiable.class);
        return ((RangeResult.Satisfiable) r).ranges();
    }

    @Test
    void singleRanges() {
        assertThat(ranges("bytes=0-499", 1000)).containsExactly(new ByteRange(0, 500));
        assertThat(ranges("bytes=500-", 1000)).containsExactly(new ByteRange(500, 1000));
        assertThat(ranges("bytes=-200", 1000)).containsExactly(new ByteRange(800, 1000));
        assertThat(ranges("bytes=-5000", 1000)).containsExactly(new ByteRange(0, 1000));
        assertThat(ranges("bytes=900-5000", 1000)).containsExactly(new ByteRange(900, 1000));
        assertThat(ranges("BYTES=0-0", 1000)).containsExactly(new ByteRange(0, 1));
        assertThat(ranges("bytes=999-999", 1000)).containsExactly(new ByteRange(999, 1000));
    }

    @Test
    void contentRangeFormatting() {
        assertThat(new ByteRange(0, 500).contentRange(1234)).isEqualTo("bytes 0-499/1234");
        assertThat(new ByteRange(0, 500).length()).isEqualTo(500);
    }

    @Test
    void multipleRangesKeepOrderAndDropUnsatisfiableOnes() {
        assertThat(ranges("bytes=500-599, 0-99,\t-10 ,", 1000))
                .containsExactly(new ByteRange(500, 600), new ByteRange(0, 100), new ByteRange(990, 1000));
        assertThat(ranges("bytes=2000-3000, 0-9", 1000)).containsExactly(new ByteRange(0, 10));
    }

    @Test
    void overlappingRangesAreMerged() {
        assertThat(ranges("bytes=50-150, 0-99, 140-200", 1000)).containsExactly(new ByteRange(0, 201));
        assertThat(ranges("bytes=0-,0-", 1000)).containsExactly(new ByteRange(0, 1000));
        // adjacent but not overlapping: kept apart, in request order
        assertThat(ranges("bytes=10-19,0-9", 1000)).containsExactly(new ByteRange(10, 20), new ByteRange(0, 10));
    }

    @Test
    void unsatisfiable() {
        assertThat(parse("bytes=1000-", 1000)).isEqualTo(new RangeResult.Unsatisfiable(1000));
        assertThat(parse("bytes=1000-2000, 3000-", 1000)).isEqualTo(new RangeResult.Unsatisfiable(1000));
        assertThat(parse("bytes=-0", 1000)).isEqualTo(new RangeResult.Unsatisfiable(1000));
        assertThat(parse("bytes=0-", 0)).isEqualTo(new RangeResult.Unsatisfiable(0));
        assertThat(parse("bytes=-5", 0)).isEqualTo(new RangeResult.Unsatisfiable(0));
        assertThat(parse("bytes=99999999999999999999999-", 1000)).isEqualTo(new RangeResult.Unsatisfiable(1000));
    }

    @Test
    void hugeNumbersSaturate() {
        assertThat(ranges("bytes=0-99999999999999999999999", 1000)).containsExactly(new ByteRange(0, 1000));
        assertThat(ranges("bytes=-99999999999999999999999", 1000)).containsExactly(new ByteRange(0, 1000));
    }

    @Test
    void invalidHeadersAreIgnored() {
        List<String> bad = java.util.Arrays.asList(null, "", "bytes", "bytes=", "bytes=,", "bytes=abc", "bytes=5-1",
                "bytes=1-2-3", "bytes=-", "bytes=+1-2", "bytes=1-+2", "bytes=0x1-2", "bytes = 0-1", "items=0-1",
                "bytes=0-1;x", "bytes=0-1, junk", "bytes=1 -2", "bytes=--1");
        for (String h : bad) assertThat(parse(h, 1000)).as(String.valueOf(h)).isInstanceOf(RangeResult.Ignored.class);
    }

    @Test
    void tooManyRangesAreIgnored() {
        StringBuilder sb = new StringBuilder("bytes=0-0");
        for (int i = 1; i < RangeParser.MAX_RANGES; i++) sb.append(',').append(i * 2).append('-').append(i * 2);
        assertThat(parse(sb.toString(), 1000)).isInstanceOf(RangeResult.Satisfiable.class);
        sb.append(",900-901");
        assertThat(parse(sb.toString(), 1000)).isInstanceOf(RangeResult.Ignored.class);
    }
}
