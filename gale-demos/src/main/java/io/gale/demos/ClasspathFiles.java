package io.gale.demos;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A demo's static files, which ship inside the demos' jar, copied to a directory for the
 * {@code staticPath} setting ({@code StaticFileHandler} serves files, not class path resources):
 * a fresh temporary directory per start, deleted when the JVM exits normally (a killed JVM leaves
 * it in the temporary directory, a few kilobytes).
 *
 * <pre>{@code
 * Path statics = ClasspathFiles.extract(AuthDemo.class, "static", List.of("auth.css"));
 * ApplicationSettings.builder().staticPath(statics)...
 * }</pre>
 */
public final class ClasspathFiles {
    private ClasspathFiles() {
    }

    /**
     * Copies the resources {@code folder/NAME} next to {@code anchor}'s class file (for
     * {@code io.gale.demos.auth.AuthDemo} and {@code "static"}: {@code io/gale/demos/auth/static/NAME})
     * into a new temporary directory, and returns it. Names are plain file names (no directories).
     *
     * @throws IllegalStateException if a resource is missing (a packaging mistake)
     * @throws UncheckedIOException if the directory cannot be written
     */
    public static Path extract(Class<?> anchor, String folder, List<String> names) {
        try {
            Path dir = Files.createTempDirectory("gale-" + anchor.getSimpleName() + "-");
            dir.toFile().deleteOnExit(); // registered first, so deleted last (after its files)
            for (String name : names) {
                if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                    throw new IllegalArgumentException("not a plain file name: " + name);
                }
                Path target = dir.resolve(name);
                try (InputStream in = anchor.getResourceAsStream(folder + "/" + name)) {
                    if (in == null) {
                        throw new IllegalStateException("missing resource " + folder + "/" + name + " beside " + anchor.getName());
                    }
                    Files.copy(in, target);
                }
                target.toFile().deleteOnExit();
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
