package io.gale.websocket;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServer;
import io.gale.ioloop.IOLoop;
import io.gale.net.ConnectOptions;
import io.gale.pubsub.PubSub;
import io.gale.testing.GaleTesting;
import io.gale.web.Application;
import io.gale.web.Route;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A WebSocket member that stops reading a broadcast: its connection never holds more than the
 * broadcaster's {@code maxQueuedBytes} plus one message, it is then closed with 1008 (the
 * documented policy), and a member that reads gets every message in order throughout. The slow
 * member is a raw socket with a small receive buffer that completes the handshake and then reads
 * nothing; the reading one is Gale's client.
 */
@Timeout(120)
class WebSocketSlowMemberTest {
    static final long LIMIT = 256 * 1024;
    static final int MESSAGE = 16 * 1024;
    static volatile WebSocketBroadcaster rooms;
    /** The largest queue any member had when a message was handed to the room (sampled on its loop). */
    static final AtomicLong maxQueued = new AtomicLong();
    static final CompletableFuture<Void> slowClosed = new CompletableFuture<>();
    static final List<Member> members = new java.util.concurrent.CopyOnWriteArrayList<>();

    public static final class Member extends WebSocketHandler {
        private boolean slow;

        @Override
        protected CompletionStage<?> open(String... args) {
            slow = args[0].equals("slow");
            members.add(this);
            return rooms.join("room", this);
        }

        @Override
        protected CompletionStage<?> onMessage(String message) {
            return null;
        }

        @Override
        protected void onClose() {
            rooms.leave("room", this);
            if (slow) {
                slowClosed.complete(null);
            }
        }
    }


    private PubSub bus;
    private HttpServer server;
    private final IOLoop clientLoop = new IOLoop();

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (rooms != null) {
            rooms.close();
        }
        if (bus != null) {
            bus.close();
        }
        clientLoop.close();
    }

    @Test
    void aMemberThatStopsReadingIsClosedAtItsBoundAndTheOthersGetEverything() throws Exception {
        bus = PubSub.inProcess();
        rooms = new WebSocketBroadcaster(bus, 0, LIMIT);
        server = new Application(List.of(Route.url("/room/(.*)", Member::new))).listen(0, "127.0.0.1");
        int port = server.boundPorts().get(0);
        clientLoop.startInBackground();

        WebSocketClientConnection reader = WebSocketClient.connect(URI.create("ws://127.0.0.1:" + port + "/room/fast"),
                WebSocketClientOptions.builder().connect(ConnectOptions.builder().loop(clientLoop).build()).build())
                .get(10, SECONDS);
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4 * 1024);
            slow.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            slow.setSoTimeout(30_000);
            slow.getOutputStream().write(("GET /room/slow HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readHead(slow.getInputStream())).startsWith("HTTP/1.1 101");
            GaleTesting.awaitCondition(() -> rooms.members("room") == 2, () -> "both members joined");

            // Publish until the room gives up on the slow member, checking the queues as it goes.
            int sent = 0;
            while (rooms.slowMembersClosed() == 0) {
                assertThat(sent).as("the slow member is closed long before 64 MiB were broadcast").isLessThan(4096);
                String text = String.format("%08d", sent) + "x".repeat(MESSAGE - 8);
                rooms.publish("room", text).get(10, SECONDS);
                sent++;
                sampleQueues();
                String echo = reader.readMessage().get(20, SECONDS).text();
                assertThat(echo.substring(0, 8)).isEqualTo(String.format("%08d", sent - 1));
            }
            // Closed with 1008; the close frame waits behind the queue the client never reads, so
            // the connection ends at the close timeout.
            slowClosed.get(30, SECONDS);
            assertThat(maxQueued.get()).as("the slow member's queue").isLessThanOrEqualTo(LIMIT + MESSAGE + 64);
            assertThat(rooms.members("room")).isEqualTo(1);

            // The reader goes on receiving.
            rooms.publish("room", "after").get(10, SECONDS);
            assertThat(reader.readMessage().get(20, SECONDS).text()).isEqualTo("after");
        } finally {
            reader.close();
        }
    }

    /** Each member's queue, read on its loop after the room's writes of the last message. */
    private static void sampleQueues() throws Exception {
        for (Member h : members) {
            h.loop().supplyOrSubmit(() -> CompletableFuture.completedFuture(h.queuedBytes()))
                    .thenAccept(q -> maxQueued.accumulateAndGet(q, Math::max)).get(10, SECONDS);
        }
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }
}
