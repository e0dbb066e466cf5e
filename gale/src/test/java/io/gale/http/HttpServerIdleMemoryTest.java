package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServerTesting.Running;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heap held per idle keep-alive connection, measured as the growth of the live heap (after a
 * collection) with 1000 connections that each served one request, divided by their number. The
 * figure includes the test's own client channels, so it bounds the server's share from above.
 */
@Timeout(60)
class HttpServerIdleMemoryTest {
    private static final Logger log = LoggerFactory.getLogger(HttpServerIdleMemoryTest.class);
    private static final int N = 1000;

    private static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void idleKeepAliveConnectionsAreSmall() throws Exception {
        try (Running s = HttpServerTesting.start(HttpServerRawTest.APP)) {
            byte[] req = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            InetSocketAddress addr = new InetSocketAddress("127.0.0.1", s.port);
            // warm up: loop buffers, classes, the date cache
            List<SocketChannel> clients = new ArrayList<>();
            clients.add(open(addr, req));
            long before = liveHeap();
            for (int i = 1; i <= N; i++) {
                clients.add(open(addr, req));
            }
            long after = liveHeap();
            long perConnection = (after - before) / N;
            log.info("idle keep-alive connection: about {} bytes of heap each (server and test client)", perConnection);
            assertThat(s.server.connectionCount()).isEqualTo(N + 1);
            assertThat(perConnection).isLessThan(5 * 1024);
            for (SocketChannel c : clients) {
                c.close();
            }
        }
    }

    private static SocketChannel open(InetSocketAddress addr, byte[] req) throws Exception {
        SocketChannel c = SocketChannel.open(addr);
        c.write(ByteBuffer.wrap(req));
        ByteBuffer in = ByteBuffer.allocate(512);
        // the response is small: read until its 5-byte body ("hello") has arrived
        while (true) {
            c.read(in);
            String got = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
            if (got.endsWith("hello")) {
                return c;
            }
        }
    }
}
