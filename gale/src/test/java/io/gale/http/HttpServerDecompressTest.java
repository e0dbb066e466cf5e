package io.gale.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gale.http.HttpServerTesting.RawClient;
import io.gale.http.HttpServerTesting.Response;
import io.gale.http.HttpServerTesting.Running;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** decompressRequest: gzip bodies decoded incrementally, the limit on the decompressed size. */
@Timeout(30)
class HttpServerDecompressTest {
    static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(data);
        }
        return b.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    /** /echo of HttpServerRawTest.APP plus the consumed-encoding header. */
    static final HttpServerConnectionDelegate APP = HttpServerTesting.buffering((req, body, c) -> {
        HttpHeaders h = new HttpHeaders().set("Content-Length", Integer.toString(body.length))
                .set("X-Consumed", req.headers().get("X-Consumed-Content-Encoding", "-"));
        c.writeHeaders(200, null, h, ByteBuffer.wrap(body));
        c.finish();
    });

    private static Response post(Running s, byte[] body, boolean chunked) throws Exception {
        try (RawClient c = s.client()) {
            String head = "POST / HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: " + body.length + "\r\n\r\n");
            c.send(head.getBytes(StandardCharsets.ISO_8859_1));
            if (chunked) {
                // small chunks: the decoder sees the gzip header and trailer split across slices
                for (int i = 0; i < body.length; i += 7) {
                    int n = Math.min(7, body.length - i);
                    c.send((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    c.send(java.util.Arrays.copyOfRange(body, i, i + n));
                    c.send("\r\n");
                }
                c.send("0\r\n\r\n");
            } else {
                c.send(body);
            }
            return c.readResponse();
        }
    }

    @Test
    void gzipBodyIsDecompressed() throws Exception {
        byte[] plain = new byte[300_000];
        new Random(3).nextBytes(plain);
        for (int i = 0; i < plain.length; i += 3) {
            plain[i] = 'a'; // compressible, still varied
        }
        HttpServerOptions opts = HttpServerOptions.builder().decompressRequest(true).chunkSize(4096).build();
        try (Running s = HttpServerTesting.start(APP, opts)) {
            Response r = post(s, gzip(plain), false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Consumed")).isEqualTo("gzip");
            assertThat(r.body()).isEqualTo(plain);
            byte[] small = "hello gzip".getBytes(StandardCharsets.UTF_8);
            // two members, sent in tiny chunks
            Response r2 = post(s, concat(gzip(small), gzip(small)), true);
            assertThat(r2.text()).isEqualTo("hello gziphello gzip");
        }
    }

    @Test
    void chunksHandedToTheDelegateRespectChunkSize() throws Exception {
        List<Integer> sizes = new ArrayList<>();
        HttpServerConnectionDelegate app = conn -> new HttpServerTesting.Buffering(conn,
                (req, body, c) -> HttpServerTesting.respond(c, 200, Integer.toString(body.length))) {
            @Override
            public java.util.concurrent.CompletionStage<?> dataReceived(ByteBuffer chunk) {
                sizes.add(chunk.remaining());
                return super.dataReceived(chunk);
            }
        };
        try (Running s = HttpServerTesting.start(app, HttpServerOptions.builder().chunkSize(1000).build());
             RawClient c = s.client()) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + "z".repeat(5000));
            assertThat(c.readResponse().text()).isEqualTo("5000");
            assertThat(sizes).allSatisfy(n -> assertThat(n).isBetween(1, 1000));
        }
    }

    @Test
    void gzipBombIs413() throws Exception {
        byte[] bomb = gzip(new byte[20 * 1024 * 1024]); // ~20 KB on the wire
        HttpServerOptions opts = HttpServerOptions.builder().decompressRequest(true).maxBodySize(1024 * 1024).build();
        try (Running s = HttpServerTesting.start(APP, opts)) {
            assertThat(bomb.length).isLessThan(1024 * 1024);
            Response r = post(s, bomb, false);
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.header("Connection")).isEqualTo("close");
        }
    }

    @Test
    void corruptGzipIs400() throws Exception {
        byte[] bad = gzip("some text".getBytes(StandardCharsets.UTF_8));
        bad[bad.length - 5] ^= 1; // CRC/length trailer no longer matches
        try (Running s = HttpServerTesting.start(APP, HttpServerOptions.builder().decompressRequest(true).build())) {
            assertThat(post(s, bad, false).status()).isEqualTo(400);
            assertThat(post(s, "not gzip at all".getBytes(StandardCharsets.UTF_8), true).status()).isEqualTo(400);
            byte[] truncated = java.util.Arrays.copyOf(gzip("abc".getBytes(StandardCharsets.UTF_8)), 12);
            assertThat(post(s, truncated, false).status()).isEqualTo(400);
        }
    }

    @Test
    void withoutTheSettingTheBodyIsPassedAsIs() throws Exception {
        byte[] z = gzip("x".getBytes(StandardCharsets.UTF_8));
        try (Running s = HttpServerTesting.start(APP)) {
            Response r = post(s, z, false);
            assertThat(r.body()).isEqualTo(z);
            assertThat(r.header("X-Consumed")).isEqualTo("-");
        }
    }
}
