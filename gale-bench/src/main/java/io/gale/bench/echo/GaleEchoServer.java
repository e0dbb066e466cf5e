package io.gale.bench.echo;

import io.gale.ioloop.LoopGroup;
import io.gale.iostream.IOStreamOptions;
import io.gale.net.ServerOptions;
import io.gale.net.TcpServer;
import java.util.Locale;

/**
 * Gale's TCP echo server for the stream-layer benchmark ({@code gale-bench/run-echo}): a
 * {@link TcpServer} on a {@link LoopGroup} whose connections write back every byte they read,
 * through the public {@link io.gale.iostream.IOStream} API: by default without copying
 * ({@link PooledEchoConnection}); {@code --mode bytes} and {@code into} are the simpler variants of
 * {@link EchoConnection}, kept for comparison.
 *
 * <pre>
 * java -cp gale-bench/target/benchmarks.jar io.gale.bench.echo.GaleEchoServer --port 28090 \
 *     [--loops N (default: cores)] [--mode pooled|bytes|into (default pooled)] [--chunk 65536] [--high-water B (bytes: 65536; pooled, into: 0)]
 * </pre>
 *
 * Listens on 127.0.0.1 only, prints {@code gale echo listening on 127.0.0.1:PORT ...} once
 * accepting, and runs until killed.
 */
public final class GaleEchoServer {
    /** How a connection reads; see {@link EchoConnection} and {@link PooledEchoConnection}. */
    enum Mode { BYTES, INTO, POOLED }

    private GaleEchoServer() {}

    public static void main(String[] args) throws Exception {
        int port = -1;
        int loops = Runtime.getRuntime().availableProcessors();
        Mode mode = Mode.POOLED;
        int chunk = 64 * 1024;
        long highWater = -1;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + args[i]);
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(v);
                case "--loops" -> loops = Integer.parseInt(v);
                case "--mode" -> mode = Mode.valueOf(v.toUpperCase(Locale.ROOT));
                case "--chunk" -> chunk = Integer.parseInt(v);
                case "--high-water" -> highWater = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (allowed: --port --loops --mode bytes|into|pooled --chunk --high-water)");
            }
        }
        if (port < 0 || loops < 1 || chunk < 1) {
            throw new IllegalArgumentException("usage: GaleEchoServer --port N [--loops N] [--mode bytes|into|pooled] [--chunk B]");
        }
        // Backpressure: a write's future completes once at most highWater bytes are still
        // queued, and only then is more read. "into" and "pooled" reuse their buffers, so their
        // writes must be fully handed to the kernel first (0).
        boolean reuses = mode != Mode.BYTES;
        if (highWater < 0) {
            highWater = reuses ? 0 : chunk;
        } else if (reuses && highWater != 0) {
            throw new IllegalArgumentException("--mode " + mode + " reuses its buffers: --high-water must be 0");
        }
        ServerOptions options = ServerOptions.builder()
                .backlog(4096)
                .streamOptions(IOStreamOptions.builder().writeHighWaterMark(highWater).build()).build();
        LoopGroup group = new LoopGroup(loops).start();
        Mode m = mode;
        int c = chunk;
        TcpServer server = new TcpServer((stream, address) -> {
            switch (m) {
                case BYTES -> EchoConnection.start(stream, false, c);
                case INTO -> EchoConnection.start(stream, true, c);
                case POOLED -> PooledEchoConnection.start(stream, c);
            }
        }, options);
        server.bind(port, "127.0.0.1");
        server.start(group);
        System.out.println("gale echo listening on 127.0.0.1:" + server.boundPorts().get(0) + " loops=" + loops
                + " mode=" + mode.name().toLowerCase(Locale.ROOT) + " chunk=" + chunk + " high-water=" + highWater);
        System.out.flush();
    }
}
