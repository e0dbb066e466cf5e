package io.gale.iostream;

import static io.gale.iostream.Loops.await;
import static io.gale.iostream.Loops.call;
import static io.gale.iostream.Loops.failure;
import static io.gale.iostream.Loops.on;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.ioloop.IOLoop;
import io.gale.testing.TestCertificates;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * File regions on a stream ({@link IOStream#writeFile}) over real loopback sockets: order with the
 * buffers around them, content, what a reader that stops reading costs (no queued memory, no heap
 * allocation per byte on the loop thread), the TLS fallback, and a file shorter than its region.
 */
@Timeout(120)
class IOStreamFileTest {
    private static final long MB = 1024 * 1024;

    @TempDir
    Path dir;
    private IOLoop loop;
    private ServerSocket server;
    private IOStream stream;
    private Socket peer;
    private FileChannel file;

    @BeforeEach
    void setUp() throws IOException {
        loop = Loops.startLoop("iostream-file-test");
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
        if (file != null) {
            file.close();
        }
        server.close();
        loop.close();
    }

    private void connect() throws IOException {
        CompletableFuture<IOStream> f = IOStream.connect(loop, server.getLocalSocketAddress());
        peer = server.accept();
        peer.setSoTimeout(30_000);
        stream = await(f);
    }

    /** A sparse file of {@code size} bytes with random 64 KiB islands at the start, middle and end. */
    private FileChannel sparseFile(long size) throws IOException {
        Path p = dir.resolve("sparse.bin");
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength(size);
            Random r = new Random(size);
            byte[] island = new byte[64 * 1024];
            for (long at : new long[] {0, size / 2 - 1000, size - island.length}) {
                r.nextBytes(island);
                raf.seek(at);
                raf.write(island);
            }
        }
        return FileChannel.open(p, StandardOpenOption.READ);
    }

    private static long crcOf(FileChannel f, long position, long count) throws IOException {
        CRC32 crc = new CRC32();
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        long done = 0;
        while (done < count) {
            buf.clear().limit((int) Math.min(buf.capacity(), count - done));
            int n = f.read(buf, position + done);
            buf.flip();
            crc.update(buf);
            done += n;
        }
        return crc.getValue();
    }

    private static long crcOfStream(InputStream in, long count) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[1 << 16];
        long done = 0;
        while (done < count) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, count - done));
            if (n < 0) {
                throw new EOFException("after " + done + " of " + count + " bytes");
            }
            crc.update(buf, 0, n);
            done += n;
        }
        return crc.getValue();
    }

    private static long allocatedBy(Thread t) {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(t.threadId());
    }

    @Test
    void regionsGoOutInOrderWithTheBuffersAroundThem() throws IOException {
        connect();
        file = sparseFile(3 * MB);
        CompletableFuture<Void> last = on(loop, () -> {
            stream.write("head:".getBytes(ISO_8859_1));
            stream.writeFile(file, 10, 20);
            stream.write(":middle:".getBytes(ISO_8859_1));
            stream.writeFile(file, 0, 0); // an empty region completes in its turn
            stream.writeFile(file, 3 * MB - 100, 100);
            return stream.write(":tail".getBytes(ISO_8859_1));
        });
        byte[] got = peer.getInputStream().readNBytes(5 + 20 + 8 + 100 + 5);
        await(last);
        ByteBuffer expected = ByteBuffer.allocate(got.length);
        expected.put("head:".getBytes(ISO_8859_1));
        ByteBuffer part = ByteBuffer.allocate(20);
        file.read(part, 10);
        expected.put(part.flip()).put(":middle:".getBytes(ISO_8859_1));
        part = ByteBuffer.allocate(100);
        file.read(part, 3 * MB - 100);
        expected.put(part.flip()).put(":tail".getBytes(ISO_8859_1));
        assertThat(got).isEqualTo(expected.array());
    }

    @Test
    void aHeadAndItsRegionGoTogetherSmallOrLarge() throws IOException {
        connect();
        file = sparseFile(4 * MB);
        for (long count : new long[] {0, 100, 16 * 1024 - 7, 16 * 1024, 3 * MB}) {
            ByteBuffer[] head = {ByteBuffer.wrap("HTTP/1.1 200 OK\r\n".getBytes(ISO_8859_1)),
                    ByteBuffer.wrap("\r\n".getBytes(ISO_8859_1))};
            CompletableFuture<Void> sent = on(loop, () -> stream.writeFile(head, file, 1234, count));
            byte[] got = peer.getInputStream().readNBytes((int) (19 + count));
            await(sent);
            assertThat(new String(got, 0, 19, ISO_8859_1)).isEqualTo("HTTP/1.1 200 OK\r\n\r\n");
            ByteBuffer expected = ByteBuffer.allocate((int) count);
            while (expected.hasRemaining()) {
                file.read(expected, 1234 + expected.position());
            }
            assertThat(Arrays.copyOfRange(got, 19, got.length)).as("count %d", count).isEqualTo(expected.array());
        }
    }

    @Test
    void aReaderThatStopsPinsNoMemoryAndTheLoopCopiesNothing() throws Exception {
        connect();
        long size = 256 * MB;
        file = sparseFile(size);
        long expectedCrc = crcOf(file, 0, size);
        Thread loopThread = call(loop, Thread::currentThread);
        long allocatedBefore = allocatedBy(loopThread);
        CompletableFuture<Void> sent = on(loop, () -> stream.writeFile(file, 0, size));
        InputStream in = peer.getInputStream();
        CRC32 crc = new CRC32();
        byte[] first = in.readNBytes((int) MB);
        crc.update(first);
        // The reader has stopped: the kernel buffers fill, the rest of the region waits on disk.
        assertThat(sent).isNotDone();
        assertThat(call(loop, () -> stream.writing())).isTrue();
        assertThat(call(loop, () -> stream.writeBufferSize())).isZero();
        // then it reads the rest
        byte[] buf = new byte[1 << 16];
        long done = MB;
        while (done < size) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, size - done));
            assertThat(n).isPositive();
            crc.update(buf, 0, n);
            done += n;
        }
        await(sent);
        assertThat(crc.getValue()).isEqualTo(expectedCrc);
        long allocated = allocatedBy(loopThread) - allocatedBefore;
        // 256 MiB went out; a copy through the heap would allocate at least that on the loop
        assertThat(allocated).as("bytes allocated by the loop thread").isLessThan(4 * MB);
    }

    @Test
    void tlsFallsBackToABoundedBuffer() throws Exception {
        TestCertificates ca = TestCertificates.create();
        TestCertificates.Identity id = ca.issue("localhost", "localhost", "127.0.0.1");
        long size = 48 * MB;
        file = sparseFile(size);
        long expectedCrc = crcOf(file, 0, size);
        try (ServerSocketChannel acceptor = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SSLSocket client = (SSLSocket) ca.trustingContext().getSocketFactory()
                     .createSocket("127.0.0.1", ((InetSocketAddress) acceptor.getLocalAddress()).getPort())) {
            client.setSoTimeout(30_000);
            SocketChannel accepted = acceptor.accept();
            SslIOStream s = call(loop, () -> new SslIOStream(loop, accepted, id.sslContext(), TlsOptions.server(),
                    IOStreamOptions.defaults()));
            stream = s;
            client.startHandshake();
            await(on(loop, s::handshake));
            Thread loopThread = call(loop, Thread::currentThread);
            long allocatedBefore = allocatedBy(loopThread);
            CompletableFuture<Void> sent = on(loop, () -> s.writeFile(file, 0, size));
            InputStream in = client.getInputStream();
            CRC32 crc = new CRC32();
            crc.update(in.readNBytes((int) MB));
            assertThat(sent).isNotDone();
            assertThat(call(loop, () -> s.writeBufferSize())).isZero();
            byte[] buf = new byte[1 << 16];
            long done = MB;
            while (done < size) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, size - done));
                assertThat(n).isPositive();
                crc.update(buf, 0, n);
                done += n;
            }
            await(sent);
            assertThat(crc.getValue()).isEqualTo(expectedCrc);
            // encryption allocates little per record; what must not happen is a copy of the file
            long allocated = allocatedBy(loopThread) - allocatedBefore;
            assertThat(allocated).as("bytes allocated by the loop thread").isLessThan(size / 2);
            // the server says goodbye first: the client's close would otherwise wait for its close_notify
            call(loop, () -> {
                s.close();
                return null;
            });
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aFileShorterThanItsRegionClosesTheStream() throws IOException {
        connect();
        file = sparseFile(MB);
        CompletableFuture<Void> sent = on(loop, () -> stream.writeFile(file, 0, 2 * MB));
        assertThat(crcOfStream(peer.getInputStream(), MB)).isEqualTo(crcOf(file, 0, MB));
        Throwable t = failure(sent);
        assertThat(t).isInstanceOf(StreamClosedException.class).hasCauseInstanceOf(EOFException.class);
        assertThat(peer.getInputStream().read()).isEqualTo(-1);
    }
}
