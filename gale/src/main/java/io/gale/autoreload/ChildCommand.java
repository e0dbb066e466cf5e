package io.gale.autoreload;

import io.gale.internal.autoreload.ChildLink;
import io.gale.internal.autoreload.ChildMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The command line of a child JVM: the supervisor's own {@code java} and JVM options (so a
 * start-up cache, heap size or system property given to the supervisor applies to every child),
 * the class path, then {@link ChildMain} with the application's main class and arguments.
 *
 * <p>Some of the supervisor's options are left out: the class path options (set again from
 * {@code java.class.path}); start-up caches (AOT cache, CDS archive), whether recorded at exit
 * or used: the JVM takes a class from a cache whose recorded class path merely starts like the
 * child's, so a cache recorded with the application's classes in a jar would give a child the
 * old versions of edited classes (observed with JDK 25), and a cache must be passed on
 * deliberately with {@link AutoreloadOptions.Builder#childJvmOption} (one recorded by
 * {@code io.gale.internal.autoreload.Training} is safe); debugger agents (a second JVM could not
 * bind the same debug port while the first one drains); and the link's own properties.
 *
 * @param java the {@code java} executable
 * @param jvmOptions JVM options before the main class
 * @param classPath the class path
 * @param mainClass the application's main class
 * @param args the application's arguments
 */
record ChildCommand(String java, List<String> jvmOptions, String classPath, String mainClass, List<String> args) {
    /** Launcher options whose value is the next argument (the others are one token). */
    private static final Set<String> TAKES_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path",
            "--upgrade-module-path", "--add-modules", "--limit-modules", "--add-reads", "--add-exports", "--add-opens",
            "--patch-module", "--enable-native-access", "--source", "-d", "--describe-module");
    private static final Set<String> CLASS_PATH = Set.of("-cp", "-classpath", "--class-path");

    ChildCommand {
        jvmOptions = List.copyOf(jvmOptions);
        args = List.copyOf(args);
    }

    /**
     * The full command of child {@code childId}.
     *
     * @param socket the supervisor's link socket
     * @param childId the child's number
     * @param extraOptions options added after the inherited ones
     * @return the command
     */
    List<String> command(Path socket, int childId, List<String> extraOptions) {
        List<String> c = new ArrayList<>();
        c.add(java);
        c.addAll(jvmOptions);
        c.addAll(extraOptions);
        c.add("-D" + ChildLink.SOCKET_PROPERTY + "=" + socket);
        c.add("-D" + ChildLink.CHILD_PROPERTY + "=" + childId);
        c.add("-cp");
        c.add(classPath);
        c.add(ChildMain.class.getName());
        c.add(mainClass);
        c.addAll(args);
        return c;
    }

    /** A {@code java} command line split at its main class (or {@code -jar} file). */
    record LauncherArgs(List<String> jvmOptions, String main, List<String> programArgs) {
    }

    /**
     * Splits the arguments of a {@code java} command (without the executable) into the JVM
     * options that a child inherits (see the class comment for what is left out), the main class
     * or jar, and the program's arguments.
     *
     * @param argv the arguments
     * @return the parts; {@code main} is null if the command has none (or starts a module with
     *     {@code -m}, which dev mode does not support)
     */
    static LauncherArgs split(List<String> argv) {
        List<String> options = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("-jar")) {
                String jar = i + 1 < argv.size() ? argv.get(i + 1) : null;
                return new LauncherArgs(options, jar, argv.subList(Math.min(i + 2, argv.size()), argv.size()));
            }
            if (a.equals("-m") || a.equals("--module") || a.startsWith("--module=")) {
                return new LauncherArgs(options, null, List.of());
            }
            if (!a.startsWith("-")) {
                return new LauncherArgs(options, a, argv.subList(i + 1, argv.size()));
            }
            boolean separateValue = TAKES_VALUE.contains(a);
            if (separateValue) {
                i++;
                if (!CLASS_PATH.contains(a) && i < argv.size()) {
                    options.add(a);
                    options.add(argv.get(i));
                }
                continue;
            }
            if (inherited(a)) {
                options.add(a);
            }
        }
        return new LauncherArgs(options, null, List.of());
    }

    private static boolean inherited(String option) {
        return !(option.startsWith("--class-path=")
                || option.startsWith("-XX:AOTCache") || option.startsWith("-XX:AOTConfiguration=")
                || option.startsWith("-XX:AOTMode=") || option.startsWith("-XX:SharedArchiveFile=")
                || option.startsWith("-XX:ArchiveClassesAtExit=") || option.equals("-XX:+AutoCreateSharedArchive")
                || option.equals("-Xshare:dump")
                || option.startsWith("-agentlib:jdwp") || option.startsWith("-Xrunjdwp") || option.equals("-Xdebug")
                || option.startsWith("-D" + ChildLink.SOCKET_PROPERTY + "=")
                || option.startsWith("-D" + ChildLink.CHILD_PROPERTY + "="));
    }

    /**
     * The command of this JVM, for children that run {@code mainClass} with {@code args}.
     *
     * @param mainClass the application's main class
     * @param args its arguments
     * @return the command; its JVM options are empty where the platform does not tell a process
     *     its arguments
     */
    static ChildCommand ofThisJvm(String mainClass, List<String> args) {
        return new ChildCommand(javaExecutable(), thisJvm().jvmOptions(), System.getProperty("java.class.path"), mainClass, args);
    }

    /**
     * This JVM's command line, split.
     *
     * @return the parts (all empty where the platform does not tell a process its arguments)
     */
    static LauncherArgs thisJvm() {
        Optional<String[]> argv = ProcessHandle.current().info().arguments();
        return argv.map(a -> split(List.of(a))).orElse(new LauncherArgs(List.of(), null, List.of()));
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
