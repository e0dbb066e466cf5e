package io.gale.net;

import io.gale.ioloop.ChannelRegistration;
import io.gale.ioloop.IOLoop;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;

/**
 * One non-blocking TCP connect to one address, on one loop: opens the channel, binds the source
 * address if asked, connects, and completes {@link #result()} with the connected channel or the
 * failure. {@link #abandon()} closes the channel of an attempt nobody wants any more.
 *
 * <p>On success the channel stays registered with the loop's selector with no interest, so that
 * the stream which takes it over re-registers it on the same loop without the cancelled-key delay
 * ({@link IOLoop#register} reuses the key of a registered channel).
 *
 * <p>Threading: loop thread only.
 */
final class ConnectAttempt {
    private final IOLoop loop;
    private final InetSocketAddress address;
    private final CompletableFuture<SocketChannel> result = new CompletableFuture<>();
    private SocketChannel channel;
    private ChannelRegistration registration;

    ConnectAttempt(IOLoop loop, InetSocketAddress address) {
        this.loop = loop;
        this.address = address;
    }

    InetSocketAddress address() {
        return address;
    }

    CompletableFuture<SocketChannel> result() {
        return result;
    }

    /** Starts connecting; the outcome arrives through {@link #result()}. */
    ConnectAttempt start(InetAddress sourceAddress, int sourcePort) {
        try {
            boolean v6 = address.getAddress() instanceof Inet6Address;
            channel = SocketChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.configureBlocking(false);
            if (sourceAddress != null || sourcePort != 0) {
                channel.bind(new InetSocketAddress(sourceAddress, sourcePort));
            }
            if (channel.connect(address)) {
                succeed(); // loopback may connect at once
            } else {
                registration = loop.register(channel, SelectionKey.OP_CONNECT, this::onConnectable);
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
        return this;
    }

    private void onConnectable(int readyOps) {
        try {
            if (channel.finishConnect()) {
                registration.setInterest(0);
                succeed();
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    private void succeed() {
        if (!result.complete(channel)) {
            NetUtil.closeQuietly(channel); // abandoned meanwhile
        }
    }

    private void fail(Exception e) {
        NetUtil.closeQuietly(channel);
        result.completeExceptionally(e);
    }

    /** Closes the channel unless the attempt already handed it out. */
    void abandon() {
        if (result.completeExceptionally(new IOException("connect attempt to " + NetUtil.format(address) + " abandoned"))) {
            NetUtil.closeQuietly(channel);
        }
    }
}
