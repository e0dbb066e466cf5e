package io.gale.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * WebSocket codec costs: encoding a masked client frame, decoding (and unmasking) one, masking
 * alone against a byte-at-a-time loop, and UTF-8 validation against the JDK's decoder, for 1 KiB
 * and 64 KiB payloads. Throughput in operations per microsecond; multiply by the size for bytes.
 *
 * <p>Run: {@code java -jar gale-bench/target/benchmarks.jar WebSocketCodecBench}
 *
 * <p>In package {@code io.gale.websocket} because the codec classes it measures are package-private
 * (not API): the benchmarks run on the class path, where this class and the library's classes of
 * the same package share one runtime package.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WebSocketCodecBench {
    @Param({"1024", "65536"})
    int size;

    private byte[] payload;
    private byte[] maskedFrame;
    private byte[] asciiText;
    private byte[] mixedText;
    private FrameDecoder decoder;
    private final CharsetDecoder jdk = StandardCharsets.UTF_8.newDecoder();
    private final CountingSink sink = new CountingSink();

    /** Counts payload bytes so that decoding cannot be optimised away. */
    static final class CountingSink implements FrameDecoder.Sink {
        long bytes;

        @Override
        public boolean dataFrameStart(int opcode, boolean fin, boolean rsv1, long length) {
            return true;
        }

        @Override
        public boolean dataPayload(byte[] a, int off, int len) {
            bytes += len + a[off];
            return true;
        }

        @Override
        public boolean dataFrameEnd(boolean fin) {
            return true;
        }

        @Override
        public boolean control(int opcode, byte[] payload) {
            return true;
        }

        @Override
        public void protocolError(int closeCode, String reason) {
            throw new IllegalStateException(reason);
        }
    }

    @Setup
    public void setUp() {
        Random r = new Random(1);
        payload = new byte[size];
        r.nextBytes(payload);
        maskedFrame = FrameEncoder.encode(FrameDecoder.BINARY, true, false, payload, 0, size, true, 0x9A3C51E7);
        decoder = new FrameDecoder(true);
        asciiText = new byte[size];
        for (int i = 0; i < size; i++) {
            asciiText[i] = (byte) ('a' + i % 26);
        }
        StringBuilder mixed = new StringBuilder();
        String[] words = {"hello ", "grüße ", "привет ", "こんにちは ", "😀 ", "naïve "};
        while (mixed.toString().getBytes(StandardCharsets.UTF_8).length < size) {
            mixed.append(words[mixed.length() % words.length]);
        }
        byte[] m = mixed.toString().getBytes(StandardCharsets.UTF_8);
        mixedText = java.util.Arrays.copyOf(m, size);
        // Cut at a code point boundary so that the whole buffer is valid.
        int end = size;
        while (end > 0 && (mixedText[end - 1] & 0xC0) == 0x80) {
            end--;
        }
        if (end > 0 && (mixedText[end - 1] & 0x80) != 0) {
            end--;
        }
        for (int i = end; i < size; i++) {
            mixedText[i] = ' ';
        }
    }

    @Benchmark
    public byte[] encodeMaskedFrame() {
        return FrameEncoder.encode(FrameDecoder.BINARY, true, false, payload, 0, size, true, 0x9A3C51E7);
    }

    @Benchmark
    public byte[] encodeServerFrame() {
        return FrameEncoder.encode(FrameDecoder.BINARY, true, false, payload, 0, size, false, 0);
    }

    /** Decoding unmasks in place; running it again re-masks, so the same buffer serves every call. */
    @Benchmark
    public long decodeMaskedFrame() {
        decoder.decode(maskedFrame, 0, maskedFrame.length, sink);
        return sink.bytes;
    }

    @Benchmark
    public int maskLongWise() {
        return Masking.mask(payload, 0, size, 0x9A3C51E7, 0);
    }

    @Benchmark
    public void maskByteWiseBaseline(Blackhole bh) {
        byte[] a = payload;
        int key = 0x9A3C51E7;
        for (int i = 0; i < a.length; i++) {
            a[i] ^= (byte) (key >>> (24 - 8 * (i & 3)));
        }
        bh.consume(a);
    }

    @Benchmark
    public boolean validateAscii() {
        return Utf8Validator.isValid(asciiText, 0, size);
    }

    @Benchmark
    public boolean validateMixed() {
        return Utf8Validator.isValid(mixedText, 0, size);
    }

    @Benchmark
    public Object jdkDecodeMixedBaseline() throws CharacterCodingException {
        return jdk.decode(ByteBuffer.wrap(mixedText));
    }
}
