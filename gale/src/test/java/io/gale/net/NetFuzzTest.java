package io.gale.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jazzer fuzz targets for what {@code io.gale.net} parses: the {@code Max open files} line of
 * {@code /proc/self/limits}, which the descriptor gauge reads by hand from bytes. Under
 * {@code mvn test} they replay the seeds in
 * {@code src/test/resources/io/gale/net/NetFuzzTestInputs/<target>/}; see docs/testing.md to fuzz
 * for real.
 */
class NetFuzzTest {
    /** The first line starting with the key, then blanks, then 1-18 digits ending the field. */
    private static final Pattern LIMIT = Pattern.compile("(?m)^Max open files[ \\t]*([0-9]{1,18})(?:[ \\t][^\\n]*)?$");

    /** Any bytes: the same limit as a regular expression over the same lines finds (an independent reading). */
    @FuzzTest(maxDuration = "30s")
    void openFilesLimit(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        long expected = -1;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("Max open files")) {
                Matcher m = LIMIT.matcher(line);
                expected = m.matches() ? Long.parseLong(m.group(1)) : -1;
                break;
            }
        }
        assertThat(DescriptorGauge.openFilesLimit(input)).isEqualTo(expected);
    }
}
