package io.gale;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The exported packages export only API. Every public top-level type of a package module-info.java
 * exports is listed in {@code exported-api.txt} (next to this test's resources), and every listed
 * type exists and is public: a class made public "for a benchmark" or "for another package" fails
 * here until someone decides it is API and lists it. Codecs and connection internals are
 * package-private, or public in an {@code io.gale.internal.*} package module-info does not export.
 *
 * <p>Reads the compiled classes (target/classes), so nested types are left to their enclosing
 * type's listing.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExportedApiTest {
    private static final Path CLASSES = Path.of("target/classes");

    @Test
    void everyPublicTypeOfAnExportedPackageIsListedAsApi() throws Exception {
        Set<String> listed = listed();
        Set<String> actual = publicTopLevelTypesOfExportedPackages();
        assertThat(actual).as("public types of exported packages (list new API in exported-api.txt, "
                + "or make the type package-private / move it to io.gale.internal.*)").isSubsetOf(listed);
        assertThat(listed).as("exported-api.txt names only public types that exist").isSubsetOf(actual);
    }

    @Test
    void internalPackagesAreNotExported() throws IOException {
        assertThat(exportedPackages()).noneMatch(p -> p.startsWith("io.gale.internal"));
    }

    private static Set<String> listed() throws IOException {
        Set<String> out = new TreeSet<>();
        try (var in = ExportedApiTest.class.getResourceAsStream("exported-api.txt")) {
            assertThat(in).as("exported-api.txt on the test class path").isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    private static Set<String> exportedPackages() throws IOException {
        Set<String> exported = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\s*exports\\s+([\\w.]+)\\s*;")
                .matcher(Files.readString(Path.of("src/main/java/module-info.java")));
        while (m.find()) {
            exported.add(m.group(1));
        }
        assertThat(exported).as("module-info exports").contains("io.gale.http", "io.gale.web");
        return exported;
    }

    private static Set<String> publicTopLevelTypesOfExportedPackages() throws Exception {
        Set<String> out = new TreeSet<>();
        ClassLoader loader = ExportedApiTest.class.getClassLoader();
        for (String pkg : exportedPackages()) {
            Path dir = CLASSES.resolve(pkg.replace('.', '/'));
            assertThat(dir).as("compiled package %s", pkg).isDirectory();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String file = f.getFileName().toString();
                    if (!file.endsWith(".class") || file.contains("$") || file.equals("package-info.class")) {
                        continue;
                    }
                    String name = pkg + "." + file.substring(0, file.length() - ".class".length());
                    Class<?> c = Class.forName(name, false, loader);
                    if (Modifier.isPublic(c.getModifiers())) {
                        out.add(name);
                    }
                }
            }
        }
        return out;
    }
}
