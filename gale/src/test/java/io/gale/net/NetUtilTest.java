package io.gale.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class NetUtilTest {
    @Test
    void recognisesNumericAddressesOnly() {
        for (String ok : List.of("127.0.0.1", "0.0.0.0", "255.255.255.255", "::1", "::", "[::1]", "fe80::1%lo",
                "2001:db8::8a2e:370:7334", "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1", "1::", "::1.2.3.4", "1:2:3:4:5:6:1.2.3.4")) {
            assertThat(NetUtil.isValidIp(ok)).as(ok).isTrue();
        }
        for (String bad : List.of("", "localhost", "example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3",
                "1.2.3.", "01234.1.1.1", "a\0b", "1.2.3.4\0", ":::", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::",
                "g::1", "fe80::1%", ":1", "[::1", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:1.2.3.4", "::ffff:1.2.3", "1:2:3:4:5:6:7:8%")) {
            assertThat(NetUtil.isValidIp(bad)).as(bad).isFalse();
        }
        assertThat(NetUtil.isValidIp(null)).isFalse();
    }

    @Test
    void wildcardPortZeroServesBothFamiliesOnOnePort() throws Exception {
        List<ServerSocketChannel> socks = NetUtil.bindSockets(0, null, 0, false);
        try {
            assertThat(socks).hasSize(1);
            int port = ((InetSocketAddress) socks.get(0).getLocalAddress()).getPort();
            assertThat(port).isPositive();
            assertConnects(InetAddress.getByName("127.0.0.1"), port);
            assumeTrue(NetTesting.ipv6LoopbackAvailable(), "::1 unavailable");
            assertConnects(InetAddress.getByName("::1"), port);
        } finally {
            socks.forEach(NetUtil::closeQuietly);
        }
    }

    @Test
    void localhostBindsEveryAddressOnTheSamePort() throws Exception {
        List<ServerSocketChannel> socks = NetUtil.bindSockets(0, "localhost", 16, false);
        try {
            assertThat(socks).isNotEmpty();
            int port = ((InetSocketAddress) socks.get(0).getLocalAddress()).getPort();
            for (ServerSocketChannel s : socks) {
                assertThat(((InetSocketAddress) s.getLocalAddress()).getPort()).isEqualTo(port);
                assertConnects(((InetSocketAddress) s.getLocalAddress()).getAddress(), port);
            }
        } finally {
            socks.forEach(NetUtil::closeQuietly);
        }
    }

    @Test
    void busyPortFailsWithTheAddressInTheMessage() throws Exception {
        List<ServerSocketChannel> first = NetUtil.bindSockets(0, "127.0.0.1", 0, false);
        try {
            int port = ((InetSocketAddress) first.get(0).getLocalAddress()).getPort();
            assertThatThrownBy(() -> NetUtil.bindSockets(port, "127.0.0.1", 0, false))
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining("127.0.0.1:" + port);
        } finally {
            first.forEach(NetUtil::closeQuietly);
        }
    }

    @Test
    void reusePortLetsTwoSocketsShareAPort() throws Exception {
        List<ServerSocketChannel> first = NetUtil.bindSockets(0, "127.0.0.1", 0, true);
        try {
            int port = ((InetSocketAddress) first.get(0).getLocalAddress()).getPort();
            List<ServerSocketChannel> second = NetUtil.bindSockets(port, "127.0.0.1", 0, true);
            second.forEach(NetUtil::closeQuietly);
        } catch (UnsupportedOperationException e) {
            assumeTrue(false, "SO_REUSEPORT unsupported");
        } finally {
            first.forEach(NetUtil::closeQuietly);
        }
    }

    @Test
    void rejectsBadPorts() {
        assertThatThrownBy(() -> NetUtil.bindSockets(70000, null, 0, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NetUtil.bindSockets(-1, null, 0, false)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertConnects(InetAddress address, int port) throws IOException {
        try (SocketChannel c = SocketChannel.open(new InetSocketAddress(address, port))) {
            assertThat(c.isConnected()).isTrue();
        }
    }
}
