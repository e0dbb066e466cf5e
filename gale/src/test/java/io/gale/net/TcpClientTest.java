package io.gale.net;

import static io.gale.net.NetTesting.startOnLoop;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.ioloop.IOLoop;
import io.gale.iostream.IOStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TcpClientTest {
    private final IOLoop loop = new IOLoop();
    private final TcpServer server = new TcpServer(new EchoHandler());
    private final List<java.io.Closeable> toClose = new ArrayList<>();

    TcpClientTest() {
        loop.startInBackground();
    }

    @AfterEach
    void tearDown() {
        toClose.forEach(NetUtil::closeQuietly);
        server.stop(true);
        loop.close();
    }

    private int echoPort() throws IOException {
        return server.bind(0, "127.0.0.1").start(loop).boundPorts().get(0);
    }

    private CompletableFuture<IOStream> connect(TcpClient client, String host, int port, ConnectOptions options) {
        return startOnLoop(loop, () -> client.connect(host, port, options));
    }

    private String echo(IOStream stream, String line) throws Exception {
        return startOnLoop(loop, () -> stream.write((line + "\n").getBytes(US_ASCII))
                .thenCompose(v -> stream.readUntil(EchoHandler.NL, 100)))
                .thenApply(b -> new String(b, US_ASCII))
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void happyEyeballsSkipsADeadAddressAndConnectsToTheLiveOne() throws Exception {
        int port = echoPort();
        InetSocketAddress dead = new InetSocketAddress("127.0.0.1", NetTesting.closedPort());
        InetSocketAddress live = new InetSocketAddress("127.0.0.1", port);
        TcpClient client = new TcpClient(new OverrideResolver(DefaultResolver.instance())
                .withAddresses("service.test", 80, dead, live));
        IOStream stream = connect(client, "service.test", 80, ConnectOptions.defaults()).get(10, TimeUnit.SECONDS);
        toClose.add(stream::close);
        assertThat(stream.remoteAddress()).isEqualTo(live);
        assertThat(stream.loop()).isSameAs(loop);
        assertThat(echo(stream, "he")).isEqualTo("he\n");
    }

    @Test
    void otherFamilyIsTriedWhenTheFirstFails() throws Exception {
        int port = echoPort();
        InetSocketAddress deadV6 = new InetSocketAddress("::1", NetTesting.closedPort());
        InetSocketAddress live = new InetSocketAddress("127.0.0.1", port);
        TcpClient client = new TcpClient(new OverrideResolver(DefaultResolver.instance())
                .withAddresses("dual.test", 80, deadV6, live));
        // A secondary delay of an hour: only the primary's failure can start the IPv4 attempt.
        IOStream stream = connect(client, "dual.test", 80,
                ConnectOptions.builder().secondaryDelay(Duration.ofHours(1)).build()).get(10, TimeUnit.SECONDS);
        toClose.add(stream::close);
        assertThat(stream.remoteAddress()).isEqualTo(live);
    }

    @Test
    void familyOptionFiltersAddresses() throws Exception {
        int port = echoPort();
        TcpClient client = new TcpClient(new OverrideResolver(DefaultResolver.instance())
                .withAddresses("v4only.test", 80, new InetSocketAddress("127.0.0.1", port)));
        assertThatThrownBy(() -> connect(client, "v4only.test", 80,
                ConnectOptions.builder().family(StandardProtocolFamily.INET6).build()).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(UnknownHostException.class).hasMessageContaining("v4only.test:80");
    }

    @Test
    void refusedEverywhereGivesAConnectExceptionNamingTheTarget() throws Exception {
        int closed = NetTesting.closedPort();
        assertThatThrownBy(() -> connect(new TcpClient(), "127.0.0.1", closed, ConnectOptions.defaults()).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("127.0.0.1:" + closed)
                .hasMessageContaining("refused");
    }

    @Test
    void resolverFailureIsAClearUnknownHostException() {
        Resolver failing = (host, port) -> CompletableFuture.failedFuture(new UnknownHostException(host + ": Name or service not known"));
        assertThatThrownBy(() -> connect(new TcpClient(failing), "nowhere.invalid", 443, ConnectOptions.defaults()).get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("cannot resolve nowhere.invalid (connecting to nowhere.invalid:443)")
                .hasMessageContaining("Name or service not known");
        Resolver throwing = (host, port) -> {
            throw new IllegalArgumentException("bad resolver");
        };
        assertThatThrownBy(() -> connect(new TcpClient(throwing), "x.test", 1, ConnectOptions.defaults()).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(IllegalArgumentException.class);
        Resolver empty = (host, port) -> CompletableFuture.completedFuture(List.of());
        assertThatThrownBy(() -> connect(new TcpClient(empty), "empty.test", 1, ConnectOptions.defaults()).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(UnknownHostException.class).hasMessageContaining("no address for empty.test");
    }

    @Test
    void timeoutCoversAResolverThatNeverAnswers() {
        Resolver never = (host, port) -> new CompletableFuture<>();
        assertThatThrownBy(() -> connect(new TcpClient(never), "slow.test", 80,
                ConnectOptions.builder().timeout(Duration.ofMillis(100)).build()).get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(TimeoutException.class)
                .hasMessage("connect to slow.test:80 timed out after 100 ms while resolving");
    }

    @Test
    void timeoutFiresWhenTheListenQueueIsFull() throws Exception {
        // A listener that never accepts, with a full queue: the kernel drops further SYNs, so a
        // connect neither succeeds nor fails.
        ServerSocket full = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        toClose.add(full);
        InetSocketAddress target = new InetSocketAddress("127.0.0.1", full.getLocalPort());
        boolean stuck = false;
        for (int i = 0; i < 16 && !stuck; i++) {
            SocketChannel filler = SocketChannel.open();
            toClose.add(filler);
            filler.configureBlocking(false);
            stuck = !filler.connect(target) && !filler.finishConnect();
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(stuck, "the kernel completes every loopback connect");
        assertThatThrownBy(() -> connect(new TcpClient(), "127.0.0.1", full.getLocalPort(),
                ConnectOptions.builder().timeout(Duration.ofMillis(300)).build()).get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(TimeoutException.class)
                .hasMessage("connect to 127.0.0.1:" + full.getLocalPort() + " timed out after 300 ms while connecting");
    }

    @Test
    void timeoutCoversTheTlsHandshake() throws Exception {
        // Accepts and never answers the ClientHello.
        ServerSocket silent = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
        toClose.add(silent);
        CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return silent.accept();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        ConnectOptions opts = ConnectOptions.builder().timeout(Duration.ofMillis(300)).tls(SSLContext.getDefault()).build();
        assertThatThrownBy(() -> connect(new TcpClient(), "127.0.0.1", silent.getLocalPort(), opts).get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("timed out after 300 ms while the TLS handshake");
        toClose.add(accepted.get(10, TimeUnit.SECONDS));
    }

    @Test
    void connectFromAnotherThreadNeedsALoop() throws Exception {
        int port = echoPort();
        assertThatThrownBy(() -> new TcpClient().connect("127.0.0.1", port))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("loop(loop)");
        // Hold the loop until the continuation is attached, so it runs where the future completes.
        java.util.concurrent.CountDownLatch attached = new java.util.concurrent.CountDownLatch(1);
        loop.addCallback(() -> {
            try {
                attached.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<Thread> completedOn = new CompletableFuture<>();
        CompletableFuture<IOStream> f = new TcpClient().connect("127.0.0.1", port, ConnectOptions.builder().loop(loop).build())
                .whenComplete((s, e) -> completedOn.complete(Thread.currentThread()));
        attached.countDown();
        IOStream stream = f.get(10, TimeUnit.SECONDS);
        toClose.add(stream::close);
        assertThat(completedOn.get().getName()).isEqualTo(loop.name());
        assertThat(echo(stream, "x")).isEqualTo("x\n");
    }

    @Test
    void sourceAddressIsBound() throws Exception {
        int port = echoPort();
        IOStream stream = connect(new TcpClient(), "127.0.0.1", port,
                ConnectOptions.builder().source(InetAddress.getByName("127.0.0.2"), 0).build()).get(10, TimeUnit.SECONDS);
        toClose.add(stream::close);
        assertThat(((InetSocketAddress) stream.localAddress()).getAddress().getHostAddress()).isEqualTo("127.0.0.2");
    }
}
