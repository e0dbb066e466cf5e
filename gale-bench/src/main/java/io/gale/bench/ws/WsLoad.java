package io.gale.bench.ws;

import io.gale.bench.echo.LatencyHistogram;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Load client of the WebSocket benchmark ({@code gale-bench/run-ws}): plain JDK NIO, one thread,
 * with its own minimal client framing ({@link ClientHandshake}, {@link EchoClientConnection}) and
 * no Gale code, so every server is driven by exactly the same client.
 *
 * <pre>
 * java -cp gale-bench/target/benchmarks.jar io.gale.bench.ws.WsLoad --port P --mode echo|idle
 *     [--connections 100] [--message 1024] [--window 1] [--warmup 1] [--duration 5]
 *     [--source 127.0.0.2] [--lifetime 900] [--host 127.0.0.1] [--path /ws]
 * </pre>
 *
 * <ul>
 *   <li>{@code echo}: each connection keeps {@code window} masked text messages of
 *       {@code message} bytes in flight (window 1: send, wait for the echo, send the next) and
 *       checks every echoed byte. Prints {@code CONNECTED n}, {@code MEASURING} when the warm-up
 *       ends, then {@code RESULT mode=echo ... msgs_per_s=... p50_us=... p99_us=... errors=...}.
 *   <li>{@code idle}: opens {@code connections} WebSocket connections bound to {@code source},
 *       completes each handshake (one after another, blocking), prints
 *       {@code CONNECTED n failed=f ms=t}, and holds them until standard input ends (or
 *       {@code lifetime} seconds pass), then closes them.
 * </ul>
 *
 * Any connection error, close or wrong byte is printed as {@code ERROR ...} and makes the exit
 * status 1. Only loopback addresses are accepted.
 */
