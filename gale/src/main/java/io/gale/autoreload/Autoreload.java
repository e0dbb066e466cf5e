package io.gale.autoreload;

import io.gale.internal.autoreload.ChildLink;
import io.gale.options.Option;
import io.gale.options.OptionParser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Dev mode (Tornado's {@code autoreload}): the application restarts when its classes or
 * resources change, in a fresh JVM, while its port keeps accepting connections.
 *
 * <p>Three ways in, all running the same supervisor:
 * <pre>{@code
 * // 1. first line of main: this JVM becomes the supervisor, children run main again
 * public static void main(String[] args) throws Exception {
 *     Autoreload.supervise(args);          // returns at once in a child
 *     new Application(routes).listen(8888);
 *     IOLoop.instance().start();
 * }
 *
 * // 2. the autoreload setting (debug(true) implies it): Application.listen supervises
 * new Application(routes, ApplicationSettings.builder().debug(true).build()).listen(8888);
 *
 * // 3. from the command line, for any main class (Tornado's python -m tornado.autoreload);
 * //    --sources: the supervisor compiles saved sources itself (no IDE or build tool needed)
 * // java -cp target/classes:... io.gale.autoreload.Autoreload --sources=src/main/java com.example.Main [args]
 * }</pre>
 *
 * <p><b>How it works.</b> The supervisor JVM runs no application code: it starts a child JVM
 * ({@code java} with the supervisor's own JVM options and class path) that runs the main class.
 * When the child listens, the supervisor binds the public port itself, once, and forwards its
 * connections to the child's loopback port. When a watched file changes, a new child starts
 * while the old one serves; once the new child listens, new connections go to it and the old
 * one finishes its requests in flight and exits. A new child that fails before it listens (a
 * class that cannot be loaded, an exception in {@code main}) is reported and the old one keeps
 * serving. Java cannot replace a running program in place, and reloading classes inside one
 * JVM leaks; a fresh JVM is what Tornado's re-exec gives Python.
 *
 * <p><b>What is watched.</b> The class path's directories (the build's output:
 * {@code target/classes}; compile with the IDE or {@code mvn compile} and the change is picked
 * up), plus {@link AutoreloadOptions#watch()} and {@link #watch} paths, and the source roots of
 * {@link AutoreloadOptions#sources()}, which the supervisor compiles itself: a compile error is
 * printed and the running version keeps serving. Templates and static
 * files need no restart: in debug mode Gale re-reads them (the {@code compiledTemplateCache}
 * and {@code staticHashCache} settings), and the supervisor ignores their directories.
 *
 * <p><b>Limits.</b> See {@link AutoreloadOptions}. In a child every socket an application
 * listens on is forwarded, so a handler sees connections from the loopback address. Class path
 * launches only ({@code java -cp} or {@code -jar}); not {@code java -m}. Debugger agents
 * ({@code -agentlib:jdwp}) are not passed to children, whose debug ports would clash while one
 * replaces another: add one with a free port through
 * {@link AutoreloadOptions.Builder#childJvmOption}.
 *
 * <p><b>Threading.</b> {@code supervise} and {@link #main} block the calling thread for the
 * life of the process; the other methods may be called from any thread.
 */
public final class Autoreload {
    /** System property that turns the {@code autoreload} setting off: {@code -Dgale.autoreload=false}. */
    public static final String DISABLE_PROPERTY = "gale.autoreload";

    /** Stack frames of these packages mean the call comes from a test run, not a program's main. */
    private static final List<String> TEST_RUNNERS = List.of("org.junit.", "org.apache.maven.surefire.",
            "org.gradle.", "org.testng.", "com.intellij.rt.", "org.eclipse.jdt.internal.junit");

    private Autoreload() {
    }

    /**
     * Whether this JVM is a child of the supervisor.
     *
     * @return true in a child
     */
    public static boolean isChild() {
        return ChildLink.active();
    }

    /**
     * Supervises the calling class's {@code main}: in the supervisor, starts the application in
     * a child JVM and restarts it on changes, and never returns (the process ends with the
     * supervisor); in a child, returns at once. Call it first in {@code main}.
     *
     * @param args {@code main}'s arguments, passed to every child
     */
    public static void supervise(String[] args) {
        supervise(args, AutoreloadOptions.DEFAULTS, StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .getCallerClass().getName());
    }

    /**
     * As {@link #supervise(String[])}, with options.
     *
     * @param args {@code main}'s arguments, passed to every child
     * @param options what to watch, timeouts
     */
    public static void supervise(String[] args, AutoreloadOptions options) {
        supervise(args, options, StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .getCallerClass().getName());
    }

    private static void supervise(String[] args, AutoreloadOptions options, String mainClass) {
        if (isChild()) {
            return;
        }
        run(ChildCommand.ofThisJvm(mainClass, Arrays.asList(args)), options);
    }

    /**
     * What the {@code autoreload} setting does in {@code Application.listen}: supervises, like
     * {@link #supervise(String[])}, when called on the JVM's main thread from a {@code main}
     * method (its arguments are read from this process's command line); returns at once in a
     * child, under a test runner (JUnit, TestNG, Surefire, Gradle, an IDE's runner), on another
     * thread, or with {@code -Dgale.autoreload=false}.
     *
     * @return false when it returns (it did not supervise); in the supervisor it never returns
     */
    public static boolean superviseFromMain() {
        if (isChild() || "false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY))
                || !Thread.currentThread().getName().equals("main")) {
            return false;
        }
        List<StackWalker.StackFrame> frames = StackWalker.getInstance().walk(s -> s.toList());
        for (StackWalker.StackFrame f : frames) {
            for (String runner : TEST_RUNNERS) {
                if (f.getClassName().startsWith(runner)) {
                    return false;
                }
            }
        }
        StackWalker.StackFrame bottom = frames.get(frames.size() - 1);
        if (!bottom.getMethodName().equals("main")) {
            return false;
        }
        ChildCommand.LauncherArgs self = ChildCommand.thisJvm();
        run(ChildCommand.ofThisJvm(bottom.getClassName(), self.main() == null ? List.of() : self.programArgs()),
                AutoreloadOptions.DEFAULTS);
        return false; // not reached
    }

    /**
     * In a child, asks the supervisor to restart on changes of {@code path} too (Tornado's
     * {@code autoreload.watch}); elsewhere nothing.
     *
     * @param path a file or directory
     */
    public static void watch(Path path) {
        if (isChild()) {
            ChildLink.get().watch(path);
        }
    }

    /**
     * In a child, runs {@code hook} when the child is being replaced, before its servers drain
     * (Tornado's {@code add_reload_hook}); elsewhere nothing. JVM shutdown hooks run too, when
     * the child exits after draining.
     *
     * @param hook the hook; runs on a thread of its own
     */
    public static void addReloadHook(Runnable hook) {
        if (isChild()) {
            ChildLink.get().addReloadHook(hook);
        }
    }

    /**
     * The command line: {@code java -cp CLASSPATH io.gale.autoreload.Autoreload [OPTIONS]
     * MAIN_CLASS [ARGS...]} runs {@code MAIN_CLASS} under the supervisor. Options (before the
     * main class; {@code --help} lists them): {@code --watch=PATH} (repeatable),
     * {@code --sources=DIR} (repeatable: a Java source root the supervisor compiles on changes),
     * {@code --watch-classpath=false}, {@code --watcher=auto|watch-service|polling},
     * {@code --poll-interval}, {@code --quiet-period}, {@code --start-timeout},
     * {@code --drain-timeout}, {@code --hold-timeout} (durations such as {@code 250ms} or
     * {@code 5s}), {@code --jvm-option=OPTION} (repeatable: for every child). Usage errors exit
     * with status 2.
     *
     * @param args options, the main class, its arguments
     */
    public static void main(String[] args) {
        OptionParser parser = new OptionParser("java io.gale.autoreload.Autoreload")
                .usageArguments("[OPTIONS] MAIN_CLASS [ARGS...]");
        AutoreloadOptions d = AutoreloadOptions.DEFAULTS;
        Option<List<Path>> watch = parser.listOption("watch", Path.class).repeatable().defaultValue(List.of())
                .help("also restart when this file or directory changes").noEnv().define();
        Option<List<Path>> sources = parser.listOption("sources", Path.class).repeatable().defaultValue(List.of())
                .help("a Java source root to compile on changes (into its class path directory)").noEnv().define();
        Option<Boolean> watchClassPath = parser.option("watch-classpath", Boolean.class).defaultValue(true)
                .help("watch the class path's directories").noEnv().define();
        Option<AutoreloadOptions.Watcher> watcher = parser.option("watcher", AutoreloadOptions.Watcher.class)
                .defaultValue(d.watcher()).help("how to notice changes").noEnv().define();
        Option<Duration> poll = duration(parser, "poll-interval", d.pollInterval(), "polling period");
        Option<Duration> quiet = duration(parser, "quiet-period", d.quietPeriod(), "settling time before a restart");
        Option<Duration> start = duration(parser, "start-timeout", d.startTimeout(), "longest start of a new version");
        Option<Duration> drain = duration(parser, "drain-timeout", d.drainTimeout(), "longest drain of a replaced version");
        Option<Duration> hold = duration(parser, "hold-timeout", d.holdTimeout(), "longest wait of a connection for a version");
        Option<List<String>> jvm = parser.listOption("jvm-option", String.class).repeatable().defaultValue(List.of())
                .help("a JVM option for every child").noEnv().define();
        List<String> own = new ArrayList<>();
        int i = 0;
        while (i < args.length && args[i].startsWith("-")) {
            own.add(args[i]);
            if (!args[i].contains("=") && !args[i].equals("--help") && i + 1 < args.length) {
                own.add(args[++i]);
            }
            i++;
        }
        List<String> rest = parser.parseCommandLine(own.toArray(String[]::new));
        if (!rest.isEmpty() || i == args.length) {
            System.err.println(parser.usageError(rest.isEmpty() ? "no MAIN_CLASS given" : "unexpected argument '"
                    + rest.get(0) + "'").getMessage() + " (--help for the options)");
            System.exit(2);
        }
        AutoreloadOptions.Builder b = AutoreloadOptions.builder().watchClassPath(watchClassPath.get())
                .watcher(watcher.get()).pollInterval(poll.get()).quietPeriod(quiet.get()).startTimeout(start.get())
                .drainTimeout(drain.get()).holdTimeout(hold.get());
        watch.get().forEach(b::watch);
        sources.get().forEach(b::sources);
        jvm.get().forEach(b::childJvmOption);
        ChildCommand.LauncherArgs self = ChildCommand.thisJvm();
        List<String> appArgs = Arrays.asList(args).subList(i + 1, args.length);
        run(new ChildCommand(ChildCommand.ofThisJvm("", List.of()).java(), self.jvmOptions(),
                System.getProperty("java.class.path"), args[i], appArgs), b.build());
    }

    private static Option<Duration> duration(OptionParser parser, String name, Duration value, String help) {
        return parser.option(name, Duration.class).defaultValue(value).help(help).noEnv().define();
    }

    /** Runs the supervisor for the life of the process. */
    private static void run(ChildCommand command, AutoreloadOptions options) {
        Supervisor supervisor = new Supervisor(command, options, System.err);
        Runtime.getRuntime().addShutdownHook(new Thread(supervisor::shutdown, "gale-autoreload-shutdown"));
        try {
            supervisor.run();
        } catch (Exception e) {
            System.err.println("[autoreload] the supervisor failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
