package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServerTesting.RawClient;
import io.gale.http.HttpServerTesting.Running;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HttpExchange#writeFile} on the HTTP/1.1 server: framed like {@code write} (Content-Length,
 * one chunk when chunked, nothing for HEAD), in order with the writes around it, pipelined
 * responses intact, a region longer than the declared length refused.
 */
@Timeout(60)
class HttpServerWriteFileTest {
    @TempDir
    static Path dir;
    static Path file;
    static byte[] data;

    @BeforeAll
    static void makeFile() throws Exception {
        data = new byte[1_000_000];
        new Random(11).nextBytes(data);
        file = dir.resolve("data.bin");
        Files.write(file, data);
    }

    /** /len: Content-Length, the region 1000..(1000+n) for ?n; /chunked: "<", region, ">" chunked. */
    private static final HttpServerConnectionDelegate APP = HttpServerTesting.buffering((request, body, c) -> {
        long n = Long.parseLong(request.query().isEmpty() ? "5000" : request.query().substring(2));
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        HttpHeaders h = new HttpHeaders().set("Content-Type", "application/octet-stream");
        if (request.path().equals("/len")) {
            h.set("Content-Length", Long.toString(n));
            c.writeHeaders(200, null, h, null);
            c.writeFile(ch, 1000, n);
        } else if (request.path().equals("/chunked")) {
            c.writeHeaders(200, null, h, ByteBuffer.wrap("<".getBytes(StandardCharsets.US_ASCII)));
            c.writeFile(ch, 1000, n);
            c.write(ByteBuffer.wrap(">".getBytes(StandardCharsets.US_ASCII)));
        } else {
            h.set("Content-Length", "10");
            c.writeHeaders(200, null, h, null);
            try {
                c.writeFile(ch, 0, 11); // one byte too many: refused, the connection closes
            } catch (IllegalStateException expected) {
                ch.close();
                return;
            }
        }
        c.finish().whenComplete((v, e) -> {
            try {
                ch.close();
            } catch (java.io.IOException ignored) {
                // nothing to do
            }
        });
    });

    @Test
    void lengthFramedSmallAndLargeRegions() throws Exception {
        try (Running s = HttpServerTesting.start(APP);
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (long n : new long[] {0, 1, 5000, 16 * 1024, 900_000}) {
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + s.port + "/len?n=" + n)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).as("n=%d", n).isEqualTo(Arrays.copyOfRange(data, 1000, 1000 + (int) n));
            }
        }
    }

    @Test
    void chunkedAroundOtherWritesAndPipelined() throws Exception {
        try (Running s = HttpServerTesting.start(APP); RawClient c = s.client()) {
            c.send("GET /chunked?n=300000 HTTP/1.1\r\nHost: x\r\n\r\nGET /len?n=20 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "HEAD /len?n=20 HTTP/1.1\r\nHost: x\r\n\r\n");
            HttpServerTesting.Response chunked = c.readResponse(false);
            assertThat(chunked.header("Transfer-Encoding")).isEqualTo("chunked");
            byte[] expected = new byte[300_002];
            expected[0] = '<';
            System.arraycopy(data, 1000, expected, 1, 300_000);
            expected[300_001] = '>';
            assertThat(chunked.body()).isEqualTo(expected);
            HttpServerTesting.Response len = c.readResponse(false);
            assertThat(len.body()).isEqualTo(Arrays.copyOfRange(data, 1000, 1020));
            HttpServerTesting.Response head = c.readResponse(true);
            assertThat(head.header("Content-Length")).isEqualTo("20");
            assertThat(head.body()).isEmpty();
        }
    }

    @Test
    void aRegionBeyondTheContentLengthIsRefused() throws Exception {
        try (Running s = HttpServerTesting.start(APP); RawClient c = s.client()) {
            c.send("GET /over HTTP/1.1\r\nHost: x\r\n\r\n");
            String text = c.readUntilClose();
            // as for write(): the response cannot be completed, so the connection closes; not a byte
            // of the region went out (the head too, still corked, was dropped)
            assertThat(text).doesNotContain("HTTP/1.1 200").isEmpty();
        }
    }
}
