package io.gale.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The proxy's faults, seen through plain blocking sockets against an echo server. */
@Timeout(60)
class FaultProxyTest {
    private ServerSocket echo;
    private Thread echoThread;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        echoThread = Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread.ofVirtual().start(() -> echoUntilEnd(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
        proxy = FaultProxy.to(echo.getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        echo.close();
        echoThread.join();
    }

    private static void echoUntilEnd(Socket s) {
        try (s) {
            s.getInputStream().transferTo(s.getOutputStream());
            s.shutdownOutput();
        } catch (IOException ignored) {
            // the proxy reset us: that is what some tests do
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setSoTimeout(20_000);
        return s;
    }

    @Test
    void withoutFaultsBytesPassBothWaysAndTheEndIsPassedOn() throws Exception {
        byte[] data = new byte[300_000];
        new Random(1).nextBytes(data);
        try (Socket s = connect()) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(s.getInputStream().readAllBytes()).isEqualTo(data); // ends: the FIN came back
            writer.join();
        }
        awaitNoOpenConnections();
        assertThat(proxy.bytesUpstream()).isEqualTo(data.length);
        assertThat(proxy.bytesDownstream()).isEqualTo(data.length);
        assertThat(proxy.accepted()).isEqualTo(1);
    }

    @Test
    void latencyBandwidthAndDripDelayButKeepEveryByteInOrder() throws Exception {
        proxy.upstream(Fault.latency(Duration.ofMillis(20)).and(Fault.bandwidth(200_000)));
        proxy.downstream(Fault.drip(7, Duration.ofMillis(1)));
        byte[] data = new byte[2_000];
        new Random(2).nextBytes(data);
        try (Socket s = connect()) {
            s.getOutputStream().write(data);
            s.shutdownOutput();
            assertThat(s.getInputStream().readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void resetAfterCutsTheConnectionWithAReset() throws Exception {
        proxy.downstream(Fault.resetAfter(1_000));
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(new byte[5_000]);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            assertThatThrownBy(() -> {
                byte[] buf = new byte[512];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    got.write(buf, 0, n);
                }
                throw new AssertionError("end of stream instead of a reset after " + got.size());
            }).isInstanceOf(SocketException.class);
            assertThat(got.size()).isLessThanOrEqualTo(1_000);
        }
        awaitNoOpenConnections();
        assertThat(proxy.bytesDownstream()).isEqualTo(1_000);
    }

    @Test
    void closeAfterHalfClosesOneDirectionOnly() throws Exception {
        proxy.upstream(Fault.closeAfter(3));
        try (Socket s = connect()) {
            s.getOutputStream().write("abcdef".getBytes());
            // the server got "abc" then a FIN, echoed "abc" and ended its side: we see both
            assertThat(new String(s.getInputStream().readAllBytes())).isEqualTo("abc");
        }
    }

    @Test
    void aBlackHoleSwallowsWithoutClosing() throws Exception {
        proxy.upstream(Fault.blackHole());
        try (Socket s = connect()) {
            s.setSoTimeout(300);
            s.getOutputStream().write("hello".getBytes());
            // nothing comes back, ever, and the connection stays open: the read times out
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            proxy.upstream(Fault.none());
            s.setSoTimeout(20_000);
            s.getOutputStream().write("!".getBytes());
            assertThat(s.getInputStream().read()).isEqualTo('!');
        }
    }

    @Test
    void resetAllAndRefusedConnections() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write(1);
            assertThat(s.getInputStream().read()).isEqualTo(1);
            proxy.resetAll();
            assertThatThrownBy(() -> {
                s.getOutputStream().write(2);
                s.getInputStream().read();
                throw new AssertionError("still open");
            }).isInstanceOf(SocketException.class);
        }
        proxy.refuseConnections(true);
        try (Socket s = connect()) {
            assertThatThrownBy(() -> {
                int n = s.getInputStream().read();
                throw new AssertionError("read " + n);
            }).isInstanceOf(SocketException.class);
        }
        assertThat(proxy.accepted()).isEqualTo(2);
        awaitNoOpenConnections();
    }

    private void awaitNoOpenConnections() throws InterruptedException {
        proxy.awaitNoConnections(Duration.ofSeconds(20));
    }
}
