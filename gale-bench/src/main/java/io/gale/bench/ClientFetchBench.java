package io.gale.bench;

import io.gale.httpclient.AsyncHttpClient;
import io.gale.httpclient.ClientOptions;
import io.gale.httpclient.HttpRequest;
import io.gale.ioloop.IOLoop;
import io.gale.ioloop.IOLoopOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Client throughput: {@value #CONCURRENCY} concurrent keep-alive GETs (each finished fetch starts
 * the next) against one local server, for Gale's {@link AsyncHttpClient}, the JDK
 * {@link HttpClient} and Vert.x {@link WebClient}, in the same run, alternating rounds. Prints
 * requests/s per client and round.
 *
 * <pre>
 * java -cp gale-bench/target/benchmarks.jar io.gale.bench.ClientFetchBench [--seconds 5] [--rounds 2]
 * </pre>
 *
 * <p>The server is a tiny single-threaded NIO responder (no Gale, no framework) answering every
 * request head with a fixed 13-byte response, so it costs each client the same.
 */
public final class ClientFetchBench {
    static final int CONCURRENCY = 64;
    private static final byte[] RESPONSE =
            "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\nHello, World!"
                    .getBytes(StandardCharsets.US_ASCII);

    private ClientFetchBench() {
    }

    /** Something that runs one fetch and calls back on completion (true = success). */
    private interface Fetcher extends AutoCloseable {
        void fetch(Consumer<Boolean> done);

