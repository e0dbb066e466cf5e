package io.gale.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServer;
import io.gale.testing.GaleTesting;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that stops reading a large streamed response: the handler that writes a chunk and
 * awaits {@code flush()} before the next is held back at its flush (backpressure shows there),
 * the server keeps at most one chunk of it queued (read from the server's own byte counters:
 * what the handler wrote minus what went to the kernel), and it goes on when the client reads
 * again, every byte arriving in order. Real socket, a client with a small receive buffer.
 * The same with Gale's own client whose streaming callback pauses (it holds the client's loop):
 * the client reads nothing meanwhile, so what it holds stays within its read buffer
 * ({@code ClientOptions.readBufferSize}), and the pause reaches the server's handler as a held
 * flush.
 */
@Timeout(60)
class SlowReaderTest {
    static final int CHUNK = 64 * 1024;
    static final int CHUNKS = 512; // 32 MiB: far beyond what the kernel's socket buffers hold

    static final AtomicLong written = new AtomicLong();
    static final AtomicReference<CompletableFuture<Void>> pendingFlush = new AtomicReference<>();
    static volatile CompletableFuture<Void> finished;
    /** The loop the handler runs on: its counters are read there, between its tasks, so they agree. */
    static volatile io.gale.ioloop.IOLoop serverLoop;

    @org.junit.jupiter.api.BeforeEach
    void reset() {
        written.set(0);
        pendingFlush.set(null);
        finished = new CompletableFuture<>();
    }

    /** Writes CHUNKS chunks of CHUNK bytes (chunk i filled with i), each after the previous flush completed. */
    public static final class Big extends RequestHandler {
        public CompletionStage<?> get() {
            serverLoop = loop();
            setHeader("Content-Type", "application/octet-stream");
            setHeader("Content-Length", (long) CHUNK * CHUNKS);
            return next(0);
        }

        private CompletionStage<?> next(int i) {
            if (i == CHUNKS) {
                finished.complete(null);
                return CompletableFuture.completedFuture(null);
            }
            byte[] chunk = new byte[CHUNK];
            java.util.Arrays.fill(chunk, (byte) i);
            write(chunk);
            written.addAndGet(CHUNK);
            CompletableFuture<Void> f = flush();
            pendingFlush.set(f);
            return f.thenCompose(v -> next(i + 1));
        }
    }

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private volatile int headLength;

    /** Bytes of the response (head and body so far) the server has not handed to the kernel. */
    private long queued() {
        return headLength + written.get() - server.bytesSent();
    }

    /** Evaluates {@code what} on the server's loop, where the handler's and the stream's counters change. */
    private static <T> T onServerLoop(java.util.function.Supplier<T> what) {
        io.gale.ioloop.IOLoop loop = serverLoop;
        if (loop == null) {
            return null;
        }
        return GaleTesting.await(loop.supplyOrSubmit(() -> CompletableFuture.completedFuture(what.get())));
    }

    /** What the server's loop saw when the handler waited at a flush with bytes queued. */
    private record Held(CompletableFuture<Void> flush, long queued, long written) {
    }

    private final AtomicReference<Held> held = new AtomicReference<>();

    /**
     * On the server's loop, between its tasks: whether the handler waits at a flush while bytes are
     * queued in the server; if so, what it saw is kept in {@link #held}.
     */
    private boolean heldAtFlush(java.util.function.LongSupplier queued) {
        Held h = onServerLoop(() -> {
            CompletableFuture<Void> f = pendingFlush.get();
            long q = queued.getAsLong();
            return f != null && !f.isDone() && q > 0 ? new Held(f, q, written.get()) : null;
        });
        held.set(h);
        return h != null;
    }

