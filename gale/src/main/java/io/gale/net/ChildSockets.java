package io.gale.net;

import io.gale.internal.autoreload.ChildLink;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a {@link TcpServer}'s listening sockets come from. Normally {@link NetUtil#bindSockets}.
 * In a child of the dev-mode supervisor ({@code io.gale.autoreload}), one socket on an ephemeral
 * loopback port instead, to which the supervisor forwards the public port the application asked
 * for; the server then reports the public addresses as its own (what clients connect to, and
 * what a demo prints), and it drains when a newer child replaces this one.
 */
final class ChildSockets {
    /**
     * Sockets to accept on and the addresses to report.
     *
     * @param channels the listening sockets
     * @param addresses their addresses as clients see them
     */
    record Bound(List<ServerSocketChannel> channels, List<InetSocketAddress> addresses) {
    }

    private ChildSockets() {
    }

    static Bound bind(int port, String address, int backlog, boolean reusePort, TcpServer server) throws IOException {
        if (!ChildLink.active()) {
            List<ServerSocketChannel> socks = NetUtil.bindSockets(port, address, backlog, reusePort);
            List<InetSocketAddress> addresses = new ArrayList<>(socks.size());
            for (ServerSocketChannel s : socks) {
                addresses.add((InetSocketAddress) s.getLocalAddress());
            }
            return new Bound(socks, addresses);
        }
        ChildLink link = ChildLink.get();
        ChildLink.Bound b = link.bind(port, address, backlog);
        link.addDrain(server::drainForRestart);
        return new Bound(List.of(b.channel()), b.publicAddresses());
    }
}
