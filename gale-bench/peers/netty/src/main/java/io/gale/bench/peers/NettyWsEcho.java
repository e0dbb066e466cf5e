package io.gale.bench.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * Netty 4.2 WebSocket echo peer of {@code gale-bench/run-ws}: {@code HttpServerCodec},
 * {@code HttpObjectAggregator} (for the handshake request) and
 * {@code WebSocketServerProtocolHandler} on {@code /ws} (no compression handler), then a handler
 * that writes every data frame back (retained, so no copy) and flushes once per read batch.
 *
 * <p>Usage: {@code NettyWsEcho --port N [--threads 1] [--transport nio|epoll]}; a one-thread boss
 * group accepts, {@code --threads} event loops serve. Listens on 127.0.0.1 until killed.
 */
public final class NettyWsEcho {
    private NettyWsEcho() {}

    /** Stateless: one instance shared by every channel. */
    @io.netty.channel.ChannelHandler.Sharable
    private static final class Echo extends SimpleChannelInboundHandler<WebSocketFrame> {
        Echo() {
            super(false); // the frame is passed on to write(), which releases it
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            ctx.write(frame, ctx.voidPromise());
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
        int threads = Integer.parseInt(a.get("threads", "1"));
        NettyTransport t = NettyTransport.of(transport);
        IoHandlerFactory factory = t.factory();
        Class<? extends ServerChannel> channel = t.channel();
        Echo echo = new Echo();
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, factory);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads, factory);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers).channel(channel)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/ws"), echo);
                    }
                });
        Channel ch = b.bind("127.0.0.1", a.port()).sync().channel();
        System.out.println("netty ws " + transport + " listening on 127.0.0.1:" + a.port() + " threads=" + threads);
        ch.closeFuture().sync();
    }
}
