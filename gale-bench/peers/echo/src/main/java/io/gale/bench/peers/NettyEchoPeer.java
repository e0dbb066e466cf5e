package io.gale.bench.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;

/**
 * Netty 4.2 TCP echo peer for the stream-layer (IOStream) echo benchmark: every byte read is
 * written back unchanged; writes are flushed once per read batch.
 *
 * <p>Usage: {@code NettyEchoPeer --port N [--transport nio|epoll] [--threads N]}. Listens on
 * 127.0.0.1 until killed.
 */
public final class NettyEchoPeer {
    private NettyEchoPeer() {}

    /** Stateless, so one instance serves every connection. */
    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise()); // ownership of the buffer passes to the write
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    public static void main(String[] args) throws Exception {
        PeerArgs a = PeerArgs.parse(args, "transport", "threads");
        String transport = a.get("transport", "nio");
        int threads = Integer.parseInt(a.get("threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        NettyTransport t = NettyTransport.of(transport);
        IoHandlerFactory factory = t.factory();
        Class<? extends ServerChannel> channel = t.channel();
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, factory);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads, factory);
        Echo echo = new Echo();
        Channel ch = new ServerBootstrap()
                .group(boss, workers).channel(channel)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(echo)
                .bind("127.0.0.1", a.port()).sync().channel();
        System.out.println("netty echo " + transport + " listening on 127.0.0.1:" + a.port() + " threads=" + threads);
        ch.closeFuture().sync();
    }
}
