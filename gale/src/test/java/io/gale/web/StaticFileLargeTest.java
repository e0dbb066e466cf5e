package io.gale.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A 2 GiB file (sparse, with random islands at the start, middle and end) served by a server in a
 * JVM of its own with a 64 MiB heap ({@link StaticServerMain}), downloaded whole by the JDK
 * HttpClient with a CRC check while another client has stopped reading the same file; then the
 * server's live heap and its loop thread's allocation are read from the server itself. Copying the
 * file through the heap would either fail (64 MiB) or show as gigabytes allocated by the loop.
 */
@Timeout(300)
class StaticFileLargeTest {
    private static final long SIZE = 2L * 1024 * 1024 * 1024;
    private static final long MB = 1024 * 1024;
    private static final Pattern NUMBER = Pattern.compile("\"(\\w+)\":(\\d+)");

    @TempDir
    static Path dir;
    static Process server;
    static int port;
    static long expectedCrc;
    static byte[] tail;

    @BeforeAll
    static void start() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path huge = root.resolve("huge.bin");
        try (RandomAccessFile raf = new RandomAccessFile(huge.toFile(), "rw")) {
            raf.setLength(SIZE);
            Random r = new Random(2);
            byte[] island = new byte[256 * 1024];
            for (long at : new long[] {0, SIZE / 2 + 12345, SIZE - island.length}) {
                r.nextBytes(island);
                raf.seek(at);
                raf.write(island);
            }
            tail = island.clone();
        }
        try (FileChannel ch = FileChannel.open(huge, StandardOpenOption.READ)) {
            CRC32 crc = new CRC32();
            ByteBuffer buf = ByteBuffer.allocateDirect((int) (4 * MB));
            while (ch.read(buf.clear()) > 0) {
                crc.update(buf.flip());
            }
            expectedCrc = crc.getValue();
        }
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        server = new ProcessBuilder(javaBin.toString(), "-Xmx64m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), StaticServerMain.class.getName(), root.toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line;
        List<String> seen = new ArrayList<>();
        while ((line = out.readLine()) != null && !line.startsWith("PORT ")) {
            seen.add(line);
        }
        assertThat(line).as("the server's first lines: %s", seen).isNotNull();
        port = Integer.parseInt(line.substring(5).trim());
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (IOException e) {
                // the server is gone
            }
        }, "server-output");
        drain.setDaemon(true);
        drain.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private static long stat(HttpClient client, String name) throws Exception {
        String body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = NUMBER.matcher(body);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return Long.parseLong(m.group(2));
            }
        }
        throw new AssertionError("no " + name + " in " + body);
    }

    @Test
    void twoGigabytesWithA64MegabyteHeapWhileAnotherReaderStalls() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             Socket stalled = new Socket("127.0.0.1", port)) {
            assertThat(stat(client, "maxHeap")).isLessThanOrEqualTo(64 * MB);
            long heapBefore = stat(client, "heap");
            long allocatedBefore = stat(client, "loopAllocated");

            // a client that asks for the whole file, reads one megabyte and stops
            stalled.setSoTimeout(30_000);
            OutputStream o = stalled.getOutputStream();
            o.write("GET /static/huge.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
            InputStream stalledIn = stalled.getInputStream();
            assertThat(stalledIn.readNBytes((int) MB)).hasSize((int) MB);

            // meanwhile the whole file, checked
            HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/static/huge.bin")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Length")).hasValue(String.valueOf(SIZE));
            CRC32 crc = new CRC32();
            long total = 0;
            try (InputStream in = r.body()) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    crc.update(buf, 0, n);
                    total += n;
                }
            }
            assertThat(total).isEqualTo(SIZE);
            assertThat(crc.getValue()).isEqualTo(expectedCrc);

            // the last island through a range, from curl
            byte[] end = StaticTesting.curl("-sS", "-r", (SIZE - tail.length) + "-",
                    "http://127.0.0.1:" + port + "/static/huge.bin");
            assertThat(end).isEqualTo(tail);

            long heapGrowth = stat(client, "heap") - heapBefore;
            long allocated = stat(client, "loopAllocated") - allocatedBefore;
            LoggerFactory.getLogger(StaticFileLargeTest.class).info(
                    "2 GiB served with a 64 MiB heap beside a stalled reader: live heap {} KiB more, loop thread "
                    + "allocated {} KiB", heapGrowth / 1024, allocated / 1024);
            // the stalled response is still in progress: its file waits on disk, not in the heap
            assertThat(heapGrowth).as("live heap growth").isLessThan(8 * MB);
            // 2 GiB (plus the stalled client's part) went out through the loop
            assertThat(allocated).as("bytes the loop thread allocated").isLessThan(32 * MB);

            // and the stalled client can still read on, from where it stopped
            byte[] more = stalledIn.readNBytes((int) MB);
            assertThat(more).hasSize((int) MB);
        }
    }
}
