package io.gale.template;

import io.pebbletemplates.pebble.loader.Loader;
import io.pebbletemplates.pebble.utils.PathUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds template sources for Pebble: in a directory, then under a class path root, by names
 * such as {@code "blog/entry.html"} (UTF-8). A name is relative to the roots (a leading
 * {@code /} is ignored); {@code ./} and {@code ../} in {@code extends}/{@code include} resolve
 * against the including template; a name that climbs out of the roots is not found. A miss is a
 * {@link TemplateNotFoundException} listing every place searched.
 *
 * <p>Thread-safe (immutable); reads the source each time Pebble asks, which is once per
 * template while the compiled-template cache is on, and on every use while it is off.
 */
final class TemplateLoader implements Loader<String> {
    private final Path directory;
    private final String classpathRoot;
    private final ClassLoader classLoader;
    private final int maxBytes;

    /**
     * @param directory the template directory, or null
     * @param classpathRoot the class path folder ("templates"), or null
     */
    TemplateLoader(Path directory, String classpathRoot, ClassLoader classLoader, int maxBytes) {
        this.directory = directory == null ? null : directory.toAbsolutePath().normalize();
        this.classpathRoot = classpathRoot == null ? null
                : classpathRoot.isEmpty() || classpathRoot.endsWith("/") ? classpathRoot : classpathRoot + "/";
        this.classLoader = classLoader;
        this.maxBytes = maxBytes;
    }

    @Override
    public Reader getReader(String name) {
        String text = read(name);
        if (text == null) {
            throw new TemplateNotFoundException(name, searched(name));
        }
        return new StringReader(text);
    }

    @Override
    public boolean resourceExists(String name) {
        return read(name) != null;
    }

    /** The source of {@code name}, or null if none. */
    private String read(String name) {
        String clean = clean(name);
        if (clean == null) {
            return null;
        }
        try {
            if (directory != null) {
                Path p = directory.resolve(clean);
                if (Files.isRegularFile(p)) {
                    if (Files.size(p) > maxBytes) {
                        throw tooLarge(name);
                    }
                    return Files.readString(p, StandardCharsets.UTF_8);
                }
            }
            if (classpathRoot != null) {
                URL url = classLoader.getResource(classpathRoot + clean);
                if (url != null) {
                    try (InputStream in = url.openStream()) {
                        byte[] bytes = in.readNBytes(maxBytes + 1);
                        if (bytes.length > maxBytes) {
                            throw tooLarge(name);
                        }
                        return new String(bytes, StandardCharsets.UTF_8);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + name, e);
        }
        return null;
    }

    private TemplateException tooLarge(String name) {
        return new TemplateException(name, 0, "template larger than maxTemplateBytes (" + maxBytes + ")", null);
    }

    private List<String> searched(String name) {
        String clean = clean(name);
        List<String> places = new ArrayList<>(2);
        if (clean == null) {
            places.add("nothing: the name leaves the template root");
            return places;
        }
        if (directory != null) {
            places.add(directory.resolve(clean).toString());
        }
        if (classpathRoot != null) {
            places.add("classpath:" + classpathRoot + clean);
        }
        if (places.isEmpty()) {
            places.add("nothing: no templatePath and no class path root");
        }
        return places;
    }

    /** {@code name} as a normalised relative path, or null if it leaves the root or is not a file name. */
    static String clean(String name) {
        if (name == null || name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.remove(parts.size() - 1);
            } else {
                parts.add(part);
            }
        }
        return parts.isEmpty() ? null : String.join("/", parts);
    }

    @Override
    public String resolveRelativePath(String relativePath, String anchorPath) {
        return PathUtils.resolveRelativePath(relativePath, anchorPath, '/');
    }

    @Override
    public String createCacheKey(String templateName) {
        return templateName;
    }

    @Override
    public void setCharset(String charset) {
        // always UTF-8
    }

    @Override
    public void setPrefix(String prefix) {
        // the roots are given to the constructor
    }

    @Override
    public void setSuffix(String suffix) {
        // names are complete file names
    }
}
