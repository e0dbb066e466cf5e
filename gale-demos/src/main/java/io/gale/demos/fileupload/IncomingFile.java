package io.gale.demos.fileupload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One file being received: written to its temporary file as the pieces arrive, hashed with
 * SHA-256 on the way, then either {@linkplain #store() stored} under its sanitised name or
 * {@linkplain #discard(String) discarded}. Memory: none beyond the digest; the bytes go straight
 * from the caller's buffer to the file.
 *
 * <p>Threading: not thread-safe; one request's thread uses it (the request's virtual thread in
 * this demo: {@link #write} blocks on the disk). {@link #discard} may be called any number of
 * times, also after {@link #store()} (then it does nothing).
 */
final class IncomingFile {
    private final UploadDirectory directory;
    private final String clientName;
    private final Path temp;
    private final FileChannel channel;
    private final MessageDigest sha256;
    private long size;
    private boolean done;

    IncomingFile(UploadDirectory directory, String clientName, Path temp) throws IOException {
        this.directory = directory;
        this.clientName = clientName;
        this.temp = temp;
        this.channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The name the client gave (unsanitised). */
    String clientName() {
        return clientName;
    }

    long size() {
        return size;
    }

    /** Appends the remaining bytes of {@code data} (consumed) to the file. Blocks on the disk. */
    void write(ByteBuffer data) throws IOException {
        if (done) {
            throw new IllegalStateException("file already stored or discarded");
        }
        sha256.update(data.duplicate());
        size += data.remaining();
        while (data.hasRemaining()) {
            channel.write(data);
        }
    }

    /**
     * Completes the file: flushes it to disk, then gives it its name (the name appears with the
     * whole content or not at all).
     */
    StoredFile store() throws IOException {
        if (done) {
            throw new IllegalStateException("file already stored or discarded");
        }
        done = true;
        try {
            channel.force(false);
            channel.close();
            String name = directory.claim(temp, FileNames.sanitise(clientName));
            StoredFile stored = new StoredFile(name, size, HexFormat.of().formatHex(sha256.digest()));
            directory.listener().stored(stored);
            return stored;
        } catch (IOException | RuntimeException e) {
            deleteTemp("storing failed: " + e);
            throw e;
        }
    }

    /** Abandons the file: its temporary file is deleted. Does nothing after {@link #store()}. */
    void discard(String reason) {
        if (done) {
            return;
        }
        done = true;
        deleteTemp(reason);
    }

    private void deleteTemp(String reason) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a file being abandoned: nothing more to do
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot delete " + temp, e);
        }
        directory.listener().discarded(temp, reason);
    }
}
