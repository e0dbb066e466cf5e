package io.gale.bench.peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Raw Netty 4.2 HTTP/1.1 peer: {@link HttpServerCodec} plus one handler, the way a Netty user
 * writes the fastest possible TechEmpower server (responses written per request, flushed once per
 * read batch, so pipelined requests are answered in one write).
 *
 * <p>Usage: {@code NettyPeer --port N [--transport nio|epoll] [--threads N]} (threads default to
 * the number of available processors). Serves {@code /plaintext} and {@code /json} on 127.0.0.1
 * until killed. With {@code --http2 true [--tls-port N --keystore F.p12 --keystore-password P]}:
 * HTTP/2 as well, see {@link NettyH2}.
 */
public final class NettyPeer {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final ByteBuf HELLO = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer().writeBytes("Hello, World!".getBytes(StandardCharsets.US_ASCII))).asReadOnly();

    static final AsciiString SERVER = AsciiString.cached("Netty");
    /** TechEmpower's Date header, formatted once a second by a task on the worker group. */
    static volatile AsciiString date = new AsciiString(HttpDate.now());

    private NettyPeer() {}

    /** One instance per connection; runs on that connection's event loop. */
    static final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            try {
                if (msg instanceof HttpRequest req) {
                    ctx.write(respond(req.uri()), ctx.voidPromise());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private static FullHttpResponse respond(String uri) throws Exception {
            FullHttpResponse resp;
            if (uri.equals("/plaintext")) {
                resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, HELLO.duplicate());
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
            } else if (uri.equals("/json")) {
                // serialised per request, as TechEmpower requires
                byte[] body = MAPPER.writeValueAsBytes(Map.of("message", "Hello, World!"));
                resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            } else {
                resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER);
            }
            resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes())
                    .set(HttpHeaderNames.SERVER, SERVER).set(HttpHeaderNames.DATE, date);
            return resp;
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
        PeerArgs a = PeerArgs.parse(args, "transport", "threads", "http2", "tls-port", "keystore", "keystore-password");
        String transport = a.get("transport", "nio");
        int threads = Integer.parseInt(a.get("threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        NettyTransport t = NettyTransport.of(transport);
        IoHandlerFactory factory = t.factory();
        Class<? extends ServerChannel> channel = t.channel();
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, factory);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads, factory);
        workers.scheduleAtFixedRate(() -> date = new AsciiString(HttpDate.now()), 1, 1, TimeUnit.SECONDS);
        boolean http2 = Boolean.parseBoolean(a.get("http2", "false"));
        if (http2) {
            int tlsPort = Integer.parseInt(a.get("tls-port", "0"));
            if (tlsPort > 0) {
                var tls = NettyH2.tlsContext(java.nio.file.Path.of(a.get("keystore", "")),
                        a.get("keystore-password", "changeit").toCharArray());
                NettyH2.bootstrap(boss, workers, channel, NettyH2.tlsInitializer(tls)).bind("127.0.0.1", tlsPort).sync();
                System.out.println("netty " + transport + " https (h2, http/1.1) on 127.0.0.1:" + tlsPort);
            }
            Channel ch = NettyH2.bootstrap(boss, workers, channel, NettyH2.cleartextInitializer())
                    .bind("127.0.0.1", a.port()).sync().channel();
            System.out.println("netty " + transport + " listening on 127.0.0.1:" + a.port() + " (http/1.1, h2c) threads=" + threads);
            ch.closeFuture().sync();
            return;
        }
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers).channel(channel)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new Handler());
                    }
                });
        Channel ch = b.bind("127.0.0.1", a.port()).sync().channel();
        System.out.println("netty " + transport + " listening on 127.0.0.1:" + a.port() + " threads=" + threads);
        ch.closeFuture().sync();
    }
}
