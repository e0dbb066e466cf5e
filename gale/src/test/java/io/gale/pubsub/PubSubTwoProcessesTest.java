package io.gale.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.ioloop.LoopGroup;
import io.gale.testing.BrokerProcess;
import io.gale.testing.NatsServer;
import io.gale.testing.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two real processes sharing a broker: this JVM and a second one running {@link PubSubPeer}.
 * Messages cross both ways, in order per publisher.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PubSubTwoProcessesTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int COUNT = 200;

    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats"})
    void messagesCrossBothWaysBetweenTwoJvms(String scheme) throws Exception {
        try (BrokerProcess broker = scheme.equals("redis") ? RedisServer.start() : NatsServer.start();
             LoopGroup loops = new LoopGroup(1).start();
             PubSub bus = PubSub.connect(broker.uri()).get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            Received fromPeer = new Received();
            bus.subscribe("from-peer", fromPeer::add, loops.next()).subscribed().get(WAIT.toSeconds(), TimeUnit.SECONDS);

            Process peer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                PubSubPeer.class.getName(), broker.uri(), Integer.toString(COUNT))
                .redirectErrorStream(true).start();
            try {
                ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
                CountDownLatch ready = new CountDownLatch(1);
                Thread.ofPlatform().daemon().start(() -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            output.add(line);
                            if (line.equals("READY")) {
                                ready.countDown();
                            }
                        }
                    } catch (IOException e) {
                        output.add(e.toString());
                    }
                });
                assertThat(ready.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("peer ready; its output: %s", output).isTrue();

                // The peer's own messages, in its order.
                List<String> peerMessages = IntStream.range(0, COUNT).mapToObj(i -> "peer:" + i).toList();
                assertThat(fromPeer.await(COUNT, WAIT)).containsExactlyElementsOf(peerMessages);

                // This process to the peer and back.
                List<CompletableFuture<Void>> sent = IntStream.range(0, COUNT)
                    .mapToObj(i -> bus.publish("to-peer", "ping-" + i)).toList();
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                List<String> got = fromPeer.await(2 * COUNT, WAIT);
                assertThat(got.subList(COUNT, 2 * COUNT))
                    .containsExactlyElementsOf(IntStream.range(0, COUNT).mapToObj(i -> "echo:ping-" + i).toList());

                bus.publish("to-peer", "quit").get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(peer.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("peer exits").isTrue();
                assertThat(peer.exitValue()).as("peer's output: %s", output).isZero();
                assertThat(bus.stats().failedPublishes()).isZero();
                assertThat(bus.stats().delivered()).isEqualTo(2L * COUNT);
            } finally {
                peer.destroyForcibly();
            }
        }
    }
}
