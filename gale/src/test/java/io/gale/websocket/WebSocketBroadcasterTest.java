package io.gale.websocket;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.http.HttpServer;
import io.gale.ioloop.IOLoop;
import io.gale.net.ConnectOptions;
import io.gale.pubsub.PubSub;
import io.gale.testing.GaleTesting;
import io.gale.web.Application;
import io.gale.web.Route;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * WebSocketBroadcaster over real sockets: an application on every core (so members live on
 * several loops) whose sockets join a channel of an in-process PubSub, and Gale's WebSocket
 * client. Every member gets every message in order; a newcomer gets the history and then the live
 * messages exactly once, without a gap, while a publisher runs; leaving and closing stop the
 * writes; join off the socket's loop is refused.
 */
@Timeout(120)
class WebSocketBroadcasterTest {
    private static final int HISTORY = 5;
    static volatile WebSocketBroadcaster rooms;
    static final LinkedBlockingQueue<Throwable> offLoopFailures = new LinkedBlockingQueue<>();

    /** Joins the room named in the path; publishes what it receives; leaves on close. */
    public static final class RoomSocket extends WebSocketHandler {
        private String room;

        @Override
        protected CompletionStage<?> open(String... args) {
            room = args[0];
            if (room.equals("off-loop")) {
                return CompletableFuture.runAsync(() -> rooms.join("off", this)).exceptionally(e -> {
                    offLoopFailures.add(e.getCause() != null ? e.getCause() : e);
                    return null;
                });
            }
            return rooms.join(room, this);
        }

        @Override
        protected CompletionStage<?> onMessage(String message) {
            return rooms.publish(room, message);
        }

        @Override
        protected void onClose() {
            if (!room.equals("off-loop")) {
                rooms.leave(room, this);
            }
        }
    }

    private PubSub bus;
    private HttpServer server;
    private final IOLoop clientLoop = new IOLoop();
    private final List<WebSocketClientConnection> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        bus = PubSub.inProcess();
        rooms = new WebSocketBroadcaster(bus, HISTORY);
        server = new Application(List.of(Route.url("/room/(.*)", RoomSocket::new))).listen(0, "127.0.0.1");
        clientLoop.startInBackground();
    }

    @AfterEach
    void stop() throws Exception {
        for (WebSocketClientConnection c : clients) {
            c.close();
        }
        server.close();
        rooms.close();
        bus.close();
        clientLoop.close();
    }

    private WebSocketClientConnection connect(String room) throws Exception {
        WebSocketClientConnection c = WebSocketClient.connect(
                URI.create("ws://127.0.0.1:" + server.boundPorts().get(0) + "/room/" + room),
                WebSocketClientOptions.builder().connect(ConnectOptions.builder().loop(clientLoop).build()).build())
                .get(10, SECONDS);
        clients.add(c);
        return c;
    }

    private static String read(WebSocketClientConnection c) throws Exception {
        WebSocketMessage m = c.readMessage().get(20, SECONDS);
        assertThat(m).as("a message before the connection closed").isNotNull();
        return m.text();
    }

    /** Sends {@code hello} and reads until it comes back: from then on the socket is a member. */
    private static void awaitJoined(WebSocketClientConnection c, String hello) throws Exception {
        c.writeMessage(hello);
        while (!read(c).equals(hello)) {
            // history or other members' hellos
        }
    }

    @Test
    void everyMemberOnEveryLoopGetsEveryMessageInOrder() throws Exception {
        List<WebSocketClientConnection> members = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            WebSocketClientConnection c = connect("lobby");
            awaitJoined(c, "hello " + i);
            members.add(c);
        }
        assertThat(rooms.members("lobby")).isEqualTo(8);
        // Drain the hellos that arrived after each member's own.
        for (int i = 0; i < members.size(); i++) {
            for (int j = i + 1; j < members.size(); j++) {
                assertThat(read(members.get(i))).isEqualTo("hello " + j);
            }
        }
        for (int n = 0; n < 200; n++) {
            rooms.publish("lobby", "m" + n);
        }
        for (WebSocketClientConnection c : members) {
            for (int n = 0; n < 200; n++) {
                assertThat(read(c)).isEqualTo("m" + n);
            }
        }
        assertThat(rooms.history("lobby")).extracting(WebSocketMessage::text)
                .containsExactly("m195", "m196", "m197", "m198", "m199");
        assertThat(rooms.members("other")).isZero();
    }

    @Test
    void newcomersGetTheHistoryThenEveryLiveMessageOnceWithoutAGap() throws Exception {
        int total = 3_000;
        rooms.open("feed", clientLoop).get(10, SECONDS);
        Thread publisher = Thread.ofPlatform().start(() -> {
            for (int n = 0; n < total; n++) {
                rooms.publish("feed", Integer.toString(n)).join();
            }
        });
        List<WebSocketClientConnection> late = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            late.add(connect("feed")); // joins while the publisher runs
        }
        publisher.join();
        for (WebSocketClientConnection c : late) {
            int first = Integer.parseInt(read(c));
            int previous = first;
            while (previous < total - 1) {
                int n = Integer.parseInt(read(c));
                assertThat(n).as("after %d (first %d)", previous, first).isEqualTo(previous + 1);
                previous = n;
            }
        }
        assertThat(rooms.history("feed")).hasSize(HISTORY);
    }

    @Test
    void aMemberThatLeavesGetsNoMore() throws Exception {
        WebSocketClientConnection stays = connect("room");
        awaitJoined(stays, "a");
        WebSocketClientConnection leaves = connect("room");
        awaitJoined(leaves, "b");
        assertThat(read(stays)).isEqualTo("b");
        assertThat(rooms.members("room")).isEqualTo(2);

        leaves.close();
        leaves.closeFuture().get(10, SECONDS);
        // onClose (on the server's loop) leaves; the next message goes to one member only.
        GaleTesting.awaitCondition(() -> rooms.members("room") == 1, () -> rooms.members("room") + " members");
        long before = rooms.delivered();
        rooms.publish("room", "after").get(10, SECONDS);
        assertThat(read(stays)).isEqualTo("after");
        assertThat(rooms.delivered() - before).isEqualTo(1);
    }

    @Test
    void joinOffTheSocketsLoopIsRefused() throws Exception {
        connect("off-loop");
        Throwable failure = offLoopFailures.poll(20, SECONDS);
        assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessageContaining("loop");
    }

    @Test
    void releaseForgetsAChannelAndCloseRefusesNewOnes() throws Exception {
        WebSocketClientConnection c = connect("gone");
        awaitJoined(c, "x");
        assertThat(rooms.history("gone")).hasSize(1);
        rooms.release("gone");
        assertThat(rooms.history("gone")).isEmpty();
        assertThat(rooms.members("gone")).isZero();
        rooms.close();
        assertThatThrownBy(() -> rooms.open("new", clientLoop)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new WebSocketBroadcaster(bus, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
