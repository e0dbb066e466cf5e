package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServerTesting.RawClient;
import io.gale.http.HttpServerTesting.Running;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 1 GiB chunked upload, generated on the fly, consumed by a delegate that applies backpressure
 * (each piece's stage completes on a later loop iteration): the heap stays bounded and every byte
 * arrives (CRC-32 of what was sent equals that of what was received).
 */
@Timeout(120)
class HttpServerLargeUploadTest {
    private static final long TOTAL = 1L << 30;
    private static final int CHUNK = 1 << 20;

    @Test
    void oneGigabyteStreamedWithBoundedHeap() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();
        AtomicLong retained = new AtomicLong(-1);
        HttpServerConnectionDelegate app = conn -> new HttpMessageDelegate() {
            final CRC32 crc = new CRC32();
            long received;
            boolean measured;

            @Override
            public CompletionStage<?> headersReceived(HttpServerRequest request) {
                return null;
            }

            @Override
            public CompletionStage<?> dataReceived(ByteBuffer chunk) {
                received += chunk.remaining();
                crc.update(chunk);
                if (received >= TOTAL / 2 && !measured) {
                    // Half way: what is still reachable after a collection is what the server retains.
                    measured = true;
                    System.gc();
                    retained.set(memory.getHeapMemoryUsage().getUsed());
                }
                CompletableFuture<Void> later = new CompletableFuture<>();
                conn.loop().addCallback(() -> later.complete(null));
                return later;
            }

            @Override
            public void finish() {
                HttpServerTesting.respond(conn, 200, received + " " + Long.toHexString(crc.getValue()));
            }

            @Override
            public void onConnectionClose() {
            }
        };
        HttpServerOptions opts = HttpServerOptions.builder().maxBodySize(2 * TOTAL).build();
        try (Running s = HttpServerTesting.start(app, opts); RawClient c = s.client()) {
            byte[] pattern = new byte[CHUNK];
            new Random(42).nextBytes(pattern);
            CRC32 sent = new CRC32();
            OutputStream out = new java.io.BufferedOutputStream(c.socket.getOutputStream(), 256 * 1024);
            out.write("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            byte[] size = (Integer.toHexString(CHUNK) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            byte[] crlf = {'\r', '\n'};
            for (long i = 0; i < TOTAL / CHUNK; i++) {
                // vary the pattern per chunk so that reordering or loss would change the checksum
                pattern[(int) (i % CHUNK)] ^= (byte) i;
                out.write(size);
                out.write(pattern);
                out.write(crlf);
                sent.update(pattern);
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String answer = c.readResponse().text();
            assertThat(answer).isEqualTo(TOTAL + " " + Long.toHexString(sent.getValue()));
        }
        assertThat(retained.get()).as("measured").isPositive();
        assertThat(retained.get() - baseline).as("heap retained half way through the upload").isLessThan(256L << 20);
    }
}
