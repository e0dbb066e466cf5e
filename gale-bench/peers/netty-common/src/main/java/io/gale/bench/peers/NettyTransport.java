package io.gale.bench.peers;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/** The Netty transport a peer runs on ({@code --transport nio|epoll}): its I/O handler and server channel. */
public record NettyTransport(IoHandlerFactory factory, Class<? extends ServerChannel> channel) {
    public static NettyTransport of(String name) {
        return switch (name) {
            case "epoll" -> {
                Epoll.ensureAvailability();
                yield new NettyTransport(EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
            }
            case "nio" -> new NettyTransport(NioIoHandler.newFactory(), NioServerSocketChannel.class);
            default -> throw new IllegalArgumentException("--transport must be nio or epoll: " + name);
        };
    }
}
