package io.gale.bench.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Idle-connection client for the connection-capacity benchmark. One thread, one NIO selector;
 * driven by the harness over stdin/stdout so several client processes (each under the per-process
 * descriptor limit) can be stepped together.
 *
 * <p>Usage: {@code ConnHold --port P --connections N [--host 127.0.0.1] [--sources 127.0.0.2,127.0.0.3]
 * [--max-pending 256] [--timeout S] [--lifetime S]}
 * <ol>
 *   <li>opens N keep-alive TCP connections, round-robin over the source addresses (so the ephemeral
 *       ports of one address do not run out), at most max-pending connects in flight; prints
 *       {@code CONNECTED n failed=f unfinished=u ms=t};
 *   <li>holds them idle until a line arrives on stdin: {@code request} sends one
 *       {@code GET /plaintext} on every connection and prints
 *       {@code RESPONSES ok=n failed=f noanswer=m ms=t p50_ms=a p99_ms=b}; {@code close} or end of
 *       input closes everything and prints {@code DONE}.
 * </ol>
 * Each phase is bounded by --timeout (default 60 s) and the whole process by --lifetime (default
 * 600 s), so a lost harness cannot leave it running. Only the given host is contacted.
 */
public final class ConnHold {
    private static final byte[] REQUEST =
            "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Response state of one connection; used only by the selector thread. */
    static final class Conn {
        final SocketChannel ch;
        final byte[] head = new byte[1024]; // status line and headers; bodies are only counted
        int headLen;
        int headerEnd = -1;
        long bodyNeeded = -1;
        long sentAt;
        long latencyNanos = -1;
        boolean done;

        Conn(SocketChannel ch) {
            this.ch = ch;
        }
    }

