package io.gale.http2;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HPACK Huffman coding alone: a browser User-Agent value (111 octets, 84 encoded) encoded and
 * decoded (the nibble state machine), and the length computation the encoder runs to decide
 * whether Huffman is shorter. In {@code io.gale.http2} for the reason {@link HpackBench} gives.
 *
 * <p>Run: {@code java -jar gale-bench/target/benchmarks.jar HpackHuffmanBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HpackHuffmanBench {
    static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        + "Chrome/124.0.0.0 Safari/537.36";

    private byte[] encoded;
    private byte[] encodeOut;
    private byte[] decodeOut;

    @Setup
    public void setup() {
        encoded = new byte[HpackHuffman.encodedLength(USER_AGENT)];
        HpackHuffman.encode(USER_AGENT, encoded, 0);
        encodeOut = new byte[encoded.length];
        decodeOut = new byte[HpackHuffman.maxDecodedLength(encoded.length)];
        if (HpackHuffman.decode(encoded, 0, encoded.length, decodeOut) != USER_AGENT.length()) {
            throw new IllegalStateException("round trip failed");
        }
    }

    @Benchmark
    public int encodedLength() {
        return HpackHuffman.encodedLength(USER_AGENT);
    }

    @Benchmark
    public int encode() {
        return HpackHuffman.encode(USER_AGENT, encodeOut, 0);
    }

    @Benchmark
    public int decode() {
        return HpackHuffman.decode(encoded, 0, encoded.length, decodeOut);
    }
}