    @Test
    void aStalledReaderHoldsTheHandlerAtItsFlushWithOneChunkQueued() throws Exception {
        server = new Application(List.of(Route.url("/big", Big.class))).listen(0, "127.0.0.1");
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(8 * 1024);
            s.connect(new InetSocketAddress("127.0.0.1", server.boundPorts().get(0)), 5000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            DataInputStream in = new DataInputStream(s.getInputStream());
            headLength = readHead(in);

            // The client reads nothing more. The kernel's buffers fill, then the server's queue.
            GaleTesting.awaitCondition(() -> heldAtFlush(this::queued),
                    () -> "the handler held at a flush with bytes queued in the server");
            Held seen = held.get();
            assertThat(seen.queued()).as("bytes queued in the server for this connection").isBetween(1L, (long) CHUNK);
            assertThat(seen.written()).isLessThan((long) CHUNK * CHUNKS);
            assertThat(finished).isNotDone();

            // The client reads again: every byte arrives, in order, and the handler finishes.
            byte[] chunk = new byte[CHUNK];
            for (int i = 0; i < CHUNKS; i++) {
                in.readFully(chunk);
                for (int k = 0; k < CHUNK; k += 4093) {
                    assertThat(chunk[k]).as("chunk %d byte %d", i, k).isEqualTo((byte) i);
                }
            }
            assertThat(seen.flush()).succeedsWithin(Duration.ofSeconds(10));
            assertThat(finished).succeedsWithin(Duration.ofSeconds(10));
            assertThat(server.bytesSent()).isEqualTo(headLength + (long) CHUNK * CHUNKS);
        }
    }

    @Test
    void galesClientWithAPausingStreamingCallbackHoldsOnlyItsReadBuffer() throws Exception {
        server = new Application(List.of(Route.url("/big", Big.class))).listen(0, "127.0.0.1");
        io.gale.ioloop.IOLoop loop = new io.gale.ioloop.IOLoop();
        loop.startInBackground();
        java.util.concurrent.CountDownLatch resume = new java.util.concurrent.CountDownLatch(1);
        try (io.gale.httpclient.AsyncHttpClient client = new io.gale.httpclient.AsyncHttpClient(loop)) {
            AtomicLong received = new AtomicLong();
            AtomicLong largestPiece = new AtomicLong();
            AtomicLong wrongBytes = new AtomicLong();
            io.gale.httpclient.HttpRequest request = io.gale.httpclient.HttpRequest
                    .newBuilder("http://127.0.0.1:" + server.boundPorts().get(0) + "/big")
                    .requestTimeout(Duration.ofSeconds(60))
                    .streamingCallback(piece -> {
                        long at = received.get();
                        largestPiece.accumulateAndGet(piece.remaining(), Math::max);
                        while (piece.hasRemaining()) {
                            if (piece.get() != (byte) (at++ / CHUNK)) {
                                wrongBytes.incrementAndGet();
                            }
                        }
                        received.set(at);
                        try {
                            // A consumer that cannot keep up: it holds the client's loop (not synchronisation).
                            resume.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    })
                    .build();
            CompletableFuture<io.gale.httpclient.HttpResponse> response = loop.supplyOrSubmit(() -> client.fetch(request));
            // headLength stays 0: queued() then undercounts by the head, which is sent long before.
            GaleTesting.awaitCondition(() -> received.get() > 0 && heldAtFlush(() -> written.get() - server.bytesSent()),
                    () -> "the handler held at a flush while the client's callback pauses");
            int readBuffer = io.gale.httpclient.ClientOptions.defaults().readBufferSize();
            assertThat(received.get()).as("bytes the client took before pausing").isLessThanOrEqualTo(readBuffer);
            assertThat(finished).isNotDone();

            resume.countDown();
            io.gale.httpclient.HttpResponse r = response.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body()).as("nothing buffered in the response").isEmpty();
            assertThat(received.get()).isEqualTo((long) CHUNK * CHUNKS);
            assertThat(wrongBytes.get()).isZero();
            assertThat(largestPiece.get()).as("largest piece handed to the callback").isLessThanOrEqualTo(readBuffer);
            assertThat(finished).succeedsWithin(Duration.ofSeconds(10));
        } finally {
            resume.countDown();
            loop.close();
        }
    }

    /** Reads the response head; returns its length in bytes. */
    private static int readHead(InputStream in) throws IOException {
        int n = 0;
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed in the head");
            }
            n++;
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return n;
    }
}
