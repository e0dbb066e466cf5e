package io.gale.iostream;

import static io.gale.iostream.Loops.await;
import static io.gale.iostream.Loops.call;
import static io.gale.iostream.Loops.failure;
import static io.gale.iostream.Loops.on;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.gale.ioloop.IOLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link IOStream#readStreaming}: in-place consumption, leftovers kept, end, close, receiver failure. */
@Timeout(60)
class IOStreamStreamingTest {
    private IOLoop loop;
    private ServerSocket server;
    private IOStream stream;
    private Socket peer;

    @BeforeEach
    void setUp() throws IOException {
        loop = Loops.startLoop("iostream-streaming-test");
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        CompletableFuture<IOStream> f = IOStream.connect(loop, server.getLocalSocketAddress(), IOStreamOptions.defaults());
        peer = server.accept();
        peer.setTcpNoDelay(true);
        stream = await(f);
    }

    @AfterEach
    void tearDown() throws IOException {
        stream.close();
        peer.close();
        server.close();
        loop.close();
    }

    private void send(String s) throws IOException {
        peer.getOutputStream().write(s.getBytes(ISO_8859_1));
        peer.getOutputStream().flush();
    }

    /** Consumes complete lines only; a partial line stays in the stream. Ends on "end". */
    private static final class Lines implements StreamReceiver {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> sawEnd = new CompletableFuture<>();

        @Override
        public boolean onData(ByteBuffer data) {
            int start = data.position();
            for (int i = start; i < data.limit(); i++) {
                if (data.get(i) == '\n') {
                    byte[] b = new byte[i - data.position()];
                    data.get(b);
                    data.get(); // the LF
                    String line = new String(b, ISO_8859_1);
                    lines.add(line);
                    if (line.equals("end")) {
                        sawEnd.complete(null);
                        return false;
                    }
                }
            }
            return true;
        }
    }

    @Test
    void unconsumedBytesAreOfferedAgainWithTheNextOnes() throws Exception {
        Lines r = new Lines();
        CompletableFuture<Void> done = on(loop, () -> stream.readStreaming(r));
        send("one\ntw");
        send("o\nthr");
        send("ee\nend\nleft");
        await(done);
        assertThat(r.lines).containsExactly("one", "two", "three", "end");
        // what the receiver did not take stays for the next read of any kind
        assertThat(new String(await(on(loop, () -> stream.readBytes(4, false))), ISO_8859_1)).isEqualTo("left");
    }

    @Test
    void bufferedBytesAreDeliveredAtOnce() throws Exception {
        send("xxa\nend\n");
        assertThat(new String(await(on(loop, () -> stream.readBytes(2, false))), ISO_8859_1)).isEqualTo("xx");
        Lines r = new Lines();
        await(on(loop, () -> stream.readStreaming(r)));
        assertThat(r.lines).containsExactly("a", "end");
    }

    @Test
    void closeFailsTheStreamingRead() throws Exception {
        CompletableFuture<Void> done = on(loop, () -> stream.readStreaming(d -> {
            d.position(d.limit());
            return true;
        }));
        send("some");
        peer.shutdownOutput();
        assertThat(failure(done)).isInstanceOf(StreamClosedException.class);
    }

    @Test
    void receiverExceptionClosesTheStream() throws Exception {
        CompletableFuture<Void> done = on(loop, () -> stream.readStreaming(d -> {
            throw new IllegalStateException("receiver bug (expected by the test)");
        }));
        send("x");
        assertThat(failure(done)).isInstanceOf(StreamClosedException.class);
        assertThat(call(loop, () -> stream.isClosed())).isTrue();
    }

    @Test
    void largeTransferArrivesIntact() throws Exception {
        byte[] data = new byte[4 << 20];
        new Random(7).nextBytes(data);
        CRC32 expected = new CRC32();
        expected.update(data);
        CRC32 got = new CRC32();
        long[] count = {0};
        CompletableFuture<Void> all = new CompletableFuture<>();
        on(loop, () -> stream.readStreaming(d -> {
            // leave a few bytes each time (as a parser with a partial token would), to exercise
            // the leftover path; a receiver must take all it can, or it waits for more bytes
            int n = count[0] + d.remaining() == data.length ? d.remaining() : d.remaining() - Math.min(3, d.remaining());
            ByteBuffer part = d.slice(d.position(), n);
            got.update(part);
            d.position(d.position() + n);
            count[0] += n;
            if (count[0] == data.length) {
                all.complete(null);
                return false;
            }
            return true;
        }));
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                peer.getOutputStream().write(data);
                peer.getOutputStream().flush();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        await(all);
        writer.join();
        assertThat(got.getValue()).isEqualTo(expected.getValue());
    }
}