public final class WsLoad {
    private WsLoad() {}

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1", mode = null, path = "/ws", source = null;
        int port = -1, connections = 100, message = 1024, window = 1;
        double warmup = 1, duration = 5, lifetime = 900;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + args[i]);
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--host" -> host = v;
                case "--port" -> port = Integer.parseInt(v);
                case "--mode" -> mode = v;
                case "--path" -> path = v;
                case "--source" -> source = v;
                case "--connections" -> connections = Integer.parseInt(v);
                case "--message" -> message = Integer.parseInt(v);
                case "--window" -> window = Integer.parseInt(v);
                case "--warmup" -> warmup = Double.parseDouble(v);
                case "--duration" -> duration = Double.parseDouble(v);
                case "--lifetime" -> lifetime = Double.parseDouble(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (port <= 0 || connections < 1 || window < 1 || message < EchoClientConnection.SEQ_DIGITS
                || !("echo".equals(mode) || "idle".equals(mode))) {
            throw new IllegalArgumentException("usage: WsLoad --port P --mode echo|idle [options] (message >= 16)");
        }
        InetAddress addr = InetAddress.getByName(host);
        InetAddress src = source == null ? null : InetAddress.getByName(source);
        if (!addr.isLoopbackAddress() || (src != null && !src.isLoopbackAddress())) {
            throw new IllegalArgumentException("only loopback addresses are allowed");
        }
        InetSocketAddress target = new InetSocketAddress(addr, port);
        byte[] request = ClientHandshake.request(host, port, path);
        int status = "echo".equals(mode)
                ? echo(target, request, connections, message, window, warmup, duration)
                : idle(target, src, request, connections, lifetime);
        System.exit(status);
    }

    /** A blocking connection with the handshake done; returns the bytes that followed the response. */
    private static ByteBuffer open(SocketChannel ch, InetSocketAddress target, InetAddress source, byte[] request)
            throws IOException {
        if (source != null) {
            ch.bind(new InetSocketAddress(source, 0));
        }
        ch.connect(target);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return ClientHandshake.perform(ch, request);
    }

    static byte[] template(int size) {
        byte[] t = new byte[size];
        for (int i = 0; i < size; i++) {
            t[i] = (byte) ('a' + i % 26);
        }
        return t;
    }

    private static int echo(InetSocketAddress target, byte[] request, int n, int size, int window, double warmupS,
            double durationS) throws IOException {
        LatencyHistogram latencies = new LatencyHistogram();
        byte[] template = template(size);
        List<EchoClientConnection> conns = new ArrayList<>(n);
        int[] errors = {0};
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < n; i++) {
                SocketChannel ch = SocketChannel.open();
                ByteBuffer early = open(ch, target, null, request);
                ch.configureBlocking(false);
                EchoClientConnection c = new EchoClientConnection(ch, i, template, window, latencies, early);
                c.key = ch.register(selector, 0, c);
                conns.add(c);
            }
            System.out.println("CONNECTED " + n);
            System.out.flush();
            for (EchoClientConnection c : conns) {
                c.start();
            }
            long t0 = System.nanoTime();
            long measureFrom = t0 + (long) (warmupS * 1e9);
            long measureTo = measureFrom + (long) (durationS * 1e9);
            boolean measuring = false;
            long startCount = 0, startAt = t0;
            while (true) {
                long now = System.nanoTime();
                if (!measuring && now >= measureFrom) {
                    measuring = true;
                    startCount = total(conns);
                    startAt = now;
                    latencies.reset();
                    System.out.println("MEASURING");
                    System.out.flush();
                }
                if (now >= measureTo || conns.isEmpty()) {
                    break;
                }
                selector.select(key -> {
                    EchoClientConnection c = (EchoClientConnection) key.attachment();
                    try {
                        if (key.isWritable()) {
                            c.onWritable();
                        }
                        if (key.isValid() && key.isReadable()) {
                            c.onReadable();
                        }
                    } catch (IOException | RuntimeException e) {
                        errors[0]++;
                        System.out.println("ERROR " + e);
                        key.cancel();
                        try {
                            c.channel.close();
                        } catch (IOException ignored) {
                            // already failed
                        }
                    }
                }, 10);
                if (errors[0] > 0) {
                    conns.removeIf(c -> !c.channel.isOpen());
                }
            }
            long end = System.nanoTime();
            double secs = (end - startAt) / 1e9;
            long msgs = total(conns) - startCount;
            System.out.println(String.format(Locale.ROOT,
                    "RESULT mode=echo connections=%d window=%d message=%d seconds=%.3f messages=%d msgs_per_s=%.0f "
                            + "mb_s=%.1f p50_us=%d p99_us=%d errors=%d",
                    n, window, size, secs, msgs, msgs / secs, msgs * (double) size / 1e6 / secs,
                    latencies.percentileMicros(0.5), latencies.percentileMicros(0.99), errors[0]));
            System.out.flush();
            for (EchoClientConnection c : conns) {
                c.channel.close();
            }
        }
        return errors[0] == 0 ? 0 : 1;
    }

    private static long total(List<EchoClientConnection> conns) {
        long t = 0;
        for (EchoClientConnection c : conns) {
            t += c.received();
        }
        return t;
    }

    private static int idle(InetSocketAddress target, InetAddress source, byte[] request, int n, double lifetimeS)
            throws IOException {
        Thread reaper = new Thread(() -> {
            try {
                Thread.sleep((long) (lifetimeS * 1000));
            } catch (InterruptedException e) {
                return;
            }
            System.out.println("ERROR lifetime of " + lifetimeS + " s reached, exiting");
            System.out.flush();
            Runtime.getRuntime().halt(2);
        }, "lifetime");
        reaper.setDaemon(true);
        reaper.start();
        List<SocketChannel> held = new ArrayList<>(n);
        int failed = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            SocketChannel ch = SocketChannel.open();
            try {
                ByteBuffer early = open(ch, target, source, request);
                if (early.hasRemaining()) {
                    throw new IOException("server sent " + early.remaining() + " bytes after the handshake");
                }
                held.add(ch);
            } catch (IOException e) {
                ch.close();
                if (failed++ < 5) {
                    System.out.println("ERROR connection " + i + ": " + e);
                }
            }
        }
        System.out.println("CONNECTED " + held.size() + " failed=" + failed + " ms=" + (System.nanoTime() - t0) / 1_000_000);
        System.out.flush();
        try (BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = stdin.readLine()) != null && !line.trim().equals("close")) {
                // any other line: keep holding
            }
        }
        // a connection the server closed meanwhile shows up as readable end-of-stream
        int lost = 0;
        ByteBuffer probe = ByteBuffer.allocate(1);
        for (SocketChannel ch : held) {
            ch.configureBlocking(false);
            probe.clear();
            try {
                if (ch.read(probe) != 0) {
                    lost++;
                }
            } catch (IOException e) {
                lost++;
            }
            ch.close();
        }
        System.out.println("CLOSED " + held.size() + " lost=" + lost);
        System.out.flush();
        return failed == 0 && lost == 0 ? 0 : 1;
    }
}
