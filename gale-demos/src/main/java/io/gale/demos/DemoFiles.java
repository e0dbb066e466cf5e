package io.gale.demos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A demo's own files (its templates, its static files) as a directory {@link Path}, found beside
 * the demo's classes: Tornado's demos find theirs with {@code os.path.dirname(__file__)}. The
 * folder is a class path resource ({@code src/main/resources/io/gale/demos/chat/static}), so it is
 * a plain directory while developing ({@code target/classes}) and a folder inside the jar that
 * {@code ./gale-demo} runs, read there through the JDK's zip file system. Either way the result
 * goes straight into the {@code templatePath} and {@code staticPath} settings.
 *
 * <p>Read-only, as a jar is. A jar's file system is opened once per JVM and stays open (it is
 * the JVM's own class path jar). Thread-safe.
 */
public final class DemoFiles {
    private DemoFiles() {
    }

    /**
     * The folder {@code name} in the package of {@code anchor}.
     *
     * @throws IllegalStateException if it is missing
     */
    public static Path directory(Class<?> anchor, String name) {
        URL url = anchor.getResource(name);
        if (url == null) {
            throw new IllegalStateException("missing resource folder " + name + " beside " + anchor.getName());
        }
        try {
            URI uri = url.toURI();
            Path path = "jar".equals(uri.getScheme()) ? inJar(uri) : Path.of(uri);
            if (!Files.isDirectory(path)) {
                throw new IllegalStateException(url + " is not a directory");
            }
            return path;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("unusable resource URL " + url, e);
        }
    }

    /** {@code jar:file:/x.jar!/io/gale/...}: the path in the jar's zip file system. */
    private static synchronized Path inJar(URI uri) {
        FileSystem fs;
        try {
            fs = FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
            fs = FileSystems.getFileSystem(uri);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + uri, e);
        }
        String inner = uri.getSchemeSpecificPart();
        return fs.getPath(inner.substring(inner.indexOf("!/") + 1));
    }
}
