package io.gale.bench.echo;

import io.gale.ioloop.LoopGroup;
import io.gale.iostream.IOStreamOptions;
import io.gale.net.ServerOptions;
import io.gale.net.TcpServer;
import java.util.Locale;

/**
 * Gale's TCP echo server for the stream-layer benchmark ({@code gale-bench/run-echo}): a
 * {@link TcpServer} on a {@link LoopGroup} whose connections write back every byte they read,
 * through the public {@link io.gale.iostream.IOStream} API (see {@link EchoConnection}).
 *
 * <pre>
 * java -cp gale-bench/target/benchmarks.jar io.gale.bench.echo.GaleEchoServer --port 28090 \
 *     [--loops N (default: cores)] [--mode bytes|into (default bytes)] [--chunk 65536] [--high-water 65536]
 * </pre>
 *
 * Listens on 127.0.0.1 only, prints {@code gale echo listening on 127.0.0.1:PORT ...} once
 * accepting, and runs until killed.
 */
public final class GaleEchoServer {
    private GaleEchoServer() {}

    public static void main(String[] args) throws Exception {
        int port = -1;
        int loops = Runtime.getRuntime().availableProcessors();
        EchoConnection.Mode mode = EchoConnection.Mode.BYTES;
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
                case "--mode" -> mode = EchoConnection.Mode.valueOf(v.toUpperCase(Locale.ROOT));
                case "--chunk" -> chunk = Integer.parseInt(v);
                case "--high-water" -> highWater = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (allowed: --port --loops --mode bytes|into --chunk --high-water)");
            }
        }
        if (port < 0 || loops < 1 || chunk < 1) {
            throw new IllegalArgumentException("usage: GaleEchoServer --port N [--loops N] [--mode bytes|into] [--chunk B]");
        }
        // Backpressure: a chunk's write future completes once at most highWater bytes are still
        // queued, and only then is the next chunk read. "into" reuses one buffer per connection,
        // so its write must be fully handed to the kernel first (0).
        if (highWater < 0) {
            highWater = mode == EchoConnection.Mode.INTO ? 0 : chunk;
        } else if (mode == EchoConnection.Mode.INTO && highWater != 0) {
            throw new IllegalArgumentException("--mode into reuses its buffer: --high-water must be 0");
        }
        ServerOptions options = ServerOptions.defaults()
                .withBacklog(4096)
                .withStreamOptions(IOStreamOptions.defaults().withWriteHighWaterMark(highWater));
        LoopGroup group = new LoopGroup(loops).start();
        EchoConnection.Mode m = mode;
        int c = chunk;
        TcpServer server = new TcpServer((stream, address) -> EchoConnection.start(stream, m, c), options);
        server.bind(port, "127.0.0.1");
        server.start(group);
        System.out.println("gale echo listening on 127.0.0.1:" + server.boundPorts().get(0) + " loops=" + loops
                + " mode=" + mode.name().toLowerCase(Locale.ROOT) + " chunk=" + chunk + " high-water=" + highWater);
        System.out.flush();
    }
}
