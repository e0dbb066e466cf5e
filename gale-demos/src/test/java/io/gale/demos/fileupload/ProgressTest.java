package io.gale.demos.fileupload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The uploader's progress display (on a clock the test moves) and the size notation. */
@Timeout(10)
class ProgressTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long MIB = 1 << 20;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong now = new AtomicLong(1000 * SECOND);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void pipedOutputGetsAPlainLineEveryTenthAndAFinalOne() {
        Progress p = new Progress(out, false, "big.iso", 100 * MIB, now::get);
        for (int i = 0; i < 100; i++) {
            now.addAndGet(SECOND / 10); // 1 MiB per 100 ms: 10 MiB/s
            p.advance(MIB);
        }
        now.addAndGet(5 * SECOND); // waiting for the server's answer does not count
        p.finish();
        String[] lines = output().split("\n");
        assertThat(lines).hasSize(10);
        assertThat(lines[0]).isEqualTo("big.iso: 10% (10.0 MiB of 100.0 MiB, 10.0 MiB/s, 0:09 left)");
        assertThat(lines[4]).isEqualTo("big.iso: 50% (50.0 MiB of 100.0 MiB, 10.0 MiB/s, 0:05 left)");
        assertThat(lines[9]).isEqualTo("big.iso: 100% (100.0 MiB of 100.0 MiB, 10.0 MiB/s, done in 0:10)");
        assertThat(output()).doesNotContain("\r");
    }

    @Test
    void aTerminalGetsABarRedrawnInPlaceAtMostTenTimesASecond() {
        Progress p = new Progress(out, true, "2 files", 4 * MIB, now::get);
        p.advance(MIB); // drawn
        p.advance(MIB); // same instant: not drawn
        now.addAndGet(SECOND);
        p.advance(MIB); // drawn: 3 MiB in 1 s
        p.finish();
        String[] draws = output().split("\r", -1);
        assertThat(draws).hasSize(4); // "", first draw, second draw, final
        assertThat(draws[1]).startsWith("2 files [#####...............]  25%  1.0 MiB / 4.0 MiB");
        assertThat(draws[2]).isEqualTo("2 files [###############.....]  75%  3.0 MiB / 4.0 MiB  3.0 MiB/s  0:01 left\u001b[K");
        assertThat(draws[3]).startsWith("2 files [###############.....]  75%").endsWith("\u001b[K\n");
    }

    @Test
    void anEmptyUploadIsComplete() {
        Progress p = new Progress(out, false, "empty.txt", 0, now::get);
        p.finish();
        assertThat(output()).isEqualTo("empty.txt: 100% (0 B of 0 B, 0 B/s, done in 0:00)\n");
    }

    @Test
    void durations() {
        assertThat(Progress.duration(0)).isEqualTo("0:00");
        assertThat(Progress.duration(61)).isEqualTo("1:01");
        assertThat(Progress.duration(3600 + 62)).isEqualTo("1:01:02");
    }

    @Test
    void sizesFormatAndParse() {
        assertThat(Sizes.format(0)).isEqualTo("0 B");
        assertThat(Sizes.format(1023)).isEqualTo("1023 B");
        assertThat(Sizes.format(1536)).isEqualTo("1.5 KiB");
        assertThat(Sizes.format(4L << 30)).isEqualTo("4.0 GiB");
        assertThat(Sizes.parse("4G")).isEqualTo(4L << 30);
        assertThat(Sizes.parse("10m")).isEqualTo(10L << 20);
        assertThat(Sizes.parse(" 123 ")).isEqualTo(123);
        assertThat(Sizes.parse("1T")).isEqualTo(1L << 40);
        for (String bad : new String[] {"", "G", "-1", "1.5G", "1X", "99999999999999999999", "9999999999T"}) {
            assertThatThrownBy(() -> Sizes.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
