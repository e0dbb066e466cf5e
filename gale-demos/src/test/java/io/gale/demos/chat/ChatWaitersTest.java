package io.gale.demos.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.testing.TestServer;
import io.gale.demos.testing.Conditions;
import io.gale.ioloop.IOLoop;
import io.gale.pubsub.PubSub;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Long polls that come and go, over raw sockets: 10,000 clients in five rounds of 2,000 (the
 * client and the server share this JVM's 20,000 descriptors), each round sending 2,000 waiting
 * polls, then half of the clients leave (a FIN or a reset) and the other half are answered by
 * the next message. After every round, and at the end, the buffer counts no waiter: each leaving
 * client was dropped through {@code onConnectionClose}, each answered one when it was answered.
 */
@Timeout(300)
class ChatWaitersTest {
    private static final int ROUNDS = 5;
    private static final int CLIENTS_PER_ROUND = 2_000;

    private final IOLoop roomLoop = new IOLoop();
    private PubSub bus;
    private ChatRoom room;
    private TestServer server;
    private ChatClient client;

    @BeforeEach
    void start() throws Exception {
        roomLoop.startInBackground();
        bus = PubSub.inProcess();
        room = ChatRoom.open(bus, roomLoop).join();
        server = TestServer.start(ChatDemo.application(room, false));
        client = ChatClient.open(server.baseUrl());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        room.close();
        bus.close();
        roomLoop.close();
    }

    private void awaitWaiting(int n) {
        Conditions.await(() -> room.buffer().waiting() == n,
                () -> "waiting long polls == " + n + " (now " + room.buffer().waiting() + ")");
    }

    /** A long poll after {@code cursor} on a fresh connection, the request written, the answer not read. */
    private Socket poll(String cursor) throws IOException {
        String body = "cursor=" + cursor;
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
        s.setSoTimeout(60_000);
        s.getOutputStream().write(("POST /a/message/updates HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Cookie: _xsrf=" + client.xsrf() + "\r\nX-XSRFToken: " + client.xsrf() + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n"
                + body).getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    /** Reads one response head and its body (Content-Length framing). */
    private static String readResponse(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head);
            }
            head.append((char) b);
        }
        String h = head.toString();
        int at = h.toLowerCase().indexOf("content-length: ");
        int length = Integer.parseInt(h.substring(at + 16, h.indexOf("\r\n", at)).trim());
        return h.substring(0, h.indexOf("\r\n")) + "\n" + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void tenThousandClientsComeAndGoAndNoWaiterIsLeft() throws Exception {
        int answered = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String cursor = client.post("/a/message/new", Map.of("body", "round " + round)).body()
                    .replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            List<Socket> sockets = new ArrayList<>(CLIENTS_PER_ROUND);
            try {
                for (int i = 0; i < CLIENTS_PER_ROUND; i++) {
                    sockets.add(poll(cursor));
                }
                awaitWaiting(CLIENTS_PER_ROUND);

                // Half leave: even ones close (FIN), every fourth of those with a reset instead.
                List<Socket> staying = new ArrayList<>();
                for (int i = 0; i < sockets.size(); i++) {
                    Socket s = sockets.get(i);
                    if (i % 2 == 1) {
                        staying.add(s);
                    } else {
                        if (i % 8 == 0) {
                            s.setSoLinger(true, 0);
                        }
                        s.close();
                    }
                }
                awaitWaiting(CLIENTS_PER_ROUND / 2);

                String news = "news " + round;
                assertThat(client.post("/a/message/new", Map.of("body", news)).statusCode()).isEqualTo(200);
                for (Socket s : staying) {
                    String response = readResponse(s);
                    assertThat(response).startsWith("HTTP/1.1 200 OK\n{\"messages\":[{\"id\":")
                            .contains("\"body\":\"" + news + "\"");
                    answered++;
                }
                assertThat(room.buffer().waiting()).isZero();
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
        assertThat(answered).isEqualTo(ROUNDS * CLIENTS_PER_ROUND / 2);
        assertThat(room.buffer().waiting()).isZero();
    }

    @Test
    void aClientThatLeavesBeforeAnyMessageIsDropped() throws Exception {
        String cursor = client.post("/a/message/new", Map.of("body", "hello")).body()
                .replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        try (Socket s = poll(cursor)) {
            awaitWaiting(1);
            s.shutdownOutput(); // half-close: the client says it is done
        }
        awaitWaiting(0);
    }
}
