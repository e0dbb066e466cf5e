package io.gale.demos.fileupload;

import io.gale.http.HttpUtil;
import io.gale.httpclient.BodyProducer;
import io.gale.httpclient.BodyWriter;
import java.io.IOException;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A request body made of local files, streamed from disk: either one file as it is (for a PUT)
 * or several as {@code multipart/form-data} (for a POST, laid out as a browser's form would send
 * them, each in a part named {@code file}). Its length is known up front, so the request carries
 * {@code Content-Length} (a server can refuse it before the body: 413) rather than being chunked.
 *
 * <p>Memory: one 64 KiB buffer, whatever the files' sizes. The {@link #producer} reads a piece,
 * hands it to the client, waits until the client wrote it to the socket, then reuses the buffer
 * for the next piece (the {@link BodyWriter}'s backpressure). The reads block, so they run on a
 * virtual thread of their own, never on the client's event loop. The SHA-256 of each file is
 * computed from the bytes as they are sent ({@link LocalFile#sha256()}), to compare with the
 * server's.
 *
 * <p>Threading: build on any thread; the producer runs once per request. A file that shrinks
 * while it is sent fails the upload; bytes added to it meanwhile are not sent.
 */
final class UploadBody {
    static final int CHUNK = 64 * 1024;

    /** A file to send, and the SHA-256 of what was sent once it was. */
    static final class LocalFile {
        private final Path path;
        private final String name;
        private final long size;
        private final MessageDigest digest;
        private String sha256;

        LocalFile(Path path) throws IOException {
            this.path = path;
            this.name = path.getFileName().toString();
            this.size = Files.size(path);
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        Path path() {
            return path;
        }

        /** The name sent to the server: the file's own name, without its directory. */
        String name() {
            return name;
        }

        long size() {
            return size;
        }

        /** Lower-case hex SHA-256 of the bytes sent; null until the whole file was sent. */
        String sha256() {
            return sha256;
        }
    }

    /** A piece of the body: fixed bytes (multipart framing) or a file. */
    private record Segment(byte[] bytes, LocalFile file) {
        long length() {
            return bytes != null ? bytes.length : file.size;
        }
    }

    private final String contentType;
    private final List<Segment> segments;
    private final List<LocalFile> files;
    private final long length;

    private UploadBody(String contentType, List<Segment> segments, List<LocalFile> files) {
        this.contentType = contentType;
        this.segments = segments;
        this.files = files;
        this.length = segments.stream().mapToLong(Segment::length).sum();
    }

    /** One file as the whole body, typed by its name. */
    static UploadBody raw(LocalFile file) {
        return new UploadBody(guessType(file.name()), List.of(new Segment(null, file)), List.of(file));
    }

    /** The files as {@code multipart/form-data} with the given boundary (RFC 2046 bchars). */
    static UploadBody multipart(List<LocalFile> files, String boundary) {
        List<Segment> segments = new ArrayList<>();
        for (LocalFile f : files) {
            String head = "--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"file\"; " + filenameParams(f.name()) + "\r\n"
                    + "Content-Type: " + guessType(f.name()) + "\r\n"
                    + "\r\n";
            segments.add(new Segment(head.getBytes(StandardCharsets.UTF_8), null));
            segments.add(new Segment(null, f));
            segments.add(new Segment("\r\n".getBytes(StandardCharsets.US_ASCII), null));
        }
        segments.add(new Segment(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII), null));
        return new UploadBody("multipart/form-data; boundary=" + boundary, segments, List.copyOf(files));
    }

    /**
     * {@code filename="..."}, plus RFC 8187's {@code filename*=UTF-8''...} when the name is not
     * plain printable ASCII without quotes or backslashes: the plain form then carries a
     * stand-in with {@code _} for each such character, for servers that know only it.
     */
    static String filenameParams(String name) {
        StringBuilder plain = new StringBuilder();
        boolean simple = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                simple = false;
                if (Character.isLowSurrogate(c)) {
                    continue; // one stand-in per code point
                }
                plain.append('_');
            } else {
                plain.append(c);
            }
        }
        String params = "filename=\"" + plain + "\"";
        return simple ? params : params + "; filename*=UTF-8''" + HttpUtil.urlEncode(name);
    }

    static String guessType(String name) {
        String t = URLConnection.guessContentTypeFromName(name);
        return t != null ? t : "application/octet-stream";
    }

    String contentType() {
        return contentType;
    }

    /** The body's length in bytes. */
    long length() {
        return length;
    }

    List<LocalFile> files() {
        return files;
    }

    /** Streams the body, reporting each piece to {@code progress} once it is on the socket. */
    BodyProducer producer(Progress progress) {
        return writer -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            Thread.ofVirtual().name("upload-body").start(() -> {
                try {
                    send(writer, progress);
                    done.complete(null);
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            });
            return done;
        };
    }

    private void send(BodyWriter writer, Progress progress) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        for (Segment s : segments) {
            if (s.bytes != null) {
                writer.write(s.bytes).join();
                progress.advance(s.bytes.length);
            } else {
                sendFile(s.file, buffer, writer, progress);
            }
        }
    }

    private static void sendFile(LocalFile f, ByteBuffer buffer, BodyWriter writer, Progress progress)
            throws IOException {
        f.digest.reset();
        try (FileChannel in = FileChannel.open(f.path, StandardOpenOption.READ)) {
            long left = f.size;
            while (left > 0) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), left));
                int n = in.read(buffer);
                if (n < 0) {
                    throw new IOException(f.path + " shrank while it was sent (" + (f.size - left) + " of "
                            + f.size + " bytes)");
                }
                buffer.flip();
                f.digest.update(buffer.duplicate());
                writer.write(buffer).join(); // the buffer is reused only after the socket took it
                progress.advance(n);
                left -= n;
            }
        }
        f.sha256 = HexFormat.of().formatHex(f.digest.digest());
    }
}
