package io.gale.http2;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.Callable;

/**
 * The {@link HpackBench} and {@link HpackHuffmanBench} operations timed by the CPU time of the
 * measuring thread instead of the wall clock: on a machine shared with other work, time spent
 * waiting for a core does not count, so Gale and Netty compare fairly in one run where JMH's
 * wall-clock errors are as large as the scores. Each operation runs 300,000 times to warm up,
 * then 7 rounds of 200,000; the best round is reported in CPU nanoseconds per operation.
 *
 * <p>Run: {@code java -cp gale-bench/target/benchmarks.jar io.gale.http2.HpackCpuTime}
 */
public final class HpackCpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int WARMUP = 300_000;
    private static final int ROUND = 200_000;
    private static final int ROUNDS = 7;

    /** Keeps results reachable so the work cannot be optimised away. */
    static volatile Object sink;

    private HpackCpuTime() {
    }

    static double cpuNanosPerOp(Callable<?> op) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            sink = op.call();
        }
        double best = Double.MAX_VALUE;
        for (int r = 0; r < ROUNDS; r++) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < ROUND; i++) {
                sink = op.call();
            }
            best = Math.min(best, (THREADS.getCurrentThreadCpuTime() - t0) / (double) ROUND);
        }
        return best;
    }

    private static void row(String name, Callable<?> gale, Callable<?> netty) throws Exception {
        double g = cpuNanosPerOp(gale);
        if (netty == null) {
            System.out.printf("| %s | %.0f | | |%n", name, g);
        } else {
            double n = cpuNanosPerOp(netty);
            System.out.printf("| %s | %.0f | %.0f | %.2f× |%n", name, g, n, n / g);
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println("| operation | Gale CPU ns/op | Netty CPU ns/op | Netty / Gale |");
        System.out.println("|---|---|---|---|");
        for (String mode : new String[] {"first", "repeat"}) {
            HpackBench b = new HpackBench();
            b.block = mode;
            b.setup();
            row("encode request, " + mode, b::encodeRequest, b::nettyEncodeRequest);
            row("decode request, " + mode, b::decodeRequest, b::nettyDecodeRequest);
            row("decode request into HttpHeaders, " + mode, b::decodeRequestIntoHeaders, null);
            row("encode response, " + mode, b::encodeResponse, b::nettyEncodeResponse);
            row("decode response, " + mode, b::decodeResponse, b::nettyDecodeResponse);
        }
        HpackHuffmanBench h = new HpackHuffmanBench();
        h.setup();
        row("Huffman decode, 84 octets", h::decode, null);
        row("Huffman encode, 111 chars", h::encode, null);
        row("Huffman encodedLength, 111 chars", h::encodedLength, null);
    }
}
