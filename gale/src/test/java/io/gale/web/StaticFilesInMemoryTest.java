package io.gale.web;

import io.gale.testing.InMemoryClient;
import io.gale.testing.TestRequest;
import io.gale.testing.TestResponse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The static-file collaborators in memory: path rules, content types, versions, and the handler
 * through a test connection (whose {@code writeFile} is the bounded default, {@code FilePieces}),
 * including a subclass serving content that is not a file ({@code ContentPump}).
 */
@Timeout(30)
class StaticFilesInMemoryTest {
    @TempDir
    Path dir;

    @Test
    void pathsAreJoinedAndNormalisedBeforeAnyCheck() {
        Path root = dir.resolve("root");
        assertThat(StaticPaths.join(root, "a/b.txt")).isEqualTo(root.resolve("a/b.txt"));
        assertThat(StaticPaths.join(root, "a/../b.txt")).isEqualTo(root.resolve("b.txt"));
        Path out = StaticPaths.join(root, "../secret");
        assertThat(StaticPaths.outside(root, out)).isTrue();
        assertThat(StaticPaths.outside(root, StaticPaths.join(root, "/etc/passwd"))).isTrue();
        assertThat(StaticPaths.outside(root, StaticPaths.join(root, ""))).isFalse(); // the root itself
        // a sibling whose name starts with the root's is outside
        assertThat(StaticPaths.outside(root, StaticPaths.join(root, "../root2/x"))).isTrue();
        assertThat(StaticPaths.join(root, "a\0b")).isNull();
    }

