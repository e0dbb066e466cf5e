package io.gale.autoreload;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles changed Java sources into their class directory, in the supervisor's own JVM (the
 * JDK's compiler through {@code javax.tools}), so that saving a source file is enough: the new
 * class files then restart the application as any build's would. A compile error writes no class
 * file (javac generates nothing when any file has errors), so the serving version keeps serving,
 * and the error is printed as javac prints it.
 *
 * <p>What is compiled: the changed files, plus every source file under the roots that names one
 * of their classes (a word match of the file's simple name), so that a changed signature or
 * constant reaches its users; the rest of the sources are read through {@code -sourcepath} and
 * the class directory ({@code -implicit:none}: only the files named are written). A change this
 * misses (a user found only through a subclass's name) is caught by a full build.
 *
 * <p>Threading: {@link #compile} runs on the caller's thread and takes the time javac takes
 * (a few hundred milliseconds for a small application once javac is warm, several seconds for
 * the first compile of a JVM, hence {@link #warmUp}); the supervisor calls both on a thread of
 * its own. Not for concurrent use. Failures: no compiler in this runtime (a JRE) is reported
 * once per compile, as an error.
 */
final class SourceCompiler {
    /**
     * What a compile did.
     *
     * @param ok true when javac reported no error (class files were written)
     * @param files how many source files were compiled
     * @param output javac's diagnostics, as it prints them (empty when none)
     */
    record Result(boolean ok, int files, String output) {
    }

    /** How many (of the smallest) sources {@link #warmUp} compiles. */
    private static final int WARM_UP_FILES = 5;

    private final List<Path> roots;
    private final List<Path> classDirs;
    private final String classPath;

    /**
     * @param roots the source roots ({@code src/main/java})
     * @param classDirs the class path's directories, one of which receives the class files
     *     (see {@link #outputFor})
     * @param classPath the class path to compile against (the application's)
     */
    SourceCompiler(List<Path> roots, List<Path> classDirs, String classPath) {
        if (classDirs.isEmpty()) {
            throw new IllegalArgumentException("sources to compile, but no directory on the class path to compile into");
        }
        this.roots = List.copyOf(roots);
        this.classDirs = List.copyOf(classDirs);
        this.classPath = classPath;
    }

    /**
     * Where the class files of {@code source} go: the class path directory that already holds
     * its class file, else the one that holds its package's directory, else the first.
     */
    Path outputFor(Path source) {
        for (Path root : roots) {
            if (source.startsWith(root)) {
                Path rel = root.relativize(source);
                String name = rel.getFileName().toString();
                Path classFile = rel.resolveSibling(name.substring(0, name.length() - ".java".length()) + ".class");
                for (Path dir : classDirs) {
                    if (Files.isRegularFile(dir.resolve(classFile))) {
                        return dir;
                    }
                }
                for (Path dir : classDirs) {
                    if (rel.getParent() != null && Files.isDirectory(dir.resolve(rel.getParent()))) {
                        return dir;
                    }
                }
            }
        }
        return classDirs.get(0);
    }

    /** Whether {@code path} is a Java source file under one of the roots. */
    boolean isSource(Path path) {
        return path.getFileName().toString().endsWith(".java") && roots.stream().anyMatch(path::startsWith);
    }

    /** Whether {@code path} is under one of the roots (other files there restart nothing). */
    boolean underRoots(Path path) {
        return roots.stream().anyMatch(path::startsWith);
    }

    /**
     * Compiles {@code changed} and the sources that name their classes.
     *
     * @param changed source files that were added or modified
     * @return what javac said
     */
    Result compile(Set<Path> changed) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            return new Result(false, 0, "no Java compiler in this runtime (" + System.getProperty("java.home")
                    + "); run the supervisor on a JDK, or compile with your build tool");
        }
        Set<Path> files = new LinkedHashSet<>();
        for (Path p : changed) {
            if (Files.isRegularFile(p)) {
                files.add(p);
            }
        }
        if (files.isEmpty()) {
            return new Result(true, 0, "");
        }
        Path classes = outputFor(files.iterator().next());
        files.addAll(users(files));
        List<String> options = new ArrayList<>(List.of("-d", classes.toString(), "-cp", classPath, "-sourcepath",
                String.join(File.pathSeparator, roots.stream().map(Path::toString).toList()), "-implicit:none",
                "-proc:none", "-g", "-encoding", "UTF-8", "-Xlint:none", "-Xmaxerrs", "20"));
        StringWriter out = new StringWriter();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(files);
            boolean ok = javac.getTask(out, fm, null, options, null, units).call();
            return new Result(ok, files.size(), out.toString().strip());
        } catch (IOException | RuntimeException e) {
            return new Result(false, files.size(), "javac failed: " + e);
        }
    }

    /**
     * Compiles a few of the smallest sources into a temporary directory that is then removed:
     * the first real compile of a JVM spends most of its time loading and warming up javac, so
     * the supervisor does this once while the first version serves. Failures are ignored.
     */
    void warmUp() {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            return;
        }
        List<Path> all = new ArrayList<>();
        for (Path root : roots) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.walk(root)) {
                    s.filter(p -> p.toString().endsWith(".java")).forEach(all::add);
                } catch (IOException | java.io.UncheckedIOException e) {
                    // warm up with what was found
                }
            }
        }
        all.sort(java.util.Comparator.comparingLong(p -> p.toFile().length()));
        List<Path> few = all.subList(0, Math.min(WARM_UP_FILES, all.size()));
        if (few.isEmpty()) {
            return;
        }
        Path tmp = null;
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            tmp = Files.createTempDirectory("gale-autoreload-warm-up-");
            List<String> options = List.of("-d", tmp.toString(), "-cp", classPath, "-sourcepath",
                    String.join(File.pathSeparator, roots.stream().map(Path::toString).toList()), "-implicit:none",
                    "-proc:none", "-encoding", "UTF-8", "-Xlint:none");
            javac.getTask(new StringWriter(), fm, null, options, null, fm.getJavaFileObjectsFromPaths(few)).call();
        } catch (IOException | RuntimeException e) {
            // only a warm-up
        } finally {
            if (tmp != null) {
                try (Stream<Path> s = Files.walk(tmp)) {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException | java.io.UncheckedIOException e) {
                    // a temporary directory left behind
                }
            }
        }
    }

    /** The other source files that name a class of {@code files} (by the file's simple name). */
    private Set<Path> users(Set<Path> files) {
        List<Pattern> names = new ArrayList<>();
        for (Path f : files) {
            String n = f.getFileName().toString();
            names.add(Pattern.compile("\\b" + Pattern.quote(n.substring(0, n.length() - ".java".length())) + "\\b"));
        }
        Set<Path> out = new LinkedHashSet<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : (Iterable<Path>) all.filter(x -> x.toString().endsWith(".java"))::iterator) {
                    if (files.contains(p)) {
                        continue;
                    }
                    String text;
                    try {
                        text = Files.readString(p, StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        continue; // unreadable or not UTF-8: javac reports it if it matters
                    }
                    if (names.stream().anyMatch(n -> n.matcher(text).find())) {
                        out.add(p);
                    }
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // a directory removed while walking: what was found is compiled
            }
        }
        return out;
    }
}
