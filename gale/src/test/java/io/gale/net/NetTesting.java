package io.gale.net;

import io.gale.ioloop.IOLoop;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Helpers shared by the net tests. */
final class NetTesting {
    private NetTesting() {}

    /** Runs {@code r} on the loop and waits for its value. */
    static <T> T onLoop(IOLoop loop, Callable<T> r) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.addCallback(() -> {
            try {
                f.complete(r.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(20, TimeUnit.SECONDS);
    }

    /** Starts {@code op} on the loop and returns its future (completing on the loop). */
    static <T> CompletableFuture<T> startOnLoop(IOLoop loop, Supplier<? extends CompletionStage<T>> op) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.addCallback(() -> {
            try {
                op.get().whenComplete((v, e) -> {
                    if (e != null) {
                        f.completeExceptionally(e);
                    } else {
                        f.complete(v);
                    }
                });
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** A loopback port where nothing listens (bound then released; the kernel refuses connects). */
    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** True when ::1 can be bound and connected to on this host. */
    static boolean ipv6LoopbackAvailable() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"));
                SocketChannel c = SocketChannel.open(new InetSocketAddress(InetAddress.getByName("::1"), s.getLocalPort()))) {
            return c.getRemoteAddress() instanceof InetSocketAddress a && a.getAddress() instanceof Inet6Address;
        } catch (Exception e) {
            return false;
        }
    }
}
