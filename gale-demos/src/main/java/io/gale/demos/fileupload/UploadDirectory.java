package io.gale.demos.fileupload;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The directory uploads are stored in. A file being received lives under a temporary name
 * ({@code .upload-RANDOM.part}, which no sanitised name can take) and appears under its real
 * name only once it is complete and on disk ({@link IncomingFile#store()}); a failed or abandoned
 * upload deletes its temporary file ({@link IncomingFile#discard(String)}), so the directory
 * never shows a partial file.
 *
 * <p>Names: the client's name goes through {@link FileNames#sanitise}; when it is taken, a number
 * is added before the extension ({@code report-1.pdf}, {@code report-2.pdf}, ...). A name is
 * claimed with a hard link, which fails atomically when the name exists, so two uploads of the
 * same name never overwrite each other. On a file system without hard links the file is moved
 * instead (an existence check and a rename: two simultaneous uploads of one name could then
 * race).
 *
 * <p>Threading: thread-safe (the file system arbitrates). {@link Listener} calls come from the
 * thread that did the work.
 */
final class UploadDirectory {
    /** Prefix of temporary files; sanitised names never start with a dot. */
    static final String TEMP_PREFIX = ".upload-";
    static final String TEMP_SUFFIX = ".part";

    /** Hears what happens to uploads (the demo logs it; tests wait on it). */
    interface Listener {
        /** A temporary file was created for a file named {@code clientName} by the client. */
        default void started(Path temp, String clientName) {
        }

        /** A file was stored. */
        default void stored(StoredFile file) {
        }

        /** An unfinished upload's temporary file was deleted. */
        default void discarded(Path temp, String reason) {
        }
    }

    private final Path root;
    private final Listener listener;

    /** Uses {@code root}, creating it (and its parents) when missing. */
    UploadDirectory(Path root, Listener listener) throws IOException {
        this.root = Files.createDirectories(root).toAbsolutePath().normalize();
        this.listener = listener;
    }

    Path root() {
        return root;
    }

    Listener listener() {
        return listener;
    }

    /** Starts receiving a file the client calls {@code clientName}. */
    IncomingFile create(String clientName) throws IOException {
        byte[] random = new byte[12];
        ThreadLocalRandom.current().nextBytes(random);
        Path temp = root.resolve(TEMP_PREFIX + HexFormat.of().formatHex(random) + TEMP_SUFFIX);
        IncomingFile file = new IncomingFile(this, clientName, temp);
        listener.started(temp, clientName);
        return file;
    }

    /**
     * Gives the complete temporary file {@code temp} its name: {@code safeName}, or a numbered
     * variant when taken. Returns the name used.
     */
    String claim(Path temp, String safeName) throws IOException {
        for (int n = 0; ; n++) {
            String name = n == 0 ? safeName : FileNames.numbered(safeName, n);
            Path target = root.resolve(name);
            if (!target.getParent().equals(root)) {
                throw new IllegalStateException("sanitised name escapes the directory: " + name);
            }
            try {
                Files.createLink(target, temp);
                Files.delete(temp);
                return name;
            } catch (FileAlreadyExistsException e) {
                // taken: try the next number
            } catch (UnsupportedOperationException e) {
                if (!Files.exists(target)) {
                    Files.move(temp, target);
                    return name;
                }
            }
        }
    }
}
