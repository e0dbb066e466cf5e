package io.gale.iostream;

import static io.gale.iostream.Loops.await;
import static io.gale.iostream.Loops.awaitState;
import static io.gale.iostream.Loops.call;
import static io.gale.iostream.Loops.failure;
import static io.gale.iostream.Loops.on;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gale.ioloop.IOLoop;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** IOStream over real loopback sockets; the peer is a blocking java.net.Socket in the test thread. */
@Timeout(60)
class IOStreamTest {
    private IOLoop loop;
    private ServerSocket server;
    private IOStream stream;
    private Socket peer;

    @BeforeEach
    void setUp() throws IOException {
        loop = Loops.startLoop("iostream-test");
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void tearDown() throws IOException {
        if (stream != null) {
            stream.close();
        }
        if (peer != null) {
            peer.close();
        }
        server.close();
        loop.close();
    }

    private void connect(IOStreamOptions options) throws IOException {
        CompletableFuture<IOStream> f = IOStream.connect(loop, server.getLocalSocketAddress(), options);
        peer = server.accept();
        peer.setTcpNoDelay(true);
        peer.setSoTimeout(30_000); // blocking peer reads must not outlive the test
        stream = await(f);
    }

    private void connect() throws IOException {
        connect(IOStreamOptions.defaults());
    }

    private void send(String s) throws IOException {
        peer.getOutputStream().write(s.getBytes(ISO_8859_1));
        peer.getOutputStream().flush();
    }

    private static String str(byte[] b) {
        return new String(b, ISO_8859_1);
    }

    @Test
    void everyReadMode() throws IOException {
        connect();
        send("line one\r\nheader: x\r\n\r\n12345abcdefgh");
        assertThat(str(await(on(loop, () -> stream.readUntil("\r\n".getBytes(ISO_8859_1), 100))))).isEqualTo("line one\r\n");
        assertThat(str(await(on(loop, () -> stream.readUntilRegex(Pattern.compile("\r?\n\r?\n"), 100)))))
                .isEqualTo("header: x\r\n\r\n");
        assertThat(str(await(on(loop, () -> stream.readBytes(5, false))))).isEqualTo("12345");
        ByteBuffer dst = ByteBuffer.allocate(3);
        assertThat(await(on(loop, () -> stream.readInto(dst, false)))).isEqualTo(3);
        assertThat(str(dst.array())).isEqualTo("abc");
        assertThat(str(await(on(loop, () -> stream.readBytes(100, true))))).isEqualTo("defgh");
        send("tail");
        peer.shutdownOutput();
        assertThat(str(await(on(loop, () -> stream.readUntilClose())))).isEqualTo("tail");
        assertThat(call(loop, () -> stream.isClosed())).isTrue();
        assertThat(call(loop, () -> stream.error())).isInstanceOf(EOFException.class);
    }

    @Test
    void readIntoReadsStraightIntoTheCallersBufferAndPartialReturnsEarly() throws IOException {
        connect();
        CompletableFuture<Integer> f = on(loop, () -> stream.readInto(ByteBuffer.allocateDirect(1000), true));
        send("xyz");
        assertThat(await(f)).isEqualTo(3);
        ByteBuffer full = ByteBuffer.allocate(6);
        CompletableFuture<Integer> g = on(loop, () -> stream.readInto(full, false));
        send("abc");
        send("def");
        assertThat(await(g)).isEqualTo(6);
        assertThat(str(full.array())).isEqualTo("abcdef");
    }

    @Test
    void peerSendingOneByteAtATimeSatisfiesDelimiterAndRegexReads() throws IOException {
        connect();
        String head = "GET /path HTTP/1.1\r\nHost: example\r\n\r\n";
        CompletableFuture<byte[]> f = on(loop, () -> stream.readUntil("\r\n\r\n".getBytes(ISO_8859_1), 1000));
        for (char c : head.toCharArray()) {
            send(String.valueOf(c));
        }
        assertThat(str(await(f))).isEqualTo(head);
        CompletableFuture<byte[]> g = on(loop, () -> stream.readUntilRegex(Pattern.compile("\r?\n\r?\n"), 1000));
        for (char c : head.toCharArray()) {
            send(String.valueOf(c));
        }
        assertThat(str(await(g))).isEqualTo(head);
    }

    @Test
    void delimiterNotFoundWithinMaxBytesClosesWithUnsatisfiableRead() throws IOException {
        connect();
        CompletableFuture<byte[]> f = on(loop, () -> stream.readUntil("\n".getBytes(ISO_8859_1), 10));
        send("0123456789abc\n");
        Throwable t = failure(f);
        assertThat(t).isInstanceOf(StreamClosedException.class).hasCauseInstanceOf(UnsatisfiableReadException.class);
        assertThat(call(loop, () -> stream.error())).isInstanceOf(UnsatisfiableReadException.class);
    }

    @Test
    void delimiterFoundButEndingBeyondMaxBytesIsUnsatisfiable() throws IOException {
        connect();
        send("0123456789\r\n");
        awaitBuffered(12);
        Throwable t = failure(on(loop, () -> stream.readUntil("\r\n".getBytes(ISO_8859_1), 11)));
        assertThat(t).hasCauseInstanceOf(UnsatisfiableReadException.class);
    }

    @Test
    void regexNotFoundWithinMaxBytesClosesWithUnsatisfiableRead() throws IOException {
        connect();
        CompletableFuture<byte[]> f = on(loop, () -> stream.readUntilRegex(Pattern.compile("\r?\n\r?\n"), 16));
        send("a".repeat(40));
        assertThat(failure(f)).hasCauseInstanceOf(UnsatisfiableReadException.class);
    }

    @Test
    void exceedingMaxBufferSizeClosesWithStreamBufferFull() throws IOException {
        connect(IOStreamOptions.builder().maxBufferSize(1024).build());
        CompletableFuture<byte[]> f = on(loop, () -> stream.readUntil("\n".getBytes(ISO_8859_1)));
        send("x".repeat(4096));
        assertThat(failure(f)).isInstanceOf(StreamClosedException.class).hasCauseInstanceOf(StreamBufferFullException.class);
    }

    @Test
    void dataThatArrivedBeforeThePeerClosedStillSatisfiesReads() throws Exception {
        connect();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        call(loop, () -> {
            stream.setCloseCallback(() -> closed.complete(null));
            return null;
        });
        send("hello");
        peer.shutdownOutput();
        await(closed); // EOF seen while no read was pending
        assertThat(str(await(on(loop, () -> stream.readBytes(5, false))))).isEqualTo("hello");
        Throwable t = failure(on(loop, () -> stream.readBytes(1, false)));
        assertThat(t).isInstanceOf(StreamClosedException.class).hasCauseInstanceOf(EOFException.class);
    }

    @Test
    void secondConcurrentReadIsRejected() throws IOException {
        connect();
        CompletableFuture<byte[]> first = on(loop, () -> stream.readBytes(1, false));
        Throwable t = failure(on(loop, () -> stream.readBytes(1, false)));
        assertThat(t).isInstanceOf(IllegalStateException.class).hasMessageContaining("one read at a time");
        send("z");
        assertThat(str(await(first))).isEqualTo("z");
    }

    @Test
    void closeCallbackRunsOnceAndPendingOperationsFail() throws IOException {
        connect();
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<byte[]> read = on(loop, () -> {
            stream.setCloseCallback(calls::incrementAndGet);
            return stream.readBytes(10, false);
        });
        call(loop, () -> {
            stream.close();
            stream.close();
            return null;
        });
        assertThat(failure(read)).isInstanceOf(StreamClosedException.class).hasNoCause();
        assertThat(calls.get()).isEqualTo(1);
        assertThat(failure(on(loop, () -> stream.write(new byte[] {1})))).isInstanceOf(StreamClosedException.class);
    }

    @Test
    void writeAfterThePeerClosedFailsWithTheReason() throws Exception {
        connect();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        call(loop, () -> {
            stream.setCloseCallback(() -> closed.complete(null));
            return null;
        });
        peer.close();
        await(closed);
        Throwable t = failure(on(loop, () -> stream.write("late".getBytes(ISO_8859_1))));
        assertThat(t).isInstanceOf(StreamClosedException.class).hasCauseInstanceOf(EOFException.class);
    }

    @Test
    void peerResetDuringAReadFailsItWithTheReset() throws IOException {
        connect();
        CompletableFuture<byte[]> read = on(loop, () -> stream.readBytes(100, false));
        send("partial");
        peer.setSoLinger(true, 0);
        peer.close();
        peer = null;
        Throwable t = failure(read);
        assertThat(t).isInstanceOf(StreamClosedException.class).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void peerResetDuringAWriteFailsItWithTheReset() throws Exception {
        connect();
        byte[] big = new byte[32 * 1024 * 1024];
        CompletableFuture<Void> write = on(loop, () -> stream.write(big));
        awaitState(loop, () -> stream.writeBufferSize() > 0, "the kernel buffers to fill");
        peer.setSoLinger(true, 0);
        peer.close();
        peer = null;
        Throwable t = failure(write);
        assertThat(t).isInstanceOf(StreamClosedException.class).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void writesGoOutInOrderAndCompleteOnceHandedToTheKernel() throws IOException {
        connect();
        CompletableFuture<Void> last = on(loop, () -> {
            stream.write("one ".getBytes(ISO_8859_1));
            stream.write(ByteBuffer.wrap("two ".getBytes(ISO_8859_1)), ByteBuffer.wrap("three ".getBytes(ISO_8859_1)));
            return stream.write("four".getBytes(ISO_8859_1), 0, 4);
        });
        await(last);
        assertThat(call(loop, () -> stream.writeBufferSize())).isZero();
        assertThat(str(peer.getInputStream().readNBytes(18))).isEqualTo("one two three four");
    }

    @Test
    void gatheredWritesOfMixedBuffersArriveWholeAndInOrder() throws Exception {
        // Small heap buffers are staged into one direct buffer, large and direct ones are not;
        // with a small send buffer and a peer that reads late, the kernel takes only part of
        // most writes, so the staged path's position bookkeeping is exercised too.
        connect();
        call(loop, () -> {
            stream.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 8 * 1024);
            return null;
        });
        Random random = new Random(7);
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        java.util.List<ByteBuffer[]> writes = new java.util.ArrayList<>();
        int[] sizes = {0, 1, 17, 300, 5_000, 16 * 1024, 40_000};
        for (int w = 0; w < 200; w++) {
            ByteBuffer[] bufs = new ByteBuffer[1 + random.nextInt(5)];
            for (int i = 0; i < bufs.length; i++) {
                byte[] bytes = new byte[sizes[random.nextInt(sizes.length)]];
                random.nextBytes(bytes);
                expected.write(bytes);
                ByteBuffer b = random.nextInt(4) == 0
                        ? ByteBuffer.allocateDirect(bytes.length).put(bytes).flip()
                        : ByteBuffer.wrap(bytes);
                bufs[i] = b;
            }
            writes.add(bufs);
        }
        CompletableFuture<Void> last = on(loop, () -> {
            CompletableFuture<Void> f = null;
            for (ByteBuffer[] bufs : writes) {
                f = stream.write(bufs);
            }
            return f;
        });
        byte[] want = expected.toByteArray();
        byte[] got = peer.getInputStream().readNBytes(want.length);
        await(last);
        assertThat(got).isEqualTo(want);
        assertThat(call(loop, () -> stream.writeBufferSize())).isZero();
    }

    @Test
    void backpressureKeepsQueuedBytesAtTheHighWaterMark() throws Exception {
        int chunk = 16 * 1024;
        long highWater = 64 * 1024;
        connect(IOStreamOptions.builder().writeHighWaterMark(highWater).build());
        call(loop, () -> {
            stream.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 32 * 1024);
            return null;
        });
        peer.setReceiveBufferSize(32 * 1024);
        long total = 64L * 1024 * 1024; // far more than the kernel buffers can hold
        AtomicLong maxQueuedBeforeWrite = new AtomicLong();
        AtomicLong written = new AtomicLong();
        CompletableFuture<Void> done = new CompletableFuture<>();
        byte[] data = new byte[chunk];
        new Random(1).nextBytes(data);
        Runnable[] producer = new Runnable[1];
        producer[0] = () -> {
            if (written.get() == total) {
                done.complete(null);
                return;
            }
            maxQueuedBeforeWrite.accumulateAndGet(stream.writeBufferSize(), Math::max);
            written.addAndGet(chunk);
            stream.write(data).whenComplete((v, e) -> {
                if (e != null) {
                    done.completeExceptionally(e);
                } else {
                    producer[0].run();
                }
            });
        };
        loop.addCallback(producer[0]);
        // The peer reads nothing: the producer must stall with its queue at the high-water mark.
        awaitState(loop, () -> stream.writeBufferSize() > highWater, "the producer to stall");
        long queued = call(loop, () -> stream.writeBufferSize());
        assertThat(queued).isGreaterThan(highWater).isLessThanOrEqualTo(highWater + chunk);
        assertThat(done).isNotDone();
        // Now drain: everything arrives, and the queue never exceeded the mark before a write.
        InputStream in = peer.getInputStream();
        byte[] buf = new byte[64 * 1024];
        long received = 0;
        while (received < total) {
            int n = in.read(buf);
            assertThat(n).isPositive();
            received += n;
        }
        await(done);
        assertThat(maxQueuedBeforeWrite.get()).isLessThanOrEqualTo(highWater);
    }

    @Test
    void hundredMegabytesEachWayWithChecksums() throws Exception {
        connect(IOStreamOptions.builder().writeHighWaterMark(256 * 1024).build());
        long total = 100L * 1024 * 1024;
        int chunk = 64 * 1024;
        // Peer: a thread writes 100 MB while the test thread reads 100 MB.
        CompletableFuture<Long> peerSentCrc = CompletableFuture.supplyAsync(() -> {
            try {
                OutputStream out = peer.getOutputStream();
                CRC32 crc = new CRC32();
                byte[] b = new byte[chunk];
                Random r = new Random(7);
                for (long sent = 0; sent < total; sent += chunk) {
                    r.nextBytes(b);
                    crc.update(b);
                    out.write(b);
                }
                out.flush();
                return crc.getValue();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        CompletableFuture<Long> streamReadCrc = new CompletableFuture<>();
        CRC32 readCrc = new CRC32();
        long[] readTotal = new long[1];
        Runnable[] reader = new Runnable[1];
        reader[0] = () -> stream.readBytes(chunk, true).whenComplete((b, e) -> {
            if (e != null) {
                streamReadCrc.completeExceptionally(e);
                return;
            }
            readCrc.update(b);
            readTotal[0] += b.length;
            if (readTotal[0] == total) {
                streamReadCrc.complete(readCrc.getValue());
            } else {
                reader[0].run();
            }
        });
        CRC32 writeCrc = new CRC32();
        CompletableFuture<Long> streamSentCrc = new CompletableFuture<>();
        Random wr = new Random(11);
        long[] sent = new long[1];
        Runnable[] writer = new Runnable[1];
        writer[0] = () -> {
            if (sent[0] == total) {
                streamSentCrc.complete(writeCrc.getValue());
                return;
            }
            byte[] b = new byte[chunk];
            wr.nextBytes(b);
            writeCrc.update(b);
            sent[0] += chunk;
            stream.write(b).whenComplete((v, e) -> {
                if (e != null) {
                    streamSentCrc.completeExceptionally(e);
                } else {
                    writer[0].run();
                }
            });
        };
        loop.addCallback(reader[0]);
        loop.addCallback(writer[0]);
        CRC32 peerCrc = new CRC32();
        InputStream in = peer.getInputStream();
        byte[] buf = new byte[chunk];
        long got = 0;
        while (got < total) {
            int n = in.read(buf);
            assertThat(n).isPositive();
            peerCrc.update(buf, 0, n);
            got += n;
        }
        assertThat(peerCrc.getValue()).isEqualTo(await(streamSentCrc));
        assertThat(await(streamReadCrc)).isEqualTo(await(peerSentCrc));
    }

    @Test
    void manySmallBufferedReadsDoNotOverflowTheStack() throws IOException {
        connect();
        int lines = 50_000;
        send("x\n".repeat(lines));
        CompletableFuture<Integer> done = new CompletableFuture<>();
        int[] count = new int[1];
        Runnable[] next = new Runnable[1];
        next[0] = () -> stream.readUntil(new byte[] {'\n'}).whenComplete((b, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else if (++count[0] == lines) {
                done.complete(count[0]);
            } else {
                next[0].run();
            }
        });
        loop.addCallback(next[0]);
        assertThat(await(done)).isEqualTo(lines);
    }

    @Test
    void anIdleStreamKeepsNoReadBuffer() throws IOException {
        connect();
        send("request\r\n\r\n");
        await(on(loop, () -> stream.readUntil("\r\n\r\n".getBytes(ISO_8859_1))));
        assertThat(call(loop, () -> stream.readBuffer.capacity())).isZero();
        assertThat(call(loop, () -> stream.readBufferSize())).isZero();
    }

    @Test
    void connectToAClosedPortFails() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Throwable t = failure(IOStream.connect(loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        assertThat(t).isInstanceOf(ConnectException.class);
    }

    @Test
    void methodsOffTheLoopThreadAreRejected() throws IOException {
        connect();
        assertThatThrownBy(() -> stream.readBytes(1, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("loop thread");
    }

    @Test
    void noDelayAndSocketOptionsCanBeSet() throws Exception {
        connect();
        call(loop, () -> {
            stream.setNoDelay(true);
            stream.setOption(java.net.StandardSocketOptions.SO_KEEPALIVE, true);
            return null;
        });
        assertThat(call(loop, () -> {
            try {
                return stream.channel.getOption(java.net.StandardSocketOptions.TCP_NODELAY)
                        && stream.channel.getOption(java.net.StandardSocketOptions.SO_KEEPALIVE);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        })).isTrue();
    }

    private void awaitBuffered(int n) {
        // Read ahead (a close callback makes the stream watch the socket) until n bytes are in.
        call(loop, () -> {
            stream.setCloseCallback(() -> {});
            return null;
        });
        try {
            awaitState(loop, () -> stream.readBufferSize() >= n, n + " buffered bytes");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
