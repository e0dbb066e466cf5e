package io.gale.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer fuzz targets for what reads untrusted bytes in {@code io.gale.pubsub}: the RESP2 reader
 * (a Redis server's replies) and the channel-name rule. Under {@code mvn test} they replay the
 * seeds in {@code src/test/resources/io/gale/pubsub/PubSubFuzzTestInputs/}; see docs/testing.md to
 * fuzz for real. The only acceptable outcomes are values or {@link RespProtocolException}
 * (respectively {@link IllegalArgumentException}).
 */
class PubSubFuzzTest {

    /**
     * Replies fed in pieces cut where the fuzzer chooses (up to 16 cuts, each piece 0-255 bytes,
     * the last piece the rest; empty pieces included) must read the same values, the same error or
     * the same unread tail as fed whole, and so must the input fed one byte at a time (up to 1 KiB).
     */
    @FuzzTest(maxDuration = "30s")
    void respReader(FuzzedDataProvider data) {
        int cuts = data.consumeInt(0, 16);
        int[] sizes = new int[cuts];
        for (int i = 0; i < cuts; i++) {
            sizes[i] = data.consumeInt(0, 255);
        }
        byte[] input = data.consumeRemainingAsBytes();
        String whole = read(List.of(input));
        List<byte[]> split = new ArrayList<>();
        int off = 0;
        for (int size : sizes) {
            int end = Math.min(input.length, off + size);
            split.add(Arrays.copyOfRange(input, off, end));
            off = end;
        }
        split.add(Arrays.copyOfRange(input, off, input.length));
        assertThat(read(split)).as("cut at %s", Arrays.toString(sizes)).isEqualTo(whole);
        if (input.length > 1024) {
            return; // a partial value is re-scanned per piece: byte by byte is quadratic, slow for the fuzzer
        }
        List<byte[]> bytes = new ArrayList<>();
        for (byte b : input) {
            bytes.add(new byte[] {b});
        }
        assertThat(read(bytes)).as("one byte at a time").isEqualTo(whole);
    }

    /** Any name is either valid or refused with IllegalArgumentException, never anything else. */
    @FuzzTest(maxDuration = "30s")
    void channelNames(FuzzedDataProvider data) {
        String name = data.consumeRemainingAsString();
        try {
            Channels.check(name, PubSubLimits.DEFAULTS);
            assertThat(name).isNotEmpty().doesNotContain(" ", "*", ">", "..").doesNotStartWith(".").doesNotEndWith(".");
        } catch (IllegalArgumentException expected) {
            // refused, with a message
            assertThat(expected.getMessage()).isNotEmpty();
        }
    }

    /** The values read, described, then "!" and the error when the input was refused. */
    private static String read(List<byte[]> pieces) {
        RespReader r = new RespReader(4096);
        StringBuilder out = new StringBuilder();
        byte[] pending = new byte[0];
        try {
            for (byte[] piece : pieces) {
                byte[] buf = Arrays.copyOf(pending, pending.length + piece.length);
                System.arraycopy(piece, 0, buf, pending.length, piece.length);
                ByteBuffer b = ByteBuffer.wrap(buf);
                int reads = 0;
                for (;;) {
                    Object v = r.read(b);
                    assertThat(++reads).as("progress").isLessThanOrEqualTo(buf.length + 1);
                    if (v == RespReader.NEED_MORE) {
                        break;
                    }
                    out.append(RespReaderTest.describe(v)).append('|');
                }
                pending = Arrays.copyOfRange(buf, b.position(), buf.length);
            }
        } catch (RespProtocolException e) {
            // The error may be found at a different place when split, but it must be found.
            return out + "!";
        }
        return out + "~" + pending.length;
    }
}
