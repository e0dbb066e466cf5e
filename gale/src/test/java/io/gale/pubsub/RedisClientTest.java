package io.gale.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.ioloop.LoopGroup;
import io.gale.testing.RedisServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Gale's Redis client against servers that misbehave (a scripted server on a plain socket) and
 * against a real redis-server that wants a password.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisClientTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final PubSubLimits QUICK = PubSubLimits.builder().replyTimeout(Duration.ofMillis(300))
        .reconnectMinDelay(Duration.ofMillis(20)).reconnectMaxDelay(Duration.ofMillis(100)).build();

    /** Accepts connections and answers each per its script, on platform threads. */
    private static final class ScriptedServer implements AutoCloseable {
        interface Script {
            void run(InputStream in, OutputStream out) throws IOException;
        }

        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final LinkedBlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();

        ScriptedServer(Script script) throws IOException {
            Thread.ofPlatform().daemon().start(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        accepted.add(s);
                        Thread.ofPlatform().daemon().start(() -> {
                            try (s) {
                                script.run(s.getInputStream(), s.getOutputStream());
                            } catch (IOException e) {
                                // the client went away
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        String uri() {
            return "redis://127.0.0.1:" + socket.getLocalPort();
        }

        /** Waits for the n-th connection since the start. */
        void awaitConnections(int n) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (accepted.size() < n) {
                synchronized (this) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("only " + accepted.size() + " connections, expected " + n);
                    }
                }
                Socket s = accepted.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (s != null) {
                    accepted.add(s);
                    if (accepted.size() >= n) {
                        return;
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    /** Reads until the client has sent {@code marker} (ISO-8859-1), then returns. */
    private static void readUntil(InputStream in, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            seen.append((char) b);
            if (seen.indexOf(marker) >= 0) {
                return;
            }
        }
        throw new IOException("closed before " + marker);
    }

    /** The client's handshake: PING, answered PONG. */
    private static void answerPing(InputStream in, OutputStream out) throws IOException {
        readUntil(in, "PING\r\n");
        out.write("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Test
    void malformedReplyDropsTheConnectionFailsThePublishAndReconnects() throws Exception {
        try (ScriptedServer server = new ScriptedServer((in, out) -> {
            answerPing(in, out);
            readUntil(in, "PUBLISH");
            out.write("%1\r\n".getBytes(StandardCharsets.US_ASCII)); // a RESP3 map: not RESP2
            out.flush();
            in.transferTo(OutputStream.nullOutputStream());
        }); PubSub bus = PubSub.connect(server.uri(), QUICK).get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            server.awaitConnections(2); // publisher and subscriber
            assertThatThrownBy(() -> bus.publish("c", "x").get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PubSubException.class)
                .hasMessageContaining("lost before it acknowledged")
                .rootCause().isInstanceOf(RespProtocolException.class).hasMessageContaining("0x25");
            assertThat(bus.stats().failedPublishes()).isEqualTo(1);
            assertThat(bus.stats().published()).isZero();
            server.awaitConnections(3); // the publisher came back
        }
    }

    @Test
    void unansweredPublishesFailAfterTheReplyTimeout() throws Exception {
        try (ScriptedServer server = new ScriptedServer((in, out) -> {
            answerPing(in, out);
            in.transferTo(OutputStream.nullOutputStream());
        }); PubSub bus = PubSub.connect(server.uri(), QUICK).get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            var first = bus.publish("c", "1");
            var second = bus.publish("c", "2");
            for (var f : List.of(first, second)) {
                assertThatThrownBy(() -> f.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .cause().isInstanceOf(PubSubException.class).rootCause().isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("replyTimeout");
            }
            assertThat(bus.stats().failedPublishes()).isEqualTo(2);
            server.awaitConnections(3);
        }
    }

    @Test
    void aServerThatRefusesTheClientFailsTheFirstConnectionWithItsReason() throws Exception {
        try (ScriptedServer server = new ScriptedServer((in, out) -> {
            out.write("-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        })) {
            assertThatThrownBy(() -> PubSub.connect(server.uri(), QUICK).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .cause().isInstanceOf(PubSubException.class).hasMessageContaining("cannot connect to " + server.uri())
                .hasMessageContaining("refused the client: ERR max number of clients reached");
        }
    }

    @Test
    void aServerThatNeverAnswersTheHandshakeIsAFailedAttempt() throws Exception {
        try (ScriptedServer server = new ScriptedServer((in, out) -> in.transferTo(OutputStream.nullOutputStream()))) {
            PubSubLimits limits = PubSubLimits.builder().connectTimeout(Duration.ofMillis(300)).build();
            assertThatThrownBy(() -> PubSub.connect(server.uri(), limits).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .cause().isInstanceOf(PubSubException.class).rootCause().isInstanceOf(TimeoutException.class)
                .hasMessageContaining("no answer to the handshake");
        }
    }

    @Test
    void authenticatesWithThePasswordInTheUri() throws Exception {
        try (RedisServer redis = RedisServer.start(List.of("--requirepass", "s3cret"));
             LoopGroup loops = new LoopGroup(1).start()) {
            String base = "127.0.0.1:" + redis.port();
            assertThatThrownBy(() -> PubSub.connect("redis://:wrong@" + base, QUICK).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .cause().isInstanceOf(PubSubException.class).hasMessageContaining("refused AUTH");
            assertThatThrownBy(() -> PubSub.connect("redis://" + base, QUICK).get(WAIT.toSeconds(), TimeUnit.SECONDS)
                .publish("c", "x").get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .cause().isInstanceOf(PubSubException.class).hasMessageContaining("NOAUTH");
            try (PubSub a = PubSub.connect("redis://:s3cret@" + base, QUICK).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                 PubSub b = PubSub.connect("redis://default:s3cret@" + base, QUICK).get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                Received r = new Received();
                a.subscribe("secret", r::add, loops.next()).subscribed().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                b.publish("secret", "in").get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(r.await(1, WAIT)).containsExactly("in");
            }
        }
    }
}
