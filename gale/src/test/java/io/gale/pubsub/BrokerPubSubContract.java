package io.gale.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.testing.BrokerProcess;
import io.gale.testing.GaleTesting;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link PubSubContract} plus what only a broker can do wrong: die and come back, or not be
 * there at all. One real broker process per test class, on its own port.
 */
@Timeout(60)
abstract class BrokerPubSubContract extends PubSubContract {
    /** Quick reconnection, so that a restart test spends its time on the restart. */
    static final PubSubLimits FAST_RECONNECT = PubSubLimits.builder().reconnectMinDelay(Duration.ofMillis(20))
        .reconnectMaxDelay(Duration.ofMillis(200)).connectTimeout(Duration.ofSeconds(5)).build();

    static BrokerProcess broker;

    abstract String scheme();

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    @Override
    PubSub createClient(PubSubLimits limits) throws Exception {
        if (!broker.isRunning()) {
            broker.restart();
        }
        return PubSub.connect(broker.uri(), limits).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void brokerRestartFailsPublishesWhileDownThenSubscribersRecover() throws Exception {
        PubSub sub = client(FAST_RECONNECT);
        PubSub pub = client(FAST_RECONNECT);
        Received r = new Received();
        join(sub.subscribe("restart", r::add, loops.next()).subscribed());
        join(pub.publish("restart", "before"));
        r.await(1, WAIT);

        broker.kill();
        // While the broker is down every publish ends, and some fail: none hangs.
        long failedBefore = pub.stats().failedPublishes();
        int failures = 0;
        for (int i = 0; failures < 5; i++) {
            try {
                pub.publish("restart", "down-" + i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(PubSubException.class);
                failures++;
            }
        }
        assertThat(pub.stats().failedPublishes()).isGreaterThanOrEqualTo(failedBefore + 5);
        assertThat(pub.stats().connected()).isFalse();

        broker.restart();
        // The subscriber resubscribes by itself: probe until a message gets through.
        long deadline = System.nanoTime() + WAIT.toNanos();
        boolean through = false;
        for (int probe = 0; !through && System.nanoTime() < deadline; probe++) {
            String text = "probe-" + probe;
            try {
                pub.publish("restart", text).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // still reconnecting
            }
            through = r.awaitUntil(l -> l.contains(text), Duration.ofMillis(50));
        }
        assertThat(through).as("a message reached the subscriber after the restart").isTrue();

        List<CompletableFuture<Void>> after = IntStream.range(0, 100)
            .mapToObj(i -> pub.publish("restart", "after-" + i)).toList();
        join(CompletableFuture.allOf(after.toArray(CompletableFuture[]::new)));
        assertThat(r.awaitUntil(l -> l.contains("after-99"), WAIT)).isTrue();
        assertThat(r.texts().stream().filter(t -> t.startsWith("after-")).toList())
            .containsExactlyElementsOf(IntStream.range(0, 100).mapToObj(i -> "after-" + i).toList());
        assertThat(sub.stats().reconnects()).isGreaterThanOrEqualTo(1);
        assertThat(pub.stats().reconnects()).isGreaterThanOrEqualTo(1);
        // Connected once more, not necessarily at this instant: on a loaded machine a connection
        // made while the broker was still starting can be dropped and made again.
        GaleTesting.awaitCondition(() -> sub.stats().connected() && pub.stats().connected(), WAIT,
            () -> "subscriber and publisher connected after the restart: " + sub.stats() + ", " + pub.stats());
    }

    @Test
    void connectFailsClearlyWhenNoBrokerListens() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CompletableFuture<PubSub> f = PubSub.connect(scheme() + "://127.0.0.1:" + port, FAST_RECONNECT);
        assertThatThrownBy(() -> f.get(WAIT.toSeconds(), TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(PubSubException.class)
            .cause().hasMessageContaining("cannot connect to " + scheme() + "://127.0.0.1:" + port);
    }
}
