package io.gale.websocket;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.web.Application;
import io.gale.web.Route;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Opcode;
import org.java_websocket.extensions.permessage_deflate.PerMessageDeflateExtension;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Gale's server ({@link Application} + the real HTTP server) against an independent client,
 * Java-WebSocket (org.java-websocket, test scope): text, binary, fragmented both ways, pings both
 * ways, close codes both ways, and permessage-deflate.
 */
@Timeout(60)
class JavaWebSocketInteropTest {
    private static final LinkedBlockingQueue<String> serverEvents = new LinkedBlockingQueue<>();
    private static AppServer server;

    /**
     * Echoes; a few text commands make the server act: {@code ping:DATA} pings (the pong is
     * reported as {@code pong:DATA}), {@code close:CODE:REASON} closes.
     */
    public static class Echo extends WebSocketHandler {
        @Override
        protected CompletionStage<?> onMessage(WebSocketMessage message) {
            if (message.isText() && message.text().startsWith("ping:")) {
                return ping(message.text().substring(5).getBytes(UTF_8));
            }
            if (message.isText() && message.text().startsWith("close:")) {
                String[] parts = message.text().split(":", 3);
                close(Integer.parseInt(parts[1]), parts[2]);
                return null;
            }
            return writeMessage(message);
        }

        @Override
        protected void onPong(byte[] data) {
            writeMessage("pong:" + new String(data, UTF_8));
        }

        @Override
        protected void onClose() {
            serverEvents.add("close " + closeCode() + " " + closeReason());
        }

        @Override
        protected CompressionOptions getCompressionOptions() {
            return CompressionOptions.defaults();
        }
    }

