package io.gale.net;

import static io.gale.net.NetTesting.onLoop;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.ioloop.IOLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class AcceptorTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private final IOLoop loop = new IOLoop();
    private final List<AutoCloseableChannel> toClose = new ArrayList<>();

    private record AutoCloseableChannel(java.nio.channels.Channel ch) {}

    @AfterEach
    void tearDown() {
        toClose.forEach(c -> NetUtil.closeQuietly(c.ch()));
        loop.close();
    }

    private record Retry(long delayNanos, Runnable task) {}

    @Test
    void acceptFailuresBackOffWithoutSpinningAndRecover() throws Exception {
        loop.startInBackground();
        ServerSocketChannel server = NetUtil.bindSockets(0, "127.0.0.1", 8, false).get(0);
        toClose.add(new AutoCloseableChannel(server));
        int failuresToSimulate = 3;
        AtomicInteger attempts = new AtomicInteger();
        Acceptor.AcceptFunction flaky = ch -> {
            if (attempts.incrementAndGet() <= failuresToSimulate) {
                throw new IOException("Too many open files");
            }
            return ch.accept();
        };
        BlockingQueue<Retry> retries = new LinkedBlockingQueue<>();
        Acceptor.RetryScheduler scheduler = (delay, task) -> {
            retries.add(new Retry(delay, task));
            return () -> {};
        };
        CompletableFuture<SocketChannel> accepted = new CompletableFuture<>();
        Acceptor acceptor = onLoop(loop, () -> {
            Acceptor a = new Acceptor(loop, server, accepted::complete, () -> true,
                    new AcceptBackoff(10 * MS, 1000 * MS), scheduler, flaky);
            a.start();
            return a;
        });

        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        toClose.add(new AutoCloseableChannel(client));

        List<Long> delays = new ArrayList<>();
        for (int i = 1; i <= failuresToSimulate; i++) {
            Retry r = retries.poll(10, TimeUnit.SECONDS);
            assertThat(r).as("retry %d scheduled", i).isNotNull();
            delays.add(r.delayNanos() / MS);
            // While a retry is pending the acceptor does not wait for OP_ACCEPT, so it cannot spin:
            // exactly one accept call per failure, however long the test takes to run the retry.
            assertThat(onLoop(loop, acceptor::isWaiting)).isTrue();
            assertThat(attempts.get()).isEqualTo(i);
            loop.addCallback(r.task());
        }
        SocketChannel serverSide = accepted.get(10, TimeUnit.SECONDS);
        toClose.add(new AutoCloseableChannel(serverSide));
        assertThat(delays).containsExactly(10L, 20L, 40L);
        assertThat(serverSide.getRemoteAddress()).isEqualTo(client.getLocalAddress());
        assertThat(onLoop(loop, acceptor::isWaiting)).isFalse();
        onLoop(loop, () -> {
            acceptor.close();
            return null;
        });
        assertThat(server.isOpen()).isFalse();
    }

    @Test
    void admissionGatePausesAcceptingUntilResumed() throws Exception {
        loop.startInBackground();
        ServerSocketChannel server = NetUtil.bindSockets(0, "127.0.0.1", 8, false).get(0);
        toClose.add(new AutoCloseableChannel(server));
        AtomicBoolean admit = new AtomicBoolean(false);
        BlockingQueue<SocketChannel> accepted = new LinkedBlockingQueue<>();
        Acceptor acceptor = onLoop(loop, () -> {
            Acceptor a = Acceptor.create(loop, server, accepted::add, admit::get, new AcceptBackoff(MS, MS));
            a.start();
            return a;
        });
        SocketChannel client = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                ((InetSocketAddress) server.getLocalAddress()).getPort()));
        toClose.add(new AutoCloseableChannel(client));
        // The loop saw the connection and paused instead of accepting it.
        while (!onLoop(loop, acceptor::isWaiting)) {
            Thread.onSpinWait();
        }
        assertThat(accepted).isEmpty();
        admit.set(true);
        onLoop(loop, () -> {
            acceptor.resume();
            return null;
        });
        SocketChannel serverSide = accepted.poll(10, TimeUnit.SECONDS);
        assertThat(serverSide).isNotNull();
        toClose.add(new AutoCloseableChannel(serverSide));
    }
}
