package io.gale.net;

import static io.gale.net.NetTesting.onLoop;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.ioloop.IOLoop;
import io.gale.iostream.IOStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When a {@link TcpServer} asks its {@link IdleConnectionCloser} for room: at maxConnections only
 * when a client really waits, near the descriptor limit on every accept. The closer here closes
 * the oldest connection it was given, standing in for the HTTP layer's idle bookkeeping.
 */
@Timeout(30)
class TcpServerLowResourcesTest {
    private final IOLoop loop = new IOLoop();
    private final List<IOStream> streams = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Integer> asked = new LinkedBlockingQueue<>();
    private final List<Socket> sockets = new ArrayList<>();
    private TcpServer server;

    TcpServerLowResourcesTest() {
        loop.startInBackground();
    }

    @AfterEach
    void tearDown() {
        sockets.forEach(NetUtil::closeQuietly);
        if (server != null) {
            server.stop(true);
        }
        loop.close();
    }

    private final IdleConnectionCloser closer = count -> {
        asked.add(count);
        IOStream oldest = streams.remove(0);
        oldest.loop().addCallback(oldest::close);
    };

    private int start(ServerOptions options, DescriptorGauge gauge) throws IOException {
        server = new TcpServer((stream, address) -> {
            streams.add(stream);
            EchoHandler.echo(stream);
        }, options, closer, gauge);
        server.bind(0, "127.0.0.1").start(loop);
        return server.boundPorts().get(0);
    }

    private Socket connect(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(20_000);
        sockets.add(s);
        return s;
    }

    private static String echo(Socket s, String line) throws IOException {
        s.getOutputStream().write((line + "\n").getBytes(US_ASCII));
        InputStream in = s.getInputStream();
        return new String(in.readNBytes(line.length() + 1), US_ASCII);
    }

    @Test
    void atTheLimitAConnectionIsClosedOnlyWhenAClientWaits() throws Exception {
        int port = start(ServerOptions.builder().maxConnections(1).build(), null);
        Socket first = connect(port);
        assertThat(echo(first, "one")).isEqualTo("one\n");
        // At the limit, nobody waiting: two passes of the accept loop ask for nothing.
        onLoop(loop, () -> null);
        onLoop(loop, () -> null);
        assertThat(asked).isEmpty();
        assertThat(server.lowResources()).isFalse();

        Socket second = connect(port);
        assertThat(echo(second, "two")).isEqualTo("two\n");
        assertThat(asked.poll(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(first.getInputStream().read()).as("the first connection, closed for the second").isEqualTo(-1);
        assertThat(asked).isEmpty();
        assertThat(server.lowResources()).as("nobody waits any more").isFalse();
    }

    @Test
    void nearTheDescriptorLimitEachAcceptAsksForOne() throws Exception {
        AtomicLong open = new AtomicLong(10);
        int port = start(ServerOptions.defaults(), new DescriptorGauge(open::get, 100, 0));
        Socket first = connect(port);
        assertThat(echo(first, "one")).isEqualTo("one\n");
        assertThat(asked).isEmpty();
        assertThat(server.lowResources()).isFalse();

        open.set(95); // over 90 % of 100, and still after the first one closes
        Socket second = connect(port);
        assertThat(echo(second, "two")).isEqualTo("two\n");
        assertThat(asked.poll(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(first.getInputStream().read()).isEqualTo(-1);
        assertThat(server.lowResources()).isTrue();

        open.set(50);
        Socket third = connect(port);
        assertThat(echo(third, "three")).isEqualTo("three\n");
        assertThat(asked).isEmpty();
        assertThat(server.lowResources()).isFalse();
    }

    @Test
    void theProcessGaugeReadsTheJdksDescriptorLimit() {
        var os = (com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        DescriptorGauge g = DescriptorGauge.ofProcess();
        assertThat(g).isNotNull();
        assertThat(g.threshold()).isEqualTo((long) Math.ceil(os.getMaxFileDescriptorCount() * 0.9));
        g.sample(System.nanoTime(), 0);
        assertThat(g.nearLimit(0)).isFalse();
        assertThat(g.nearLimit((int) g.threshold())).isTrue();
    }

    @Test
    void theLimitIsTheSoftValueOfMaxOpenFiles(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path limits = dir.resolve("limits");
        java.nio.file.Files.writeString(limits, """
                Limit                     Soft Limit           Hard Limit           Units
                Max cpu time              unlimited            unlimited            seconds
                Max open files            20000                20000                files
                """);
        assertThat(DescriptorGauge.openFilesLimit(limits)).isEqualTo(20000);
        java.nio.file.Files.writeString(limits, "Max open files            unlimited            unlimited            files\n");
        assertThat(DescriptorGauge.openFilesLimit(limits)).isEqualTo(-1);
        java.nio.file.Files.writeString(limits, "Max processes 10 10 processes\n");
        assertThat(DescriptorGauge.openFilesLimit(limits)).isEqualTo(-1);
        assertThat(DescriptorGauge.openFilesLimit(dir.resolve("absent"))).isEqualTo(-1);
        java.nio.file.Files.writeString(limits, "Max open files\t1024"); // a tab, and no line end
        assertThat(DescriptorGauge.openFilesLimit(limits)).isEqualTo(1024);
        java.nio.file.Files.writeString(limits, "Max open files 12x 12 files\n");
        assertThat(DescriptorGauge.openFilesLimit(limits)).as("a number running into a letter").isEqualTo(-1);
        java.nio.file.Files.writeString(limits, "Max open files 1234567890123456789012 1 files\n");
        assertThat(DescriptorGauge.openFilesLimit(limits)).as("beyond a long").isEqualTo(-1);
        java.nio.file.Files.writeString(limits, "Max open\nfiles 10\n");
        assertThat(DescriptorGauge.openFilesLimit(limits)).isEqualTo(-1);
        java.nio.file.Files.writeString(limits, "");
        assertThat(DescriptorGauge.openFilesLimit(limits)).isEqualTo(-1);
    }
}