    /** {@link Echo} whose messages go out in frames of at most 7 bytes. */
    public static final class SmallFrames extends Echo {
        @Override
        protected int maxFragmentSize() {
            return 7;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = new AppServer(new Application(List.of(Route.url("/echo", Echo.class),
                Route.url("/small", SmallFrames.class))));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A Java-WebSocket client that queues what it receives: String, byte[], "pong:..." or a Closed. */
    private static final class Client extends WebSocketClient {
        record Closed(int code, String reason, boolean remote) {
        }

        final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        volatile ServerHandshake handshake;

        Client(String path, boolean deflate) {
            super(URI.create("ws://127.0.0.1:" + server.port + path),
                    deflate ? new Draft_6455(new PerMessageDeflateExtension()) : new Draft_6455());
        }

        @Override
        public void onOpen(ServerHandshake h) {
            handshake = h;
        }

        @Override
        public void onMessage(String message) {
            received.add(message);
        }

        @Override
        public void onMessage(ByteBuffer bytes) {
            byte[] b = new byte[bytes.remaining()];
            bytes.get(b);
            received.add(b);
        }

        @Override
        public void onWebsocketPong(org.java_websocket.WebSocket conn, Framedata f) {
            ByteBuffer p = f.getPayloadData();
            byte[] b = new byte[p.remaining()];
            p.get(b);
            received.add(new Pong(new String(b, UTF_8)));
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            received.add(new Closed(code, reason, remote));
        }

        @Override
        public void onError(Exception ex) {
            received.add(ex);
        }

        Object next() throws InterruptedException {
            Object o = received.poll(10, SECONDS);
            assertThat(o).as("nothing received").isNotNull();
            return o;
        }
    }

    private record Pong(String data) {
    }

    private static Client open(String path, boolean deflate) throws Exception {
        Client c = new Client(path, deflate);
        assertThat(c.connectBlocking(10, SECONDS)).isTrue();
        return c;
    }

    /**
     * Waits for the server to report {@code expected}; the server's close of a connection from an
     * earlier test may still arrive meanwhile and is skipped. Returns the last event seen (null if none).
     */
    private static String nextServerClose(String expected) throws InterruptedException {
        String e;
        do {
            e = serverEvents.poll(10, SECONDS);
        } while (e != null && !e.equals(expected));
        return e;
    }

    @Test
    void textBinaryAndClientCloseCode() throws Exception {
        serverEvents.clear();
        Client c = open("/echo", false);
        assertThat(c.handshake.getFieldValue("Sec-WebSocket-Extensions")).isEmpty();
        c.send("héllo wörld ✓");
        assertThat(c.next()).isEqualTo("héllo wörld ✓");
        byte[] data = new byte[200_000];
        new Random(1).nextBytes(data);
        c.send(data);
        assertThat((byte[]) c.next()).isEqualTo(data);
        c.send("");
        assertThat(c.next()).isEqualTo("");
        c.closeBlocking();
        assertClientClosedWith1000(c.next());
        assertThat(nextServerClose("close 1000 ")).isEqualTo("close 1000 ");
        Client d = open("/echo", false);
        d.close(4002, "leaving");
        assertThat(d.next()).isInstanceOf(Client.Closed.class).extracting(o -> ((Client.Closed) o).code()).isEqualTo(4002);
        assertThat(nextServerClose("close 4002 leaving")).isEqualTo("close 4002 leaving");
    }

    @Test
    void fragmentedBothWays() throws Exception {
        Client c = open("/small", false);
        // Client fragments (Java-WebSocket takes the message opcode each time and sends
        // continuations itself), with a ping between them; the server reassembles.
        c.sendFragmentedFrame(Opcode.TEXT, ByteBuffer.wrap("one ".getBytes(UTF_8)), false);
        c.sendPing();
        c.sendFragmentedFrame(Opcode.TEXT, ByteBuffer.wrap("two ".getBytes(UTF_8)), false);
        c.sendFragmentedFrame(Opcode.TEXT, ByteBuffer.wrap("three".getBytes(UTF_8)), true);
        assertThat(c.next()).isInstanceOf(Pong.class);
        // The echo comes back in 7-byte frames (/small); the client reassembles.
        assertThat(c.next()).isEqualTo("one two three");
        byte[] data = new byte[1000];
        new Random(2).nextBytes(data);
        c.send(data);
        assertThat((byte[]) c.next()).isEqualTo(data);
        c.closeBlocking();
    }

    @Test
    void pingsBothWaysAndServerCloseCode() throws Exception {
        Client c = open("/echo", false);
        c.sendPing();
        assertThat(c.next()).isInstanceOf(Pong.class);
        c.send("ping:abc"); // the server pings; the client's automatic pong is reported back
        assertThat(c.next()).isEqualTo("pong:abc");
        c.send("close:4001:going now");
        assertThat(c.next()).isEqualTo(new Client.Closed(4001, "going now", true));
    }

    /**
     * The client started the closing handshake and got 1000 back. Java-WebSocket's "remote" flag
     * is not asserted: it depends on whether the server's TCP close (which RFC 6455 7.1.1 says the
     * server does first) is seen before the client finished its own bookkeeping.
     */
    private static void assertClientClosedWith1000(Object event) {
        assertThat(event).isInstanceOf(Client.Closed.class);
        Client.Closed closed = (Client.Closed) event;
        assertThat(closed.code()).isEqualTo(1000);
        assertThat(closed.reason()).isEmpty();
    }

    @Test
    void compressionBothWays() throws Exception {
        for (String path : new String[] {"/echo", "/small"}) {
            Client c = open(path, true);
            assertThat(c.handshake.getFieldValue("Sec-WebSocket-Extensions")).as(path).startsWith("permessage-deflate");
            String big = "compress me please, ".repeat(3000);
            for (int i = 0; i < 5; i++) { // several messages: context takeover where negotiated
                c.send(big + i);
                assertThat(c.next()).as(path).isEqualTo(big + i);
                byte[] bin = (big + "bin" + i).getBytes(UTF_8);
                c.send(bin);
                assertThat((byte[]) c.next()).as(path).isEqualTo(bin);
                c.send("small " + i); // under the client's compression threshold: sent plain
                assertThat(c.next()).as(path).isEqualTo("small " + i);
            }
            c.closeBlocking();
            assertClientClosedWith1000(c.next());
        }
    }
}