        @Override
        void close() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int seconds = 5;
        int rounds = 2;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("usage: ClientFetchBench [--seconds N] [--rounds N]");
            }
        }
        try (FixedResponder server = new FixedResponder()) {
            String url = "http://127.0.0.1:" + server.port() + "/plaintext";
            Map<String, double[]> results = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                for (String name : new String[] {"gale", "jdk", "vertx"}) {
                    try (Fetcher f = create(name, url)) {
                        run(f, Duration.ofSeconds(Math.max(1, seconds / 2))); // warm-up
                        double rps = run(f, Duration.ofSeconds(seconds));
                        results.computeIfAbsent(name, k -> new double[0]);
                        double[] prev = results.get(name);
                        double[] next = java.util.Arrays.copyOf(prev, prev.length + 1);
                        next[prev.length] = rps;
                        results.put(name, next);
                        System.out.printf("round %d  %-6s %,10.0f req/s%n", round + 1, name, rps);
                    }
                }
            }
            System.out.println("best of " + rounds + " rounds, " + CONCURRENCY + " concurrent keep-alive fetches:");
            results.forEach((name, r) -> System.out.printf("  %-6s %,10.0f req/s%n", name,
                    java.util.Arrays.stream(r).max().orElse(0)));
        }
    }

    private static Fetcher create(String name, String url) {
        return switch (name) {
            case "gale" -> galeFetcher(url);
            case "jdk" -> jdkFetcher(url);
            default -> vertxFetcher(url);
        };
    }

    private static Fetcher galeFetcher(String url) {
        IOLoop loop = new IOLoop(IOLoopOptions.builder().name("bench-gale").daemon(true).build());
        loop.startInBackground();
        AsyncHttpClient client = new AsyncHttpClient(loop, ClientOptions.builder().maxClients(CONCURRENCY).build());
        HttpRequest req = HttpRequest.newBuilder(url).build();
        return new Fetcher() {
            @Override
            public void fetch(Consumer<Boolean> done) {
                client.fetch(req).whenComplete((r, e) -> done.accept(e == null && r.body().length == 13));
            }

            @Override
            public void close() {
                client.close();
                loop.close();
            }
        };
    }

    private static Fetcher jdkFetcher(String url) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(URI.create(url)).build();
        return new Fetcher() {
            @Override
            public void fetch(Consumer<Boolean> done) {
                client.sendAsync(req, BodyHandlers.ofByteArray())
                        .whenComplete((r, e) -> done.accept(e == null && r.body().length == 13));
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    private static Fetcher vertxFetcher(String url) {
        Vertx vertx = Vertx.vertx();
        URI u = URI.create(url);
        WebClient client = WebClient.wrap(vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(CONCURRENCY)));
        return new Fetcher() {
            @Override
            public void fetch(Consumer<Boolean> done) {
                client.get(u.getPort(), u.getHost(), u.getPath()).send()
                        .onComplete(ar -> done.accept(ar.succeeded() && ar.result().body().length() == 13));
            }

            @Override
            public void close() throws Exception {
                client.close();
                vertx.close().await();
            }
        };
    }

    /** Runs CONCURRENCY closed loops of fetches for {@code d}; returns successful requests per second. */
    private static double run(Fetcher f, Duration d) throws InterruptedException {
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong inFlight = new AtomicLong(CONCURRENCY);
        Object idle = new Object();
        long start = System.nanoTime();
        for (int i = 0; i < CONCURRENCY; i++) {
            loopFetch(f, stop, ok, failed, inFlight, idle);
        }
        Thread.sleep(d.toMillis());
        stop.set(true);
        long elapsed = System.nanoTime() - start;
        long count = ok.get();
        synchronized (idle) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (inFlight.get() > 0 && System.currentTimeMillis() < deadline) {
                idle.wait(100);
            }
        }
        if (failed.get() > 0) {
            System.out.println("  (" + failed.get() + " failed fetches)");
        }
        return count * 1e9 / elapsed;
    }

    private static void loopFetch(Fetcher f, AtomicBoolean stop, AtomicLong ok, AtomicLong failed, AtomicLong inFlight,
                                  Object idle) {
        f.fetch(success -> {
            (success ? ok : failed).incrementAndGet();
            if (stop.get()) {
                if (inFlight.decrementAndGet() == 0) {
                    synchronized (idle) {
                        idle.notifyAll();
                    }
                }
            } else {
                loopFetch(f, stop, ok, failed, inFlight, idle);
            }
        });
    }

    /** A single-threaded NIO server answering each request head (no body) with {@link #RESPONSE}. */
    static final class FixedResponder implements AutoCloseable {
        private final ServerSocketChannel server;
        private final Selector selector;
        private final Thread thread;

        FixedResponder() throws IOException {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
            thread = Thread.ofPlatform().name("bench-responder").daemon(true).start(this::serve);
        }

        int port() throws IOException {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        }

        private void serve() {
            ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
            ByteBuffer out = ByteBuffer.allocateDirect(64 * RESPONSE.length * 4);
            try {
                while (selector.isOpen()) {
                    selector.select();
                    for (SelectionKey k : selector.selectedKeys()) {
                        if (!k.isValid()) {
                            continue;
                        }
                        if (k.isAcceptable()) {
                            SocketChannel c = server.accept();
                            if (c != null) {
                                c.configureBlocking(false);
                                c.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                                c.register(selector, SelectionKey.OP_READ, new int[1]);
                            }
                        } else if (k.isReadable()) {
                            SocketChannel c = (SocketChannel) k.channel();
                            int[] state = (int[]) k.attachment(); // progress through "\r\n\r\n"
                            in.clear();
                            int n;
                            try {
                                n = c.read(in);
                            } catch (IOException e) {
                                n = -1;
                            }
                            if (n < 0) {
                                k.cancel();
                                c.close();
                                continue;
                            }
                            int heads = 0;
                            for (int i = 0; i < n; i++) {
                                byte b = in.get(i);
                                int s = state[0];
                                state[0] = (b == '\r' && (s == 0 || s == 2)) ? s + 1
                                        : (b == '\n' && (s == 1 || s == 3)) ? s + 1 : 0;
                                if (state[0] == 4) {
                                    heads++;
                                    state[0] = 0;
                                }
                            }
                            out.clear();
                            for (int i = 0; i < heads; i++) {
                                out.put(RESPONSE);
                            }
                            out.flip();
                            while (out.hasRemaining()) {
                                c.write(out); // tiny responses: the socket buffer takes them at once
                            }
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                // closed
            }
        }

        @Override
        public void close() throws IOException {
            selector.close();
            server.close();
        }
    }
}
