import io.gale.ioloop.IOLoop;
import io.gale.ioloop.LoopGroup;
import io.gale.pubsub.PubSub;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Gale's Redis client (io.gale.pubsub) against Lettuce 7, the same work for both: one publishing
 * and one subscribing connection, the subscriber's messages handled on a Gale IOLoop (where a Gale
 * application needs them; Lettuce's arrive on a Netty thread and are handed over with addCallback).
 *
 * <p>Publish rate: N messages of 64 bytes, at most 1,000 unacknowledged, timed until the
 * subscriber has them all. Latency: messages paced at a fixed rate carrying their send time,
 * measured when the subscriber's callback runs on the loop.
 */
public final class PubSubRedisCompare {
    static final byte[] CHANNEL = "bench".getBytes(StandardCharsets.US_ASCII);

    interface Client extends AutoCloseable {
        CompletableFuture<?> publish(byte[] payload);

        @Override
        void close();
    }

    static Client gale(String uri, IOLoop loop, Consumer<byte[]> onMessage) {
        PubSub pub = PubSub.connect(uri).join();
        PubSub sub = PubSub.connect(uri).join();
        sub.subscribe("bench", m -> onMessage.accept(m.payload()), loop).subscribed().join();
        return new Client() {
            public CompletableFuture<?> publish(byte[] p) {
                return pub.publish("bench", p);
            }

            public void close() {
                pub.close();
                sub.close();
            }
        };
    }

    static Client lettuce(String uri, IOLoop loop, Consumer<byte[]> onMessage) {
        RedisClient client = RedisClient.create(uri);
        StatefulRedisConnection<byte[], byte[]> pc = client.connect(ByteArrayCodec.INSTANCE);
        StatefulRedisPubSubConnection<byte[], byte[]> sc = client.connectPubSub(ByteArrayCodec.INSTANCE);
        sc.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
                loop.addCallback(() -> onMessage.accept(message));
            }
        });
        sc.sync().subscribe(CHANNEL);
        return new Client() {
            public CompletableFuture<?> publish(byte[] p) {
                return pc.async().publish(CHANNEL, p).toCompletableFuture();
            }

            public void close() {
                pc.close();
                sc.close();
                client.shutdown();
            }
        };
    }

    interface Factory {
        Client open(String uri, IOLoop loop, Consumer<byte[]> onMessage);
    }

    static double rate(Factory f, String uri, IOLoop loop, int n) throws Exception {
        CountDownLatch all = new CountDownLatch(n);
        try (Client c = f.open(uri, loop, m -> all.countDown())) {
            Semaphore window = new Semaphore(1000);
            byte[] payload = new byte[64];
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                window.acquire();
                c.publish(payload).whenComplete((v, e) -> window.release());
            }
            if (!all.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("lost messages: " + all.getCount());
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        }
    }

    static long[] latency(Factory f, String uri, IOLoop loop, int n, int perSecond) throws Exception {
        long[] micros = new long[n];
        AtomicInteger seen = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(n);
        try (Client c = f.open(uri, loop, m -> {
            long sent = ByteBuffer.wrap(m).getLong();
            micros[seen.getAndIncrement()] = (System.nanoTime() - sent) / 1000;
            all.countDown();
        })) {
            long interval = 1_000_000_000L / perSecond;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long due = t0 + i * interval;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                c.publish(ByteBuffer.allocate(64).putLong(System.nanoTime()).array());
            }
            if (!all.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("lost messages: " + all.getCount());
            }
        }
        Arrays.sort(micros);
        return micros;
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int rounds = 3;
        try (LoopGroup loops = new LoopGroup(1).start()) {
            IOLoop loop = loops.next();
            Factory gale = PubSubRedisCompare::gale;
            Factory lettuce = PubSubRedisCompare::lettuce;
            // Warm-up: both clients' code paths compiled before anything counts.
            rate(gale, uri, loop, n / 4);
            rate(lettuce, uri, loop, n / 4);
            latency(gale, uri, loop, 5_000, 10_000);
            latency(lettuce, uri, loop, 5_000, 10_000);
            for (int r = 1; r <= rounds; r++) {
                for (String name : new String[] {"gale", "lettuce"}) {
                    Factory f = name.equals("gale") ? gale : lettuce;
                    double perSecond = rate(f, uri, loop, n);
                    long[] lat = latency(f, uri, loop, 20_000, 10_000);
                    System.out.printf("round %d %-8s publish+deliver %,9.0f msg/s   latency at 10k msg/s: p50 %4d us  p99 %5d us  max %6d us%n",
                        r, name, perSecond, lat[lat.length / 2], lat[(int) (lat.length * 0.99)], lat[lat.length - 1]);
                }
            }
        }
        System.exit(0);
    }
}
