package io.gale;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The API documentation covers exactly the exported packages: javadoc runs in legacy mode (see
 * gale/pom.xml) and so cannot read module-info's exports itself; the pom lists the packages to
 * leave out instead. Every package under src/main/java is either exported by module-info.java or
 * excluded by the pom, never both, and every exclusion names a package that exists.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JavadocConfigTest {
    private static final Path SOURCES = Path.of("src/main/java");

    @Test
    void everyPackageIsExportedOrLeftOutOfTheDocumentationNotBoth() throws IOException {
        Set<String> packages = packages();
        Set<String> exported = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\s*exports\\s+([\\w.]+)\\s*;").matcher(Files.readString(SOURCES.resolve("module-info.java")));
        while (m.find()) {
            exported.add(m.group(1));
        }
        Matcher x = Pattern.compile("<excludePackageNames>([^<]*)</excludePackageNames>").matcher(Files.readString(Path.of("pom.xml")));
        assertThat(x.find()).as("gale/pom.xml names the packages javadoc leaves out").isTrue();
        List<Pattern> excluded = new ArrayList<>();
        for (String name : x.group(1).trim().split("[:,]")) {
            excluded.add(Pattern.compile(Pattern.quote(name.trim()).replace("*", "\\E.*\\Q")));
        }

        assertThat(packages).as("packages found").contains("io.gale.web", "io.gale.internal.autoreload");
        for (String p : packages) {
            boolean out = excluded.stream().anyMatch(e -> e.matcher(p).matches());
            assertThat(exported.contains(p) ^ out).as("%s: exported %s, left out of javadoc %s", p, exported.contains(p), out)
                    .isTrue();
        }
        for (Pattern e : excluded) {
            assertThat(packages.stream().anyMatch(p -> e.matcher(p).matches())).as("exclusion %s names a package", e).isTrue();
        }
    }

    /** Packages with at least one Java file under src/main/java. */
    private static Set<String> packages() throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(f -> f.toString().endsWith(".java") && !f.getFileName().toString().equals("module-info.java"))
                    .forEach(f -> out.add(SOURCES.relativize(f.getParent()).toString().replace(java.io.File.separatorChar, '.')));
        }
        return out;
    }
}
