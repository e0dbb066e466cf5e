package io.gale.demos.websocket;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gale.demos.testing.Brokers;
import io.gale.demos.testing.DemoProcess;
import io.gale.ioloop.IOLoop;
import io.gale.net.ConnectOptions;
import io.gale.testing.BrokerProcess;
import io.gale.websocket.WebSocketClient;
import io.gale.websocket.WebSocketClientConnection;
import io.gale.websocket.WebSocketClientOptions;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two WebSocket chat processes ({@code ./gale-demo websocket --pubsub ...}, JVMs of their own) on
 * one real broker, Redis and NATS: messages cross both ways; the broker killed mid-run makes a
 * sender hear {@code {"error"}}, and the room works again once the broker is back; 1,000 clients
 * spread over the two processes (on Redis) all receive every one of 1,000 messages from two
 * publishers (one per process), in order per publisher.
 */
@Timeout(300)
class WebSocketPubSubTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final IOLoop[] clientLoops = {new IOLoop(), new IOLoop()};
    private final List<WebSocketClientConnection> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        for (IOLoop l : clientLoops) {
            l.startInBackground();
        }
    }

    @AfterEach
    void stop() {
        for (WebSocketClientConnection c : clients) {
            c.close();
        }
        for (IOLoop l : clientLoops) {
            l.close();
        }
    }

    /** A client whose messages (their text) go to {@code sink}, on the client's loop. */
    private CompletableFuture<WebSocketClientConnection> connect(DemoProcess server, int loop, Consumer<String> sink) {
        WebSocketClientOptions options = WebSocketClientOptions.builder()
                .connect(ConnectOptions.builder().loop(clientLoops[loop]).build())
                .onMessage(m -> {
                    sink.accept(m.text());
                    return null;
                }).build();
        return WebSocketClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/chatsocket"), options)
                .thenApply(c -> {
                    synchronized (clients) {
                        clients.add(c);
                    }
                    return c;
                });
    }

    /** {@code sink} for parsed messages. */
    private static Consumer<String> json(LinkedBlockingQueue<JsonNode> sink) {
        return text -> {
            try {
                sink.add(JSON.readTree(text));
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        };
    }

    /**
     * The {@code body} of a chat message the demo sent, read without a JSON parser (a thousand
     * clients read a million messages here; the bodies of this test have no escapes); "" if none.
     */
    private static String bodyOf(String json) {
        int at = json.indexOf("\"body\":\"");
        return at < 0 ? "" : json.substring(at + 8, json.indexOf('"', at + 8));
    }

    private static String say(String body) {
        return JSON.createObjectNode().put("body", body).toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "nats"})
    void messagesCrossBothWaysAndTheRoomRecoversFromABrokerRestart(String brokerName) throws Exception {
        try (BrokerProcess broker = Brokers.start(brokerName);
             DemoProcess a = DemoProcess.start("websocket", "--pubsub", broker.uri());
             DemoProcess b = DemoProcess.start("websocket", "--pubsub", broker.uri())) {
            LinkedBlockingQueue<JsonNode> atA = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<JsonNode> atB = new LinkedBlockingQueue<>();
            WebSocketClientConnection ann = connect(a, 0, json(atA)).get(10, SECONDS);
            WebSocketClientConnection bob = connect(b, 1, json(atB)).get(10, SECONDS);

            // Sockets join in open(), a moment after the handshake: say hello until it comes back.
            awaitCrossing(ann, atA, "ann joined");
            awaitCrossing(bob, atB, "bob joined");
            ann.writeMessage(say("from A"));
            assertThat(awaitBody(atB, "from A")).isNotNull();
            bob.writeMessage(say("from B"));
            JsonNode fromB = awaitBody(atA, "from B");
            assertThat(fromB.get("html").asText()).isEqualTo(
                    "<div class=\"message\" id=\"m" + fromB.get("id").asText() + "\">from B</div>");

            broker.kill();
            boolean toldOfFailure = false;
            for (int i = 0; i < 200 && !toldOfFailure; i++) {
                ann.writeMessage(say("while down " + i));
                JsonNode m = atA.poll(100, TimeUnit.MILLISECONDS); // paces the attempts
                toldOfFailure = m != null && m.has("error");
            }
            assertThat(toldOfFailure).as("the sender is told that the broker did not take its message").isTrue();

            broker.restart();
            awaitCrossing(ann, atB, "A to B after the restart");
            awaitCrossing(bob, atA, "B to A after the restart");
        }
    }

    /** Waits for the message with {@code body} (skipping others); null if it does not come in time. */
    private static JsonNode awaitBody(LinkedBlockingQueue<JsonNode> queue, String body) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode m = queue.poll(1, SECONDS);
            if (m != null && m.has("body") && m.get("body").asText().equals(body)) {
                return m;
            }
        }
        return null;
    }

    /**
     * Sends numbered probes from {@code sender} until one reaches {@code receiver}: one per half
     * second for up to a minute (a probe published while a subscriber is reconnecting is lost).
     */
    private static void awaitCrossing(WebSocketClientConnection sender, LinkedBlockingQueue<JsonNode> receiver,
            String what) throws Exception {
        Set<String> sent = new HashSet<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (int k = 0; System.nanoTime() < deadline; k++) {
            String probe = what + " #" + k;
            sender.writeMessage(say(probe));
            sent.add(probe);
            for (JsonNode m = receiver.poll(500, TimeUnit.MILLISECONDS); m != null; m = receiver.poll()) {
                if (m.has("body") && sent.contains(m.get("body").asText())) {
                    return;
                }
            }
        }
        throw new AssertionError(what + ": no probe arrived within " + PATIENCE);
    }

    /** One receiving client's view: the next index expected from each publisher. */
    private static final class Receiver {
        final int[] next = new int[2];
        volatile boolean ready;
    }

    /**
     * On Redis only: the broadcast path above the PubSub is the same for both brokers (and NATS
     * met the same thousand-subscriber load in the library's {@code PubSubContract}); this one
     * costs over a minute of CI on the shared machine.
     */
    @Test
    void aThousandClientsOnTwoProcessesGetEveryMessageInOrderPerPublisher() throws Exception {
        int receivers = 1_000;
        int perPublisher = 500;
        try (BrokerProcess broker = Brokers.start("redis");
             DemoProcess a = DemoProcess.start("websocket", "--pubsub", broker.uri());
             DemoProcess b = DemoProcess.start("websocket", "--pubsub", broker.uri())) {
            DemoProcess[] servers = {a, b};
            CountDownLatch ready = new CountDownLatch(receivers);
            CountDownLatch done = new CountDownLatch(receivers);
            ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
            List<CompletableFuture<WebSocketClientConnection>> connecting = new ArrayList<>();
            for (int i = 0; i < receivers; i++) {
                Receiver r = new Receiver();
                int id = i;
                connecting.add(connect(servers[i % 2], i % 2, m -> {
                    String body = bodyOf(m);
                    if (body.equals("ready") && !r.ready) {
                        r.ready = true;
                        ready.countDown();
                    } else if (body.startsWith("p")) {
                        int publisher = body.charAt(1) - '0';
                        int n = Integer.parseInt(body.substring(3));
                        if (!r.ready) {
                            errors.add("client " + id + " got " + body + " before ready");
                        } else if (n != r.next[publisher]) {
                            errors.add("client " + id + " expected p" + publisher + "-" + r.next[publisher] + ", got " + body);
                            r.next[publisher] = n + 1;
                        } else if (++r.next[publisher] == perPublisher && r.next[1 - publisher] == perPublisher) {
                            done.countDown();
                        }
                    }
                }));
                if (connecting.size() % 100 == 0) {
                    CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(60, SECONDS);
                }
            }
            CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(60, SECONDS);
            WebSocketClientConnection[] publishers = {
                connect(a, 0, m -> { }).get(10, SECONDS), connect(b, 1, m -> { }).get(10, SECONDS)};

            // Every receiver has joined once it saw "ready" (live, or from the history if it
            // joined just after); the publishers repeat it until all have (one per second).
            do {
                publishers[0].writeMessage(say("ready"));
            } while (!ready.await(1, SECONDS));
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            for (int n = 0; n < perPublisher; n++) {
                for (int p = 0; p < 2; p++) {
                    writes.add(publishers[p].writeMessage(say("p" + p + "-" + n)));
                }
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, SECONDS);
            boolean all = done.await(180, SECONDS);
            assertThat(errors).as("order or loss").isEmpty();
            assertThat(all).as("every receiver got all " + 2 * perPublisher + " messages; missing: "
                    + done.getCount() + " receivers").isTrue();
        }
    }
}
