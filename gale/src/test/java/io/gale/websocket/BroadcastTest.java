package io.gale.websocket;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.ioloop.IOLoop;
import io.gale.iostream.IOStream;
import io.gale.net.ConnectOptions;
import io.gale.net.TcpClient;
import io.gale.net.TcpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One prepared message to 5,000 connections, both ends in this JVM (10,000 descriptors): every
 * client receives it, within the test's time bound, and the frame is encoded once. Server and
 * client ends run the protocol engine directly over TcpServer/TcpClient streams (the HTTP
 * server that would carry the handshake lives on another branch).
 */
@Timeout(120)
class BroadcastTest {
    private static final int CLIENTS = 5_000;

    private static WebSocketProtocol.Settings settings() {
        return new WebSocketProtocol.Settings(1 << 20, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(2));
    }

    private abstract static class Quiet implements WebSocketProtocol.Listener {
        @Override
        public void onPing(byte[] data) {
        }

        @Override
        public void onPong(byte[] data) {
        }

        @Override
        public void onClose(int code, String reason) {
        }
    }

    @Test
    void oneMessageReachesFiveThousandClients() throws Exception {
        IOLoop serverLoop = new IOLoop();
        IOLoop clientLoop = new IOLoop();
        serverLoop.startInBackground();
        clientLoop.startInBackground();
        ConcurrentLinkedQueue<WebSocketProtocol> serverSides = new ConcurrentLinkedQueue<>();
        CountDownLatch opened = new CountDownLatch(CLIENTS);
        TcpServer server = new TcpServer((stream, address) -> {
            WebSocketProtocol p = new WebSocketProtocol(stream, true, new Quiet() {
                @Override
                public CompletionStage<?> onMessage(WebSocketMessage message) {
                    return null;
                }
            }, settings(), null);
            p.start(null);
            serverSides.add(p);
            opened.countDown();
        });
        List<WebSocketProtocol> clients = new ArrayList<>();
        try {
            int port = server.bind(0, "127.0.0.1").start(serverLoop).boundPorts().get(0);
            CountDownLatch received = new CountDownLatch(CLIENTS);
            AtomicInteger wrong = new AtomicInteger();
            String text = "{\"broadcast\": \"hello everyone\", \"n\": 42}";
            TcpClient tcp = new TcpClient();
            ConnectOptions connect = ConnectOptions.builder().loop(clientLoop).build();
            for (int batch = 0; batch < CLIENTS; batch += 500) {
                List<CompletableFuture<IOStream>> streams = new ArrayList<>();
                for (int i = batch; i < batch + 500; i++) {
                    streams.add(tcp.connect("127.0.0.1", port, connect));
                }
                for (CompletableFuture<IOStream> f : streams) {
                    IOStream stream = f.get(30, SECONDS);
                    WebSocketProtocol c = new WebSocketProtocol(stream, false, new Quiet() {
                        @Override
                        public CompletionStage<?> onMessage(WebSocketMessage message) {
                            if (!message.text().equals(text)) {
                                wrong.incrementAndGet();
                            }
                            received.countDown();
                            return null;
                        }
                    }, settings(), null);
                    clients.add(c);
                    clientLoop.addCallback(() -> c.start(null));
                }
            }
            assertThat(opened.await(60, SECONDS)).isTrue();

            WebSocketMessage message = WebSocketMessage.prepare(text);
            byte[] frame = message.serverFrame();
            for (WebSocketProtocol p : serverSides) {
                p.write(message);
            }
            assertThat(received.await(60, SECONDS)).as("all %d clients got the message", CLIENTS).isTrue();
            assertThat(wrong.get()).isZero();
            assertThat(message.serverFrame()).as("encoded once, shared").isSameAs(frame);
        } finally {
            for (WebSocketProtocol c : clients) {
                c.abort();
            }
            server.stop(true);
            CompletableFuture<Void> drained = new CompletableFuture<>();
            clientLoop.addCallback(() -> drained.complete(null));
            drained.get(30, SECONDS);
            serverLoop.stop();
            clientLoop.stop();
            serverLoop.close();
            clientLoop.close();
        }
    }
}
