package io.gale.net;

import static io.gale.net.NetTesting.onLoop;
import static io.gale.net.NetTesting.startOnLoop;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gale.ioloop.IOLoop;
import io.gale.ioloop.LoopGroup;
import io.gale.iostream.IOStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TcpServerTest {
    private final LoopGroup group = new LoopGroup(2);
    private final List<TcpServer> servers = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final TcpClient client = new TcpClient();

    TcpServerTest() {
        group.start();
    }

    @AfterEach
    void tearDown() {
        sockets.forEach(s -> NetUtil.closeQuietly(s));
        servers.forEach(s -> s.stop(true));
        group.shutdownGracefully(Duration.ofSeconds(5));
    }

    private TcpServer server(StreamHandler handler, ServerOptions options) {
        TcpServer s = new TcpServer(handler, options);
        servers.add(s);
        return s;
    }

    private int echoServer() throws IOException {
        return server(new EchoHandler(), ServerOptions.defaults()).bind(0, "127.0.0.1").start(group).boundPorts().get(0);
    }

    /** Connects with TcpClient on one of the group's loops, sends a line, returns the echo. */
    private String echoOnce(String host, int port, String line) throws Exception {
        IOLoop loop = group.next();
        return startOnLoop(loop, () -> client.connect(host, port, ConnectOptions.builder().loop(loop).build())
                .thenCompose(s -> s.write((line + "\n").getBytes(US_ASCII))
                        .thenCompose(v -> s.readUntil(EchoHandler.NL, 1024))
                        .whenComplete((v, e) -> s.close())))
                .thenApply(b -> new String(b, US_ASCII))
                .get(20, TimeUnit.SECONDS);
    }

    private Socket rawConnect(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(20_000);
        sockets.add(s);
        return s;
    }

    private static String rawEcho(Socket s, String line) throws IOException {
        s.getOutputStream().write((line + "\n").getBytes(US_ASCII));
        InputStream in = s.getInputStream();
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            sb.append((char) c);
            if (c == '\n') {
                break;
            }
        }
        return sb.toString();
    }

    @Test
    void echoesOverServerAndClient() throws Exception {
        int port = echoServer();
        assertThat(echoOnce("127.0.0.1", port, "hello")).isEqualTo("hello\n");
        assertThat(echoOnce("localhost", port, "again")).isEqualTo("again\n");
    }

    @Test
    void portZeroServesIpv4AndIpv6OnOnePort() throws Exception {
        TcpServer s = server(new EchoHandler(), ServerOptions.defaults()).bind(0).start(group);
        assertThat(s.boundPorts()).hasSize(1);
        int port = s.boundPorts().get(0);
        assertThat(echoOnce("127.0.0.1", port, "v4")).isEqualTo("v4\n");
        assumeTrue(NetTesting.ipv6LoopbackAvailable(), "::1 unavailable");
        assertThat(echoOnce("::1", port, "v6")).isEqualTo("v6\n");
    }

    @Test
    void connectionsAreSpreadOverTheGroupsLoopsAndLiveOnThem() throws Exception {
        Set<String> handledOn = ConcurrentHashMap.newKeySet();
        AtomicInteger wrongLoop = new AtomicInteger();
        int port = server((stream, addr) -> {
            handledOn.add(Thread.currentThread().getName());
            if (IOLoop.current() != stream.loop()) {
                wrongLoop.incrementAndGet();
            }
            EchoHandler.echo(stream);
        }, ServerOptions.defaults()).bind(0, "127.0.0.1").start(group).boundPorts().get(0);
        for (int i = 0; i < 4; i++) {
            assertThat(rawEcho(rawConnect(port), "n" + i)).isEqualTo("n" + i + "\n");
        }
        assertThat(handledOn).containsExactlyInAnyOrderElementsOf(group.loops().stream().map(IOLoop::name).toList());
        assertThat(wrongLoop).hasValue(0);
    }

    @Test
    void fiveThousandConcurrentEchoConnections() throws Exception {
        int n = 5000;
        CountDownLatch serverClosed = new CountDownLatch(n);
        TcpServer s = server((stream, addr) -> {
            stream.setCloseCallback(serverClosed::countDown);
            EchoHandler.echo(stream);
        }, ServerOptions.defaults()).bind(0, "127.0.0.1").start(group);
        int port = s.boundPorts().get(0);
        ConcurrentHashMap<Integer, IOStream> open = new ConcurrentHashMap<>();
        CompletableFuture<Void> allEchoed = new CompletableFuture<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger echoed = new AtomicInteger();
        // A window of connects in flight keeps the listen queue from overflowing (which would
        // cost SYN retransmits of a second each); every connection stays open until all echoed.
        int window = 200;
        Runnable[] launch = new Runnable[1];
        launch[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= n) {
                return;
            }
            IOLoop loop = group.next();
            loop.addCallback(() -> client.connect("127.0.0.1", port, ConnectOptions.builder().loop(loop).build())
                    .thenCompose(stream -> {
                        open.put(i, stream);
                        return stream.write(("c" + i + "\n").getBytes(US_ASCII))
                                .thenCompose(v -> stream.readUntil(EchoHandler.NL, 64));
                    })
                    .whenComplete((line, e) -> {
                        if (e != null) {
                            allEchoed.completeExceptionally(e);
                        } else if (!new String(line, US_ASCII).equals("c" + i + "\n")) {
                            allEchoed.completeExceptionally(new AssertionError("wrong echo for " + i));
                        } else {
                            if (echoed.incrementAndGet() == n) {
                                allEchoed.complete(null);
                            }
                            launch[0].run();
                        }
                    }));
        };
        for (int i = 0; i < window; i++) {
            launch[0].run();
        }
        allEchoed.get(50, TimeUnit.SECONDS);
        assertThat(open).hasSize(n);
        assertThat(s.connectionCount()).isEqualTo(n);
        open.values().forEach(IOStream::close);
        assertThat(serverClosed.await(20, TimeUnit.SECONDS)).isTrue();
        // The count drops right after each close callback, in the same loop task: one trip
        // through every loop and it is settled.
        for (IOLoop l : group.loops()) {
            onLoop(l, () -> null);
        }
        assertThat(s.connectionCount()).isZero();
    }

    @Test
    void stopRefusesNewConnectionsAndStopTrueClosesLiveOnes() throws Exception {
        TcpServer s = server(new EchoHandler(), ServerOptions.defaults()).bind(0, "127.0.0.1").start(group);
        int port = s.boundPorts().get(0);
        Socket live = rawConnect(port);
        assertThat(rawEcho(live, "before")).isEqualTo("before\n");
        s.stop();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        assertThat(rawEcho(live, "still")).isEqualTo("still\n");
        assertThat(s.connectionCount()).isEqualTo(1);
        s.stop(true);
        assertThat(live.getInputStream().read()).isEqualTo(-1);
        assertThatThrownBy(() -> s.bind(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailingHandlerClosesOnlyItsConnection() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        int port = server((stream, addr) -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("boom (expected by the test)");
            }
            EchoHandler.echo(stream);
        }, ServerOptions.defaults()).bind(0, "127.0.0.1").start(group).boundPorts().get(0);
        Socket first = rawConnect(port);
        assertThat(first.getInputStream().read()).isEqualTo(-1);
        assertThat(rawEcho(rawConnect(port), "ok")).isEqualTo("ok\n");
    }

    @Test
    void subclassOverridesHandleStream() throws Exception {
        TcpServer s = new TcpServer() {
            @Override
            protected void handleStream(IOStream stream, InetSocketAddress address) {
                stream.write(("hi " + address.getAddress().getHostAddress() + "\n").getBytes(US_ASCII))
                        .whenComplete((v, e) -> stream.close());
            }
        };
        servers.add(s);
        s.bind(0, "127.0.0.1").start(group);
        Socket sock = rawConnect(s.boundPorts().get(0));
        assertThat(new String(sock.getInputStream().readAllBytes(), US_ASCII)).isEqualTo("hi 127.0.0.1\n");
    }

    @Test
    void maxConnectionsPausesAcceptingUntilOneCloses() throws Exception {
        IOLoop loop = group.loops().get(0);
        AtomicInteger maxSeen = new AtomicInteger();
        TcpServer s = server((stream, addr) -> EchoHandler.echo(stream), ServerOptions.builder().maxConnections(1).build());
        s.bind(0, "127.0.0.1").start(loop);
        int port = s.boundPorts().get(0);
        Socket first = rawConnect(port);
        assertThat(rawEcho(first, "one")).isEqualTo("one\n");
        Socket second = rawConnect(port); // completes in the kernel's backlog
        second.getOutputStream().write("two\n".getBytes(US_ASCII));
        // Two trips through the server's loop: it has seen the pending connection by now.
        onLoop(loop, () -> null);
        onLoop(loop, () -> maxSeen.accumulateAndGet(s.connectionCount(), Math::max));
        assertThat(maxSeen).hasValue(1);
        first.close();
        InputStream in = second.getInputStream();
        assertThat(new String(in.readNBytes(4), US_ASCII)).isEqualTo("two\n");
        assertThat(s.connectionCount()).isEqualTo(1);
    }

    @Test
    void listenStartsItsOwnLoopGroupAndCloseShutsItDown() throws Exception {
        TcpServer s = new TcpServer(new EchoHandler());
        try {
            s.listen(0, "127.0.0.1");
            assertThat(rawEcho(rawConnect(s.boundPorts().get(0)), "own")).isEqualTo("own\n");
        } finally {
            s.close();
        }
        assertThat(s.isStopped()).isTrue();
    }
}
