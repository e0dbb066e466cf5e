package io.gale.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The packaged gale jar as a user gets it (run by maven-failsafe in the verify phase, after the
 * shade plugin has relocated JZlib into the jar as io.gale.internal.jzlib and the antrun step has
 * put io.gale's descriptor back). It checks the jar's entries, its module descriptor and the
 * published (dependency-reduced) POM, then compiles a small program (src/it/packaged-jar) against
 * the jar and runs it in a fresh JVM, on the class path and on the module path, with only the jar
 * and the runtime dependencies the published POM declares: a permessage-deflate round trip over
 * 127.0.0.1 with 9-bit windows both ways, which only JZlib's compressor serves. Last, jdeps
 * checks that the packaged classes use no module io.gale does not read (gale/pom.xml compiles
 * against JZlib on the class path, which would let other class-path jars in unnoticed).
 *
 * <p>Inputs, from gale/pom.xml's failsafe configuration: the jar, the dependency-reduced POM, the
 * runtime dependency tree (maven-dependency-plugin's JSON, pre-integration-test), the local
 * repository that holds the dependencies' jars, and the probe's sources.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PackagedJarIT {
    private static final String RELOCATED = "io/gale/internal/jzlib/";
    private static final Path JAR = Path.of(property("gale.packaged.jar"));
    private static final Path WORK = Path.of(property("gale.packaged.work"));
    private static final Path REPOSITORY = Path.of(property("gale.packaged.repository"));

    /** The published POM's runtime dependencies' jars, transitively (JZlib is not among them). */
    private static List<Path> dependencies;
    private static Path probeClasses;

    private static String property(String name) {
        String v = System.getProperty(name);
        assertThat(v).as("system property %s (set by gale/pom.xml's failsafe configuration)", name).isNotBlank();
        return v;
    }

    @BeforeAll
    static void resolveAndCompile() throws Exception {
        // A file an earlier build left behind proves nothing (the shade plugin, for one, writes no
        // reduced POM when it has nothing to shade in): both must come from this build.
        Instant buildStart = Instant.parse(property("gale.packaged.buildStart"));
        for (String file : List.of("gale.packaged.jar", "gale.packaged.pom")) {
            Path p = Path.of(property(file));
            assertThat(p).as(file).isRegularFile();
            assertThat(Files.getLastModifiedTime(p).toInstant()).as("%s written by this build (started %s)", p, buildStart)
                    .isAfterOrEqualTo(buildStart);
        }
        dependencies = publishedRuntimeClassPath();
    }

    @Test
    void jarCarriesJzlibRelocatedAndNothingUnderItsOwnName() throws IOException {
        List<String> names = new ArrayList<>();
        List<String> referencingJcraft = new ArrayList<>();
        byte[] needle = "com/jcraft".getBytes(StandardCharsets.US_ASCII);
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                JarEntry entry = e.nextElement();
                names.add(entry.getName());
                if (entry.getName().endsWith(".class")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        // a class name in the constant pool is plain ASCII: an unrelocated reference shows
                        if (indexOf(in.readAllBytes(), needle) >= 0) {
                            referencingJcraft.add(entry.getName());
                        }
                    }
                }
            }
        }
        assertThat(names).as("JZlib relocated into the jar, with its notice and io.gale's descriptor")
                .contains(RELOCATED + "Deflater.class", RELOCATED + "Inflater.class", RELOCATED + "JZlib.class",
                        "META-INF/LICENSE-jzlib.txt", "module-info.class",
                        "io/gale/websocket/MessageDeflater.class");
        assertThat(names).as("entries under JZlib's own package").noneMatch(n -> n.startsWith("com/jcraft"));
        assertThat(referencingJcraft).as("classes that still refer to com/jcraft").isEmpty();
    }

    @Test
    void moduleDescriptorNeitherRequiresNorExportsJzlib() {
        List<ModuleReference> found = new ArrayList<>(ModuleFinder.of(JAR).findAll());
        assertThat(found).as("modules in the jar").hasSize(1);
        ModuleDescriptor d = found.get(0).descriptor();
        assertThat(d.name()).isEqualTo("io.gale");
        assertThat(d.isAutomatic()).as("automatic (descriptor lost)").isFalse();
        assertThat(d.requires()).as("requires").extracting(ModuleDescriptor.Requires::name)
                .noneMatch(n -> n.toLowerCase().contains("jzlib") || n.startsWith("com.jcraft"));
        assertThat(d.exports()).as("exports").extracting(ModuleDescriptor.Exports::source)
                .contains("io.gale.websocket").noneMatch(p -> p.startsWith("io.gale.internal"));
        assertThat(d.opens()).as("opens").isEmpty();
        // the descriptor lists no packages; the module system takes them from the jar
        assertThat(d.packages()).as("packages of the io.gale module").contains("io.gale.internal.jzlib")
                .noneMatch(p -> p.startsWith("com.jcraft"));
    }

    @Test
    void publishedPomDoesNotDeclareJzlib() throws Exception {
        assertThat(publishedDependencies(false)).as("dependencies of the published POM")
                .contains("org.slf4j:slf4j-api").noneMatch(ga -> ga.startsWith("com.jcraft:"));
        assertThat(dependencies).as("the user's runtime class path")
                .noneMatch(p -> p.toString().contains("jzlib"))
                .anyMatch(p -> p.getFileName().toString().startsWith("slf4j-api-"));
    }

    @Test
    void deflateRoundTripOnTheClassPath() throws Exception {
        String out = runProbe(List.of("-cp", path(probeClasses(), JAR), "gale.probe.DeflateRoundTrip"));
        assertThat(out).contains("round trip ok", "in unnamed module", "from file:" + JAR);
    }

    @Test
    void deflateRoundTripOnTheModulePath() throws Exception {
        String out = runProbe(List.of("--module-path", path(probeClasses(), JAR), "--module",
                "gale.probe/gale.probe.DeflateRoundTrip"));
        assertThat(out).contains("round trip ok", "in module io.gale from file:" + JAR);
    }

    /**
     * JZlib is compiled against from the class path (gale/pom.xml: {@code --add-reads
     * io.gale=ALL-UNNAMED}), which would let any class-path class into io.gale's code without a
     * {@code requires}. jdeps reads the packaged classes and names the modules they use: each
     * must be one io.gale reads when every dependency, optional ones included, is present.
     */
    @Test
    void packagedClassesUseOnlyModulesIoGaleReads() throws Exception {
        Set<Path> all = new LinkedHashSet<>();
        for (JsonNode child : dependencyTree().path("children")) {
            collect(child, REPOSITORY, all, true);
        }
        List<Path> modulePath = new ArrayList<>(List.of(JAR));
        modulePath.addAll(all);
        ModuleFinder finder = ModuleFinder.of(modulePath.toArray(Path[]::new));
        // the static requires as roots too, so that their reads edges exist
        Set<String> roots = new LinkedHashSet<>(List.of("io.gale"));
        finder.find("io.gale").orElseThrow().descriptor().requires().forEach(r -> roots.add(r.name()));
        Set<String> reads = Configuration.empty().resolve(finder, ModuleFinder.ofSystem(), roots)
                .findModule("io.gale").orElseThrow().reads().stream().map(ResolvedModule::name)
                .collect(Collectors.toCollection(TreeSet::new));

        String mp = modulePath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        String report = runTool("jdeps", "--multi-release", "21", "--module-path", mp, "--check", "io.gale");
        Matcher section = Pattern.compile("\\[Suggested module descriptor for io\\.gale\\]\\s*\\n((?:\\s*requires [^\\n]*\\n)+)")
                .matcher(report);
        assertThat(section.find()).as("jdeps --check io.gale:%n%s", report).isTrue();
        Set<String> used = new TreeSet<>();
        Matcher m = Pattern.compile("requires (?:transitive |mandated |static )*([\\w.]+);").matcher(section.group(1));
        while (m.find()) {
            used.add(m.group(1));
        }
        assertThat(used).as("modules the packaged classes use (jdeps)").contains("org.slf4j", "java.base");
        assertThat(reads).as("modules io.gale reads; jdeps:%n%s", report).containsAll(used.stream()
                .filter(n -> !n.equals("java.base")).toList());
    }

    private static JsonNode dependencyTree() throws IOException {
        return new ObjectMapper().readTree(Path.of(property("gale.packaged.tree")).toFile());
    }

    /** Runs a JDK tool in this JVM; returns its output, failing on a non-zero exit. */
    private static String runTool(String name, String... args) {
        ToolProvider tool = ToolProvider.findFirst(name).orElseThrow(() -> new AssertionError("no " + name + " in this JDK"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            rc = tool.run(ps, ps, args);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(rc).as("%s %s%n%s", name, List.of(args), text).isZero();
        return text;
    }

    /** Runs the probe in a fresh JVM of this JDK; returns its output, failing on a non-zero exit. */
    private static String runProbe(List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(args);
        Path log = Files.createTempFile(WORK, "probe", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = p.waitFor(90, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(log);
        assertThat(exited).as("probe exited in time; output:%n%s", out).isTrue();
        assertThat(p.exitValue()).as("probe's exit code; %s%noutput:%n%s", command, out).isZero();
        return out;
    }

    /**
     * The probe compiled against the jar as a module (on first use, so that a jar the compiler
     * cannot use fails the round trips, not the checks of its contents).
     */
    private static synchronized Path probeClasses() throws IOException {
        if (probeClasses == null) {
            Path out = WORK.resolve("probe-classes");
            compileProbe(out);
            probeClasses = out;
        }
        return probeClasses;
    }

    private static void compileProbe(Path probeClasses) throws IOException {
        Path sources = Path.of(property("gale.packaged.probe"));
        List<String> args = new ArrayList<>(List.of("--release", "21", "--module-path", path(JAR), "-d", probeClasses.toString()));
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted().forEach(args::add);
        }
        runTool("javac", args.toArray(String[]::new));
    }

    /** The probe's classes and the given entries, then the published dependencies' jars. */
    private static String path(Path... first) {
        List<Path> all = new ArrayList<>(List.of(first));
        all.addAll(dependencies);
        return all.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    /**
     * The jars a user's build resolves for the published POM at run time: its non-optional
     * compile and runtime dependencies and theirs, as this build's dependency tree resolved them.
     */
    private static List<Path> publishedRuntimeClassPath() throws Exception {
        Set<String> direct = publishedDependencies(true);
        Set<Path> jars = new LinkedHashSet<>();
        for (JsonNode child : dependencyTree().path("children")) {
            if (direct.contains(child.path("groupId").asText() + ":" + child.path("artifactId").asText())) {
                collect(child, REPOSITORY, jars, false);
            }
        }
        assertThat(jars).as("resolved runtime dependencies").hasSizeGreaterThanOrEqualTo(direct.size());
        for (Path jar : jars) {
            assertThat(jar).as("dependency jar in the local repository").isRegularFile();
        }
        return new ArrayList<>(jars);
    }

    private static void collect(JsonNode node, Path repository, Set<Path> jars, boolean withOptional) {
        String scope = node.path("scope").asText();
        if ((!withOptional && node.path("optional").asText().equals("true"))
                || !(scope.equals("compile") || scope.equals("runtime"))) {
            return;
        }
        String group = node.path("groupId").asText();
        String artifact = node.path("artifactId").asText();
        String version = node.path("version").asText();
        String classifier = node.path("classifier").asText();
        String file = artifact + "-" + version + (classifier.isEmpty() ? "" : "-" + classifier) + "." + node.path("type").asText();
        jars.add(repository.resolve(group.replace('.', '/')).resolve(artifact).resolve(version).resolve(file));
        for (JsonNode child : node.path("children")) {
            collect(child, repository, jars, withOptional);
        }
    }

    /**
     * groupId:artifactId of the dependency-reduced POM's dependencies; with {@code runtimeOnly},
     * only those a user's application gets at run time (not optional, compile or runtime scope).
     */
    private static Set<String> publishedDependencies(boolean runtimeOnly) throws Exception {
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of(property("gale.packaged.pom")).toFile());
        Set<String> out = new LinkedHashSet<>();
        NodeList deps = pom.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element dep = (Element) deps.item(i);
            if (dep.getParentNode().getParentNode() != pom.getDocumentElement()) {
                continue; // dependencyManagement's entries, not dependencies
            }
            String scope = text(dep, "scope", "compile");
            boolean runtime = !text(dep, "optional", "false").equals("true")
                    && (scope.equals("compile") || scope.equals("runtime"));
            if (runtime || !runtimeOnly) {
                out.add(text(dep, "groupId", "") + ":" + text(dep, "artifactId", ""));
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /** The text of {@code parent}'s child element {@code tag} (not of a nested one, as in exclusions). */
    private static String text(Element parent, String tag, String absent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e.getTextContent().trim();
            }
        }
        return absent;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