    private ConnHold() {}

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        String sources = "127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5";
        int port = -1, n = -1, maxPending = 256, timeoutS = 60, lifetimeS = 600;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--host" -> host = v;
                case "--port" -> port = Integer.parseInt(v);
                case "--connections" -> n = Integer.parseInt(v);
                case "--sources" -> sources = v;
                case "--max-pending" -> maxPending = Integer.parseInt(v);
                case "--timeout" -> timeoutS = Integer.parseInt(v);
                case "--lifetime" -> lifetimeS = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (port <= 0 || n < 0 || args.length % 2 != 0) {
            throw new IllegalArgumentException("usage: ConnHold --port P --connections N [options]");
        }
        if (!InetAddress.getByName(host).isLoopbackAddress()) {
            throw new IllegalArgumentException("only loopback hosts are allowed: " + host);
        }
        long lifetimeMs = lifetimeS * 1000L;
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(lifetimeMs);
            } catch (InterruptedException e) {
                return;
            }
            System.out.println("LIFETIME exceeded, exiting");
            System.exit(3);
        }, "lifetime");
        watchdog.setDaemon(true);
        watchdog.start();

        InetAddress[] srcs = Arrays.stream(sources.split(",")).map(ConnHold::address).toArray(InetAddress[]::new);
        try (Selector sel = Selector.open()) {
            List<Conn> conns = connect(sel, new InetSocketAddress(host, port), srcs, n, maxPending, timeoutS * 1000L);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("request")) {
                    requestAll(sel, conns, timeoutS * 1000L);
                } else if (line.equals("close")) {
                    break;
                }
            }
            for (Conn c : conns) {
                try {
                    c.ch.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        System.out.println("DONE");
    }

    private static InetAddress address(String s) {
        try {
            InetAddress a = InetAddress.getByName(s);
            if (!a.isLoopbackAddress()) {
                throw new IllegalArgumentException("only loopback source addresses are allowed: " + s);
            }
            return a;
        } catch (IOException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static List<Conn> connect(Selector sel, InetSocketAddress target, InetAddress[] srcs, int n,
                                      int maxPending, long timeoutMs) throws IOException {
        List<Conn> conns = new ArrayList<>(n);
        int started = 0, failed = 0, pending = 0;
        long t0 = System.nanoTime();
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (conns.size() + failed < n && System.currentTimeMillis() < deadline) {
            while (started < n && pending < maxPending) {
                SocketChannel ch = null;
                try {
                    ch = SocketChannel.open();
                    ch.configureBlocking(false);
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ch.bind(new InetSocketAddress(srcs[started % srcs.length], 0));
                    Conn c = new Conn(ch);
                    if (ch.connect(target)) {
                        conns.add(c);
                        ch.register(sel, 0, c);
                    } else {
                        ch.register(sel, SelectionKey.OP_CONNECT, c);
                        pending++;
                    }
                } catch (IOException e) {
                    failed++;
                    if (failed <= 3) {
                        System.out.println("connect error: " + e);
                    }
                    if (ch != null) {
                        ch.close();
                    }
                }
                started++;
            }
            sel.select(100);
            for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                Conn c = (Conn) k.attachment();
                pending--;
                try {
                    c.ch.finishConnect();
                    k.interestOps(0);
                    conns.add(c);
                } catch (IOException e) {
                    k.cancel();
                    c.ch.close();
                    failed++;
                    if (failed <= 3) {
                        System.out.println("connect error: " + e);
                    }
                }
            }
        }
        System.out.println("CONNECTED " + conns.size() + " failed=" + failed + " unfinished="
                + (n - conns.size() - failed) + " ms=" + (System.nanoTime() - t0) / 1_000_000);
        System.out.flush();
        return conns;
    }

    private static void requestAll(Selector sel, List<Conn> conns, long timeoutMs) throws IOException {
        long t0 = System.nanoTime();
        int ok = 0, bad = 0;
        for (Conn c : conns) {
            c.headLen = 0;
            c.headerEnd = -1;
            c.bodyNeeded = -1;
            c.latencyNanos = -1;
            c.done = false;
            try {
                ByteBuffer b = ByteBuffer.wrap(REQUEST);
                c.sentAt = System.nanoTime();
                c.ch.write(b);
                if (b.hasRemaining()) {
                    throw new IOException("request did not fit the socket buffer");
                }
                c.ch.keyFor(sel).interestOps(SelectionKey.OP_READ);
            } catch (IOException e) {
                c.done = true;
                bad++;
            }
        }
        ByteBuffer rb = ByteBuffer.allocate(16384);
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (ok + bad < conns.size() && System.currentTimeMillis() < deadline) {
            sel.select(100);
            for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                Conn c = (Conn) k.attachment();
                if (c.done) {
                    continue;
                }
                rb.clear();
                int r;
                try {
                    r = c.ch.read(rb);
                } catch (IOException e) {
                    r = -1;
                }
                if (r < 0) {
                    k.interestOps(0);
                    c.done = true;
                    bad++;
                    continue;
                }
                rb.flip();
                int verdict = consume(c, rb);
                if (verdict != 0) {
                    c.done = true;
                    k.interestOps(0);
                    if (verdict > 0) {
                        c.latencyNanos = System.nanoTime() - c.sentAt;
                        ok++;
                    } else {
                        bad++;
                    }
                }
            }
        }
        long[] lat = conns.stream().filter(c -> c.latencyNanos >= 0).mapToLong(c -> c.latencyNanos / 1_000_000).sorted().toArray();
        long p50 = lat.length > 0 ? lat[lat.length / 2] : -1;
        long p99 = lat.length > 0 ? lat[Math.min(lat.length - 1, (int) (lat.length * 0.99))] : -1;
        System.out.println("RESPONSES ok=" + ok + " failed=" + bad + " noanswer=" + (conns.size() - ok - bad)
                + " ms=" + (System.nanoTime() - t0) / 1_000_000 + " p50_ms=" + p50 + " p99_ms=" + p99);
        System.out.flush();
    }

    /** Feeds received bytes; returns 0 while incomplete, 1 for a complete 200, -1 for anything else. */
    static int consume(Conn c, ByteBuffer data) {
        if (c.headerEnd < 0) {
            int take = Math.min(data.remaining(), c.head.length - c.headLen);
            data.get(c.head, c.headLen, take);
            int from = Math.max(0, c.headLen - 3);
            c.headLen += take;
            for (int i = from; i + 3 < c.headLen; i++) {
                if (c.head[i] == '\r' && c.head[i + 1] == '\n' && c.head[i + 2] == '\r' && c.head[i + 3] == '\n') {
                    c.headerEnd = i + 4;
                    break;
                }
            }
            if (c.headerEnd < 0) {
                return c.headLen == c.head.length ? -1 : 0; // headers larger than we accept
            }
            String head = new String(c.head, 0, c.headerEnd, StandardCharsets.ISO_8859_1);
            if (!head.startsWith("HTTP/1.1 200 ")) {
                return -1;
            }
            c.bodyNeeded = contentLength(head);
            if (c.bodyNeeded < 0) {
                return -1; // the peers all answer with Content-Length
            }
            c.bodyNeeded -= c.headLen - c.headerEnd;
        }
        c.bodyNeeded -= data.remaining();
        data.position(data.limit());
        return c.bodyNeeded == 0 ? 1 : (c.bodyNeeded < 0 ? -1 : 0);
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                return Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        return -1;
    }
}
