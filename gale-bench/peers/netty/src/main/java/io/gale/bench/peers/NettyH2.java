package io.gale.bench.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AsciiString;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;

/**
 * Netty 4.2's HTTP/2 side of {@link NettyPeer} ({@code --http2 true}), written the way Netty's own
 * HTTP/2 hello-world example is: an {@link Http2ConnectionHandler} whose frame listener answers on
 * the connection's channel (no child channel per stream), responses flushed once per read batch by
 * the handler. On the plain port {@link CleartextHttp2ServerUpgradeHandler} takes h2c with prior
 * knowledge (and Upgrade: h2c) and leaves HTTP/1.1 to {@link NettyPeer.Handler}; on the TLS port
 * (TLS 1.3 only, the JDK's SSLEngine, as Vert.x and Gale use), ALPN picks {@code h2} or
 * {@code http/1.1}. Serves {@code /plaintext} only over HTTP/2 (404 otherwise).
 */
final class NettyH2 {
    private static final AsciiString PLAINTEXT = AsciiString.cached("/plaintext");
    private static final AsciiString OK = AsciiString.cached("200");
    private static final AsciiString NOT_FOUND = AsciiString.cached("404");

    private NettyH2() {}

    static ServerBootstrap bootstrap(EventLoopGroup boss, EventLoopGroup workers, Class<? extends ServerChannel> channel,
            ChannelHandler init) {
        return new ServerBootstrap().group(boss, workers).channel(channel)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(init);
    }

    /** HTTP/1.1 and h2c (prior knowledge or Upgrade) on one plain port. */
    static ChannelHandler cleartextInitializer() {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                HttpServerCodec codec = new HttpServerCodec();
                HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec, protocol ->
                        AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                                ? new Http2ServerUpgradeCodec(new Builder().build()) : null);
                ch.pipeline().addLast(new CleartextHttp2ServerUpgradeHandler(codec, upgrade, new Builder().build()),
                        new NettyPeer.Handler());
            }
        };
    }

    /** TLS 1.3 with ALPN h2 / http/1.1. */
    static ChannelHandler tlsInitializer(SslContext tls) {
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(tls.newHandler(ch.alloc()),
                        new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
                            @Override
                            protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                                if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                                    ctx.pipeline().addLast(new Builder().build());
                                } else {
                                    ctx.pipeline().addLast(new HttpServerCodec(), new NettyPeer.Handler());
                                }
                            }
                        });
            }
        };
    }

    static SslContext tlsContext(Path keyStore, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        return SslContextBuilder.forServer(kmf).sslProvider(SslProvider.JDK).protocols("TLSv1.3")
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                .build();
    }

    /** One per connection. */
    static final class Handler extends Http2ConnectionHandler {
        Handler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
            super(decoder, encoder, settings);
        }

        void respond(ChannelHandlerContext ctx, int streamId, Http2Headers request) {
            boolean found = PLAINTEXT.contentEquals(request.path());
            Http2Headers headers = new DefaultHttp2Headers().status(found ? OK : NOT_FOUND)
                    .set(HttpHeaderNames.SERVER, NettyPeer.SERVER).set(HttpHeaderNames.DATE, NettyPeer.date);
            if (!found) {
                encoder().writeHeaders(ctx, streamId, headers.setInt(HttpHeaderNames.CONTENT_LENGTH, 0), 0, true,
                        ctx.voidPromise());
                return;
            }
            ByteBuf body = NettyPeer.HELLO.duplicate();
            headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            encoder().writeHeaders(ctx, streamId, headers, 0, false, ctx.voidPromise());
            encoder().writeData(ctx, streamId, body, 0, true, ctx.voidPromise());
        }
    }

    /** Answers a request when its headers (or its body's last DATA frame) end the stream. */
    private static final class Listener extends Http2FrameAdapter {
        private final Handler handler;
        private final java.util.Map<Integer, Http2Headers> waiting = new java.util.HashMap<>();

        Listener(Handler handler) {
            this.handler = handler;
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                boolean endOfStream) {
            if (endOfStream) {
                handler.respond(ctx, streamId, headers);
            } else {
                waiting.put(streamId, headers);
            }
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                short weight, boolean exclusive, int padding, boolean endOfStream) {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
            if (endOfStream) {
                Http2Headers headers = waiting.remove(streamId);
                if (headers != null) {
                    handler.respond(ctx, streamId, headers);
                }
            }
            return data.readableBytes() + padding;
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
            waiting.remove(streamId);
        }
    }

    private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<Handler, Builder> {
        @Override
        public Handler build() {
            return super.build();
        }

        @Override
        protected Handler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
            Handler h = new Handler(decoder, encoder, settings);
            frameListener(new Listener(h));
            return h;
        }
    }
}
