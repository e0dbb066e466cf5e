package io.gale.net;

import static io.gale.net.NetTesting.startOnLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.ioloop.IOLoop;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class HappyEyeballsConnectorTest {
    private final IOLoop loop = new IOLoop();
    private ServerSocket listener;

    @BeforeEach
    void setUp() throws Exception {
        loop.startInBackground();
        listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    }

    @AfterEach
    void tearDown() throws Exception {
        listener.close();
        loop.close();
    }

    private SocketChannel connect(List<InetSocketAddress> addresses, Duration secondaryDelay) throws Exception {
        return startOnLoop(loop, () -> new HappyEyeballsConnector(loop, "test.example:1", addresses, secondaryDelay, null, 0)
                .start()).get(10, TimeUnit.SECONDS);
    }

    @Test
    void fallsBackToTheNextAddressOfTheSameFamily() throws Exception {
        InetSocketAddress dead = new InetSocketAddress("127.0.0.1", NetTesting.closedPort());
        InetSocketAddress live = new InetSocketAddress("127.0.0.1", listener.getLocalPort());
        try (SocketChannel ch = connect(List.of(dead, live), Duration.ofHours(1))) {
            assertThat(ch.getRemoteAddress()).isEqualTo(live);
            assertThat(ch.isBlocking()).isFalse();
        }
    }

    @Test
    void secondaryFamilyStartsAtOnceWhenThePrimaryFails() throws Exception {
        // Primary IPv6 address refused; the IPv4 one must be tried without waiting an hour.
        InetSocketAddress deadV6 = new InetSocketAddress("::1", NetTesting.closedPort());
        InetSocketAddress live = new InetSocketAddress("127.0.0.1", listener.getLocalPort());
        try (SocketChannel ch = connect(List.of(deadV6, live), Duration.ofHours(1))) {
            assertThat(ch.getRemoteAddress()).isEqualTo(live);
        }
    }

    @Test
    void allFailuresAreAggregatedIntoOneConnectException() throws Exception {
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", NetTesting.closedPort());
        InetSocketAddress b = new InetSocketAddress("127.0.0.2", NetTesting.closedPort());
        assertThatThrownBy(() -> connect(List.of(a, b), Duration.ofMillis(300)))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("could not connect to test.example:1 (2 addresses tried)")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2));
    }

    @Test
    void closeAbandonsAttemptsInFlight() throws Exception {
        InetSocketAddress live = new InetSocketAddress("127.0.0.1", listener.getLocalPort());
        HappyEyeballsConnector c = NetTesting.onLoop(loop, () -> {
            HappyEyeballsConnector con = new HappyEyeballsConnector(loop, "x:1", List.of(live), Duration.ZERO, null, 0);
            con.start();
            con.close();
            return con;
        });
        assertThat(c.result()).isCompletedExceptionally();
    }
}
