package io.gale.pubsub;

import io.gale.ioloop.LoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The second process of {@link PubSubTwoProcessesTest}: {@code java … PubSubPeer URI COUNT}
 * connects to the broker, subscribes to {@code to-peer}, publishes {@code peer:0..COUNT-1} to
 * {@code from-peer}, prints {@code READY}, then answers every message on {@code to-peer} with
 * {@code echo:<message>} on {@code from-peer}, until {@code quit} arrives (exit 0) or its standard
 * input closes (the test died: exit 3).
 */
public final class PubSubPeer {
    private PubSubPeer() {
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        int count = Integer.parseInt(args[1]);
        LoopGroup loops = new LoopGroup(1).start();
        PubSub bus = PubSub.connect(uri).get(30, TimeUnit.SECONDS);
        CountDownLatch quit = new CountDownLatch(1);
        Subscription s = bus.subscribe("to-peer", m -> {
            if (m.text().equals("quit")) {
                quit.countDown();
            } else {
                bus.publish("from-peer", "echo:" + m.text());
            }
        }, loops.next());
        s.subscribed().get(30, TimeUnit.SECONDS);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(bus.publish("from-peer", "peer:" + i));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        System.out.println("READY");
        System.out.flush();
        Thread.ofPlatform().daemon().start(() -> {
            try (InputStream in = System.in) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                // closed
            }
            System.exit(3);
        });
        if (!quit.await(120, TimeUnit.SECONDS)) {
            System.exit(2);
        }
        PubSubStats stats = bus.stats();
        System.out.println("STATS published=" + stats.published() + " delivered=" + stats.delivered()
            + " failed=" + stats.failedPublishes());
        bus.close();
        loops.shutdownGracefully(Duration.ofSeconds(5));
        System.exit(0);
    }
}
