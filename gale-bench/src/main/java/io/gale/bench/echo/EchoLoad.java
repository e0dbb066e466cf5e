package io.gale.bench.echo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Load client of the echo benchmark: plain JDK NIO, one thread, one selector, and no Gale code,
 * so Gale and Netty are driven by exactly the same client.
 *
 * <pre>
 * java -cp gale-bench/target/benchmarks.jar io.gale.bench.echo.EchoLoad --port P --mode throughput|pingpong
 *     [--connections 1] [--warmup 1] [--duration 5] [--chunk 65536] [--window 1048576] [--message 64] [--host 127.0.0.1]
 * </pre>
 *
 * <ul>
 *   <li>{@code throughput}: each connection streams {@code chunk}-byte writes and reads the echo,
 *       at most {@code window} bytes in flight ({@link ThroughputConnection});
 *   <li>{@code pingpong}: each connection sends a {@code message}-byte message and waits for its
 *       echo before the next ({@link PingPongConnection}).
 * </ul>
 *
 * Prints {@code CONNECTED n}, then {@code MEASURING} when the warm-up ends, then one line
 * {@code RESULT key=value ...} (MB = 10^6 bytes). Any connection error, close or wrong byte is
 * printed as {@code ERROR ...} and makes the exit status 1. Only loopback hosts are accepted.
 */
public final class EchoLoad {
    private EchoLoad() {}

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        String mode = null;
        int port = -1, connections = 1, chunk = 64 * 1024, message = 64;
        double warmup = 1, duration = 5;
        long window = 1024 * 1024;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + args[i]);
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--host" -> host = v;
                case "--port" -> port = Integer.parseInt(v);
                case "--mode" -> mode = v;
                case "--connections" -> connections = Integer.parseInt(v);
                case "--warmup" -> warmup = Double.parseDouble(v);
                case "--duration" -> duration = Double.parseDouble(v);
                case "--chunk" -> chunk = Integer.parseInt(v);
                case "--window" -> window = Long.parseLong(v);
                case "--message" -> message = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (port <= 0 || connections < 1 || !("throughput".equals(mode) || "pingpong".equals(mode))) {
            throw new IllegalArgumentException("usage: EchoLoad --port P --mode throughput|pingpong [options]");
        }
        InetAddress addr = InetAddress.getByName(host);
        if (!addr.isLoopbackAddress()) {
            throw new IllegalArgumentException("only loopback hosts are allowed: " + host);
        }
        System.exit(run(new InetSocketAddress(addr, port), mode, connections, warmup, duration, chunk, window, message));
    }

    private static int run(InetSocketAddress target, String mode, int n, double warmupS, double durationS, int chunk,
            long window, int message) throws IOException {
        boolean throughput = mode.equals("throughput");
        LatencyHistogram latencies = new LatencyHistogram();
        ByteBuffer pattern = throughput ? ThroughputConnection.pattern(chunk) : null;
        List<LoadConnection> conns = new ArrayList<>(n);
        int errors = 0;
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < n; i++) {
                SocketChannel ch = SocketChannel.open(target); // blocking connect, then non-blocking I/O
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.configureBlocking(false);
                LoadConnection c = throughput
                        ? new ThroughputConnection(ch, pattern, chunk, window)
                        : new PingPongConnection(ch, message, latencies);
                c.key = ch.register(selector, 0, c);
                conns.add(c);
            }
            System.out.println("CONNECTED " + n);
            System.out.flush();
            for (LoadConnection c : conns) {
                c.start();
            }
            ByteBuffer scratch = ByteBuffer.allocateDirect(Math.max(256 * 1024, message));
            long t0 = System.nanoTime();
            long measureFrom = t0 + (long) (warmupS * 1e9);
            long measureTo = measureFrom + (long) (durationS * 1e9);
            boolean measuring = false;
            long[] at = new long[3];
            int[] errs = {0};
            while (true) {
                long now = System.nanoTime();
                if (!measuring && now >= measureFrom) {
                    measuring = true;
                    totals(conns, at);
                    at[2] = now;
                    latencies.reset();
                    System.out.println("MEASURING");
                    System.out.flush();
                }
                if (now >= measureTo || conns.isEmpty()) {
                    break;
                }
                selector.select(key -> {
                    LoadConnection c = (LoadConnection) key.attachment();
                    try {
                        if (key.isWritable()) {
                            c.onWritable();
                        }
                        if (key.isValid() && key.isReadable()) {
                            c.onReadable(scratch);
                        }
                    } catch (IOException | RuntimeException e) {
                        errs[0]++;
                        System.out.println("ERROR " + e);
                        key.cancel();
                        try {
                            c.channel.close();
                        } catch (IOException ignored) {
                            // already failed
                        }
                    }
                }, 10);
                if (errs[0] > 0) {
                    conns.removeIf(c -> !c.channel.isOpen());
                }
            }
            errors = errs[0];
            long end = System.nanoTime();
            long[] fin = new long[3];
            totals(conns, fin);
            double secs = (end - at[2]) / 1e9;
            long sent = fin[0] - at[0];
            long recv = fin[1] - at[1];
            StringBuilder out = new StringBuilder("RESULT mode=").append(mode).append(" connections=").append(n)
                    .append(String.format(Locale.ROOT, " seconds=%.3f sent_mb_s=%.1f recv_mb_s=%.1f", secs,
                            sent / 1e6 / secs, recv / 1e6 / secs));
            if (!throughput) {
                out.append(String.format(Locale.ROOT, " round_trips=%d rt_per_s=%.0f p50_us=%d p99_us=%d",
                        latencies.total(), latencies.total() / secs, latencies.percentileMicros(0.5),
                        latencies.percentileMicros(0.99)));
            }
            out.append(" errors=").append(errors);
            System.out.println(out);
            System.out.flush();
            for (LoadConnection c : conns) {
                c.channel.close();
            }
        }
        return errors == 0 ? 0 : 1;
    }

    private static void totals(List<LoadConnection> conns, long[] out) {
        out[0] = 0;
        out[1] = 0;
        for (LoadConnection c : conns) {
            out[0] += c.sent();
            out[1] += c.received();
        }
    }
}
