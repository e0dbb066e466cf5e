package io.gale.demos.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.demos.testing.Brokers;
import io.gale.demos.testing.DemoProcess;
import io.gale.testing.BrokerProcess;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two chat processes ({@code ./gale-demo chat --pubsub ...} in JVMs of their own) on one real
 * broker, Redis and NATS: a message posted to either reaches the long polls of both, both ways,
 * with the XSRF cookie of one process accepted by the other (no sticky sessions needed); the
 * broker killed mid-run makes posts fail with 503 (the poster learns it), and once it is back the
 * room works again in both directions.
 */
@Timeout(240)
class ChatPubSubTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats"})
    void twoProcessesShareOneRoomAndRecoverFromABrokerRestart(String brokerName) throws Exception {
        try (BrokerProcess broker = Brokers.start(brokerName);
             DemoProcess a = DemoProcess.start("chat", "--pubsub", broker.uri());
             DemoProcess b = DemoProcess.start("chat", "--pubsub", broker.uri());
             ChatClient atA = ChatClient.open(a.baseUrl());
             ChatClient atB = ChatClient.open(b.baseUrl());
             ChatReader readA = new ChatReader(atA);
             ChatReader readB = new ChatReader(atB)) {
            // Both ways; each poster's own process gets its message back from the broker too.
            assertThat(atA.post("/a/message/new", Map.of("body", "from A")).statusCode()).isEqualTo(200);
            assertThat(readB.next(PATIENCE)).isEqualTo("from A");
            assertThat(readA.next(PATIENCE)).isEqualTo("from A");
            assertThat(atB.post("/a/message/new", Map.of("body", "from B")).statusCode()).isEqualTo(200);
            assertThat(readA.next(PATIENCE)).isEqualTo("from B");
            assertThat(readB.next(PATIENCE)).isEqualTo("from B");

            // Sticky-free: B takes a post carrying the XSRF cookie and token that A's page set.
            try (ChatClient aCookieAtB = ChatClient.withCookie(b.baseUrl(), atA.xsrf())) {
                assertThat(aCookieAtB.post("/a/message/new", Map.of("body", "A's cookie at B")).statusCode())
                        .isEqualTo(200);
            }
            assertThat(readA.next(PATIENCE)).isEqualTo("A's cookie at B");
            assertThat(readB.next(PATIENCE)).isEqualTo("A's cookie at B");

            broker.kill();
            // The poster sees the failure: 503 once the process noticed the broker is gone.
            int refused = 0;
            for (int i = 0; i < 200 && refused == 0; i++) {
                int status = atA.post("/a/message/new", Map.of("body", "while down " + i)).statusCode();
                if (status == 503) {
                    refused++;
                } else {
                    assertThat(status).isEqualTo(200); // accepted before the loss was noticed
                    readA.next(Duration.ofMillis(100)); // paces the attempts: a bounded wait on the reader
                }
            }
            assertThat(refused).as("posts refused while the broker is down").isPositive();

            broker.restart();
            awaitCrossing(atA, readB, "A to B after the restart");
            awaitCrossing(atB, readA, "B to A after the restart");
            assertThat(a.isAlive()).isTrue();
            assertThat(b.isAlive()).isTrue();
        }
    }

    /**
     * Posts numbered probes through {@code poster} until one reaches {@code reader}: the processes
     * reconnect with backoff, and a probe published before the subscriber is back is lost (pub/sub
     * keeps nothing), so one probe per half second, each answered 200 or 503, for up to a minute.
     */
    private static void awaitCrossing(ChatClient poster, ChatReader reader, String what) throws Exception {
        Set<String> sent = new HashSet<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (int k = 0; System.nanoTime() < deadline; k++) {
            String probe = what + " #" + k;
            if (poster.post("/a/message/new", Map.of("body", probe)).statusCode() == 200) {
                sent.add(probe);
            }
            for (String got = reader.next(Duration.ofMillis(500)); got != null; got = reader.next(Duration.ZERO)) {
                if (sent.contains(got)) {
                    return;
                }
            }
        }
        throw new AssertionError(what + ": no probe arrived within " + PATIENCE + "; sent " + sent);
    }
}