    @Test
    void linksAreResolvedForFilesAndDirectories() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path inside = Files.createDirectories(root.resolve("sub"));
        Files.writeString(inside.resolve("f.txt"), "x");
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("f.txt"), "secret");
        Files.createSymbolicLink(root.resolve("out-dir"), outside);
        Files.createSymbolicLink(root.resolve("out-file"), outside.resolve("f.txt"));
        Files.createSymbolicLink(root.resolve("in-file"), inside.resolve("f.txt"));
        assertThat(StaticPaths.linksLeadOut(root, inside.resolve("f.txt"), false)).isFalse();
        assertThat(StaticPaths.linksLeadOut(root, root.resolve("out-dir/f.txt"), false)).isTrue();
        assertThat(StaticPaths.linksLeadOut(root, root.resolve("out-file"), true)).isTrue();
        assertThat(StaticPaths.linksLeadOut(root, root.resolve("in-file"), true)).isFalse();
    }

    @Test
    void contentTypesComeFromTheExtension() {
        assertThat(ContentTypes.forFileName("a.CSS")).isEqualTo("text/css");
        assertThat(ContentTypes.forFileName("app.min.js")).isEqualTo("text/javascript");
        assertThat(ContentTypes.forFileName("data.json.gz")).isEqualTo("application/gzip");
        assertThat(ContentTypes.forFileName("photo.jpeg")).isEqualTo("image/jpeg");
        assertThat(ContentTypes.forFileName("README")).isEqualTo("application/octet-stream");
        assertThat(ContentTypes.forFileName("trailing.")).isEqualTo("application/octet-stream");
        assertThat(ContentTypes.forFileName("x.unknownext")).isEqualTo("application/octet-stream");
    }

    @Test
    void versionsAreCachedOnlyWhenAsked() throws Exception {
        Path f = dir.resolve("v.txt");
        Files.writeString(f, "one");
        StaticVersions cached = new StaticVersions(true);
        StaticVersions fresh = new StaticVersions(false);
        String one = cached.version(f, StaticFilesInMemoryTest::hash);
        assertThat(one).hasSize(128);
        assertThat(cached.etag(f, StaticFilesInMemoryTest::hash)).isEqualTo('"' + one + '"');
        Files.writeString(f, "two");
        assertThat(cached.version(f, StaticFilesInMemoryTest::hash)).isEqualTo(one);
        assertThat(fresh.version(f, StaticFilesInMemoryTest::hash)).isNotEqualTo(one);
        // a missing file has no version (logged), and that is remembered too
        assertThat(cached.version(dir.resolve("missing"), StaticFilesInMemoryTest::hash)).isNull();
    }

    private static String hash(Path p) {
        try {
            return StaticVersions.contentHash(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void openFilesAreSharedWhileTheFileIsTheSame() throws Exception {
        long[] now = {0};
        OpenFiles files = new OpenFiles(() -> now[0]);
        Path f = dir.resolve("shared.txt");
        Files.writeString(f, "version one");
        Object key = Files.readAttributes(f, BasicFileAttributes.class).fileKey();
        assertThat(key).isNotNull(); // Linux: device and inode
        OpenFiles.Lease a = (OpenFiles.Lease) files.open(f, key);
        OpenFiles.Lease b = (OpenFiles.Lease) files.open(f, key);
        assertThat(a.shared()).isSameAs(b.shared());
        assertThat(read(a, 0)).isEqualTo("version one");
        b.position(8);
        assertThat(read(b, -1)).isEqualTo("one"); // relative reads use the lease's own position
        b.close();
        assertThat(a.shared().isOpen()).isTrue();

        // a new file renamed into place (a deploy) is a different file: opened afresh
        Path next = dir.resolve("next.txt");
        Files.writeString(next, "version two");
        Files.move(next, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Object key2 = Files.readAttributes(f, BasicFileAttributes.class).fileKey();
        assertThat(key2).isNotEqualTo(key);
        OpenFiles.Lease c = (OpenFiles.Lease) files.open(f, key2);
        assertThat(c.shared()).isNotSameAs(a.shared());
        assertThat(read(c, 0)).isEqualTo("version two");
        assertThat(read(a, 0)).isEqualTo("version one"); // still being sent: still open
        a.close();
        assertThat(a.shared().isOpen()).isFalse(); // retired and released: closed
        c.close();
        assertThat(c.shared().isOpen()).isTrue(); // kept for the next request
        assertThat(files.size()).isEqualTo(1);

        // unused for a minute: closed at the next open
        now[0] += (OpenFiles.IDLE_SECONDS + 1) * 1_000_000_000L;
        Path other = dir.resolve("other.txt");
        Files.writeString(other, "x");
        files.open(other, Files.readAttributes(other, BasicFileAttributes.class).fileKey()).close();
        assertThat(c.shared().isOpen()).isFalse();
        assertThat(files.size()).isEqualTo(1);
    }

    @Test
    void atMostMaxOpenFilesStayOpen() throws Exception {
        OpenFiles files = new OpenFiles();
        OpenFiles.Lease first = null;
        for (int i = 0; i <= OpenFiles.MAX_OPEN; i++) {
            Path f = dir.resolve("f" + i);
            Files.writeString(f, "file " + i);
            OpenFiles.Lease l = (OpenFiles.Lease) files.open(f, Files.readAttributes(f, BasicFileAttributes.class).fileKey());
            if (first == null) {
                first = l;
            } else {
                l.close();
            }
        }
        assertThat(files.size()).isEqualTo(OpenFiles.MAX_OPEN);
        assertThat(first.shared().isOpen()).isTrue(); // evicted while leased: open until released
        assertThat(read(first, 0)).isEqualTo("file 0");
        first.close();
        assertThat(first.shared().isOpen()).isFalse();
    }

    private static String read(java.nio.channels.FileChannel ch, long at) throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(100);
        if (at >= 0) {
            ch.read(b, at);
        } else {
            ch.read(b);
        }
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    @Test
    void theDefaultWriteFileSendsThePiecesInOrder() throws Exception {
        byte[] data = new byte[200_000];
        new Random(5).nextBytes(data);
        Files.write(dir.resolve("data.bin"), data);
        Application app = new Application(List.of(), ApplicationSettings.builder().staticPath(dir).build());
        try (InMemoryClient c = new InMemoryClient(app)) {
            TestResponse r = c.fetch("/static/data.bin");
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(data);
            assertThat(r.pieces()).hasSizeGreaterThan(1); // 64 KiB pieces
            TestResponse part = c.fetch(TestRequest.get("/static/data.bin").header("Range", "bytes=70000-70009"));
            assertThat(part.code()).isEqualTo(206);
            assertThat(part.body()).isEqualTo(Arrays.copyOfRange(data, 70_000, 70_010));
            TestResponse head = c.fetch(TestRequest.of("HEAD", "/static/data.bin"));
            assertThat(head.header("Content-Length")).isEqualTo("200000");
        }
    }

    /** Serves a generated page for every path: content that is not a file. */
    public static final class Generated extends StaticFileHandler {
        static final byte[] PAGE = "generated ".repeat(20_000).getBytes(StandardCharsets.UTF_8);

        @Override
        protected Path validateAbsolutePath(Path root, Path absolutePath) {
            return absolutePath; // nothing on disk to check
        }

        @Override
        protected long getContentSize() {
            return PAGE.length;
        }

        @Override
        protected Instant getModifiedTime() {
            return Instant.ofEpochSecond(1_700_000_000);
        }

        @Override
        protected String getContentVersion(Path absolutePath) {
            return "v1";
        }

        @Override
        protected String getContentType() {
            return "text/plain";
        }

        @Override
        protected ReadableByteChannel getContent(Path absolutePath, long start, long end) {
            return Channels.newChannel(new ByteArrayInputStream(PAGE, (int) start, (int) (end - start)));
        }
    }

    @Test
    void contentThatIsNotAFileIsPumpedAndGzipped() throws Exception {
        Application app = new Application(List.of(Route.url("/gen/(.*)", Generated.class, Map.of("path", dir))),
                ApplicationSettings.builder().compressResponse(true).build());
        try (InMemoryClient c = new InMemoryClient(app)) {
            TestResponse plain = c.fetch("/gen/x");
            assertThat(plain.body()).isEqualTo(Generated.PAGE);
            assertThat(plain.header("Etag")).isEqualTo("\"v1\"");
            assertThat(plain.header("Last-Modified")).isEqualTo("Tue, 14 Nov 2023 22:13:20 GMT");
            TestResponse gz = c.fetch(TestRequest.get("/gen/x").header("Accept-Encoding", "gzip"));
            assertThat(gz.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(new java.util.zip.GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes())
                    .isEqualTo(Generated.PAGE);
            TestResponse part = c.fetch(TestRequest.get("/gen/x").header("Range", "bytes=10-19")
                    .header("Accept-Encoding", "gzip"));
            assertThat(part.code()).isEqualTo(206);
            assertThat(part.header("Content-Encoding")).isNull();
            assertThat(part.text()).isEqualTo("generated ");
            assertThat(c.fetch(TestRequest.get("/gen/x").header("If-None-Match", "\"v1\"")).code()).isEqualTo(304);
        }
    }
}
